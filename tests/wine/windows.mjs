// Phases "sharing" and "windows" of e2e.mjs: sharing violations (another process holds the
// document), device names, the single-instance lock, the read-only attribute, paths near MAX_PATH.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { disk, freshDir, tmpLeft } from './fixtures.mjs';
import { EXDEV, WORK, check, group, note, winpath } from './lane.mjs';
import { Server, holdFile, wineCmd } from './server.mjs';

// ---------------------------------------------------------------------------------------------
// Windows-only behaviour

export async function sharingSuite(label, root, virtualized) {
  freshDir(root);
  // A 2 s retry budget: a 0.8 s hold must be waited out, a 5 s hold must fail the save.
  const server = await Server.start(root, ['--Storage:RetryBudget=00:00:02']);
  try {
    await group(`${label}: another process holds the document (FileShare.None)`, async () => {
      check(`${label}: PUT v1`, (await server.put('held', '{"v":1}')).status === 201);
      const target = path.join(root, 'held.json');
      const before = (await server.diagnostics()).counters;

      let hold = await holdFile(target, 0.8);
      const saved = await server.put('held', '{"v":2}');
      const shortOk = await hold.released;
      let after = (await server.diagnostics()).counters;
      check(`${label}: a PUT during a 0.8 s hold waits it out and succeeds (200)`, saved.status === 200 && shortOk, `${saved.status} ${saved.bytes} after ${saved.seconds}s`);
      check(`${label}: ...with retries counted (counters.retries > 0)`, after.retries > before.retries, JSON.stringify(after));
      check(`${label}: ...and the new version is on disk`, disk(root, 'held').toString() === '{"v":2}');
      note(`${label}: the PUT took ${saved.seconds.toFixed(2)} s, ${after.retries - before.retries} retries`);

      hold = await holdFile(target, 5);
      const refused = await server.put('held', '{"v":3}');
      const longOk = await hold.released;
      check(`${label}: a PUT during a 5 s hold fails after the 2 s budget: 503 storage_unavailable`,
        refused.status === 503 && refused.json?.code === 'storage_unavailable' && longOk, `${refused.status} ${refused.bytes} after ${refused.seconds}s`);
      check(`${label}: ...the previous version is intact (served and on disk)`,
        (await server.get('held')).bytes.toString() === '{"v":2}' && disk(root, 'held').toString() === '{"v":2}');
      check(`${label}: ...and no *.tmp is left behind`, tmpLeft(root).length === 0, tmpLeft(root).join(' '));
      check(`${label}: ...the next PUT succeeds`, (await server.put('held', '{"v":4}')).status === 200 && disk(root, 'held').toString() === '{"v":4}');

      const b = (await server.diagnostics()).counters.retries;
      hold = await holdFile(target, 0.8);
      const deleted = await server.del('held');
      await hold.released;
      after = (await server.diagnostics()).counters;
      check(`${label}: a DELETE during a 0.8 s hold is retried and succeeds (204)`, deleted.status === 204 && after.retries > b && !fs.existsSync(target), `${deleted.status} ${deleted.bytes}`);
      if (virtualized) {
        check(`${label}: writeMode is verified-copy`, (await server.diagnostics()).writeMode === 'verified-copy');
      }
    });
  } finally {
    await server.stop();
  }
}

