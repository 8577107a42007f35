// How the save benchmarks measure: the subjects (SessionApi and the in-process Node writers), the
// C floor, and the sequential and concurrent loops that time them.
import { execFileSync } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFile as atomicallyWriteFile } from 'atomically';
import writeFileAtomic from 'write-file-atomic';
import { dirFor, opt } from './context.mjs';
import { nowMs } from './lib.mjs';

// ---------- the subjects: one save of `doc` to "session `id`" each ----------
export function subjects(server, doc) {
  const wfaDir = dirFor('write-file-atomic');
  const atoDir = dirFor('atomically');
  const nodeFloorDir = dirFor('node-floor');
  return {
    sessionapi: async (id) => {
      const r = await server.client.request('PUT', `/sessions/${id}`, { body: doc });
      if (r.status !== 200 && r.status !== 201) throw new Error(`PUT ${id}: ${r.status} ${r.body}`);
    },
    'write-file-atomic': (id) => writeFileAtomic(path.join(wfaDir, `${id}.json`), doc, { fsync: true }),
    atomically: (id) => atomicallyWriteFile(path.join(atoDir, `${id}.json`), doc, { fsync: true, fsyncWait: true }),
    // The floor's steps with Node's fs (libuv thread pool): what any in-process Node writer pays at least.
    'node fs floor': async (id) => {
      const target = path.join(nodeFloorDir, `${id}.json`);
      const fh = await fsp.open(`${target}.tmp`, 'w');
      await fh.write(doc, 0, doc.length, 0);
      await fh.sync();
      await fh.close();
      await fsp.rename(`${target}.tmp`, target);
      const dh = await fsp.open(nodeFloorDir, 'r');
      await dh.sync();
      await dh.close();
    },
  };
}

/** The C floor (bench/floor/floor.c) in its own process: returns latencies (ms) and wall time. */
export function cFloor(dir, bytes, perThread, threads, warmup) {
  const out = execFileSync(opt.floor, [dir, String(bytes), String(perThread), String(threads), String(warmup)], { maxBuffer: 64 << 20 });
  const r = JSON.parse(out);
  return { lat: r.latenciesUs.map((u) => u / 1000), wallMs: r.wallMs, saves: r.saves };
}

/**
 * Sequential latency, interleaved: every round runs a batch of each subject in turn, so a build
 * running on the other core slows all of them alike and the ratios stay fair.
 */
export async function sequential(fns, { rounds, batch, warmup, id = 'seq', floor }) {
  const lat = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  if (floor) lat['raw floor (C)'] = [];
  for (const [, fn] of Object.entries(fns)) for (let i = 0; i < warmup; i++) await fn(id);
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      for (let i = 0; i < batch; i++) {
        const t = nowMs();
        await fn(id);
        lat[name].push(nowMs() - t);
      }
    }
    if (floor) lat['raw floor (C)'].push(...cFloor(floor.dir, floor.bytes, batch, 1, r === 0 ? warmup : 2).lat);
  }
  return lat;
}

/** `writers` concurrent loops, each saving its own session `each` times; saves per second. */
export async function concurrent(fn, writers, each) {
  const t = nowMs();
  const lat = [];
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; i < each; i++) {
      const s = nowMs();
      await fn(`conc-${w}`);
      lat.push(nowMs() - s);
    }
  }));
  const wall = nowMs() - t;
  return { lat, throughput: (writers * each) / (wall / 1000) };
}
