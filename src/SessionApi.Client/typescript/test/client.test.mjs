// The typed client against the REAL SessionApi, started by the launcher: ETag preconditions,
// ProblemDetails -> SessionApiError, and the server's edge checks (token, Host, Origin).
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { createSessionApiClient, SessionApiError } from "@sessionapi/client";
import { startSessionApi } from "@sessionapi/client/launcher";
import { cleanupTempDirs, serverCommand, serverSkip, tempDir } from "./helpers.mjs";

const skip = serverSkip();
const ALLOWED = "http://127.0.0.1:45678";

/** Raw HTTP, for what fetch will not send (a foreign Host) and to look at exact answers. */
function raw(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text, json: safeJson(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
const safeJson = (t) => {
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
};
const rejectsWith = (promise, status, code) =>
  assert.rejects(promise, (e) => {
    assert.ok(e instanceof SessionApiError, `expected SessionApiError, got ${e}`);
    assert.equal(e.status, status, `status (${e.message})`);
    assert.equal(e.code, code, `code (${e.message})`);
    assert.equal(typeof e.title, "string");
    return true;
  });

describe("client + real SessionApi", skip, () => {
  let server;
  let client;
  let root;
  before(async () => {
    root = tempDir();
    server = await startSessionApi({
      ...serverCommand(),
      args: [...serverCommand().args, "--Storage:MaxSessionBytes=65536"],
      storageRoot: root,
      allowedOrigins: [ALLOWED],
      readyTimeoutMs: 30_000,
    });
    client = createSessionApiClient({ baseUrl: server.url, token: server.token });
  });
  after(async () => {
    await server?.stop();
    cleanupTempDirs();
  });

  test("create-only (If-None-Match: *), then 412 when it exists", async () => {
    const created = await client.saveSession("create-only", { a: 1 }, { ifNoneMatch: "*" });
    assert.equal(created.created, true);
    assert.equal(created.id, "create-only");
    assert.ok(created.size > 0);
    await rejectsWith(client.saveSession("create-only", { a: 2 }, { ifNoneMatch: "*" }), 412, "precondition_failed");
    assert.deepEqual((await client.getSession("create-only")).document, { a: 1 });
  });

  test("update with If-Match; a stale ETag gets 412 and changes nothing", async () => {
    const v1 = await client.saveSession("optimistic", { v: 1 });
    const v2 = await client.saveSession("optimistic", { v: 2 }, { ifMatch: v1.etag });
    assert.equal(v2.created, false);
    assert.notEqual(v2.etag, v1.etag);
    await rejectsWith(client.saveSession("optimistic", { v: 3 }, { ifMatch: v1.etag }), 412, "precondition_failed");
    const now = await client.getSession("optimistic");
    assert.deepEqual(now.document, { v: 2 });
    assert.equal(now.etag, v2.etag);
  });

  test("If-None-Match on GET: 304 -> undefined, changed -> the new document", async () => {
    const v1 = await client.saveSession("revalidate", { v: 1 });
    assert.equal(await client.getSession("revalidate", { ifNoneMatch: v1.etag }), undefined);
    const v2 = await client.saveSession("revalidate", { v: 2 });
    const changed = await client.getSession("revalidate", { ifNoneMatch: v1.etag });
    assert.deepEqual(changed?.document, { v: 2 });
    assert.equal(changed?.etag, v2.etag);
  });

  test("the document comes back byte for byte (key order, unicode, numbers)", async () => {
    const text = '{"z":1,"a":[1.50,2e3],"s":"\\u00e9 ✓ 😀","nested":{"b":null,"a":true}}';
    const put = await fetch(`${server.url}/sessions/bytes`, { method: "PUT", headers: { Authorization: `Bearer ${server.token}`, "Content-Type": "application/json" }, body: text });
    assert.equal(put.status, 201);
    const got = await client.raw.GET("/sessions/{id}", { params: { path: { id: "bytes" } }, parseAs: "text" });
    assert.equal(got.data, text);
  });

  test("list: newest first, with etags", async () => {
    await client.saveSession("older", { t: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const newer = await client.saveSession("newer", { t: 2 });
    const items = await client.listSessions();
    const ids = items.map((s) => s.id);
    assert.ok(ids.indexOf("newer") < ids.indexOf("older"), ids.join(","));
    assert.equal(items.find((s) => s.id === "newer").etag, newer.etag);
    for (let i = 1; i < items.length; i++) assert.ok(Date.parse(items[i - 1].updatedAt) >= Date.parse(items[i].updatedAt));
  });

  test("delete: stale If-Match 412, then 204, then 404", async () => {
    const v1 = await client.saveSession("doomed", { v: 1 });
    const v2 = await client.saveSession("doomed", { v: 2 });
    await rejectsWith(client.deleteSession("doomed", { ifMatch: v1.etag }), 412, "precondition_failed");
    await client.deleteSession("doomed", { ifMatch: v2.etag });
    await rejectsWith(client.deleteSession("doomed"), 404, "not_found");
    await rejectsWith(client.getSession("doomed"), 404, "not_found");
  });

  test("bad ids are refused the same way on every OS", async () => {
    for (const id of ["Upper", "con", "com1", "-dash-first", "a".repeat(129), "dot.json"]) {
      await rejectsWith(client.saveSession(id, { x: 1 }), 400, "invalid_id");
    }
    await rejectsWith(client.getSession("lpt9"), 400, "invalid_id");
  });

  test("bodies: invalid JSON, not an object, wrong media type, too large", async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    const bad = await raw(`${server.url}/sessions/body`, { method: "PUT", headers: { ...auth, "Content-Type": "application/json" }, body: '{"a":' });
    assert.equal(bad.status, 400);
    assert.match(bad.headers["content-type"], /application\/problem\+json/);
    assert.equal(bad.json.code, "invalid_json");
    const array = await raw(`${server.url}/sessions/body`, { method: "PUT", headers: { ...auth, "Content-Type": "application/json" }, body: "[1,2]" });
    assert.equal(array.status, 400);
    assert.equal(array.json.code, "not_an_object");
    const text = await raw(`${server.url}/sessions/body`, { method: "PUT", headers: { ...auth, "Content-Type": "text/plain" }, body: "{}" });
    assert.equal(text.status, 415);
    assert.equal(text.json.code, "unsupported_media_type");
    await rejectsWith(client.saveSession("body", { big: "x".repeat(70_000) }), 413, "too_large");
    await rejectsWith(client.getSession("body"), 404, "not_found");
    await assert.rejects(client.saveSession("body", /** @type {any} */ ([1])), TypeError);
  });

  test("diagnostics", async () => {
    const d = await client.getDiagnostics();
    assert.equal(typeof d.version, "string");
    assert.equal(d.writeMode, "atomic-rename");
    assert.equal(d.tempCreateMode, "exclusive");
    assert.equal(d.redirected, false);
    assert.equal(d.physicalRoot, d.root);
    assert.equal(typeof d.counters, "object");
  });

  test("edge: no token 401, foreign Host 400, foreign Origin 403, allowed Origin passes", async () => {
    const noToken = await raw(`${server.url}/sessions`);
    assert.equal(noToken.status, 401);
    assert.equal(noToken.json?.code, "unauthorized");
    const auth = { Authorization: `Bearer ${server.token}` };
    const host = await raw(`${server.url}/sessions`, { headers: { ...auth, Host: "attacker.example" } });
    assert.equal(host.status, 400);
    const origin = await raw(`${server.url}/sessions`, { headers: { ...auth, Origin: "http://127.0.0.1:1" } });
    assert.equal(origin.status, 403);
    assert.equal(origin.json?.code, "origin_not_allowed");
    const nullOrigin = await raw(`${server.url}/sessions`, { headers: { ...auth, Origin: "null" } });
    assert.equal(nullOrigin.status, 403);
    const allowed = await raw(`${server.url}/sessions`, { headers: { ...auth, Origin: ALLOWED } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers["access-control-allow-origin"], ALLOWED);
    assert.match(String(allowed.headers["access-control-expose-headers"]), /etag/i);
  });
});

describe("client without a server", () => {
  test("network failure is a SessionApiError with code network_error", async () => {
    const dead = createSessionApiClient({ baseUrl: "http://127.0.0.1:9", token: "x" });
    await rejectsWith(dead.listSessions(), 0, "network_error");
  });

  test("the bearer token is sent on every request, ProblemDetails become SessionApiError", async () => {
    const seen = [];
    const fakeFetch = async (req) => {
      seen.push({ url: req.url, auth: req.headers.get("authorization"), ifMatch: req.headers.get("if-match") });
      return new Response(JSON.stringify({ type: "https://tools.ietf.org/html/rfc9110#section-15.5.13", title: "Precondition Failed", status: 412, detail: "stale", code: "precondition_failed" }), {
        status: 412,
        headers: { "Content-Type": "application/problem+json" },
      });
    };
    const c = createSessionApiClient({ baseUrl: "http://127.0.0.1:1234/", token: "t0k", fetch: fakeFetch });
    const error = await c.saveSession("x", { a: 1 }, { ifMatch: '"e1"' }).catch((e) => e);
    assert.ok(error instanceof SessionApiError);
    assert.deepEqual([error.status, error.code, error.title, error.detail], [412, "precondition_failed", "Precondition Failed", "stale"]);
    assert.deepEqual(seen, [{ url: "http://127.0.0.1:1234/sessions/x", auth: "Bearer t0k", ifMatch: '"e1"' }]);
  });
});
