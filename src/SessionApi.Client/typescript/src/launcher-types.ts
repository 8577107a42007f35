/**
 * The launcher's vocabulary: the options of `startSessionApi`, and the connection, events and
 * states of a supervised `SessionApiProcess`. Types only.
 */
import type { SessionApiLaunchError } from "./launch-errors.js";

export interface CrashBudget {
  /** How many crashes within `windowMs` are restarted; one more inside the window is fatal. Default 3. */
  maxCrashes: number;
  /** The sliding window, in ms. Default 60 000. */
  windowMs: number;
}

export interface BackoffOptions {
  /** Delay before the first restart, in ms. Default 250. */
  initialMs: number;
  /** Upper bound of the delay, in ms. Default 5 000. */
  maxMs: number;
  /** Growth per crash in the window. Default 2. */
  factor?: number;
}

export interface StartSessionApiOptions {
  /** The published SessionApi executable (or `dotnet`, with `args: ["run", "--project", ..., "--"]`). */
  executable: string;
  /** Arguments placed before the ones the launcher adds. */
  args?: readonly string[];
  /** `--Storage:Root=<dir>`: the session folder. Omitted: the server's per-user default. */
  storageRoot?: string;
  /** `--Security:AllowedOrigins:<i>=<origin>`: origins whose requests the server accepts (CORS). */
  allowedOrigins?: readonly string[];
  /** How long to wait for the ready line, in ms. Default 20 000. */
  readyTimeoutMs?: number;
  crashBudget?: Partial<CrashBudget>;
  backoff?: Partial<BackoffOptions>;
  /** How long `stop()` waits for a graceful exit before SIGKILL, in ms. Default 5 000. */
  stopGraceMs?: number;
  /** Extra environment, merged over `process.env`. `SESSIONAPI_TOKEN` is always set by the launcher. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The pid the server watches (`--parent-pid`). Default `process.pid`. */
  parentPid?: number;
  /** The bearer token. Default: 32 fresh crypto-random bytes, base64url. Kept across restarts. */
  token?: string;
  /**
   * `"pipe"` (default): the launcher owns the child's stdin and closes it to stop the server; if
   * this process dies the pipe closes too, a second way for the server to notice.
   * `"inherit"`: the child shares our stdin (tests use it to isolate the `--parent-pid` watchdog).
   */
  stdin?: "pipe" | "inherit";
  /** Every stdout line other than the ready line, and every stderr line (logs). */
  onOutput?: (line: string, stream: "stdout" | "stderr") => void;
  /** How many stderr lines error messages quote. Default 20. */
  stderrTailLines?: number;
  /** SIGKILL the child if this process exits without calling `stop()`. Default true. */
  killOnExit?: boolean;
}

export interface SessionApiConnection {
  /** Base URL from the ready line, e.g. `http://127.0.0.1:54321`. Changes after a restart. */
  url: string;
  /** Bearer token. Stays the same across restarts. */
  token: string;
}

export interface ReadyEvent extends SessionApiConnection {
  pid: number;
  version: string | undefined;
  /** 0 for the first start, then 1, 2, ... for each restart. */
  restarts: number;
}

export interface RestartEvent {
  /** Crashes counted in the current window (1 = first crash). */
  crashes: number;
  delayMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ExitEvent {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** true when `stop()` asked for it. */
  expected: boolean;
}

export type SessionApiState = "idle" | "starting" | "running" | "restarting" | "stopping" | "stopped" | "failed";

export interface SessionApiProcessEvents {
  ready: [ReadyEvent];
  restart: [RestartEvent];
  exit: [ExitEvent];
  error: [SessionApiLaunchError];
}