export async function windowsSuite() {
  const root = freshDir(path.join(WORK, 'win'));
  let server = await Server.start(root);
  try {
    await group('windows: device names', async () => {
      const before = fs.readdirSync(root).sort().join(' ');
      let refused = 0;
      const names = ['con', 'nul', 'prn', 'aux', 'com1', 'com9', 'lpt1', 'lpt9'];
      for (const id of names) {
        const put = await server.put(id, '{"x":1}');
        const get = await server.get(id);
        const del = await server.del(id);
        if ([put, get, del].every((r) => r.status === 400 && r.json?.code === 'invalid_id')) refused++;
      }
      check(`windows: PUT/GET/DELETE of ${names.join(', ')} are 400 invalid_id`, refused === names.length, `${refused}/${names.length}`);
      check('windows: ...and no file was created in the root', fs.readdirSync(root).sort().join(' ') === before, fs.readdirSync(root).join(' '));
    });

    await group('windows: single instance per root', async () => {
      const second = await Server.start(root, [], { expectReady: false });
      const result = await Promise.race([second.exited, sleep(30_000).then(() => null)]);
      if (!result) second.child.kill('SIGKILL');
      const lines = second.stderr.trim().split('\n').filter((l) => l.startsWith('SessionApi:'));
      check('windows: a second instance on the same root exits non-zero with one line on stderr (share-mode lock)',
        result && result.code !== 0 && lines.length === 1 && /in use/.test(lines[0]), `${JSON.stringify(result)} ${second.stderr.slice(-400)}`);
      check('windows: ...and printed no ready line', second.stdout === '', second.stdout);
    });

    await group('windows: read-only attribute on the document', async () => {
      check('windows: PUT ro v1', (await server.put('ro', '{"v":1}')).status === 201);
      const file = winpath(path.join(root, 'ro.json'));
      await wineCmd('attrib', '+r', file);
      const attr = await wineCmd('attrib', file);
      const flags = (out) => out.slice(0, out.indexOf('Z:'));
      check('windows: attrib +r set the read-only attribute', flags(attr.out).includes('R'), attr.out);
      const r = await server.put('ro', '{"v":2}');
      note(`windows: PUT over a read-only document: ${r.status} ${r.json?.code ?? ''} after ${r.seconds.toFixed(2)} s; now "${disk(root, 'ro')}"`);
      // The writer checks the attribute itself (Wine's MoveFileEx would replace a read-only file,
      // real Windows answers access denied): refused at once, with a detail that says why.
      check('windows: a save over a read-only document is refused at once: 503 storage_unavailable, v1 intact',
        r.status === 503 && r.json?.code === 'storage_unavailable' && r.seconds < 3 && disk(root, 'ro').toString() === '{"v":1}', `${r.status} ${r.seconds}`);
      check('windows: ...and the problem says the file is read-only', /read-only/.test(r.json?.detail ?? ''), r.json?.detail);
      const d = await server.del('ro');
      check('windows: a delete of the read-only document is refused too (503) and it stays', d.status === 503 && disk(root, 'ro').toString() === '{"v":1}', `${d.status}`);
      await wineCmd('attrib', '-r', file);
      check('windows: after attrib -r the save goes through (200)', (await server.put('ro', '{"v":3}')).status === 200 && disk(root, 'ro').toString() === '{"v":3}');
      check('windows: ...and no *.tmp is left', tmpLeft(root).length === 0, tmpLeft(root).join(' '));
    });
  } finally {
    await server.stop();
  }

  for (const [label, base, virtualized] of [['windows long path', WORK, false], ['windows long path, rename refused', EXDEV, true]]) {
    await group(`${label}: near MAX_PATH`, async () => {
      // Full Windows path of the document: 255 characters, so its temp file (+17) is past MAX_PATH.
      const id = 'p'.repeat(128);
      const fixed = winpath(path.join(base, 'long')).length + 1 + 1 + id.length + '.json'.length; // +1 for each backslash
      const fill = 255 - fixed;
      const longRoot = path.join(base, 'long', 'd'.repeat(fill));
      freshDir(longRoot);
      const target = winpath(path.join(longRoot, `${id}.json`));
      note(`${label}: document path ${target.length} chars, temp path ${target.length + 17} chars`);
      let s = await Server.start(longRoot);
      try {
        const put1 = await s.put(id, '{"long":1}');
        const put2 = await s.put(id, '{"long":2,"longer":true}');
        check(`${label}: saves (201, then 200) at ${target.length} chars`, put1.status === 201 && put2.status === 200, `${put1.status} ${put2.status} ${put2.bytes}`);
        check(`${label}: loads byte for byte`, (await s.get(id)).bytes.toString() === '{"long":2,"longer":true}');
        await s.stop();
        s = await Server.start(longRoot);
        check(`${label}: still there after a restart`, (await s.get(id)).bytes.toString() === '{"long":2,"longer":true}');
        const d = await s.diagnostics();
        check(`${label}: writeMode ${virtualized ? 'verified-copy' : 'atomic-rename'}, no *.tmp left`,
          d.writeMode === (virtualized ? 'verified-copy' : 'atomic-rename') && tmpLeft(longRoot).length === 0, `${d.writeMode} ${tmpLeft(longRoot)}`);
      } finally {
        await s.stop();
      }
    });
  }
}
