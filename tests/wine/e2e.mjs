// End-to-end suite for the win-x64 SessionApi.exe under Wine (issue 6). Started by run-lane.sh,
// which sets up Wine, the fault shim and the published binary; run it through that script.
//
// Every server is started the way the Electron main process starts it: the token in the
// environment (SESSIONAPI_TOKEN), port 0, stdin a pipe, and the ready line read from stdout.
// Phases:
//   plain    the HTTP/process contract and startup recovery on an ordinary root
//   exdev    the same with every rename into the root refused by the OS (ERROR_NOT_SAME_DEVICE via
//            the fault shim in the wineserver: the MSIX case)
//   sharing  another Windows process holds the document (FileShare.None): retried, or 503 with the
//            previous version intact once the retry budget is spent; on both kinds of root
//   windows  other Windows-only behaviour: the read-only attribute, paths near MAX_PATH, device
//            names, the single-instance lock
//   msix     every reported MSIX symptom alone and combined with EXDEV (msix.mjs)
//
// Env (from run-lane.sh): WINE, SESSIONAPI_EXE, FILEHOLDER_EXE, LANE_WORK (plain roots),
// FAULTSHIM_EXDEV_DIR (roots under it refuse renames); the wine environment (WINEPREFIX,
// LD_PRELOAD, ...) is passed through to every process.
// Output: "ok - ..." / "not ok - ..." per check, then one line "N passed, N failed".
//
// Modules: lane.mjs (environment, check/note/group and the counts), server.mjs (the Windows
// processes), fixtures.mjs (documents, disk checks), contract.mjs, windows.mjs, msix.mjs (phases).
import path from 'node:path';
import { contractSuite } from './contract.mjs';
import { disk, freshDir, tmpLeft } from './fixtures.mjs';
import { EXDEV, ONLY, WORK, check, failed, group, live, note, passed, winpath } from './lane.mjs';
import { msixSuite } from './msix.mjs';
import { Server } from './server.mjs';
import { sharingSuite, windowsSuite } from './windows.mjs';

// ---------------------------------------------------------------------------------------------

const started = Date.now();
process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });
try {
  if (ONLY.includes('plain')) {
    await contractSuite('plain', path.join(WORK, 'plain'), false);
  }
  if (ONLY.includes('exdev')) {
    await contractSuite('rename refused', path.join(EXDEV, 'suite'), true);
  }
  if (ONLY.includes('sharing')) {
    await sharingSuite('sharing', path.join(WORK, 'share'), false);
    await sharingSuite('sharing, rename refused', path.join(EXDEV, 'share'), true);
  }
  if (ONLY.includes('windows')) {
    await windowsSuite();
  }
  if (ONLY.includes('msix')) {
    await msixSuite({ Server, group, check, note, freshDir, tmpLeft, disk, winpath, work: WORK, exdevDir: EXDEV });
  }
} catch (e) {
  check('the suite runs to the end', false, e?.stack ?? String(e));
}
note(`suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
