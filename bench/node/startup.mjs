// Start-up and size of the deliverables (issue 14), in one run on this machine: each subject is
// spawned the way the Electron main process spawns SessionApi (token in the environment, a fresh
// empty storage root, a free loopback port, cwd = its own folder) and timed from spawn to its ready
// line; the bare `dotnet new webapiaot` app is timed to its "Now listening on" log line. Rounds are
// interleaved (every subject once per round, in a rotating order), so load from other work on the
// machine slows every subject alike and the ratios stay fair. Prints one table and writes
// startup.json + startup.md into --out.
//
// usage: node startup.mjs --out <dir> --work <dir> [--rounds 20]
//          --subject 'name=<label>,exe=<path>,kind=sessionapi|webapi'   (repeat; the first two
//          ratios below name subjects by label)
//          --ratio '<label a>/<label b><=<max>'                          (repeat: a target, PASS/MISS)
//          --size '<label>=<folder or file>'                              (repeat: bytes and files)
//          --size-ratio '<label a>/<label b>'                             (repeat)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { median, nowMs } from './lib.mjs';

const { values: opt } = parseArgs({
  options: {
    out: { type: 'string' }, work: { type: 'string' }, rounds: { type: 'string', default: '20' },
    subject: { type: 'string', multiple: true, default: [] },
    ratio: { type: 'string', multiple: true, default: [] },
    size: { type: 'string', multiple: true, default: [] },
    'size-ratio': { type: 'string', multiple: true, default: [] },
  },
});
for (const k of ['out', 'work']) if (!opt[k]) throw new Error(`--${k} is required`);
const log = (...a) => console.error('[startup]', ...a);
const keyValues = (text) => Object.fromEntries(text.split(',').map((kv) => { const i = kv.indexOf('='); return [kv.slice(0, i), kv.slice(i + 1)]; }));
const subjects = opt.subject.map(keyValues);
for (const s of subjects) {
  s.exe = path.resolve(s.exe);
  if (!fs.existsSync(s.exe)) throw new Error(`${s.name}: ${s.exe} does not exist`);
}
const work = path.resolve(opt.work);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
fs.mkdirSync(opt.out, { recursive: true });
const token = randomBytes(24).toString('base64url');

