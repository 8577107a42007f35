// Section "history": 10 KB saves with local history off and on; listing a session's versions.
import { DOC_10K, Q, dirFor, opt, row, token, log } from '../context.mjs';
import { nowMs, pct, startServer } from '../lib.mjs';
import { sequential } from '../measure.mjs';

export async function history() {
  // --- local history: the same 10 KB save with history off and on, interleaved in one run ---
  log('history: starting servers with history off, on (defaults) and on with every save kept');
  const off = await startServer(opt.exe, { root: dirFor('history-off'), token, args: ['--History:Enabled=false'] });
  const on = await startServer(opt.exe, { root: dirFor('history-on'), token });
  const every = await startServer(opt.exe, { root: dirFor('history-every'), token, args: ['--History:MergeWindow=00:00:00'] });
  try {
    // Each save differs (a counter), as a chat's saves do: a save of identical bytes keeps no version.
    let n = 0;
    const put = (server) => async (id) => {
      const body = Buffer.concat([Buffer.from(`{"n":${n++},"s":`), DOC_10K, Buffer.from('}')]);
      const r = await server.client.request('PUT', `/sessions/${id}`, { body });
      if (r.status !== 200 && r.status !== 201) throw new Error(`PUT: ${r.status} ${r.body}`);
    };
    const lat = await sequential({
      'history off': put(off),
      'history on (defaults)': put(on),
      'history on, every save kept': put(every),
    }, { rounds: Q ? 4 : 10, batch: Q ? 25 : 50, warmup: 60, id: 'hist' });
    const g = 'save 10 KB, history (ms)';
    const p50 = (k) => pct(lat[k], 50);
    const diag = JSON.parse((await every.client.request('GET', '/diagnostics')).body).history;
    row(g, 'SessionApi PUT, history off', { lat: lat['history off'] });
    for (const k of ['history on (defaults)', 'history on, every save kept']) {
      const ratio = p50(k) / p50('history off');
      row(g, `SessionApi PUT, ${k}`, { lat: lat[k], ratio, ratioOf: 'vs history off', target: '<= 1.25', pass: ratio <= 1.25, note: k.includes('every') ? `${diag.versions} versions kept (MaxVersions 50, pruned on every save)` : 'MergeWindow 10 s: one version per window' });
    }

    // Listing 50 versions: from the in-memory index, compared with listing the sessions (also from memory).
    const list = { versions: [], sessions: [] };
    for (let i = 0; i < (Q ? 200 : 1000); i++) {
      for (const [k, route] of [['versions', '/sessions/hist/versions'], ['sessions', '/sessions']]) {
        const t = nowMs();
        const r = await every.client.request('GET', route);
        list[k].push(nowMs() - t);
        if (r.status !== 200) throw new Error(`GET ${route}: ${r.status}`);
      }
    }
    const listed = JSON.parse((await every.client.request('GET', '/sessions/hist/versions')).body).items.length;
    const ratio = pct(list.versions, 50) / pct(list.sessions, 50);
    row('list (ms)', `GET /sessions/{id}/versions, ${listed} versions`, { lat: list.versions, ratio, ratioOf: 'vs GET /sessions (1 session)', note: 'served from the in-memory index: no document read' });
  } finally {
    await off.stop();
    await on.stop();
    await every.stop();
  }
}
