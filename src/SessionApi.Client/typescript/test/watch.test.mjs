// watchSessions against the REAL SessionApi: every save and delete arrives as an event, a restart
// of the server makes the watcher reconnect and start over with a reset, Last-Event-ID resumes, a
// refused token stops it, and the token never travels in a URL.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createSessionApiClient, SessionApiError } from "@sessionapi/client";
import { startSessionApi } from "@sessionapi/client/launcher";
import { cleanupTempDirs, serverCommand, serverSkip, tempDir } from "./helpers.mjs";

const skip = serverSkip();

/** Watches in the background; `next(predicate)` waits for the next matching event. */
function watcher(client, options = {}) {
  const controller = new AbortController();
  const events = [];
  const statuses = [];
  let wake = () => {};
  const done = client.watchSessions({
    ...options,
    signal: controller.signal,
    retryDelayMs: 50,
    maxRetryDelayMs: 200,
    onEvent: (event) => {
      events.push(event);
      wake();
    },
    onStatus: (status) => statuses.push(status),
  });
  let read = 0;
  return {
    events,
    statuses,
    done,
    stop: () => controller.abort(),
    async next(predicate = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (read < events.length) {
          const event = events[read++];
          if (predicate(event)) return event;
        }
        if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        await Promise.race([new Promise((r) => (wake = r)), new Promise((r) => setTimeout(r, 100))]);
      }
    },
  };
}

describe("watchSessions + real SessionApi", skip, () => {
  let root;
  let server;
  let client;
  const token = "watch-test-token-0123456789";

  before(async () => {
    root = tempDir();
    server = await startSessionApi({ ...serverCommand(), storageRoot: root, token, readyTimeoutMs: 30_000 });
    client = createSessionApiClient({ baseUrl: server.url, token });
  });
  after(async () => {
    await server?.stop();
    cleanupTempDirs();
  });

  test("a new watch starts with a reset, then every save and delete arrives in order with its SessionInfo", async () => {
    const w = watcher(client);
    try {
      const reset = await w.next();
      assert.equal(reset.event, "reset");
      assert.equal(reset.data.reason, "new");
      const other = createSessionApiClient({ baseUrl: server.url, token }); // another window
      const saved = await other.saveSession("watched", { v: 1 });
      const event = await w.next((e) => e.event === "saved");
      assert.deepEqual(event.data, { id: saved.id, size: saved.size, updatedAt: saved.updatedAt, etag: saved.etag });
      await other.deleteSession("watched");
      const deleted = await w.next((e) => e.event === "deleted");
      assert.deepEqual(deleted.data, { id: "watched" });
      const sequence = (id) => Number(id.slice(id.lastIndexOf("-") + 1));
      assert.equal(sequence(deleted.id), sequence(event.id) + 1, "the next event of the run");
    } finally {
      w.stop();
      await w.done;
    }
  });

  test("lastEventId resumes after that event: the missed events come, no reset", async () => {
    const first = watcher(client);
    const seen = await first.next();
    first.stop();
    await first.done;
    await client.saveSession("missed-1", { n: 1 });
    await client.saveSession("missed-2", { n: 2 });
    const resumed = watcher(client, { lastEventId: seen.id });
    try {
      assert.deepEqual(
        [await resumed.next(), await resumed.next()].map((e) => [e.event, e.data.id]),
        [["saved", "missed-1"], ["saved", "missed-2"]],
      );
    } finally {
      resumed.stop();
      await resumed.done;
    }
  });

  test("the token goes in the Authorization header, never in the URL; a wrong token rejects the watch", async () => {
    const seen = [];
    const recording = createSessionApiClient({
      baseUrl: server.url,
      token,
      fetch: (request) => {
        seen.push({ url: request.url, authorization: request.headers.get("authorization"), accept: request.headers.get("accept") });
        return fetch(request);
      },
    });
    const w = watcher(recording);
    await w.next();
    w.stop();
    await w.done;
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, `${server.url}/events`);
    assert.equal(seen[0].authorization, `Bearer ${token}`);
    assert.equal(seen[0].accept, "text/event-stream");

    const wrong = createSessionApiClient({ baseUrl: server.url, token: "not-the-token" });
    await assert.rejects(wrong.watchSessions({ onEvent: () => {} }), (e) => e instanceof SessionApiError && e.status === 401 && e.code === "unauthorized");
  });

  test("a server restart makes the watcher reconnect and start over with a reset", async () => {
    const port = new URL(server.url).port;
    const w = watcher(client);
    try {
      await w.next((e) => e.event === "reset");
      await server.stop();
      // The next run on the same port and root (a new run: the old event ids mean nothing there).
      server = await startSessionApi({
        ...serverCommand(),
        args: [...serverCommand().args, `--urls=http://127.0.0.1:${port}`],
        storageRoot: root,
        token,
        readyTimeoutMs: 30_000,
      });
      const reset = await w.next((e) => e.event === "reset");
      assert.equal(reset.data.reason, "unknown");
      assert.ok(w.statuses.some((s) => s.state === "reconnecting"), "it reported the reconnect");
      await client.saveSession("after-restart", { ok: true });
      assert.equal((await w.next((e) => e.event === "saved")).data.id, "after-restart");
    } finally {
      w.stop();
      await w.done;
    }
  });
});

test("a 2xx answer without a body is retried like a stream that ended; a 4xx then stops the watcher", async () => {
  const answers = [
    () => new Response(null, { status: 200 }),
    () =>
      new Response(JSON.stringify({ status: 401, title: "Unauthorized", code: "unauthorized" }), {
        status: 401,
        headers: { "Content-Type": "application/problem+json" },
      }),
  ];
  let calls = 0;
  const statuses = [];
  const client = createSessionApiClient({
    baseUrl: "http://127.0.0.1:9",
    token: "t",
    fetch: async () => answers[Math.min(calls++, answers.length - 1)](),
  });
  await assert.rejects(
    client.watchSessions({ onEvent: () => {}, onStatus: (s) => statuses.push(s), retryDelayMs: 1 }),
    (e) => e instanceof SessionApiError && e.status === 401 && e.code === "unauthorized",
  );
  assert.equal(calls, 2);
  assert.deepEqual(statuses.map((s) => s.state), ["reconnecting"]);
});