/** Spawn -> ready (SessionApi's JSON ready line, or the template's "Now listening on" log line), then SIGTERM and wait for the exit. */
async function startOnce(subject, run) {
  const args = ['--urls', 'http://127.0.0.1:0'];
  if (subject.kind === 'sessionapi') {
    const root = path.join(work, `${subject.name.replace(/\W+/g, '_')}-${run}`);
    args.unshift(`--Storage:Root=${root}`);
  }
  const t0 = nowMs();
  const child = spawn(subject.exe, args, {
    cwd: path.dirname(subject.exe),
    env: { ...process.env, SESSIONAPI_TOKEN: token },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const readyAt = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${subject.name}: not ready within 30 s; stderr: ${stderr}`)), 30_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const ready = subject.kind === 'sessionapi' ? line.startsWith('{"event":"ready"') : line.includes('Now listening on');
      if (ready) { clearTimeout(timer); lines.close(); resolve({ at: nowMs(), cpuMs: cpuMsOf(child.pid) }); }
    });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`${subject.name} exited ${code} before ready; stderr: ${stderr}`)); });
  });
  child.stdout.resume();
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0 && code !== null) throw new Error(`${subject.name} exited ${code} after SIGTERM: ${stderr}`);
  return { ms: readyAt.at - t0, cpuMs: readyAt.cpuMs };
}

/**
 * CPU time the process has used so far, in ms: the part of a start that load on the machine does not
 * inflate. The time on CPU of each of its threads (/proc/<pid>/task/<tid>/schedstat, in ns), summed:
 * /proc/<pid>/stat counts in 10 ms ticks, too coarse for a start of 10-30 ms. A thread that has
 * already exited is not counted (the subjects' start-up threads all live on).
 */
function cpuMsOf(pid) {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch (e) {
      if (e.code !== 'ENOENT') throw e; // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

const rounds = Number(opt.rounds);
const warmup = 2; // the first rounds warm the page cache and are not counted
const times = Object.fromEntries(subjects.map((s) => [s.name, []]));
const cpu = Object.fromEntries(subjects.map((s) => [s.name, []]));
for (let r = 0; r < rounds + warmup; r++) {
  for (let i = 0; i < subjects.length; i++) {
    const s = subjects[(i + r) % subjects.length];
    const { ms, cpuMs } = await startOnce(s, r);
    if (r >= warmup) { times[s.name].push(ms); cpu[s.name].push(cpuMs); }
  }
}
fs.rmSync(work, { recursive: true, force: true });

function sizeOf(target) {
  const st = fs.statSync(target);
  if (st.isFile()) return { bytes: st.size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const e of fs.readdirSync(target, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) { bytes += fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size; files++; }
  }
  return { bytes, files };
}

const results = { rounds, starts: {}, ratios: [], sizes: {}, sizeRatios: [] };
const rows = ['| subject | spawn -> ready, median (ms) | min | max | CPU to ready, median (ms) |', '| --- | ---: | ---: | ---: | ---: |'];
for (const s of subjects) {
  const t = times[s.name];
  results.starts[s.name] = { median: median(t), min: Math.min(...t), max: Math.max(...t), cpuMedian: median(cpu[s.name]), all: t, cpu: cpu[s.name] };
  rows.push(`| ${s.name} | ${median(t).toFixed(1)} | ${Math.min(...t).toFixed(1)} | ${Math.max(...t).toFixed(1)} | ${median(cpu[s.name]).toFixed(1)} |`);
}
rows.push('', '| start ratio (medians, spawn -> ready) | measured | target | verdict | CPU-time ratio (for reference) |', '| --- | ---: | --- | --- | ---: |');
for (const spec of opt.ratio) {
  const m = /^(.+)\/(.+?)(?:<=([\d.]+))?$/.exec(spec);
  if (!m) throw new Error(`bad --ratio ${spec}`);
  const [, a, b, max] = m;
  const ratio = results.starts[a].median / results.starts[b].median;
  const cpuRatio = results.starts[a].cpuMedian / results.starts[b].cpuMedian;
  const verdict = max ? (ratio <= Number(max) ? 'PASS' : 'MISS') : '';
  results.ratios.push({ a, b, ratio, cpuRatio, target: max ? `<= ${max}` : null, verdict });
  rows.push(`| ${a} / ${b} | ${ratio.toFixed(2)}x | ${max ? `<= ${max}x` : ''} | ${verdict} | ${cpuRatio.toFixed(2)}x |`);
}
if (opt.size.length) rows.push('', '| deliverable | files | bytes | MB |', '| --- | ---: | ---: | ---: |');
for (const spec of opt.size) {
  const i = spec.indexOf('=');
  const [name, target] = [spec.slice(0, i), spec.slice(i + 1)];
  results.sizes[name] = sizeOf(target);
  rows.push(`| ${name} | ${results.sizes[name].files} | ${results.sizes[name].bytes.toLocaleString('en')} | ${(results.sizes[name].bytes / 1e6).toFixed(1)} |`);
}
for (const spec of opt['size-ratio']) {
  const [a, b] = spec.split('/');
  const ratio = results.sizes[a].bytes / results.sizes[b].bytes;
  results.sizeRatios.push({ a, b, ratio });
  rows.push(`| ${a} / ${b} | | ${ratio.toFixed(2)}x | |`);
}
fs.writeFileSync(path.join(opt.out, 'startup.json'), JSON.stringify(results, null, 2));
fs.writeFileSync(path.join(opt.out, 'startup.md'), rows.join('\n') + '\n');
console.log(rows.join('\n'));
log(`median of ${rounds} interleaved rounds after ${warmup} warm-up rounds`);
