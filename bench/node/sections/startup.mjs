// Section "startup": spawn -> ready -> /health on an empty root; resident memory after 1,000 saves.
import { DOC_10K, Q, dirFor, opt, results, row, token } from '../context.mjs';
import { median, memoryOf, nowMs, startServer } from '../lib.mjs';

export async function startup() {
  // --- 3. start: spawn -> ready line -> /health 200, each on a fresh empty root ---
  const runs = Q ? 8 : 20;
  const ready = [];
  const health = [];
  for (let i = 0; i < runs + 2; i++) {
    const root = dirFor(`start-${i}`);
    const s = await startServer(opt.exe, { root, token });
    await s.stop();
    if (i >= 2) { ready.push(s.readyMs); health.push(s.healthMs); } // the first two warm the page cache
  }
  const g = `start, empty root (ms, median of ${runs})`;
  row(g, 'spawn -> ready line', { p50: median(ready), p99: Math.max(...ready), note: 'p99 column: max' });
  row(g, 'spawn -> ready line -> /health 200', { p50: median(health), p99: Math.max(...health), target: '< 80 ms', pass: median(health) < 80, note: 'p99 column: max' });

  // RSS after 1,000 saves of 10 KB (100 sessions x 10)
  const s = await startServer(opt.exe, { root: dirFor('rss'), token });
  try {
    const idle = memoryOf(s.pid);
    const t = nowMs();
    await Promise.all(Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 250; i++) {
        const r = await s.client.request('PUT', `/sessions/rss-${w}-${i % 25}`, { body: DOC_10K });
        if (r.status >= 300) throw new Error(`PUT ${r.status}`);
      }
    }));
    const took = nowMs() - t;
    await new Promise((r) => setTimeout(r, 200));
    const after = memoryOf(s.pid);
    results.info.rss = { idle, after };
    const g2 = 'resident memory (MiB)';
    row(g2, 'idle after start (VmRSS)', { p50: idle.rssMiB });
    row(g2, 'after 1,000 saves of 10 KB (VmRSS)', { p50: after.rssMiB, p99: after.hwmMiB, throughput: 1000 / (took / 1000), target: '< 40 MiB', pass: after.rssMiB < 40, note: 'p99 column: peak (VmHWM)' });
  } finally {
    await s.stop();
  }
}
