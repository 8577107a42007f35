// The Windows processes of the suite under Wine: the server (started as Electron starts it) with
// its HTTP helpers, FileHolder (a second process holding a file open) and cmd.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXE, HOLDER, TOKEN, WINE, WORK, live, winpath } from './lane.mjs';

// ---------------------------------------------------------------------------------------------
// The server process

export class Server {
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
export async function holdFile(file, seconds, share = 'None') {
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

export async function wineCmd(...args) {
  const child = spawn(WINE, ['cmd', '/c', ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  return { code, out: out.replace(/\r/g, '').trim() };
}
