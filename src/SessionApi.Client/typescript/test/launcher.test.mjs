// The launcher against the REAL published SessionApi (SESSIONAPI_EXE): start, ready, save/load
// through the client, kill -9 and restart, crash budget, parent death, graceful stop.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, test } from "node:test";
import { createSessionApiClient, SessionApiError } from "@sessionapi/client";
import { startSessionApi } from "@sessionapi/client/launcher";
import { cleanupTempDirs, isAlive, nextEvent, packageDir, procArgv, procEnv, serverCommand, serverSkip, tempDir, waitFor } from "./helpers.mjs";

const skip = serverSkip();
const start = (extra = {}) => startSessionApi({ ...serverCommand(), storageRoot: tempDir(), readyTimeoutMs: 30_000, ...extra });
const clientFor = (server) => createSessionApiClient({ baseUrl: server.url, token: server.token });

after(cleanupTempDirs);

describe("launcher + real SessionApi", skip, () => {
  test("start: ready line, loopback url, token only in the environment, health", async () => {
    const server = await start();
    try {
      assert.match(server.url, /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/);
      assert.equal(typeof server.version, "string");
      const argv = procArgv(server.pid);
      assert.ok(!argv.some((a) => a.includes(server.token)), "token not in argv");
      assert.equal(procEnv(server.pid).SESSIONAPI_TOKEN, server.token);
      assert.equal(argv[argv.indexOf("--parent-pid") + 1], String(process.pid));
      assert.equal(await clientFor(server).getHealth(), true);
      // Without the token: 401 ProblemDetails
      const anonymous = createSessionApiClient({ baseUrl: server.url, token: "wrong-token" });
      await assert.rejects(anonymous.listSessions(), (e) => e instanceof SessionApiError && e.status === 401 && e.code === "unauthorized");
    } finally {
      await server.stop();
    }
  });

  test("save and load through the client; the file is on disk byte for byte", async () => {
    const root = tempDir();
    const server = await start({ storageRoot: root });
    try {
      const client = clientFor(server);
      const doc = { title: "Chat ✓", messages: [{ role: "user", text: "hi" }], n: 1 };
      const saved = await client.saveSession("chat-1", doc);
      assert.equal(saved.created, true);
      assert.match(saved.etag, /^"/);
      const loaded = await client.getSession("chat-1");
      assert.deepEqual(loaded.document, doc);
      assert.equal(loaded.etag, saved.etag);
      assert.deepEqual(JSON.parse(readFileSync(join(root, "chat-1.json"), "utf8")), doc);
      assert.deepEqual((await client.listSessions()).map((s) => s.id), ["chat-1"]);
    } finally {
      await server.stop();
    }
  });

  test("kill -9: restart on a new process, sessions survive, the same token works", async () => {
    const root = tempDir();
    const server = await start({ storageRoot: root, backoff: { initialMs: 100 } });
    try {
      await clientFor(server).saveSession("survivor", { v: 1 });
      const firstPid = server.pid;
      const exit = nextEvent(server, "exit");
      const restart = nextEvent(server, "restart");
      const ready = nextEvent(server, "ready", 30_000);
      process.kill(firstPid, "SIGKILL");
      const e = await exit;
      assert.equal(e.signal, "SIGKILL");
      assert.equal(e.expected, false);
      assert.equal((await restart).crashes, 1);
      const again = await ready;
      assert.notEqual(again.pid, firstPid);
      assert.equal(again.restarts, 1);
      // the lock of the killed instance did not keep the new one out
      const loaded = await clientFor(server).getSession("survivor");
      assert.deepEqual(loaded.document, { v: 1 });
    } finally {
      await server.stop();
    }
  });

  test("crash budget exhausted: an error event, nothing restarted", async () => {
    const server = await start({ backoff: { initialMs: 50 }, crashBudget: { maxCrashes: 2, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 2; i++) {
        const ready = nextEvent(server, "ready", 30_000);
        process.kill(server.pid, "SIGKILL");
        await ready;
      }
      const failed = nextEvent(server, "error");
      process.kill(server.pid, "SIGKILL");
      const error = await failed;
      assert.equal(error.code, "crash_budget_exhausted");
      assert.match(error.message, /crashed 3 times/);
      assert.equal(server.state, "failed");
      assert.equal(server.connection, undefined);
    } finally {
      await server.stop();
    }
  });

  test("parent dies (SIGKILL, stdin kept open): the --parent-pid watchdog stops SessionApi", async () => {
    const { executable, args } = serverCommand();
    const parent = spawn(process.execPath, [join(packageDir, "test", "fixtures", "parent.mjs")], {
      env: { ...process.env, PARENT_EXE: executable, PARENT_ARGS: JSON.stringify(args), PARENT_ROOT: tempDir() },
      stdio: ["pipe", "pipe", "inherit"],
    });
    try {
      const line = await new Promise((resolve, reject) => {
        createInterface({ input: parent.stdout }).once("line", resolve);
        parent.once("exit", (code) => reject(new Error(`parent exited early (${code})`)));
      });
      const { pid, url } = JSON.parse(line);
      assert.ok(isAlive(pid));
      assert.equal(procArgv(pid)[procArgv(pid).indexOf("--parent-pid") + 1], String(parent.pid));
      assert.equal((await fetch(`${url}/health`)).status, 200);
      parent.kill("SIGKILL");
      await waitFor(() => !isAlive(pid), { timeoutMs: 15_000, what: `SessionApi ${pid} to exit after its parent died` });
      // our end of its stdin is still open: it was the watchdog, not end-of-input
      assert.equal(parent.stdin.writableEnded, false);
    } finally {
      parent.kill("SIGKILL");
      parent.stdin.destroy();
    }
  });

  test("graceful stop: a save in flight completes, exit code 0, no SIGKILL, the root can be reopened", async (t) => {
    const root = tempDir();
    const server = await start({ storageRoot: root });
    const pid = server.pid;
    const big = JSON.stringify({ messages: Array.from({ length: 20_000 }, (_, i) => ({ i, text: "lorem ipsum dolor sit amet ".repeat(4) })) });
    // A raw request, so the test decides when the body ends: half of it first, then stop() once the
    // server is demonstrably streaming it (its temp file exists), then the rest. Deterministic
    // "in flight", unlike a timer racing the connection.
    const request = http.request(new URL("/sessions/in-flight", server.url), {
      method: "PUT",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json", "content-length": Buffer.byteLength(big) },
    });
    const saving = new Promise((resolve, reject) => {
      request.on("response", (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode, etag: response.headers.etag, body }));
      });
      request.on("error", reject);
    });
    const half = Math.floor(big.length / 2);
    request.write(big.slice(0, half));
    await waitFor(() => readdirSync(root).some((f) => f.endsWith(".tmp")), { intervalMs: 5, what: "the server to stream the body into a temp file" });
    const stopping = server.stop();
    await new Promise((r) => setTimeout(r, 200));
    request.end(big.slice(half));
    const result = await stopping;
    assert.deepEqual(result, { code: 0, signal: null, forced: false });
    assert.ok(!isAlive(pid));
    const outcome = await saving;
    t.diagnostic(`in-flight save answered ${outcome.status}`);
    // In flight when the stop began: the contract says it completes.
    assert.equal(outcome.status, 201, outcome.body);
    assert.equal(JSON.parse(readFileSync(join(root, "in-flight.json"), "utf8")).messages.length, 20_000);
    // never a torn file or a temp left behind
    assert.deepEqual(readdirSync(root).filter((f) => f.endsWith(".tmp")), []);
    // the lock file was released: a new instance opens the same root
    const again = await start({ storageRoot: root });
    try {
      assert.equal((await clientFor(again).getSession("in-flight")).etag, outcome.etag);
    } finally {
      await again.stop();
    }
  });

  test("a second instance on the same storage root fails fast with a clear reason", async () => {
    const root = tempDir();
    const first = await start({ storageRoot: root });
    try {
      const error = await start({ storageRoot: root }).then(
        () => assert.fail("second instance started"),
        (e) => e,
      );
      assert.equal(error.code, "root_in_use");
      assert.equal(error.exitCode, 3);
      assert.match(error.message, /in use/, "says why, from the server's last stderr line");
    } finally {
      await first.stop();
    }
  });
});

// Always visible in the report, whether the server tests ran or were skipped (a note, not a test).
console.log(`# SessionApi under test: ${serverCommand().executable} (${existsSync(serverCommand().executable) || serverCommand().executable === "dotnet" ? "present" : "missing"})`);
