// The lane's environment (from run-lane.sh) and the TAP-like report of e2e.mjs: one "ok - ..." /
// "not ok - ..." line per check, "# ..." notes, and the counts the suite ends with.
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export const WINE = need('WINE');
export const EXE = need('SESSIONAPI_EXE');
export const HOLDER = need('FILEHOLDER_EXE');
export const WORK = need('LANE_WORK');
export const EXDEV = need('FAULTSHIM_EXDEV_DIR');
export const TOKEN = randomBytes(24).toString('hex');
export const ONLY = (process.env.PHASES ?? 'plain exdev sharing windows msix').split(/\s+/).filter(Boolean);

export let passed = 0;
export let failed = 0;
/** Every Windows process this suite started and that has not exited: killed when node exits. */
export const live = new Set();

function need(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`e2e: ${name} is not set (run tests/wine/run-lane.sh)`);
    process.exit(2);
  }
  return value;
}

/** Linux path -> what the Windows program sees (Wine maps Z: to /). */
export const winpath = (p) => 'Z:' + path.resolve(p).replaceAll('/', '\\');

export function check(name, condition, detail = '') {
  if (condition) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `: ${detail}` : ''}`);
  }
  return condition;
}

export function note(text) {
  console.log(`# ${text}`);
}

/** Runs one named group; an exception fails it without stopping the others. */
export async function group(name, body) {
  note(`--- ${name}`);
  const t = Date.now();
  try {
    await body();
  } catch (e) {
    check(`${name}: completes without an unexpected error`, false, e?.stack ?? String(e));
  }
  note(`(${name}: ${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
