// End-to-end suite for the win-x64 SessionApi.exe under Wine (issue 6). Started by run-lane.sh,
// which sets up Wine, the fault shim and the published binary; run it through that script.
//
// Every server is started the way the Electron main process starts it: the token in the
// environment (SESSIONAPI_TOKEN), port 0, stdin a pipe, and the ready line read from stdout.
// Phases:
//   plain    the HTTP/process contract and startup recovery on an ordinary root
//   exdev    the same with every rename into the root refused by the OS (ERROR_NOT_SAME_DEVICE via
//            the fault shim in the wineserver: the MSIX case)
//   sharing  another Windows process holds the document (FileShare.None): retried, or 503 with the
//            previous version intact once the retry budget is spent; on both kinds of root
//   windows  other Windows-only behaviour: the read-only attribute, paths near MAX_PATH, device
//            names, the single-instance lock
//   msix     every reported MSIX symptom alone and combined with EXDEV (msix.mjs)
//
// Env (from run-lane.sh): WINE, SESSIONAPI_EXE, FILEHOLDER_EXE, LANE_WORK (plain roots),
// FAULTSHIM_EXDEV_DIR (roots under it refuse renames); the wine environment (WINEPREFIX,
// LD_PRELOAD, ...) is passed through to every process.
// Output: "ok - ..." / "not ok - ..." per check, then one line "N passed, N failed".
// Exit code: 0 only when every check passed.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { msixSuite } from './msix.mjs';

const WINE = need('WINE');
const EXE = need('SESSIONAPI_EXE');
const HOLDER = need('FILEHOLDER_EXE');
const WORK = need('LANE_WORK');
const EXDEV = need('FAULTSHIM_EXDEV_DIR');
const TOKEN = randomBytes(24).toString('hex');
const ONLY = (process.env.PHASES ?? 'plain exdev sharing windows msix').split(/\s+/).filter(Boolean);

let passed = 0;
let failed = 0;
const live = new Set();

function need(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`e2e: ${name} is not set (run tests/wine/run-lane.sh)`);
    process.exit(2);
  }
  return value;
}

/** Linux path -> what the Windows program sees (Wine maps Z: to /). */
const winpath = (p) => 'Z:' + path.resolve(p).replaceAll('/', '\\');

function check(name, condition, detail = '') {
  if (condition) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ''}`);
  }
  return condition;
}

function note(text) {
  console.log(`# ${text}`);
}

