// Section "events": the event stream (GET /events): save-to-event latency, 50 idle watchers'
// memory, saves with 50 watchers connected.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createParser } from 'eventsource-parser';
import { DOC_10K, Q, dirFor, opt, row, token, log } from '../context.mjs';
import { median, memoryOf, nowMs, pct, startServer } from '../lib.mjs';

/** One watcher in this process: resolves `waitFor(id)` when the saved event of session `id` arrives. */
function openWatcher(server) {
  const waiting = new Map();
  let ready;
  const first = new Promise((r) => { ready = r; });
  const req = http.request({
    host: server.url.hostname, port: server.url.port, path: '/events', agent: false,
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
  }, (res) => {
    const parser = createParser({
      onEvent(e) {
        if (e.event === 'reset') ready();
        if (e.event !== 'saved') return;
        const at = nowMs();
        const id = JSON.parse(e.data).id;
        waiting.get(id)?.(at);
        waiting.delete(id);
      },
    });
    res.setEncoding('utf8');
    res.on('data', (c) => parser.feed(c));
  });
  req.end();
  return {
    ready: first,
    waitFor: (id) => new Promise((r) => waiting.set(id, r)),
    close: () => req.destroy(),
  };
}

/** `count` watchers in a child process (other windows), each reading and parsing its events. */
async function openWatchers(server, count) {
  // At the lowest CPU priority: on a small machine the watchers' own parsing would otherwise compete
  // with the server and the saving client for the same cores, and the figure would measure that
  // competition rather than what the server's fan-out costs a save. They still read every event.
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'watchers.mjs');
  const child = spawn('nice', ['-n', '19', process.execPath, script, server.url.href, token, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [line] = await once(lines, 'line');
  if (line !== 'ready') throw new Error(`watchers: ${line}`);
  return {
    async received() {
      child.stdin.write('count\n');
      const [n] = await once(lines, 'line');
      return Number(n);
    },
    async close() {
      child.kill();
      await once(child, 'exit');
    },
  };
}

export async function events() {
  log('events: starting the server');
  const server = await startServer(opt.exe, { root: dirFor('events'), token });
  try {
    const put = async (id) => {
      const r = await server.client.request('PUT', `/sessions/${id}`, { body: DOC_10K });
      if (r.status !== 200 && r.status !== 201) throw new Error(`PUT ${id}: ${r.status}`);
      return nowMs();
    };

    // --- save-to-event: a watcher on the same machine, from sending the save to holding its event ---
    const watcher = openWatcher(server);
    await watcher.ready;
    const toEvent = [];
    const toResponse = [];
    const eventVsResponse = [];
    const n = Q ? 100 : 300;
    for (let i = 0; i < n + 20; i++) {
      const id = `lat-${i % 50}`;
      const arrived = watcher.waitFor(id);
      const t0 = nowMs();
      const answered = await put(id);
      const at = await arrived;
      if (i >= 20) {
        toEvent.push(at - t0);
        toResponse.push(answered - t0);
        eventVsResponse.push(at - answered);
      }
    }
    watcher.close();
    // The save is durable when it is answered; its event is published then and handed to the
    // watchers with its batch (Events:DeliveryDelay), so the feed's own latency is how long after the
    // answer the watcher holds the event. The whole path from sending the save includes the save's
    // fsyncs, which follow the disk.
    const g = 'event stream: save 10 KB -> event (ms)';
    row(g, 'save answered -> saved event received (1 watcher)', { p50: pct(eventVsResponse, 50), p99: pct(eventVsResponse, 99), target: 'p50 < 5 ms', pass: pct(eventVsResponse, 50) < 5, note: 'includes the batch delay (Events:DeliveryDelay, 2 ms)' });
    row(g, 'PUT sent -> saved event received', { lat: toEvent, ratio: pct(toEvent, 50) / pct(toResponse, 50), ratioOf: 'vs the PUT response', note: 'includes the durable save itself' });
    row(g, 'PUT sent -> PUT response (same saves)', { lat: toResponse });

    // --- 50 idle watchers: resident memory, same server, before and after ---
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 500));
      const samples = [];
      for (let i = 0; i < 5; i++) { samples.push(memoryOf(server.pid).rssMiB); await new Promise((r) => setTimeout(r, 100)); }
      return median(samples);
    };
    for (let i = 0; i < 50; i++) await put(`warm-${i}`); // the save path's memory is there before the baseline
    const warm = await openWatchers(server, 5); // and one watcher's code path too
    await warm.close();
    const before = await settle();
    const idle = await openWatchers(server, 50);
    const after = await settle();
    const g2 = 'event stream: 50 idle watchers';
    row(g2, 'resident memory added (MiB)', { p50: after - before, target: '< 5 MiB', pass: after - before < 5, note: `VmRSS ${before.toFixed(1)} -> ${after.toFixed(1)} MiB` });
    await idle.close();

    // --- 10 KB save p50 with 50 watchers connected vs none, interleaved rounds in the same run ---
    const lat = { none: [], watched: [] };
    const batch = 40;
    const warmup = 10;
    let delivered = 0;
    // Twenty short rounds rather than a few long ones: load from other work and the disk's fsync time
    // come and go, and more, shorter alternations spread them over both sides more evenly.
    const rounds = Q ? 3 : 20;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < batch; i++) { const t = nowMs(); await put(`load-${i % 20}`); lat.none.push(nowMs() - t); }
      const ws = await openWatchers(server, 50);
      // Not timed: the first events of fifty new streams (their buffers, the watchers' parser code
      // still being compiled in the child). The figure is the cost of watchers that are connected.
      for (let i = 0; i < warmup; i++) await put(`load-${i % 20}`);
      for (let i = 0; i < batch; i++) { const t = nowMs(); await put(`load-${i % 20}`); lat.watched.push(nowMs() - t); }
      await new Promise((res) => setTimeout(res, 200));
      delivered += await ws.received();
      await ws.close();
    }
    const expected = rounds * 50 * (warmup + batch + 1);
    const ratio = pct(lat.watched, 50) / pct(lat.none, 50);
    const g3 = 'event stream: save 10 KB with 50 watchers (ms)';
    row(g3, 'PUT, 50 watchers connected', { lat: lat.watched, ratio, ratioOf: 'vs no watchers', target: '<= 1.1', pass: ratio <= 1.1, note: `events delivered: ${delivered} of ${expected}` });
    row(g3, 'PUT, no watcher', { lat: lat.none });
  } finally {
    await server.stop();
  }
}
