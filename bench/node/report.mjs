// The report: one table of every row, printed and written as table.md beside results.json, and the
// count of targets met.
import fs from 'node:fs';
import path from 'node:path';

export function report(results, out) {
  const f = (v, d = 3) => (v === null || v === undefined || Number.isNaN(v) ? '' : Number(v).toFixed(d));
  const lines = [
    '| benchmark | subject | p50 | p99 | throughput | ratio | target | verdict | note |',
    '| --- | --- | ---: | ---: | ---: | --- | --- | --- | --- |',
    ...results.rows.map((r) => `| ${r.group} | ${r.subject} | ${f(r.p50)} | ${f(r.p99)} | ${r.throughput ? f(r.throughput, 0) : ''} | ${r.ratio ? `${f(r.ratio, 2)}x ${r.ratioOf}` : ''} | ${r.target ?? ''} | ${r.verdict} | ${r.note} |`),
  ];
  fs.writeFileSync(path.join(out, 'table.md'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
  console.log(lines.join('\n'));
  const misses = results.rows.filter((r) => r.verdict === 'MISS').length;
  const passes = results.rows.filter((r) => r.verdict === 'PASS').length;
  console.log(`\ntargets: ${passes} PASS, ${misses} MISS (node bench took ${results.info.seconds.toFixed(0)} s)`);
}
