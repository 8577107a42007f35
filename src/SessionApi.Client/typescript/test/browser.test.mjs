// The renderer half in a real Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the example renderer, bundled with esbuild, served from ANOTHER origin than SessionApi by a tiny
// static server; SessionApi allows exactly that origin. CORS preflights, the bearer token, ETags
// through Access-Control-Expose-Headers and the generated client all run for real. A third origin
// that is not allowed is refused.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { createSessionApiClient } from "@sessionapi/client";
import { startSessionApi } from "@sessionapi/client/launcher";
import { bundleRenderer, rendererDir } from "../scripts/bundle-renderer.mjs";
import { cleanupTempDirs, serverCommand, serverSkip, tempDir } from "./helpers.mjs";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const skip = (() => {
  const s = serverSkip();
  if (s.skip) return s;
  if (!existsSync(chromiumPath)) return { skip: `${chromiumPath} missing (npm run install-browser-deps)` };
  return {};
})();

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".map": "application/json" };

/** Serves the renderer folder on 127.0.0.1:<free port>. */
function serveRenderer() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = normalize(join(rendererDir, path === "/" ? "index.html" : decodeURIComponent(path)));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` })),
  );
}

/** What preload.js exposes through contextBridge, defined before any page script runs. */
function bridgeInit({ url, token }) {
  window.sessionApi = Object.freeze({
    getConnection: async () => ({ url, token }),
    onConnectionChanged: () => () => {},
  });
}

describe("renderer in Chromium, cross-origin, against the real SessionApi", skip, () => {
  let api;
  let storageRoot;
  let allowedSite;
  let foreignSite;
  let browser;
  const consoleLines = [];

  before(async () => {
    await bundleRenderer();
    allowedSite = await serveRenderer();
    foreignSite = await serveRenderer();
    storageRoot = tempDir();
    api = await startSessionApi({ ...serverCommand(), storageRoot, allowedOrigins: [allowedSite.origin], readyTimeoutMs: 30_000 });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });

  after(async () => {
    await browser?.close();
    await api?.stop();
    allowedSite?.server.close();
    foreignSite?.server.close();
    cleanupTempDirs();
    if (consoleLines.length) console.log(`# browser console:\n# ${consoleLines.join("\n# ")}`);
  });

  async function openPage(origin) {
    const context = await browser.newContext();
    await context.addInitScript(bridgeInit, { url: api.url, token: api.token });
    const page = await context.newPage();
    page.on("console", (m) => consoleLines.push(`[${origin}] ${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => consoleLines.push(`[${origin}] pageerror: ${e.message}`));
    // What the page asks SessionApi for (not preflights): proves there is no polling.
    const apiRequests = [];
    const apiUrl = api.url; // the getter throws while a restart is under way
    page.on("request", (r) => {
      if (r.url().startsWith(apiUrl) && r.method() !== "OPTIONS") apiRequests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${origin}/index.html`);
    return { context, page, apiRequests };
  }

  test("the page mounts, lists, and creates a session from the form", async () => {
    const { context, page } = await openPage(allowedSite.origin);
    try {
      await page.waitForSelector('#status[data-state="connected"]', { timeout: 15_000 });
      await page.fill("#title", "Typed in the browser");
      await page.click("#create");
      await page.waitForSelector("#sessions li", { timeout: 15_000 });
      const id = await page.getAttribute("#sessions li", "data-id");
      const stored = await createSessionApiClient({ baseUrl: api.url, token: api.token }).getSession(id);
      assert.deepEqual(stored.document, { title: "Typed in the browser", messages: [] });
      assert.match(await page.textContent("#status"), /Connected: 1 session/);
    } finally {
      await context.close();
    }
  });

  test("create, list, update with If-Match, 412 on a stale ETag, 304, delete", async () => {
    const { context, page } = await openPage(allowedSite.origin);
    try {
      const steps = await page.evaluate(async () => {
        const demo = await import("/renderer.bundle.js");
        return demo.runScenario(await demo.connect(), "browser-scenario");
      });
      assert.equal(steps.created.created, true);
      assert.match(steps.created.etag, /^"/, "ETag readable cross-origin (Access-Control-Expose-Headers)");
      assert.deepEqual(pick(steps.createTwice), { status: 412, code: "precondition_failed" });
      assert.equal(steps.listed, true);
      assert.deepEqual(steps.loaded, { title: "First chat", text: "héllo ✓", etag: steps.created.etag });
      assert.equal(steps.updated.created, false);
      assert.equal(steps.updated.etagChanged, true);
      assert.deepEqual(pick(steps.staleUpdate), { status: 412, code: "precondition_failed" });
      assert.equal(steps.notModified, true, "If-None-Match with the current ETag: 304");
      assert.deepEqual(steps.changedSince, { title: "Renamed", etag: steps.updated.etag });
      assert.deepEqual(pick(steps.staleDelete), { status: 412, code: "precondition_failed" });
      assert.equal(steps.deleted, true);
      assert.deepEqual(pick(steps.afterDelete), { status: 404, code: "not_found" });
    } finally {
      await context.close();
    }
  });

  test("from another origin: a bad save undone by restoring a version, a delete undone from the trash", async () => {
    const { context, page } = await openPage(allowedSite.origin);
    try {
      const steps = await page.evaluate(async () => {
        const demo = await import("/renderer.bundle.js");
        const client = await demo.connect();
        const id = demo.newSessionId();
        const good = await client.saveSession(id, { title: "Long chat", messages: [{ role: "user", text: "héllo ✓" }] });
        const bad = await client.saveSession(id, {});
        const versions = await client.listVersions(id);
        const version = await client.getVersion(id, versions[0].version);
        let stale;
        try {
          await client.restoreVersion(id, versions[0].version, { ifMatch: good.etag });
        } catch (error) {
          stale = demo.describeError(error);
        }
        const restored = await client.restoreVersion(id, versions[0].version, { ifMatch: bad.etag });
        const current = await client.getSession(id);
        await client.deleteSession(id, { ifMatch: restored.etag });
        const trash = (await client.listTrash()).filter((t) => t.id === id);
        const back = await client.restoreFromTrash(id);
        let conflict;
        try {
          await client.restoreFromTrash(id);
        } catch (error) {
          conflict = demo.describeError(error);
        }
        return { good, bad, versions, version, stale, restored, current, trash, back, conflict, afterRestore: await client.getSession(id) };
      });
      assert.equal(steps.versions.length, 1);
      assert.equal(steps.versions[0].etag, steps.good.etag);
      assert.deepEqual(steps.version.document, { title: "Long chat", messages: [{ role: "user", text: "héllo ✓" }] });
      assert.equal(steps.version.etag, steps.good.etag, "the version's ETag readable cross-origin");
      assert.deepEqual(pick(steps.stale), { status: 412, code: "precondition_failed" });
      assert.equal(steps.restored.created, false);
      assert.equal(steps.restored.etag, steps.good.etag);
      assert.deepEqual(steps.current.document, steps.version.document);
      assert.equal(steps.trash.length, 1);
      assert.equal(steps.trash[0].etag, steps.good.etag);
      assert.equal(steps.back.created, true);
      assert.equal(steps.back.etag, steps.good.etag);
      assert.deepEqual(steps.afterRestore.document, steps.version.document);
      assert.deepEqual(pick(steps.conflict), { status: 409, code: "already_exists" });
    } finally {
      await context.close();
    }
  });

  test("a page from an origin that is not allowed is refused", async () => {
    const { context, page } = await openPage(foreignSite.origin);
    try {
      await page.waitForSelector('#status[data-state="error"]', { timeout: 15_000 });
      const result = await page.evaluate(async () => {
        const demo = await import("/renderer.bundle.js");
        try {
          await (await demo.connect()).listSessions();
          return { ok: true };
        } catch (error) {
          return demo.describeError(error);
        }
      });
      // The browser hides the 403 behind a CORS failure: fetch rejects, the client says network_error.
      assert.deepEqual(pick(result), { status: 0, code: "network_error" });
    } finally {
      await context.close();
    }
    // What the browser saw, asked directly: the preflight gets no CORS grant, the request a 403.
    const preflight = await fetch(`${api.url}/sessions`, {
      method: "OPTIONS",
      headers: { Origin: foreignSite.origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);
    const direct = await fetch(`${api.url}/sessions`, { headers: { Origin: foreignSite.origin, Authorization: `Bearer ${api.token}` } });
    assert.equal(direct.status, 403);
    assert.equal((await direct.json()).code, "origin_not_allowed");

    const allowed = await fetch(`${api.url}/sessions/x`, {
      method: "OPTIONS",
      headers: { Origin: allowedSite.origin, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization,content-type,if-match" },
    });
    assert.equal(allowed.headers.get("access-control-allow-origin"), allowedSite.origin);
  });

  // Last: it restarts the server (same port, root and token; a new run).
  test("a save in one window appears in the other without polling; a server restart makes it list again", async () => {
    const one = await openPage(allowedSite.origin);
    const two = await openPage(allowedSite.origin);
    try {
      await one.page.waitForSelector('#status[data-state="connected"]', { timeout: 15_000 });
      await two.page.waitForSelector('#status[data-state="connected"]', { timeout: 15_000 });
      assert.deepEqual(two.apiRequests, ["GET /events", "GET /sessions"], "the watch, then the list its reset asks for");

      const listed = () => one.page.$$eval("#sessions li", (items) => items.map((li) => li.dataset.id));
      const before = await listed();
      await one.page.fill("#title", "Saved in window one");
      await one.page.click("#create");
      await one.page.waitForFunction((n) => document.querySelectorAll("#sessions li").length > n, before.length, { timeout: 15_000 });
      const id = (await listed()).find((i) => !before.includes(i));
      await two.page.waitForSelector(`#sessions li[data-id="${id}"]`, { timeout: 15_000 });
      assert.deepEqual(two.apiRequests, ["GET /events", "GET /sessions"], "window two learned of the save from the stream alone");
      const seen = await two.page.evaluate(() => globalThis.sessionPage.events);
      assert.deepEqual(seen.map((e) => e.event), ["reset", "saved"]);
      assert.equal(seen[1].session, id);

      // The server restarts on the same port: window two's stream drops, it reconnects with its
      // Last-Event-ID, which names the previous run: a reset, and it lists again.
      const port = new URL(api.url).port;
      await api.stop();
      api = await startSessionApi({
        ...serverCommand(),
        args: [...serverCommand().args, `--urls=http://127.0.0.1:${port}`],
        storageRoot,
        token: api.token,
        allowedOrigins: [allowedSite.origin],
        readyTimeoutMs: 30_000,
      });
      await two.page.waitForFunction(() => globalThis.sessionPage.events.some((e) => e.event === "reset" && e.reason === "unknown"), null, { timeout: 20_000 });
      await two.page.waitForFunction(() => document.querySelector("#status")?.dataset.state === "connected", null, { timeout: 15_000 });
      assert.equal(two.apiRequests.filter((r) => r === "GET /sessions").length, 2, "listed again after the reset");
      assert.ok(await two.page.$(`#sessions li[data-id="${id}"]`), "the session is still listed after the restart");

      // And the new run's saves reach it too.
      const saved = await createSessionApiClient({ baseUrl: api.url, token: api.token }).saveSession("after-restart", { n: 1 });
      await two.page.waitForSelector(`#sessions li[data-id="after-restart"][data-etag='${saved.etag}']`, { timeout: 15_000 });
    } finally {
      await one.context.close();
      await two.context.close();
    }
  });
});

function pick(e) {
  return e && { status: e.status, code: e.code };
}
