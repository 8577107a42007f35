// Section "saves": 10 KB saves, 1 and 16 writers, against write-file-atomic, atomically and the
// floors; 10 KB loads against fs.promises.readFile.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { DOC_10K, Q, dirFor, opt, row, token, log } from '../context.mjs';
import { median, pct, startServer } from '../lib.mjs';
import { cFloor, concurrent, sequential, subjects } from '../measure.mjs';

export async function saves() {
  log('saves: starting the server');
  const server = await startServer(opt.exe, { root: dirFor('sessionapi'), token });
  try {
    // --- 1. durable save of 10 KB, sequential ---
    const fns = subjects(server, DOC_10K);
    const seq = await sequential(fns, {
      rounds: Q ? 4 : 10, batch: Q ? 25 : 50, warmup: 30,
      floor: { dir: dirFor('c-floor'), bytes: DOC_10K.length },
    });
    const p50 = (k) => pct(seq[k], 50);
    const g = 'save 10 KB, 1 writer (ms)';
    row(g, 'SessionApi PUT over HTTP', { lat: seq.sessionapi, ratio: p50('sessionapi') / p50('write-file-atomic'), ratioOf: 'vs write-file-atomic', target: '<= 0.8', pass: p50('sessionapi') / p50('write-file-atomic') <= 0.8 });
    row(g, 'SessionApi PUT over HTTP', { lat: seq.sessionapi, ratio: p50('sessionapi') / p50('raw floor (C)'), ratioOf: 'vs raw floor (C)', target: '<= 1.5', pass: p50('sessionapi') / p50('raw floor (C)') <= 1.5 });
    row(g, 'SessionApi PUT over HTTP', { lat: seq.sessionapi, ratio: p50('sessionapi') / p50('atomically'), ratioOf: 'vs atomically' });
    for (const k of ['write-file-atomic', 'atomically', 'node fs floor', 'raw floor (C)']) {
      row(g, k, { lat: seq[k], ratio: p50(k) / p50('raw floor (C)'), ratioOf: 'vs raw floor (C)' });
    }

    // --- 1c. 16 concurrent writers on different sessions ---
    const writers = 16;
    const each = Q ? 15 : 40;
    const tp = { sessionapi: [], 'write-file-atomic': [], atomically: [], 'node fs floor': [], 'raw floor (C)': [] };
    const lat = Object.fromEntries(Object.keys(tp).map((k) => [k, []]));
    for (const k of Object.keys(fns)) await concurrent(fns[k], writers, 3); // warm-up
    for (let r = 0; r < (Q ? 2 : 3); r++) {
      for (const k of Object.keys(fns)) {
        const c = await concurrent(fns[k], writers, each);
        tp[k].push(c.throughput);
        lat[k].push(...c.lat);
      }
      const f = cFloor(dirFor('c-floor'), DOC_10K.length, each, writers, 2);
      tp['raw floor (C)'].push(f.saves / (f.wallMs / 1000));
      lat['raw floor (C)'].push(...f.lat);
    }
    const g2 = `save 10 KB, ${writers} writers (ms, saves/s)`;
    const t = (k) => median(tp[k]);
    row(g2, 'SessionApi PUT over HTTP', { lat: lat.sessionapi, throughput: t('sessionapi'), ratio: t('sessionapi') / t('write-file-atomic'), ratioOf: 'throughput vs write-file-atomic', target: '>= 1.2', pass: t('sessionapi') / t('write-file-atomic') >= 1.2 });
    row(g2, 'SessionApi PUT over HTTP', { lat: lat.sessionapi, throughput: t('sessionapi'), ratio: t('sessionapi') / t('atomically'), ratioOf: 'throughput vs atomically' });
    for (const k of ['write-file-atomic', 'atomically', 'node fs floor', 'raw floor (C)']) {
      row(g2, k, { lat: lat[k], throughput: t(k), ratio: t(k) / t('raw floor (C)'), ratioOf: 'throughput vs raw floor (C)' });
    }

    // --- 2. loads: GET 10 KB over HTTP vs fs.promises.readFile of the same file ---
    const file = path.join(dirFor('sessionapi'), 'load.json');
    await fns.sessionapi('load');
    const loads = {
      get: async () => {
        const r = await server.client.request('GET', '/sessions/load');
        if (r.status !== 200 || r.size !== DOC_10K.length) throw new Error(`GET: ${r.status} ${r.size}`);
      },
      // The HTTP hop alone: a request that touches no file (what any loopback API pays at least).
      health: async () => {
        const r = await server.client.request('GET', '/health');
        if (r.status !== 200) throw new Error(`health: ${r.status}`);
      },
      readFile: async () => {
        const b = await fsp.readFile(file);
        if (b.length !== DOC_10K.length) throw new Error('readFile size');
      },
    };
    const ls = await sequential(loads, { rounds: Q ? 4 : 10, batch: 100, warmup: 50 });
    const g3 = 'load 10 KB (ms)';
    row(g3, 'SessionApi GET over HTTP', { lat: ls.get, ratio: pct(ls.get, 50) / pct(ls.readFile, 50), ratioOf: 'vs fs.promises.readFile', target: '<= 1.5', pass: pct(ls.get, 50) / pct(ls.readFile, 50) <= 1.5 });
    row(g3, 'GET /health over HTTP (the HTTP hop alone)', { lat: ls.health, ratio: pct(ls.health, 50) / pct(ls.readFile, 50), ratioOf: 'vs fs.promises.readFile' });
    row(g3, 'fs.promises.readFile (in-process)', { lat: ls.readFile });
  } finally {
    await server.stop();
  }
}
