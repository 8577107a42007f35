// Shared test helpers. Server tests run against the REAL published SessionApi:
//   SESSIONAPI_EXE=/path/to/SessionApi  (default ../../../artifacts/publish/linux-x64/SessionApi,
//   produced by `npm run server:publish`). A path ending in .dll runs through `dotnet <dll>`.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const defaultExe = resolve(packageDir, "../../../artifacts/publish/linux-x64/SessionApi");
export const serverExe = process.env.SESSIONAPI_EXE ? resolve(process.env.SESSIONAPI_EXE) : defaultExe;

/** `{ skip: reason }` for node:test when the real server is not there; an explicit SESSIONAPI_EXE that is missing fails instead. */
export function serverSkip() {
  if (existsSync(serverExe)) return {};
  if (process.env.SESSIONAPI_EXE) throw new Error(`SESSIONAPI_EXE=${process.env.SESSIONAPI_EXE} does not exist`);
  return { skip: `SessionApi not published at ${serverExe} (npm run server:publish, or set SESSIONAPI_EXE)` };
}

/** executable + args for the launcher. */
export function serverCommand() {
  return serverExe.endsWith(".dll") ? { executable: "dotnet", args: [serverExe] } : { executable: serverExe, args: [] };
}

const roots = [];
export function tempDir(prefix = "sessionapi-test-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
}
export function cleanupTempDirs() {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

export async function waitFor(predicate, { timeoutMs = 10_000, intervalMs = 50, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves with the event's first argument; rejects after timeoutMs. */
export function nextEvent(emitter, event, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    function onEvent(value) {
      clearTimeout(timer);
      resolve(value);
    }
    emitter.once(event, onEvent);
  });
}

/** argv and environment of a live process, as the OS reports them (Linux /proc). */
export function procArgv(pid) {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
}
export function procEnv(pid) {
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, "utf8")
      .split("\0")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}
