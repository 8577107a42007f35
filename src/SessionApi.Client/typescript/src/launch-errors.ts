/**
 * How a launch fails: the exit codes of the process contract, the {@link SessionApiLaunchError} the
 * launcher rejects or emits with, and the reading of an exit that came before the ready line.
 */

/** The process exit codes of SessionApi (its process contract). */
export const SessionApiExitCode = {
  ok: 0,
  /** Anything unexpected: worth a restart. */
  failure: 1,
  /** Invalid configuration or command line: a restart would fail the same way. */
  configurationError: 2,
  /** Valid configuration, but it cannot start: the storage root is held by another SessionApi. */
  rootInUse: 3,
} as const;

export type SessionApiLaunchErrorCode =
  | "spawn_failed"
  | "exited_before_ready"
  /** Exit code 2 before the ready line: fix the options; never restarted. */
  | "configuration_error"
  /** Exit code 3 before the ready line: another SessionApi holds the storage root; never restarted. */
  | "root_in_use"
  | "ready_timeout"
  | "bad_ready_line"
  | "crash_budget_exhausted"
  | "stopped";

export class SessionApiLaunchError extends Error {
  readonly code: SessionApiLaunchErrorCode;
  /** The last stderr lines of the process, the usual place for the reason. */
  readonly stderrTail: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;

  constructor(code: SessionApiLaunchErrorCode, message: string, init: { stderrTail?: string; exitCode?: number | null; signal?: NodeJS.Signals | null; cause?: unknown } = {}) {
    const tail = init.stderrTail ?? "";
    super(tail ? `${message}\n--- SessionApi stderr (last lines) ---\n${tail}` : message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "SessionApiLaunchError";
    this.code = code;
    this.stderrTail = tail;
    this.exitCode = init.exitCode ?? null;
    this.signal = init.signal ?? null;
  }
}

/** A process exit seen before the ready line. */
export interface EarlyExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** true when `stop()` asked for it. */
  expected: boolean;
  /** The last stderr lines, oldest first. */
  stderrTail: readonly string[];
}

/** Why a start failed, from the exit code the process contract documents and its last stderr line. */
export function launchErrorForEarlyExit({ pid, code, signal, expected, stderrTail }: EarlyExit): SessionApiLaunchError {
  const init = { stderrTail: stderrTail.join("\n"), exitCode: code, signal };
  if (expected) return new SessionApiLaunchError("stopped", `SessionApi (pid ${pid}) was stopped before it was ready.`, init);
  const reason = stderrTail.at(-1) ?? "(no message on stderr)";
  if (code === SessionApiExitCode.configurationError) {
    return new SessionApiLaunchError("configuration_error", `SessionApi refused its configuration (exit code 2): ${reason}`, init);
  }
  if (code === SessionApiExitCode.rootInUse) {
    return new SessionApiLaunchError("root_in_use", `SessionApi cannot start: its storage root is in use by another SessionApi (exit code 3): ${reason}`, init);
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return new SessionApiLaunchError("exited_before_ready", `SessionApi (pid ${pid}) ${how} before it was ready.`, init);
}
