// Section "scale": 10,000 sessions (start-up and listing) and one 100 MB session (resident memory).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DOC_10K, Q, dirFor, opt, results, row, token } from '../context.mjs';
import { largeDocument, median, memoryOf, nowMs, pct, sessionDocument, startServer } from '../lib.mjs';

export async function scale() {
  // --- 4. 10,000 sessions of 10 KB in the root: startup (recovery reads every file) and listing ---
  const root = dirFor('scale-10k');
  const count = 10000;
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(root, `s-${String(i).padStart(5, '0')}.json`), sessionDocument(10 * 1024, i));
  execFileSync('sync');
  const starts = [];
  let listLat = [];
  let listBytes = 0;
  for (let i = 0; i < (Q ? 3 : 5) + 1; i++) {
    const s = await startServer(opt.exe, { root, token });
    if (i > 0) starts.push(s.healthMs); // the first run warms the page cache
    if (i === 1) {
      for (let j = 0; j < (Q ? 20 : 50); j++) {
        const t = nowMs();
        const r = await s.client.request('GET', '/sessions');
        const el = nowMs() - t;
        if (r.status !== 200) throw new Error(`list ${r.status}`);
        if (j >= 5) listLat.push(el);
        listBytes = r.size;
      }
      const items = JSON.parse((await s.client.request('GET', '/sessions')).body).items.length;
      if (items !== count) throw new Error(`listed ${items} sessions, expected ${count}`);
    }
    await s.stop();
  }
  const g = `scale: ${count.toLocaleString('en')} sessions of 10 KB (ms)`;
  row(g, 'start: spawn -> ready -> /health 200', { p50: median(starts), p99: Math.max(...starts), target: '< 500 ms', pass: median(starts) < 500, note: `median of ${starts.length}, warm page cache; p99 column: max` });
  row(g, `GET /sessions (${(listBytes / 1024).toFixed(0)} KiB JSON)`, { lat: listLat, target: '< 20 ms', pass: pct(listLat, 50) < 20 });

  // --- 4. one 100 MB session: save and load with resident memory sampled every 5 ms ---
  const size = 100 * 1024 * 1024;
  const s = await startServer(opt.exe, { root: dirFor('scale-100m'), token, args: [`--Storage:MaxSessionBytes=${200 * 1024 * 1024}`] });
  try {
    await s.client.request('PUT', '/sessions/warm', { body: DOC_10K });
    await s.client.request('GET', '/sessions/warm');
    const base = memoryOf(s.pid).rssMiB;
    let peak = base;
    const sampler = setInterval(() => { peak = Math.max(peak, memoryOf(s.pid).rssMiB); }, 5);
    let t = nowMs();
    const put = await s.client.request('PUT', '/sessions/big', { body: largeDocument(size), length: size });
    const putMs = nowMs() - t;
    if (put.status !== 201) throw new Error(`PUT 100 MB: ${put.status} ${put.body}`);
    const peakSave = Math.max(peak, memoryOf(s.pid).rssMiB);
    peak = memoryOf(s.pid).rssMiB;
    const beforeLoad = peak;
    t = nowMs();
    const get = await s.client.request('GET', '/sessions/big', { sink: true });
    const getMs = nowMs() - t;
    clearInterval(sampler);
    if (get.status !== 200 || get.size !== size) throw new Error(`GET 100 MB: ${get.status} ${get.size}`);
    const peakLoad = Math.max(peak, memoryOf(s.pid).rssMiB);
    const hwm = memoryOf(s.pid).hwmMiB;
    results.info.big = { base, peakSave, beforeLoad, peakLoad, hwm };
    const g2 = 'scale: one 100 MB session';
    row(g2, 'save: resident growth (MiB)', { p50: peakSave - base, throughput: size / 1048576 / (putMs / 1000), target: '< 32 MiB', pass: peakSave - base < 32, note: `${putMs.toFixed(0)} ms; throughput column: MiB/s; RSS ${base.toFixed(1)} -> peak ${peakSave.toFixed(1)} MiB` });
    row(g2, 'load: resident growth (MiB)', { p50: peakLoad - base, throughput: size / 1048576 / (getMs / 1000), target: '< 32 MiB', pass: peakLoad - base < 32, note: `${getMs.toFixed(0)} ms; throughput column: MiB/s; peak ${peakLoad.toFixed(1)} MiB, VmHWM ${hwm.toFixed(1)} MiB` });
  } finally {
    await s.stop();
  }
}
