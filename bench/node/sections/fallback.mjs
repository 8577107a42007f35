// Section "fallback": 1 MB saves with renames refused (EXDEV, the fault shim) against the atomic
// rename, write-file-atomic and the C floor; optionally a baseline build in the same rounds.
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { DOC_1M, Q, dirFor, opt, row, token, log } from '../context.mjs';
import { pct, startServer } from '../lib.mjs';
import { sequential } from '../measure.mjs';

export async function fallback() {
  if (!opt.shim) { log('fallback: no --shim, skipped'); return; }
  log('fallback: starting a normal server and one whose renames are refused (EXDEV)');
  const normal = await startServer(opt.exe, { root: dirFor('rename-root'), token });
  const exdevRoot = dirFor('exdev-root');
  const refused = await startServer(opt.exe, {
    root: exdevRoot, token,
    env: { LD_PRELOAD: opt.shim, FAULTSHIM_EXDEV_DIR: exdevRoot },
  });
  const baselineRoot = dirFor('exdev-root-baseline');
  const baseline = opt.baseline && await startServer(path.resolve(opt.baseline), {
    root: baselineRoot, token,
    env: { LD_PRELOAD: opt.shim, FAULTSHIM_EXDEV_DIR: baselineRoot },
  });
  try {
    const put = (server) => async (id) => {
      const r = await server.client.request('PUT', `/sessions/${id}`, { body: DOC_1M });
      if (r.status !== 200 && r.status !== 201) throw new Error(`PUT: ${r.status} ${r.body}`);
    };
    const wfaDir = dirFor('write-file-atomic-1m');
    const lat = await sequential({
      'atomic rename': put(normal),
      'verified copy (EXDEV)': put(refused),
      ...(baseline ? { 'verified copy (EXDEV), baseline build': put(baseline) } : {}),
      'write-file-atomic': (id) => writeFileAtomic(path.join(wfaDir, `${id}.json`), DOC_1M, { fsync: true }),
    }, { rounds: Q ? 3 : 6, batch: Q ? 10 : 20, warmup: 5, id: 'doc1m', floor: { dir: dirFor('c-floor-1m'), bytes: DOC_1M.length } });
    const diag = JSON.parse((await refused.client.request('GET', '/diagnostics')).body);
    const diagNormal = JSON.parse((await normal.client.request('GET', '/diagnostics')).body);
    if (diag.writeMode === diagNormal.writeMode) throw new Error(`the EXDEV server reports writeMode ${diag.writeMode}: the shim did not take effect`);
    const g = 'save 1 MB, 1 writer (ms)';
    const ratio = pct(lat['verified copy (EXDEV)'], 50) / pct(lat['atomic rename'], 50);
    row(g, `SessionApi, ${diagNormal.writeMode}`, { lat: lat['atomic rename'], ratio: pct(lat['atomic rename'], 50) / pct(lat['raw floor (C)'], 50), ratioOf: 'vs raw floor (C)' });
    row(g, `SessionApi, ${diag.writeMode} (renames refused)`, { lat: lat['verified copy (EXDEV)'], ratio, ratioOf: 'vs atomic rename', target: '<= 2.5', pass: ratio <= 2.5, note: `fallbacks: ${diag.counters?.crossDeviceFallbacks ?? '?'}` });
    if (baseline) {
      const base = lat['verified copy (EXDEV), baseline build'];
      row(g, 'SessionApi baseline build (--baseline), verified-copy (renames refused)', {
        lat: base, ratio: pct(lat['verified copy (EXDEV)'], 50) / pct(base, 50), ratioOf: 'this build vs baseline',
        note: `baseline vs atomic rename: ${(pct(base, 50) / pct(lat['atomic rename'], 50)).toFixed(2)}x`,
      });
    }
    row(g, 'write-file-atomic', { lat: lat['write-file-atomic'], ratio: pct(lat['write-file-atomic'], 50) / pct(lat['raw floor (C)'], 50), ratioOf: 'vs raw floor (C)' });
    row(g, 'raw floor (C)', { lat: lat['raw floor (C)'] });
  } finally {
    await normal.stop();
    await refused.stop();
    if (baseline) await baseline.stop();
  }
}
