// The example Electron app's main-process and preload logic, run in Node with stand-ins for the
// Electron modules (Electron cannot run here). startMain drives the REAL SessionApi.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { EventEmitter } from "node:events";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createSessionApiClient } from "@sessionapi/client";
import { cleanupTempDirs, isAlive, nextEvent, packageDir, serverCommand, serverSkip, tempDir, waitFor } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const exampleDir = join(packageDir, "example");
const main = require(join(exampleDir, "main.js"));

after(cleanupTempDirs);

/** Loads preload.js with `require("electron")` answered by `fake`. */
function loadPreload(fake) {
  const original = Module._load;
  Module._load = function (request, ...rest) {
    return request === "electron" ? fake : original.call(this, request, ...rest);
  };
  try {
    const path = require.resolve(join(exampleDir, "preload.js"));
    delete require.cache[path];
    require(path);
  } finally {
    Module._load = original;
  }
}

describe("example preload", () => {
  test("exposes exactly getConnection and onConnectionChanged, never ipcRenderer", async () => {
    const exposed = [];
    const ipc = new EventEmitter();
    const invoked = [];
    ipc.invoke = async (channel) => {
      invoked.push(channel);
      return { url: "http://127.0.0.1:1", token: "t" };
    };
    loadPreload({ contextBridge: { exposeInMainWorld: (key, api) => exposed.push([key, api]) }, ipcRenderer: ipc });
    assert.equal(exposed.length, 1);
    const [key, api] = exposed[0];
    assert.equal(key, "sessionApi");
    assert.deepEqual(Object.keys(api).sort(), ["getConnection", "onConnectionChanged"]);
    assert.deepEqual(await api.getConnection(), { url: "http://127.0.0.1:1", token: "t" });
    assert.deepEqual(invoked, [main.CONNECTION_CHANNEL]);

    const got = [];
    const unsubscribe = api.onConnectionChanged((c) => got.push(c));
    ipc.emit(main.CONNECTION_CHANGED_CHANNEL, { sender: "event object stays in preload" }, { url: "http://127.0.0.1:2", token: "t", extra: "dropped" });
    ipc.emit(main.CONNECTION_CHANGED_CHANNEL, {}, null);
    unsubscribe();
    ipc.emit(main.CONNECTION_CHANGED_CHANNEL, {}, { url: "http://127.0.0.1:3", token: "t" });
    assert.deepEqual(got, [{ url: "http://127.0.0.1:2", token: "t" }, null]);
  });
});

describe("example main: app:// renderer files", () => {
  test("maps app://renderer/... into the renderer folder and refuses escapes", () => {
    const dir = join(exampleDir, "renderer");
    assert.equal(main.resolveRendererFile(dir, "app://renderer/"), join(dir, "index.html"));
    assert.equal(main.resolveRendererFile(dir, "app://renderer/renderer.bundle.js"), join(dir, "renderer.bundle.js"));
    // the URL parser already folds /%2e%2e/ away: it stays inside the folder
    assert.equal(main.resolveRendererFile(dir, "app://renderer/%2e%2e/main.js"), join(dir, "main.js"));
    assert.equal(main.resolveRendererFile(dir, "app://renderer/a/%2e%2e%2f%2e%2e%2fmain.js"), undefined);
    assert.equal(main.resolveRendererFile(dir, "app://renderer/..%2fpreload.js"), undefined);
    assert.equal(main.resolveRendererFile(dir, "app://other/index.html"), undefined);
  });
});

/** Just enough of Electron's main-process API for startMain. */
function fakeElectron(userData) {
  const app = new EventEmitter();
  Object.assign(app, {
    isPackaged: false,
    exitCode: undefined,
    whenReady: async () => {},
    getPath: (name) => (assert.equal(name, "userData"), userData),
    exit: (code) => (app.exitCode = code),
  });
  const handlers = new Map();
  const ipcMain = { handle: (channel, fn) => handlers.set(channel, fn) };
  const protocols = new Map();
  const protocol = { handle: (scheme, fn) => protocols.set(scheme, fn) };
  const net = { fetch: async (fileUrl) => new Response(readFileSync(new URL(fileUrl))) };
  const windows = [];
  class BrowserWindow {
    constructor(options) {
      this.options = options;
      this.sent = [];
      this.webContents = { send: (channel, value) => this.sent.push([channel, value]) };
      windows.push(this);
    }
    isDestroyed() {
      return false;
    }
    async loadURL(url) {
      this.url = url;
    }
  }
  return { electron: { app, ipcMain, protocol, net, BrowserWindow }, handlers, protocols, windows };
}

