/**
 * Stopping a child process the way the process contract allows: gracefully first (stdin closed,
 * SIGTERM), SIGKILL once a grace period is over.
 */
import type { ChildProcess } from "node:child_process";

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Closes the child's stdin and sends SIGTERM (POSIX), waits up to `graceMs` for it to exit, then
 * SIGKILLs it. On Windows a "signal" is TerminateProcess, so there only the stdin close is
 * graceful. Resolves once the child has exited; `forced` tells whether SIGKILL was needed.
 */
export async function stopGracefully(child: ChildProcess, graceMs: number): Promise<ChildExit & { forced: boolean }> {
  const exited = waitForExit(child);
  child.stdin?.end();
  if (process.platform !== "win32") child.kill("SIGTERM");
  let forced = false;
  const graceful = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]);
  if (!graceful) {
    forced = true;
    child.kill("SIGKILL");
  }
  const { code, signal } = await exited;
  return { code, signal, forced };
}

function waitForExit(child: ChildProcess): Promise<ChildExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
