// The MSIX symptom matrix for the win-x64 build under Wine (issue 10), a phase of e2e.mjs.
//
// Where Wine does what (checked with FAULTSHIM_LOG=1, see FINDINGS.md §8): CreateFileW(CREATE_NEW)
// reaches the WINESERVER, whose open_fd() calls open(O_CREAT|O_EXCL); renames happen there too
// (set_fd_name -> rename()). The shim in the wineserver therefore refuses:
//   eexist  exclusive creates of *.tmp under FAULTSHIM_EEXIST_DIR with EEXIST, which Wine reports
//           as STATUS_OBJECT_NAME_COLLISION -> Win32 80 ERROR_FILE_EXISTS (claude-code #83584, #91409)
//   enoent  renames into FAULTSHIM_ENOENT_DIR with ENOENT -> STATUS_OBJECT_NAME_NOT_FOUND -> Win32 2
//           (claude-code #95112)
//   exdev   renames into FAULTSHIM_EXDEV_DIR with EXDEV -> Win32 17 (the existing phases)
// The wineserver's environment is frozen when it starts, so run-lane.sh points FAULTSHIM_EEXIST_DIR
// and FAULTSHIM_ENOENT_DIR at symlinks (FAULTSHIM_SWITCHES/eexist, /enoent); each case repoints
// them at its own root or at an empty folder (the shim resolves the links on every call). EXDEV is
// on for roots under FAULTSHIM_EXDEV_DIR.
//
// Each case starts on a root left as the MSIX bug leaves it (stranded temps, a torn one), so
// startup's lock, rename probe, promotions and quarantine moves run under the symptom; then saves
// over HTTP, byte-exact on disk and over HTTP, no temp left, writeMode/tempCreateMode and counters,
// the Win32 codes in the server's log, a graceful restart under the same symptoms.
import fs from 'node:fs';
import path from 'node:path';

export const CASES = [
  // [name, eexist, enoent, exdev]
  ['none', false, false, false], // the control: every assertion below can tell a symptom from its absence
  ['eexist', true, false, false],
  ['enoent', false, true, false],
  ['eexist+exdev', true, false, true],
  ['enoent+exdev', false, true, true],
  ['eexist+enoent+exdev', true, true, true],
];

/** Points one switch symlink at `target`, atomically (a new link renamed over the old one). */
function aim(link, target) {
  const next = `${link}.next`;
  fs.rmSync(next, { force: true });
  fs.symlinkSync(target, next);
  fs.renameSync(next, link);
}

function documentOf(id, sequence, size) {
  let text = `{\r\n  "id": "${id}", "seq": ${sequence},\r\n  "messages": [`;
  for (let n = 0; text.length < size; n++) text += `${n ? ',' : ''}{"n":${n},"text":"${id} Grüße ✓ ${sequence}"}`;
  return `${text}]\r\n}`;
}

