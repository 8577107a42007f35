// Two published servers side by side, interleaved on the same disk in one run: the ready line and
// a 10 KB save's p50, each build as a ratio of the other. For a change that must not move either
// (a refactor): run it with the binary before and after the change. The machine is shared and
// noisy, so only the ratio of the two, measured together, means anything.
//
// usage: node compare-builds.mjs --before <published SessionApi> --after <published SessionApi>
//                                --work <dir on the real disk> [--rounds 15] [--saves 200]
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { median, nowMs, pct, sessionDocument, startServer } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    before: { type: 'string' }, after: { type: 'string' }, work: { type: 'string' },
    rounds: { type: 'string', default: '15' }, saves: { type: 'string', default: '200' },
  },
});
if (!args.before || !args.after || !args.work) {
  console.error('usage: node compare-builds.mjs --before <exe> --after <exe> --work <dir> [--rounds N] [--saves N]');
  process.exit(2);
}

const rounds = Number(args.rounds);
const saves = Number(args.saves);
const token = randomBytes(16).toString('hex');
const document = sessionDocument(10 * 1024);
const builds = { before: args.before, after: args.after };
const ready = { before: [], after: [] };
const save = { before: [], after: [] };

async function once(name, round) {
  const root = path.join(args.work, `${name}-${round}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const server = await startServer(builds[name], { root, token });
  ready[name].push(server.readyMs);
  for (let i = 0; i < saves; i++) {
    const t0 = nowMs();
    const answer = await server.client.request('PUT', `/sessions/s${i % 20}`, { body: document });
    save[name].push(nowMs() - t0);
    if (answer.status !== 200 && answer.status !== 201) throw new Error(`${name}: PUT answered ${answer.status}`);
  }
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
}

for (let round = 0; round < rounds; round++) {
  // Alternate which build goes first, so neither always meets a warmer page cache.
  for (const name of round % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
    await once(name, round);
  }
}

const row = (label, values) =>
  `| ${label} | ${median(values.before).toFixed(2)} | ${median(values.after).toFixed(2)} | ${(median(values.after) / median(values.before)).toFixed(2)}x | ${pct(values.before, 90).toFixed(2)} / ${pct(values.after, 90).toFixed(2)} |`;
console.log(`${rounds} rounds, ${saves} saves of 10 KB each, interleaved`);
console.log('| figure | before p50 (ms) | after p50 (ms) | after / before | p90 before / after (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(row('ready line', ready));
console.log(row('10 KB save', save));