describe("example main + real SessionApi", serverSkip(), () => {
  test("starts SessionApi, a locked-down window, hands {url, token} only to its own origin, follows restarts, stops on quit", async () => {
    const userData = tempDir();
    const fake = fakeElectron(userData);
    const { server } = await main.startMain(fake.electron, { ...serverCommand(), launcher: { backoff: { initialMs: 50 }, readyTimeoutMs: 30_000, onOutput: () => {} } });
    try {
      // the window: no Node in the renderer
      const [win] = fake.windows;
      assert.deepEqual(
        { contextIsolation: win.options.webPreferences.contextIsolation, sandbox: win.options.webPreferences.sandbox, nodeIntegration: win.options.webPreferences.nodeIntegration },
        { contextIsolation: true, sandbox: true, nodeIntegration: false },
      );
      assert.equal(win.options.webPreferences.preload, join(exampleDir, "preload.js"));
      assert.equal(win.url, "app://renderer/index.html");

      // the renderer's files come through the app:// handler
      const page = await fake.protocols.get("app")({ url: "app://renderer/index.html" });
      assert.match(await page.text(), /renderer\.bundle\.js/);
      assert.equal((await fake.protocols.get("app")({ url: "app://renderer/../main.js" })).status, 404);

      // the bridge's source of truth
      const getConnection = fake.handlers.get(main.CONNECTION_CHANNEL);
      const connection = await getConnection({ senderFrame: { url: "app://renderer/index.html" } });
      assert.deepEqual(connection, { url: server.url, token: server.token });
      assert.deepEqual(await getConnection({ senderFrame: { url: "app://renderer/index.html", origin: "app://renderer" } }), connection);
      assert.throws(() => getConnection({ senderFrame: { url: "https://evil.example/" } }), /refusing/);
      assert.throws(() => getConnection({ senderFrame: { url: "app://other/index.html" } }), /refusing/);
      assert.throws(() => getConnection({ senderFrame: { url: "file:///tmp/x.html" } }), /refusing/);
      assert.throws(() => getConnection({}), /refusing/);

      // the renderer's client works with what the bridge gave it (storage under userData)
      const client = createSessionApiClient({ baseUrl: connection.url, token: connection.token });
      await client.saveSession("from-main-test", { ok: true });
      assert.equal(JSON.parse(readFileSync(join(userData, "sessions", "from-main-test.json"), "utf8")).ok, true);

      // the server accepts the app:// origin it was configured with (what the renderer's fetches carry)
      const fromApp = await fetch(`${connection.url}/sessions`, { headers: { Origin: main.APP_ORIGIN, Authorization: `Bearer ${connection.token}` } });
      assert.equal(fromApp.status, 200);
      assert.equal(fromApp.headers.get("access-control-allow-origin"), main.APP_ORIGIN);

      // crash -> restart -> the window is told the new connection
      const ready = nextEvent(server, "ready", 30_000);
      process.kill(server.pid, "SIGKILL");
      const again = await ready;
      assert.deepEqual(win.sent.at(-1), [main.CONNECTION_CHANGED_CHANNEL, { url: again.url, token: server.token }]);

      // quit: will-quit is held until SessionApi stopped gracefully, then the app exits 0
      const pid = server.pid;
      let prevented = false;
      fake.electron.app.emit("will-quit", { preventDefault: () => (prevented = true) });
      assert.equal(prevented, true);
      await waitFor(() => fake.electron.app.exitCode === 0, { what: "app.exit(0)" });
      assert.equal(server.state, "stopped");
      assert.ok(!isAlive(pid));
    } finally {
      await server.stop();
    }
  });
});