export async function msixSuite({ Server, group, check, note, freshDir, tmpLeft, disk, winpath, work, exdevDir }) {
  const switches = process.env.FAULTSHIM_SWITCHES;
  if (!switches) {
    check('msix: run-lane.sh set FAULTSHIM_SWITCHES (the symptom switches)', false);
    return;
  }
  const off = freshDir(path.join(work, 'msix-off'));

  for (const [name, eexist, enoent, exdev] of CASES) {
    const label = `msix ${name}`;
    const root = freshDir(path.join(exdev ? exdevDir : path.join(work, 'msix'), name));
    aim(path.join(switches, 'eexist'), eexist ? root : off);
    aim(path.join(switches, 'enoent'), enoent ? root : off);
    const renameRefused = enoent || exdev;
    const writeMode = renameRefused ? 'verified-copy' : 'atomic-rename';
    const tempCreateMode = eexist ? 'non-exclusive' : 'exclusive';

    // What the MSIX bug leaves behind.
    const expected = new Map([['local_a', documentOf('local_a', 1, 40_000)], ['local_c', documentOf('local_c', 2, 700_000)]]);
    fs.writeFileSync(path.join(root, 'local_a.json.tmp'), expected.get('local_a'));
    fs.writeFileSync(path.join(root, 'local_b.json.tmp'), documentOf('local_b', 1, 5_000).slice(0, 3_000));
    fs.writeFileSync(path.join(root, 'local_c.json'), documentOf('local_c', 1, 10_000));
    const old = new Date(Date.now() - 600_000);
    fs.utimesSync(path.join(root, 'local_c.json'), old, old);
    fs.writeFileSync(path.join(root, 'local_c.json.tmp'), expected.get('local_c'));

    const servedExactly = async (server, when) => {
      let same = 0;
      for (const [id, text] of expected) {
        const r = await server.get(id);
        if (r.status === 200 && r.bytes.equals(Buffer.from(text)) && disk(root, id).equals(Buffer.from(text))) same++;
      }
      const listed = (await server.request('GET', '/sessions')).json?.items?.length;
      check(`${label}: ${when}: all ${expected.size} sessions byte for byte over HTTP and on disk, no *.tmp left`,
        same === expected.size && listed === expected.size && tmpLeft(root).length === 0,
        `${same}/${expected.size} exact, ${listed} listed, temps: ${tmpLeft(root).join(' ')}`);
    };

    await group(label, async () => {
      let server = await Server.start(root);
      let saves = 0;
      try {
        const start = await server.diagnostics();
        check(`${label}: startup recovery under the symptom: 2 temps promoted, the torn one quarantined`,
          start.counters.recoveredTemps === 2 && start.counters.quarantinedFiles === 1
            && start.quarantined?.[0]?.originalName === 'local_b.json.tmp' && !fs.existsSync(path.join(root, 'local_b.json.tmp')),
          JSON.stringify({ counters: start.counters, quarantined: start.quarantined }));
        check(`${label}: the startup rename probe reports writeMode ${writeMode}`, start.writeMode === writeMode, start.writeMode);
        check(`${label}: physicalRoot is the root itself (no redirection)`, start.physicalRoot === winpath(root) && start.redirected === false,
          `${start.physicalRoot} ${start.redirected}`);
        await servedExactly(server, 'after startup');

        let statuses = [];
        for (const [id, sequence, size] of [['s1', 1, 2_000], ['s2', 1, 1_000_000], ['s1', 2, 300_000], ['s2', 2, 700], ['local_a', 2, 60_000]]) {
          const text = documentOf(id, sequence, size);
          const r = await server.put(id, text);
          statuses.push(r.status);
          expected.set(id, text);
          saves++;
        }
        check(`${label}: every save succeeds (201/200)`, statuses.every((s) => s === 200 || s === 201), statuses.join(' '));
        await servedExactly(server, 'after saves');
        const d = await server.diagnostics();
        check(`${label}: writeMode ${writeMode}, tempCreateMode ${tempCreateMode}`, d.writeMode === writeMode && d.tempCreateMode === tempCreateMode,
          `${d.writeMode} ${d.tempCreateMode}`);
        check(`${label}: counters: ${saves} saves, no failure, ${renameRefused ? 2 + saves : 0} verified copies, ${eexist ? 3 : 0} refused exclusive creates`,
          d.counters.saves === saves && d.counters.saveFailures === 0
            && d.counters.crossDeviceFallbacks === (renameRefused ? 2 + saves : 0)
            && d.counters.exclusiveCreateRefusals === (eexist ? 3 : 0),
          JSON.stringify(d.counters));
        if (eexist) {
          check(`${label}: the refused exclusive create arrives as Win32 80 ERROR_FILE_EXISTS (or 183)`,
            /refused as existing \(Win32 error (80|183)\)/.test(server.stderr), server.stderr.match(/refused as existing[^\n]*/)?.[0] ?? 'no such log line');
        }
        if (enoent) {
          check(`${label}: the refused rename arrives as Win32 2 ERROR_FILE_NOT_FOUND (or 3) and is taken for a refused rename`,
            /RenameRefusedException: MoveFileEx '[^']*' failed: [^\n]*\(Win32 error [23]\)/.test(server.stderr),
            server.stderr.match(/RenameRefusedException[^\n]*/)?.[0] ?? 'no RenameRefusedException in the log');
        }
        const second = await Server.start(root, [], { expectReady: false });
        const refused = await second.exited;
        check(`${label}: a second instance on the root is refused (the lock works under the symptom)`,
          refused.code !== 0 && second.stdout === '' && /SessionApi: cannot start: Storage root/.test(second.stderr), `${refused.code}`);
        const stopped = await server.stop();
        check(`${label}: SIGINT stops it with exit code 0`, stopped.code === 0, JSON.stringify(stopped));

        server = await Server.start(root);
        await servedExactly(server, 'after a restart');
        const text = documentOf('s1', 3, 80_000);
        const again = await server.put('s1', text);
        expected.set('s1', text);
        const after = await server.diagnostics();
        check(`${label}: after the restart: save 200, writeMode ${writeMode}, tempCreateMode ${tempCreateMode}, nothing recovered twice`,
          again.status === 200 && after.writeMode === writeMode && after.tempCreateMode === tempCreateMode
            && after.counters.recoveredTemps === 0 && after.counters.quarantinedFiles === 0 && after.quarantined.length === 1,
          `${again.status} ${after.writeMode} ${after.tempCreateMode} ${JSON.stringify(after.counters)}`);
        await servedExactly(server, 'after the restart save');
      } finally {
        await server.stop();
      }
    });
  }
  aim(path.join(switches, 'eexist'), off);
  aim(path.join(switches, 'enoent'), off);

  await group('msix: a root behind a symlink', async () => {
    const real = freshDir(path.join(work, 'msix-real'));
    const link = path.join(work, 'msix-link');
    fs.rmSync(link, { force: true });
    fs.symlinkSync(real, link);
    const server = await Server.start(link);
    try {
      const d = await server.diagnostics();
      note(`symlinked root: root ${d.root}, physicalRoot ${d.physicalRoot}, redirected ${d.redirected}`);
      check('msix: a symlinked root shows redirected: true and the real path (GetFinalPathNameByHandle)',
        d.root === winpath(link) && d.physicalRoot === winpath(real) && d.redirected === true, JSON.stringify(d));
    } finally {
      await server.stop();
    }
  });
}
