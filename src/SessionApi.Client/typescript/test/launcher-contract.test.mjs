// The launcher's own behaviour (ready-line parsing, timeouts, backoff, crash budget, stop), with a
// stand-in child process (fixtures/standin.mjs) so every path runs even where SessionApi is not
// built. The same lifecycle against the REAL SessionApi is in launcher.test.mjs.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { join } from "node:path";
import { startSessionApi, SessionApiLaunchError, SessionApiProcess } from "@sessionapi/client/launcher";
import { cleanupTempDirs, isAlive, nextEvent, packageDir, procArgv, procEnv, tempDir, waitFor } from "./helpers.mjs";

const standin = join(packageDir, "test", "fixtures", "standin.mjs");
const base = (mode, extra = {}) => ({
  executable: process.execPath,
  args: [standin],
  env: { STANDIN_MODE: mode },
  readyTimeoutMs: 5_000,
  ...extra,
});

after(cleanupTempDirs);

describe("launcher contract (stand-in child)", () => {
  test("ready line: url, token in the environment only, arguments, output forwarding", async () => {
    const output = [];
    const root = tempDir();
    const server = await startSessionApi(base("ready", { storageRoot: root, allowedOrigins: ["http://127.0.0.1:5555", "app://renderer"], onOutput: (line, stream) => output.push(`${stream}:${line}`) }));
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(server.version, "0.0.0-standin");
      assert.equal(server.state, "running");
      assert.ok(server.token.length >= 43, "32 random bytes, base64url");
      assert.deepEqual(server.connection, { url: server.url, token: server.token });
      assert.equal((await fetch(server.url)).status, 200);

      const argv = procArgv(server.pid);
      assert.ok(!argv.some((a) => a.includes(server.token)), "the token is not on the command line");
      assert.equal(procEnv(server.pid).SESSIONAPI_TOKEN, server.token, "the token is in the environment");
      const i = argv.indexOf("--parent-pid");
      assert.equal(argv[i + 1], String(process.pid));
      assert.ok(argv.includes(`--Storage:Root=${root}`));
      assert.ok(argv.includes("--Security:AllowedOrigins:0=http://127.0.0.1:5555"));
      assert.ok(argv.includes("--Security:AllowedOrigins:1=app://renderer"));
      assert.ok(argv.includes("--urls=http://127.0.0.1:0"));

      await waitFor(() => output.includes("stdout:info: a log line after the ready line"), { what: "log after ready" });
      assert.ok(output.includes("stdout:info: a log line before the ready line"));
      assert.ok(!output.some((l) => l.includes('"event":"ready"')), "the ready line is consumed, not forwarded");
    } finally {
      await server.stop();
    }
  });

  test("two starts get different tokens", async () => {
    const a = new SessionApiProcess(base("ready"));
    const b = new SessionApiProcess(base("ready"));
    assert.notEqual(a.token, b.token);
  });

  test("no ready line within the timeout: clear error with the stderr tail, child killed", async () => {
    let pid;
    const server = new SessionApiProcess(base("silent", { readyTimeoutMs: 600 }));
    const started = Date.now();
    const error = await server.start().then(
      () => assert.fail("should not start"),
      (e) => e,
    );
    pid = server.pid;
    assert.ok(error instanceof SessionApiLaunchError);
    assert.equal(error.code, "ready_timeout");
    assert.match(error.message, /did not print its ready line within 600 ms/);
    assert.match(error.message, /will never be ready/);
    assert.ok(Date.now() - started < 3_000);
    assert.equal(server.state, "failed");
    await waitFor(() => !isAlive(pid), { what: "timed-out child gone" });
  });

  for (const [exitCode, code, message] of [
    [1, "exited_before_ready", /exited with code 1 before it was ready/],
    [2, "configuration_error", /refused its configuration \(exit code 2\): standin: cannot start \(exit 2\): the reason is on this last line/],
    [3, "root_in_use", /storage root is in use by another SessionApi \(exit code 3\): standin: cannot start \(exit 3\)/],
  ]) {
    test(`exit ${exitCode} before ready: ${code}, with the reason from stderr`, async () => {
      const error = await startSessionApi(base("fail", { env: { STANDIN_MODE: "fail", STANDIN_EXIT_CODE: String(exitCode) } })).then(
        () => assert.fail("should not start"),
        (e) => e,
      );
      assert.equal(error.code, code);
      assert.equal(error.exitCode, exitCode);
      assert.match(error.stderrTail, /the reason is on this last line/);
      assert.match(error.message, message);
    });
  }

  for (const [exitCode, code] of [
    [2, "configuration_error"],
    [3, "root_in_use"],
  ]) {
    test(`a restart that exits ${exitCode} is not retried: one ${code} error, the crash budget untouched`, async () => {
      const marker = join(tempDir(), "started");
      const server = await startSessionApi(
        base("refuse-on-restart", {
          env: { STANDIN_MODE: "refuse-on-restart", STANDIN_MARKER: marker, STANDIN_EXIT_CODE: String(exitCode) },
          backoff: { initialMs: 50 },
          crashBudget: { maxCrashes: 5, windowMs: 60_000 },
        }),
      );
      const restarts = [];
      server.on("restart", (r) => restarts.push(r));
      const failed = nextEvent(server, "error");
      process.kill(server.pid, "SIGKILL");
      const error = await failed;
      assert.equal(error.code, code);
      assert.equal(error.exitCode, exitCode);
      assert.equal(server.state, "failed");
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(restarts.length, 1, "only the crash was restarted, not the refusal");
      await server.stop();
    });
  }

  test("missing executable: spawn_failed", async () => {
    const error = await startSessionApi({ executable: join(packageDir, "no-such-SessionApi") }).then(
      () => assert.fail("should not start"),
      (e) => e,
    );
    assert.equal(error.code, "spawn_failed");
    assert.match(error.message, /ENOENT/);
  });

  test("a ready line with a non-loopback url is refused (the token would leave the machine)", async () => {
    const error = await startSessionApi(base("bad-url")).then(
      () => assert.fail("should not start"),
      (e) => e,
    );
    assert.equal(error.code, "bad_ready_line");
  });

  test("crash: exit event, restart with backoff, ready again on a new process with the same token", async () => {
    const server = await startSessionApi(base("ready", { backoff: { initialMs: 100, maxMs: 1_000 } }));
    try {
      const firstPid = server.pid;
      const token = server.token;
      const exit = nextEvent(server, "exit");
      const restart = nextEvent(server, "restart");
      const ready = nextEvent(server, "ready");
      process.kill(firstPid, "SIGKILL");
      assert.deepEqual(await exit, { pid: firstPid, code: null, signal: "SIGKILL", expected: false });
      const r = await restart;
      assert.equal(r.crashes, 1);
      assert.equal(r.delayMs, 100);
      const again = await ready;
      assert.notEqual(again.pid, firstPid);
      assert.equal(again.token, token);
      assert.equal(again.restarts, 1);
      assert.equal(server.url, again.url);
      assert.equal(server.state, "running");

      // second crash in the window: the delay doubles
      const restart2 = nextEvent(server, "restart");
      const ready2 = nextEvent(server, "ready");
      process.kill(server.pid, "SIGKILL");
      assert.equal((await restart2).delayMs, 200);
      await ready2;
    } finally {
      await server.stop();
    }
  });

  test("crash budget exhausted: error event, no more restarts", async () => {
    const server = await startSessionApi(base("ready", { backoff: { initialMs: 50 }, crashBudget: { maxCrashes: 2, windowMs: 60_000 } }));
    const errors = [];
    server.on("error", (e) => errors.push(e));
    const restarts = [];
    server.on("restart", (r) => restarts.push(r));
    for (let i = 0; i < 2; i++) {
      const ready = nextEvent(server, "ready");
      process.kill(server.pid, "SIGKILL");
      await ready;
    }
    const failed = nextEvent(server, "error");
    const lastPid = server.pid;
    process.kill(lastPid, "SIGKILL");
    const error = await failed;
    assert.equal(error.code, "crash_budget_exhausted");
    assert.match(error.message, /crashed 3 times within 60000 ms \(budget 2\); not restarting/);
    assert.equal(server.state, "failed");
    assert.equal(server.connection, undefined);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(restarts.length, 2);
    assert.equal(errors.length, 1);
    assert.equal(server.pid, lastPid, "nothing new was spawned");
    await server.stop();
  });

  test("graceful stop: stdin closed + SIGTERM, exit 0 within the grace period", async () => {
    const output = [];
    const server = await startSessionApi(base("ready", { onOutput: (l) => output.push(l) }));
    const pid = server.pid;
    const exits = [];
    server.on("exit", (e) => exits.push(e));
    const result = await server.stop();
    assert.deepEqual(result, { code: 0, signal: null, forced: false });
    assert.equal(server.state, "stopped");
    assert.ok(!isAlive(pid));
    assert.equal(exits.length, 1);
    assert.equal(exits[0].expected, true);
    assert.ok(output.some((l) => /standin: stopping/.test(l)));
  });

  test("stop escalates to SIGKILL after the grace period", async () => {
    const server = await startSessionApi(base("stubborn", { stopGraceMs: 400 }));
    const started = Date.now();
    const result = await server.stop();
    assert.equal(result.forced, true);
    assert.equal(result.signal, "SIGKILL");
    assert.ok(Date.now() - started >= 400);
  });

  test("stop during a pending restart cancels it", async () => {
    const server = await startSessionApi(base("ready", { backoff: { initialMs: 2_000 } }));
    const restart = nextEvent(server, "restart");
    let readyAgain = false;
    server.on("ready", () => { readyAgain = true; });
    process.kill(server.pid, "SIGKILL");
    await restart;
    await server.stop();
    await new Promise((r) => setTimeout(r, 2_300));
    assert.equal(server.state, "stopped");
    assert.equal(readyAgain, false, "the pending restart launched the server again");
  });
});
