// SessionApi against the in-process Node writers an Electron app would otherwise use
// (write-file-atomic, atomically) and the raw fsync floor, on the same documents and the same disk,
// in one run. Prints one table (p50/p99/throughput, ratios, PASS/MISS per target of issue 5) and
// writes results.json + table.md beside it.
//
// usage: node bench.mjs --exe <published SessionApi> --work <dir on the real disk> --floor <floor binary>
//                       --shim <libfaultshim.so> --out <dir> [--quick]
//
// One module per section (sections/*.mjs); context.mjs holds the options and result rows,
// measure.mjs the subjects and timing loops, report.mjs the table.
import fs from 'node:fs';
import { opt, results, want, work } from './context.mjs';
import { nowMs } from './lib.mjs';
import { report } from './report.mjs';
import { saves } from './sections/saves.mjs';
import { fallback } from './sections/fallback.mjs';
import { history } from './sections/history.mjs';
import { startup } from './sections/startup.mjs';
import { scale } from './sections/scale.mjs';
import { events } from './sections/events.mjs';

// ---------- run ----------
results.info.node = process.version;
results.info.started = new Date().toISOString();
const t0 = nowMs();
if (want('saves')) await saves();
if (want('fallback')) await fallback();
if (want('history')) await history();
if (want('startup')) await startup();
if (want('scale')) await scale();
if (want('events')) await events();
results.info.seconds = (nowMs() - t0) / 1000;

// ---------- table ----------
report(results, opt.out);
fs.rmSync(work, { recursive: true, force: true });
