// Electron main process of the example app.
//
// Everything that touches Electron is injected (`app`, `BrowserWindow`, `ipcMain`, `protocol`,
// `net`), so this logic runs in plain Node under test with stand-ins, and unchanged in Electron
// (see the bottom of the file). CommonJS because Electron's sandboxed preload must be CommonJS and
// both live in this folder; the ESM-only launcher is loaded with a dynamic import().
"use strict";

const { existsSync } = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

/** The renderer is served from a privileged custom scheme, not file://. Why: a file:// page's
 * fetches carry `Origin: null`, which SessionApi refuses unless configured, and "null" would admit
 * every sandboxed iframe and local file. `app://renderer` is one exact origin to allow. */
const APP_SCHEME = "app";
const APP_HOST = "renderer";
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
const CONNECTION_CHANNEL = "sessionapi:connection";
const CONNECTION_CHANGED_CHANNEL = "sessionapi:connection-changed";

/** Must run before `app` is ready (Electron rule for privileged schemes). */
function registerSchemes(protocol) {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Where the published SessionApi is: packaged, `<resources>/SessionApi/` (electron-builder
 * `extraResources`, next to app.asar, never inside it), checked so a broken package says what is
 * wrong; in development, this repository's publish folder. */
function defaultExecutable(app, launcherModule) {
  if (app.isPackaged) return launcherModule.resolveSessionApiExecutable({ resourcesPath: process.resourcesPath });
  const exe = launcherModule.sessionApiExecutableName();
  return path.resolve(__dirname, "../../../../artifacts/publish", `${process.platform === "win32" ? "win" : "linux"}-x64`, exe);
}

/** Maps `app://renderer/<path>` to a file of `rendererDir`, refusing anything outside it. */
function resolveRendererFile(rendererDir, requestUrl) {
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return undefined;
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, "") || "index.html";
  const file = path.resolve(rendererDir, relative);
  if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) return undefined;
  return file;
}

/** The asking frame's origin. Not `new URL(url).origin`: WHATWG URL gives "null" for every
 * non-special scheme, app:// included (Chromium, which registered app:// as standard, knows better
 * and reports it as WebFrameMain.origin). */
function frameOrigin(frame) {
  if (!frame) return undefined;
  if (typeof frame.origin === "string" && frame.origin !== "null") return frame.origin;
  const url = new URL(frame.url);
  return url.protocol === `${APP_SCHEME}:` ? `${url.protocol}//${url.host}` : url.origin;
}

/**
 * Starts SessionApi, then the window. Returns handles for tests.
 * @param {{ app: any, BrowserWindow: any, ipcMain: any, protocol: any, net: any }} electron
 * @param {{ executable?: string, args?: string[], storageRoot?: string, allowedOrigins?: string[],
 *           rendererDir?: string, launcher?: object, createWindow?: boolean }} [options]
 */
async function startMain(electron, options = {}) {
  const { app, BrowserWindow, ipcMain, protocol, net } = electron;
  const launcherModule = await import("@sessionapi/client/launcher");
  const { startSessionApi } = launcherModule;
  await app.whenReady();

  const rendererDir = options.rendererDir ?? path.join(__dirname, "renderer");
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveRendererFile(rendererDir, request.url);
    return file && existsSync(file) ? net.fetch(pathToFileURL(file).toString()) : new Response("not found", { status: 404 });
  });

  const server = await startSessionApi({
    executable: options.executable ?? defaultExecutable(app, launcherModule),
    args: options.args,
    // Sessions live in the app's own data folder. Under MSIX this folder is virtualized (the EXDEV
    // bug); SessionApi is the writer that copes with it.
    storageRoot: options.storageRoot ?? path.join(app.getPath("userData"), "sessions"),
    allowedOrigins: options.allowedOrigins ?? [APP_ORIGIN],
    onOutput: (line, stream) => console.log(`[SessionApi ${stream}] ${line}`),
    ...options.launcher,
  });

  /** @type {any} */
  let win;
  // A crash restarts SessionApi on a new port: tell the renderer where it is now.
  server.on("ready", ({ url, token }) => {
    if (win && !win.isDestroyed()) win.webContents.send(CONNECTION_CHANGED_CHANNEL, { url, token });
  });
  server.on("error", (error) => {
    // The crash budget is spent: sessions cannot be saved any more. A real app shows this to the user.
    console.error(`SessionApi failed for good: ${error.message}`);
    if (win && !win.isDestroyed()) win.webContents.send(CONNECTION_CHANGED_CHANNEL, null);
  });

  // The token only ever reaches our own page: check who asks (a navigated-away or injected frame
  // must not get it).
  ipcMain.handle(CONNECTION_CHANNEL, (event) => {
    const origin = frameOrigin(event.senderFrame);
    const allowed = options.allowedOrigins ?? [APP_ORIGIN];
    if (!origin || !allowed.includes(origin)) throw new Error(`refusing SessionApi connection to ${origin}`);
    return server.connection ?? null;
  });

  if (options.createWindow !== false) {
    win = new BrowserWindow({
      width: 900,
      height: 700,
      webPreferences: {
        preload: path.join(__dirname, "preload.js"),
        // The renderer never sees Node: isolated world, sandbox, no integration. It gets exactly
        // two functions through contextBridge (see preload.js).
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    });
    await win.loadURL(`${APP_ORIGIN}/index.html`);
  }

  // Stop SessionApi gracefully on quit (in-flight saves complete), then let the app exit.
  let quitting = false;
  app.on("will-quit", (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    server.stop().finally(() => app.exit(0));
  });

  return { server, window: win, stop: () => server.stop() };
}

module.exports = {
  APP_ORIGIN,
  CONNECTION_CHANNEL,
  CONNECTION_CHANGED_CHANNEL,
  frameOrigin,
  registerSchemes,
  resolveRendererFile,
  startMain,
};

// Under Electron (`electron .`), run for real.
if (require.main === module && process.versions.electron) {
  const electron = require("electron");
  registerSchemes(electron.protocol);
  startMain(electron).catch((error) => {
    electron.dialog.showErrorBox("SessionApi could not start", String(error && error.message ? error.message : error));
    electron.app.exit(1);
  });
}
