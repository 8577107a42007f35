// Shared helpers of the benchmark: statistics, the SessionApi process (started exactly as the
// Electron main process starts it), a keep-alive HTTP client, /proc readings.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import http from 'node:http';
import { createInterface } from 'node:readline';

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Nearest-rank percentile of a list of numbers (p in 0..100). */
export function pct(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (values) => pct(values, 50);

/** Resident memory of a process in MiB: current (VmRSS) and peak (VmHWM). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

/** A deterministic JSON chat session of exactly `bytes` bytes (at least ~200). */
export function sessionDocument(bytes, seed = 1) {
  const head = `{"id":"bench","title":"Benchmark session ${seed}","messages":[`;
  const padOpen = '],"pad":"';
  const tail = '"}';
  const parts = [];
  let length = head.length + padOpen.length + tail.length;
  for (let i = 0; ; i++) {
    const text = `Message ${i} of session ${seed}: the quick brown fox jumps over the lazy dog, ${'lorem ipsum dolor sit amet '.repeat(3)}`;
    const message = `${i ? ',' : ''}{"role":"${i % 2 ? 'assistant' : 'user'}","at":${1700000000000 + i},"content":"${text}"}`;
    if (length + message.length > bytes) break;
    parts.push(message);
    length += message.length;
  }
  const doc = Buffer.from(head + parts.join('') + padOpen + 'p'.repeat(Math.max(0, bytes - length)) + tail, 'utf8');
  JSON.parse(doc); // never benchmark an invalid document
  return doc;
}

/** Streams a JSON session of exactly `bytes` bytes in 64 KiB chunks, never holding it whole. */
export async function* largeDocument(bytes) {
  const message = Buffer.from('{"role":"user","content":"' + 'x'.repeat(1000) + '"},');
  const head = Buffer.from('{"messages":[');
  const last = Buffer.from('{"role":"assistant","content":"end"}],"pad":"');
  const tail = Buffer.from('"}');
  let remaining = bytes - head.length - last.length - tail.length;
  yield head;
  const chunk = Buffer.concat(Array(64).fill(message));
  while (remaining >= chunk.length) { yield chunk; remaining -= chunk.length; }
  while (remaining >= message.length) { yield message; remaining -= message.length; }
  yield last;
  yield Buffer.alloc(remaining, 'p');
  yield tail;
}

/**
 * Starts the published server per the process contract: token in the environment, the storage
 * root and a free loopback port on the command line, the JSON ready line on stdout.
 * Resolves once /health answers 200, with the times from spawn to the ready line and to 200.
 */
export async function startServer(exe, { root, token, args = [], env = {}, timeoutMs = 30000 }) {
  const t0 = nowMs();
  const child = spawn(exe, [`--Storage:Root=${root}`, '--urls', 'http://127.0.0.1:0', ...args], {
    // Started from its own folder, as an Electron main process does with cwd: path.dirname(exe)
    // (the host reads appsettings.json from the working directory; see bench/RESULTS.md).
    cwd: dirname(exe),
    // BENCH_SERVER_ENV='{"DOTNET_x":"1"}' adds variables to every server started (A/B experiments).
    env: { ...process.env, SESSIONAPI_TOKEN: token, ...JSON.parse(process.env.BENCH_SERVER_ENV || '{}'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => { clearTimeout(timer); resolve({ line, at: nowMs() }); });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited ${code} before ready; stderr: ${stderr}`)); });
  });
  const info = JSON.parse(ready.line);
  if (info.event !== 'ready') throw new Error(`unexpected first line ${ready.line}`);
  const url = new URL(info.url);
  const client = new Client(url, token);
  // A fresh connection, as the app's first request would be.
  const health = await client.request('GET', '/health', { fresh: true });
  if (health.status !== 200) throw new Error(`/health answered ${health.status}`);
  const healthAt = nowMs();
  return {
    child, pid: info.pid, url, client, exited,
    readyMs: ready.at - t0,
    healthMs: healthAt - t0,
    stderr: () => stderr,
    async stop() {
      client.close();
      child.kill('SIGTERM');
      const { code } = await exited;
      if (code !== 0 && code !== null) throw new Error(`server exited ${code}: ${stderr}`);
    },
  };
}

/** A keep-alive HTTP/1.1 client, as the renderer's fetch to a loopback server would be. */
export class Client {
  constructor(url, token, maxSockets = 16) {
    this.url = url;
    this.token = token;
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /**
   * One request. `body`: a Buffer, or an async iterable of Buffers with `length` given (streamed).
   * `sink`: consume the response body without keeping it (large downloads).
   */
  request(method, path, { body, length, headers = {}, fresh = false, sink = false } = {}) {
    return new Promise((resolve, reject) => {
      const h = { Authorization: `Bearer ${this.token}`, ...headers };
      if (body !== undefined) {
        h['Content-Type'] = 'application/json';
        h['Content-Length'] = length ?? body.length;
      }
      const req = http.request({
        host: this.url.hostname, port: this.url.port, method, path, headers: h,
        agent: fresh ? false : this.agent,
      }, (res) => {
        const chunks = [];
        let size = 0;
        res.on('data', (c) => { size += c.length; if (!sink) chunks.push(c); });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, size, body: sink ? null : Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body === undefined) {
        req.end();
      } else if (Buffer.isBuffer(body)) {
        req.end(body);
      } else {
        (async () => {
          for await (const chunk of body) {
            if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
          }
          req.end();
        })().catch(reject);
      }
    });
  }

  close() { this.agent.destroy(); }
}
