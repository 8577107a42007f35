// Preload of the example app (CommonJS: sandboxed preloads cannot be ES modules).
//
// Why a bridge at all: the renderer runs with contextIsolation + sandbox and no Node, so web
// content (including anything injected into the chat transcript) can never spawn processes or read
// files. It still needs SessionApi's url and bearer token; the only door is contextBridge, which
// copies plain values into the page's world. We expose two functions, never ipcRenderer itself
// (that would let the page send any IPC message to main).
"use strict";

const { contextBridge, ipcRenderer } = require("electron");

const CONNECTION_CHANNEL = "sessionapi:connection";
const CONNECTION_CHANGED_CHANNEL = "sessionapi:connection-changed";

contextBridge.exposeInMainWorld("sessionApi", {
  /** @returns {Promise<{url: string, token: string} | null>} */
  getConnection: () => ipcRenderer.invoke(CONNECTION_CHANNEL),
  /** Called with the new {url, token} after SessionApi restarted (new port), or null if it failed for good. */
  onConnectionChanged: (callback) => {
    const listener = (_event, connection) => callback(connection ? { url: connection.url, token: connection.token } : null);
    ipcRenderer.on(CONNECTION_CHANGED_CHANNEL, listener);
    return () => ipcRenderer.removeListener(CONNECTION_CHANGED_CHANNEL, listener);
  },
});