/** Runs one named group; an exception fails it without stopping the others. */
async function group(name, body) {
  note(`--- ${name}`);
  const t = Date.now();
  try {
    await body();
  } catch (e) {
    check(`${name}: completes without an unexpected error`, false, e?.stack ?? String(e));
  }
  note(`(${name}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

// ---------------------------------------------------------------------------------------------
// The server process

class Server {
  static async start(root, extraArgs = [], { expectReady = true } = {}) {
    const s = new Server(root, extraArgs);
    if (expectReady) {
      await s.ready;
    }
    return s;
  }

  constructor(root, extraArgs) {
    this.root = root;
    this.stdout = '';
    this.stderr = '';
    const t = Date.now();
    this.child = spawn(WINE, [EXE, `--Storage:Root=${winpath(root)}`, ...extraArgs], {
      env: { ...process.env, SESSIONAPI_TOKEN: TOKEN },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        live.delete(this.child);
        resolve({ code, signal });
      });
    });
    Server.count = (Server.count ?? 0) + 1;
    this.log = path.join(WORK, 'logs', `server-${Server.count}.stderr.log`);
    fs.mkdirSync(path.dirname(this.log), { recursive: true });
    fs.writeFileSync(this.log, `${WINE} ${EXE} --Storage:Root=${winpath(root)} ${extraArgs.join(' ')}\n`);
    this.child.stderr.on('data', (d) => { this.stderr += d; fs.appendFileSync(this.log, d); });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within 30 s; stderr:\n${this.stderr.slice(-3000)}`)), 30_000);
      this.child.stdout.on('data', (d) => {
        this.stdout += d;
        const nl = this.stdout.indexOf('\n');
        if (nl >= 0 && !this.readyLine) {
          clearTimeout(timer);
          this.readyLine = this.stdout.slice(0, nl);
          this.startSeconds = (Date.now() - t) / 1000;
          try {
            const line = JSON.parse(this.readyLine);
            this.url = line.url;
            this.readyJson = line;
            resolve(line);
          } catch (e) {
            reject(new Error(`first stdout line is not JSON: ${JSON.stringify(this.readyLine)}`));
          }
        }
      });
      this.exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before the ready line; stderr:\n${this.stderr.slice(-3000)}`));
      });
    });
    this.ready.catch(() => {});
  }

  /** Graceful stop: SIGINT is Ctrl+C for a Windows program (SIGTERM kills it at once under Wine). */
  async stop({ how = 'sigint' } = {}) {
    if (how === 'stdin') {
      this.child.stdin.end();
    } else {
      this.child.kill('SIGINT');
    }
    const result = await Promise.race([this.exited, sleep(20_000).then(() => null)]);
    if (!result) {
      this.child.kill('SIGKILL');
      return { code: null, signal: 'timeout' };
    }
    return result;
  }

  async request(method, route, { body, headers = {}, auth = true } = {}) {
    const h = { ...headers };
    if (auth) h.authorization = `Bearer ${TOKEN}`;
    if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
    const t = Date.now();
    const res = await fetch(this.url + route, { method, headers: h, body, signal: AbortSignal.timeout(60_000) });
    const bytes = Buffer.from(await res.arrayBuffer());
    let json;
    try { json = JSON.parse(bytes.toString('utf8')); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, bytes, json, seconds: (Date.now() - t) / 1000 };
  }

  put(id, text, headers = {}) { return this.request('PUT', `/sessions/${id}`, { body: text, headers }); }
  get(id, headers = {}) { return this.request('GET', `/sessions/${id}`, { headers }); }
  del(id, headers = {}) { return this.request('DELETE', `/sessions/${id}`, { headers }); }
  async diagnostics() { return (await this.request('GET', '/diagnostics')).json; }
}

/** A second Windows process holding a file open (tests/wine/FileHolder). */
async function holdFile(file, seconds, share = 'None') {
  const child = spawn(WINE, [HOLDER], {
    env: {
      ...process.env,
      HOLD_FILE: winpath(file),
      HOLD_SECONDS: String(seconds),
      HOLD_SHARE: share,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => child.on('exit', (code) => { live.delete(child); resolve(code); }));
  child.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('holder did not report "held" within 20 s')), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('held\n')) { clearTimeout(timer); resolve(); }
    });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`holder exited ${code}: ${err}`)); });
  });
  return { exited, released: exited.then((code) => code === 0 && out.includes('released')) };
}

async function wineCmd(...args) {
  const child = spawn(WINE, ['cmd', '/c', ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  return { code, out: out.replace(/\r/g, '').trim() };
}

// ---------------------------------------------------------------------------------------------
// Helpers

const freshDir = (p) => { fs.rmSync(p, { recursive: true, force: true }); fs.mkdirSync(p, { recursive: true }); return p; };
const listRoot = (root) => fs.readdirSync(root).filter((n) => !n.startsWith('.')).sort();
const tmpLeft = (root) => fs.readdirSync(root).filter((n) => n.endsWith('.tmp'));
const disk = (root, id) => fs.readFileSync(path.join(root, `${id}.json`));

/** Documents with different shapes: unicode, formatting kept byte for byte, large, deep, long id. */
function sampleDocuments() {
  const big = { id: 'big', messages: [] };
  for (let i = 0; big.messages.length < 4000; i++) {
    big.messages.push({ role: i % 2 ? 'assistant' : 'user', text: `message ${i} ${randomBytes(96).toString('base64')}` });
  }
  return new Map([
    ['s-plain', '{"title":"hello","messages":[]}'],
    ['s-unicode', JSON.stringify({ title: 'Grüße, 你好, emoji 🙂, rtl שלום', n: 1.5e-7 })],
    ['s-pretty', '{\r\n  "keep": "these bytes",\n\t"exactly" : [ 1, 2 , 3 ]\n}\n'],
    ['s-big', JSON.stringify(big)],
    ['s-deep', '{"a":'.repeat(40) + '1' + '}'.repeat(40)],
    ['x'.repeat(128), '{"longest":"id"}'],
    [`local_${randomUUID()}`, '{"from":"the electron app"}'],
  ]);
}

async function expectAllServed(server, root, docs, label) {
  const list = (await server.request('GET', '/sessions')).json;
  check(`${label}: GET /sessions lists all ${docs.size} sessions`, list?.items?.length === docs.size, `got ${list?.items?.length}`);
  let same = 0;
  let sameOnDisk = 0;
  for (const [id, text] of docs) {
    const r = await server.get(id);
    if (r.status === 200 && r.bytes.equals(Buffer.from(text))) same++;
    if (fs.existsSync(path.join(root, `${id}.json`)) && disk(root, id).equals(Buffer.from(text))) sameOnDisk++;
  }
  check(`${label}: every session served byte for byte`, same === docs.size, `${same}/${docs.size}`);
  check(`${label}: every <id>.json on disk holds exactly the saved bytes`, sameOnDisk === docs.size, `${sameOnDisk}/${docs.size}`);
}

// ---------------------------------------------------------------------------------------------
// The contract suite, run on a plain root and on a root that refuses rename

async function contractSuite(label, root, virtualized) {
  freshDir(root);
  const expectedMode = virtualized ? 'verified-copy' : 'atomic-rename';
  const docs = sampleDocuments();
  const etags = new Map();

  let server = await Server.start(root);
  await group(`${label}: process contract`, async () => {
    note(`ready after ${server.startSeconds.toFixed(2)} s: ${server.readyLine}`);
    const line = server.readyJson;
    check(`${label}: the ready line is one clean JSON line on stdout`,
      line.event === 'ready' && /^http:\/\/127\.0\.0\.1:\d+$/.test(line.url) && Number.isInteger(line.pid) && typeof line.version === 'string' && !('token' in line),
      server.readyLine);
    check(`${label}: GET /health needs no token`, (await server.request('GET', '/health', { auth: false })).status === 200);
    check(`${label}: /sessions without the token is 401`, (await server.request('GET', '/sessions', { auth: false })).status === 401);
    // The shipped folder is trimmed: a document that lost a description or a schema would show here.
    const served = await server.request('GET', '/openapi/v1.json', { auth: false });
    const committed = JSON.parse(fs.readFileSync(new URL('../../src/SessionApi/openapi/SessionApi.json', import.meta.url), 'utf8'));
    check(`${label}: /openapi/v1.json is the committed OpenAPI document`,
      served.status === 200 && JSON.stringify(served.json) === JSON.stringify(committed), `${served.status}, ${served.bytes.length} bytes`);
    const d = await server.diagnostics();
    check(`${label}: diagnostics reports the root as the Windows path`, d.root === winpath(root), d.root);
  });

  await group(`${label}: save, replace, preconditions, delete`, async () => {
    const created = await server.put('s-cycle', '{"v":1}');
    const etag1 = created.headers.get('etag');
    check(`${label}: PUT a new session is 201 with an ETag`, created.status === 201 && !!etag1, `${created.status}`);
    const replaced = await server.put('s-cycle', '{"v":2}', { 'if-match': etag1 });
    const etag2 = replaced.headers.get('etag');
    check(`${label}: PUT with the current If-Match is 200 with a new ETag`, replaced.status === 200 && etag2 && etag2 !== etag1, `${replaced.status}`);
    const stale = await server.put('s-cycle', '{"v":3}', { 'if-match': etag1 });
    check(`${label}: PUT with a stale If-Match is 412 precondition_failed`, stale.status === 412 && stale.json?.code === 'precondition_failed', `${stale.status} ${stale.bytes}`);
    const none = await server.put('s-cycle', '{"v":4}', { 'if-none-match': '*' });
    check(`${label}: PUT If-None-Match: * on an existing session is 412`, none.status === 412, `${none.status}`);
    check(`${label}: after the refused saves the document is still v2`, (await server.get('s-cycle')).bytes.toString() === '{"v":2}' && disk(root, 's-cycle').toString() === '{"v":2}');
    const notModified = await server.get('s-cycle', { 'if-none-match': etag2 });
    check(`${label}: GET with If-None-Match of the current ETag is 304`, notModified.status === 304, `${notModified.status}`);
    const staleDelete = await server.del('s-cycle', { 'if-match': etag1 });
    check(`${label}: DELETE with a stale If-Match is 412`, staleDelete.status === 412, `${staleDelete.status}`);
    const deleted = await server.del('s-cycle', { 'if-match': etag2 });
    check(`${label}: DELETE with the current If-Match is 204`, deleted.status === 204, `${deleted.status}`);
    check(`${label}: the deleted session is 404 and gone from disk`, (await server.get('s-cycle')).status === 404 && !fs.existsSync(path.join(root, 's-cycle.json')));
    const badJson = await server.put('s-bad', '{"torn":');
    check(`${label}: a torn body is 400 invalid_json and creates nothing`, badJson.status === 400 && badJson.json?.code === 'invalid_json' && !fs.existsSync(path.join(root, 's-bad.json')), `${badJson.status}`);
  });

  await group(`${label}: many sessions, repeated replaces`, async () => {
    let ok = 0;
    for (const [id, text] of docs) {
      const r = await server.put(id, text);
      if (r.status === 201) { ok++; etags.set(id, r.headers.get('etag')); }
    }
    check(`${label}: ${docs.size} sessions of every shape saved (201)`, ok === docs.size, `${ok}/${docs.size}`);
    let replaced = 0;
    for (let i = 0; i < 5; i++) {
      const text = JSON.stringify({ round: i, pad: 'r'.repeat(1000 * (5 - i)) }); // shrinking: a copy must truncate
      const r = await server.put('s-replaced', text);
      if (r.status === (i === 0 ? 201 : 200)) replaced++;
      docs.set('s-replaced', text);
      etags.set('s-replaced', r.headers.get('etag'));
    }
    check(`${label}: 5 replaces of one session, each shorter than the last`, replaced === 5);
    await expectAllServed(server, root, docs, label);
    const d = await server.diagnostics();
    check(`${label}: diagnostics writeMode is ${expectedMode}`, d.writeMode === expectedMode, d.writeMode);
    if (virtualized) {
      check(`${label}: counters.crossDeviceFallbacks > 0`, d.counters.crossDeviceFallbacks > 0, JSON.stringify(d.counters));
    } else {
      check(`${label}: counters.crossDeviceFallbacks is 0`, d.counters.crossDeviceFallbacks === 0, JSON.stringify(d.counters));
    }
    check(`${label}: no save failed`, d.counters.saveFailures === 0, JSON.stringify(d.counters));
    check(`${label}: no *.tmp left in the root`, tmpLeft(root).length === 0, tmpLeft(root).join(' '));
    note(`${label} counters: ${JSON.stringify(d.counters)}`);
  });

  await group(`${label}: restart with the same root`, async () => {
    const first = await server.stop();
    check(`${label}: SIGINT (Ctrl+C) stops the server gracefully with exit code 0`, first.code === 0, JSON.stringify(first));
    check(`${label}: stdout held the ready line and nothing else`, server.stdout === server.readyLine + '\n', JSON.stringify(server.stdout.slice(0, 300)));
    server = await Server.start(root);
    await expectAllServed(server, root, docs, `${label} after restart`);
    const list = (await server.request('GET', '/sessions')).json.items;
    check(`${label}: ETags survive the restart`, list.every((i) => etags.get(i.id) === i.etag), JSON.stringify(list.map((i) => [i.id, i.etag, etags.get(i.id)])));
    const d = await server.diagnostics();
    check(`${label}: after restart writeMode is ${expectedMode} (startup rename probe)`, d.writeMode === expectedMode, d.writeMode);
    check(`${label}: nothing quarantined by a clean restart`, d.quarantined.length === 0, JSON.stringify(d.quarantined));
    // Electron's usual stop: the parent closes the stdin pipe (or dies and the OS closes it).
    const second = await server.stop({ how: 'stdin' });
    check(`${label}: closing stdin (a pipe: GetFileType under Wine) stops it with exit code 0`, second.code === 0, JSON.stringify(second));
  });

  await group(`${label}: recovery of stranded temp files`, async () => {
    // What the MSIX bug leaves: *.json.tmp files holding the only copies, no .json.
    const complete = new Map();
    const torn = [];
    for (let i = 0; i < 3; i++) {
      const id = `local_${randomUUID()}`;
      const text = JSON.stringify({ stranded: i, text: 'only copy ' + 'z'.repeat(200 * i) });
      complete.set(id, text);
      fs.writeFileSync(path.join(root, `${id}.json.tmp`), text);
    }
    for (let i = 0; i < 2; i++) {
      const id = `local_${randomUUID()}`;
      torn.push(id);
      const text = JSON.stringify({ torn: i, text: 'cut here'.repeat(50) });
      fs.writeFileSync(path.join(root, `${id}.json.tmp`), text.slice(0, Math.floor(text.length / 2)));
    }
    // And a document with a newer complete temp beside it (a save interrupted before its rename).
    const newer = '{"version":"newer, from the temp"}';
    fs.writeFileSync(path.join(root, 's-plain.json.tmp'), newer);
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 's-plain.json.tmp'), future, future);
    docs.set('s-plain', newer);

    server = await Server.start(root);
    for (const [id, text] of complete) docs.set(id, text);
    await expectAllServed(server, root, docs, `${label} recovery`);
    let tornServed = 0;
    for (const id of torn) if ((await server.get(id)).status !== 404) tornServed++;
    check(`${label}: torn temps are never served (404)`, tornServed === 0);
    const qdir = path.join(root, '.quarantine');
    const qfiles = fs.existsSync(qdir) ? fs.readdirSync(qdir) : [];
    check(`${label}: every torn temp is in .quarantine/`, torn.every((id) => qfiles.some((n) => n.startsWith(`${id}.json.tmp.`))), qfiles.join(' '));
    const d = await server.diagnostics();
    const listed = d.quarantined.map((q) => q.originalName);
    check(`${label}: diagnostics lists each quarantined file with a reason`, torn.every((id) => listed.includes(`${id}.json.tmp`)) && d.quarantined.every((q) => q.reason), JSON.stringify(d.quarantined));
    check(`${label}: counters.recoveredTemps is 4, quarantinedFiles 2`, d.counters.recoveredTemps === 4 && d.counters.quarantinedFiles === 2, JSON.stringify(d.counters));
    check(`${label}: no *.tmp left in the root after recovery`, tmpLeft(root).length === 0, tmpLeft(root).join(' '));
    if (virtualized) {
      check(`${label}: promotion went through the verified copy (crossDeviceFallbacks >= 4, writeMode verified-copy)`,
        d.counters.crossDeviceFallbacks >= 4 && d.writeMode === 'verified-copy', JSON.stringify({ mode: d.writeMode, ...d.counters }));
    } else {
      check(`${label}: promotion renamed (crossDeviceFallbacks 0)`, d.counters.crossDeviceFallbacks === 0, JSON.stringify(d.counters));
    }
    note(`${label} recovery counters: ${JSON.stringify(d.counters)}`);
    const stopped = await server.stop();
    check(`${label}: stops with exit code 0 after recovery`, stopped.code === 0, JSON.stringify(stopped));
    server = await Server.start(root);
    await expectAllServed(server, root, docs, `${label} restart after recovery`);
    check(`${label}: the second start quarantines nothing new`, (await server.diagnostics()).counters.quarantinedFiles === 0);
  });
  await server.stop();
}

// ---------------------------------------------------------------------------------------------
// Windows-only behaviour

async function sharingSuite(label, root, virtualized) {
  freshDir(root);
  // A 2 s retry budget: a 0.8 s hold must be waited out, a 5 s hold must fail the save.
  const server = await Server.start(root, ['--Storage:RetryBudget=00:00:02']);
  try {
    await group(`${label}: another process holds the document (FileShare.None)`, async () => {
      check(`${label}: PUT v1`, (await server.put('held', '{"v":1}')).status === 201);
      const target = path.join(root, 'held.json');
      const before = (await server.diagnostics()).counters;

      let hold = await holdFile(target, 0.8);
      const saved = await server.put('held', '{"v":2}');
      const shortOk = await hold.released;
      let after = (await server.diagnostics()).counters;
      check(`${label}: a PUT during a 0.8 s hold waits it out and succeeds (200)`, saved.status === 200 && shortOk, `${saved.status} ${saved.bytes} after ${saved.seconds}s`);
      check(`${label}: ...with retries counted (counters.retries > 0)`, after.retries > before.retries, JSON.stringify(after));
      check(`${label}: ...and the new version is on disk`, disk(root, 'held').toString() === '{"v":2}');
      note(`${label}: the PUT took ${saved.seconds.toFixed(2)} s, ${after.retries - before.retries} retries`);

      hold = await holdFile(target, 5);
      const refused = await server.put('held', '{"v":3}');
      const longOk = await hold.released;
      check(`${label}: a PUT during a 5 s hold fails after the 2 s budget: 503 storage_unavailable`,
        refused.status === 503 && refused.json?.code === 'storage_unavailable' && longOk, `${refused.status} ${refused.bytes} after ${refused.seconds}s`);
      check(`${label}: ...the previous version is intact (served and on disk)`,
        (await server.get('held')).bytes.toString() === '{"v":2}' && disk(root, 'held').toString() === '{"v":2}');
      check(`${label}: ...and no *.tmp is left behind`, tmpLeft(root).length === 0, tmpLeft(root).join(' '));
      check(`${label}: ...the next PUT succeeds`, (await server.put('held', '{"v":4}')).status === 200 && disk(root, 'held').toString() === '{"v":4}');

      const b = (await server.diagnostics()).counters.retries;
      hold = await holdFile(target, 0.8);
      const deleted = await server.del('held');
      await hold.released;
      after = (await server.diagnostics()).counters;
      check(`${label}: a DELETE during a 0.8 s hold is retried and succeeds (204)`, deleted.status === 204 && after.retries > b && !fs.existsSync(target), `${deleted.status} ${deleted.bytes}`);
      if (virtualized) {
        check(`${label}: writeMode is verified-copy`, (await server.diagnostics()).writeMode === 'verified-copy');
      }
    });
  } finally {
    await server.stop();
  }
}

async function windowsSuite() {
  const root = freshDir(path.join(WORK, 'win'));
  let server = await Server.start(root);
  try {
    await group('windows: device names', async () => {
      const before = fs.readdirSync(root).sort().join(' ');
      let refused = 0;
      const names = ['con', 'nul', 'prn', 'aux', 'com1', 'com9', 'lpt1', 'lpt9'];
      for (const id of names) {
        const put = await server.put(id, '{"x":1}');
        const get = await server.get(id);
        const del = await server.del(id);
        if ([put, get, del].every((r) => r.status === 400 && r.json?.code === 'invalid_id')) refused++;
      }
      check(`windows: PUT/GET/DELETE of ${names.join(', ')} are 400 invalid_id`, refused === names.length, `${refused}/${names.length}`);
      check('windows: ...and no file was created in the root', fs.readdirSync(root).sort().join(' ') === before, fs.readdirSync(root).join(' '));
    });

    await group('windows: single instance per root', async () => {
      const second = await Server.start(root, [], { expectReady: false });
      const result = await Promise.race([second.exited, sleep(30_000).then(() => null)]);
      if (!result) second.child.kill('SIGKILL');
      const lines = second.stderr.trim().split('\n').filter((l) => l.startsWith('SessionApi:'));
      check('windows: a second instance on the same root exits non-zero with one line on stderr (share-mode lock)',
        result && result.code !== 0 && lines.length === 1 && /in use/.test(lines[0]), `${JSON.stringify(result)} ${second.stderr.slice(-400)}`);
      check('windows: ...and printed no ready line', second.stdout === '', second.stdout);
    });

    await group('windows: read-only attribute on the document', async () => {
      check('windows: PUT ro v1', (await server.put('ro', '{"v":1}')).status === 201);
      const file = winpath(path.join(root, 'ro.json'));
      await wineCmd('attrib', '+r', file);
      const attr = await wineCmd('attrib', file);
      const flags = (out) => out.slice(0, out.indexOf('Z:'));
      check('windows: attrib +r set the read-only attribute', flags(attr.out).includes('R'), attr.out);
      const r = await server.put('ro', '{"v":2}');
      note(`windows: PUT over a read-only document: ${r.status} ${r.json?.code ?? ''} after ${r.seconds.toFixed(2)} s; now "${disk(root, 'ro')}"`);
      // The writer checks the attribute itself (Wine's MoveFileEx would replace a read-only file,
      // real Windows answers access denied): refused at once, with a detail that says why.
      check('windows: a save over a read-only document is refused at once: 503 storage_unavailable, v1 intact',
        r.status === 503 && r.json?.code === 'storage_unavailable' && r.seconds < 3 && disk(root, 'ro').toString() === '{"v":1}', `${r.status} ${r.seconds}`);
      check('windows: ...and the problem says the file is read-only', /read-only/.test(r.json?.detail ?? ''), r.json?.detail);
      const d = await server.del('ro');
      check('windows: a delete of the read-only document is refused too (503) and it stays', d.status === 503 && disk(root, 'ro').toString() === '{"v":1}', `${d.status}`);
      await wineCmd('attrib', '-r', file);
      check('windows: after attrib -r the save goes through (200)', (await server.put('ro', '{"v":3}')).status === 200 && disk(root, 'ro').toString() === '{"v":3}');
      check('windows: ...and no *.tmp is left', tmpLeft(root).length === 0, tmpLeft(root).join(' '));
    });
  } finally {
    await server.stop();
  }

  for (const [label, base, virtualized] of [['windows long path', WORK, false], ['windows long path, rename refused', EXDEV, true]]) {
    await group(`${label}: near MAX_PATH`, async () => {
      // Full Windows path of the document: 255 characters, so its temp file (+17) is past MAX_PATH.
      const id = 'p'.repeat(128);
      const fixed = winpath(path.join(base, 'long')).length + 1 + 1 + id.length + '.json'.length; // +1 for each backslash
      const fill = 255 - fixed;
      const longRoot = path.join(base, 'long', 'd'.repeat(fill));
      freshDir(longRoot);
      const target = winpath(path.join(longRoot, `${id}.json`));
      note(`${label}: document path ${target.length} chars, temp path ${target.length + 17} chars`);
      let s = await Server.start(longRoot);
      try {
        const put1 = await s.put(id, '{"long":1}');
        const put2 = await s.put(id, '{"long":2,"longer":true}');
        check(`${label}: saves (201, then 200) at ${target.length} chars`, put1.status === 201 && put2.status === 200, `${put1.status} ${put2.status} ${put2.bytes}`);
        check(`${label}: loads byte for byte`, (await s.get(id)).bytes.toString() === '{"long":2,"longer":true}');
        await s.stop();
        s = await Server.start(longRoot);
        check(`${label}: still there after a restart`, (await s.get(id)).bytes.toString() === '{"long":2,"longer":true}');
        const d = await s.diagnostics();
        check(`${label}: writeMode ${virtualized ? 'verified-copy' : 'atomic-rename'}, no *.tmp left`,
          d.writeMode === (virtualized ? 'verified-copy' : 'atomic-rename') && tmpLeft(longRoot).length === 0, `${d.writeMode} ${tmpLeft(longRoot)}`);
      } finally {
        await s.stop();
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------

const started = Date.now();
process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });
try {
  if (ONLY.includes('plain')) {
    await contractSuite('plain', path.join(WORK, 'plain'), false);
  }
  if (ONLY.includes('exdev')) {
    await contractSuite('rename refused', path.join(EXDEV, 'suite'), true);
  }
  if (ONLY.includes('sharing')) {
    await sharingSuite('sharing', path.join(WORK, 'share'), false);
    await sharingSuite('sharing, rename refused', path.join(EXDEV, 'share'), true);
  }
  if (ONLY.includes('windows')) {
    await windowsSuite();
  }
  if (ONLY.includes('msix')) {
    await msixSuite({ Server, group, check, note, freshDir, tmpLeft, disk, winpath, work: WORK, exdevDir: EXDEV });
  }
} catch (e) {
  check('the suite runs to the end', false, e?.stack ?? String(e));
}
note(`suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
