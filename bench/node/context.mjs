// The benchmark's run: its options, work folder, documents and the result rows every section adds
// to (the table is printed from them at the end: report.mjs).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pct, sessionDocument } from './lib.mjs';

export const { values: opt } = parseArgs({
  options: {
    exe: { type: 'string' }, work: { type: 'string' }, floor: { type: 'string' }, shim: { type: 'string' },
    out: { type: 'string' }, quick: { type: 'boolean', default: false }, only: { type: 'string' },
    // Another build of the server (e.g. main's) saved in the same rounds as --exe, so what a change
    // of the writer costs is a ratio from one run, not two runs on a noisy machine.
    baseline: { type: 'string' },
  },
});
for (const k of ['exe', 'work', 'floor', 'out']) if (!opt[k]) throw new Error(`--${k} is required`);
opt.exe = path.resolve(opt.exe);
opt.floor = path.resolve(opt.floor);
export const Q = opt.quick;
const only = opt.only ? new Set(opt.only.split(',')) : null;
export const want = (section) => !only || only.has(section);
export const token = randomBytes(24).toString('base64url');
export const work = path.resolve(opt.work);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
fs.mkdirSync(opt.out, { recursive: true });
export const log = (...a) => console.error('[bench]', ...a);
export const dirFor = (name) => { const d = path.join(work, name); fs.mkdirSync(d, { recursive: true }); return d; };

export const DOC_10K = sessionDocument(10 * 1024);
export const DOC_1M = sessionDocument(1024 * 1024);
export const results = { rows: [], info: {} };

export function row(group, subject, { lat, throughput, p50, p99, ratio, ratioOf, target, pass, note }) {
  const r = {
    group, subject,
    p50: p50 ?? (lat ? pct(lat, 50) : null),
    p99: p99 ?? (lat ? pct(lat, 99) : null),
    n: lat?.length ?? null,
    throughput: throughput ?? null,
    ratio: ratio ?? null, ratioOf: ratioOf ?? null, target: target ?? null,
    verdict: pass === undefined ? '' : pass ? 'PASS' : 'MISS',
    note: note ?? '',
  };
  results.rows.push(r);
  log(`${group} | ${subject} | p50 ${r.p50?.toFixed?.(3)} | p99 ${r.p99?.toFixed?.(3)} | ${r.throughput ? r.throughput.toFixed(0) + '/s' : ''} | ${r.ratio ? r.ratio.toFixed(2) + 'x ' + r.ratioOf : ''} ${r.verdict}`);
  return r;
}
