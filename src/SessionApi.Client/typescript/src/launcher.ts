/**
 * Starts and supervises the SessionApi companion process from the Electron main process (or any
 * plain Node process: no Electron dependency).
 *
 * The process contract (docs/DESIGN.md, "Process contract"):
 * - the bearer token goes in the ENVIRONMENT (`SESSIONAPI_TOKEN`), never in argv: argv is readable
 *   by every process of the user (`ps`, /proc/<pid>/cmdline, Task Manager), the environment is not;
 * - `--parent-pid <our pid>` makes the server exit by itself if we die without stopping it;
 * - the server prints exactly one JSON ready line on stdout (`{"event":"ready","url":...}`);
 * - closing its stdin or SIGTERM stops it gracefully (in-flight saves complete).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createInterface } from "node:readline";
import { checkSessionApiExecutable } from "./executable.js";

export * from "./executable.js";

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

/** The process exit codes of SessionApi (its process contract). */
export const SessionApiExitCode = {
  ok: 0,
  /** Anything unexpected: worth a restart. */
  failure: 1,
  /** Invalid configuration or command line: a restart would fail the same way. */
  configurationError: 2,
  /** Valid configuration, but it cannot start: the storage root is held by another SessionApi. */
  startupError: 3,
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

export type SessionApiState = "idle" | "starting" | "running" | "restarting" | "stopping" | "stopped" | "failed";

export interface SessionApiProcessEvents {
  ready: [ReadyEvent];
  restart: [RestartEvent];
  exit: [ExitEvent];
  error: [SessionApiLaunchError];
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Starts SessionApi and resolves once it printed its ready line. Rejects with {@link SessionApiLaunchError}. */
export async function startSessionApi(options: StartSessionApiOptions): Promise<SessionApiProcess> {
  const server = new SessionApiProcess(options);
  await server.start();
  return server;
}

/**
 * One supervised SessionApi. Events: `ready` (each start, restarts included), `restart` (a crash
 * was seen; a new start is scheduled), `exit` (every exit), `error` (the crash budget is spent or
 * a restart failed for good; the process is not restarted any more). `error` is only emitted when
 * someone listens, so an unobserved failure cannot crash the Electron main process; `lastError`
 * and `state === "failed"` always tell.
 */
export class SessionApiProcess extends EventEmitter<SessionApiProcessEvents> {
  readonly token: string;
  #options: Required<Pick<StartSessionApiOptions, "readyTimeoutMs" | "stopGraceMs" | "stderrTailLines" | "parentPid">> & StartSessionApiOptions;
  #budget: CrashBudget;
  #backoff: Required<BackoffOptions>;
  #state: SessionApiState = "idle";
  #child: ChildProcess | undefined;
  #ready: ReadyEvent | undefined;
  #crashes: number[] = [];
  #restarts = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #stderrTail: string[] = [];
  #lastError: SessionApiLaunchError | undefined;
  #exitHook = () => {
    // Last resort when the app quits without stop(): the server would notice through --parent-pid
    // and the closed stdin pipe anyway, but do not leave it behind even for a moment.
    this.#child?.kill("SIGKILL");
  };

  constructor(options: StartSessionApiOptions) {
    super();
    if (!options.executable) throw new TypeError("startSessionApi: executable is required");
    this.#options = {
      readyTimeoutMs: 20_000,
      stopGraceMs: 5_000,
      stderrTailLines: 20,
      parentPid: process.pid,
      ...options,
    };
    this.#budget = { maxCrashes: 3, windowMs: 60_000, ...options.crashBudget };
    this.#backoff = { initialMs: 250, maxMs: 5_000, factor: 2, ...options.backoff };
    this.token = options.token ?? randomBytes(32).toString("base64url");
  }

  get state(): SessionApiState {
    return this.#state;
  }

  /** The running server's url; throws when it is not running (e.g. between a crash and its restart). */
  get url(): string {
    if (!this.#ready || this.#state !== "running") throw new Error(`SessionApi is not running (state: ${this.#state})`);
    return this.#ready.url;
  }

  /** `{ url, token }` for the renderer, or undefined while not running. */
  get connection(): SessionApiConnection | undefined {
    return this.#ready && this.#state === "running" ? { url: this.#ready.url, token: this.token } : undefined;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get version(): string | undefined {
    return this.#ready?.version;
  }

  get lastError(): SessionApiLaunchError | undefined {
    return this.#lastError;
  }

  /** The arguments the launcher passes (after `args`). Exposed for diagnostics and tests; holds no secret. */
  get argv(): string[] {
    const o = this.#options;
    const args = [...(o.args ?? [])];
    args.push("--parent-pid", String(o.parentPid));
    if (!args.some((a) => a === "--urls" || a.startsWith("--urls="))) {
      // The contract's default, said explicitly so an inherited ASPNETCORE_URLS cannot move it.
      args.push("--urls=http://127.0.0.1:0");
    }
    if (o.storageRoot !== undefined) args.push(`--Storage:Root=${o.storageRoot}`);
    (o.allowedOrigins ?? []).forEach((origin, i) => args.push(`--Security:AllowedOrigins:${i}=${origin}`));
    return args;
  }

  /** First start. Resolves on the ready line; rejects (and leaves nothing running) otherwise. */
  async start(): Promise<ReadyEvent> {
    if (this.#state !== "idle") throw new Error(`SessionApi already started (state: ${this.#state})`);
    if (this.#options.killOnExit !== false) process.on("exit", this.#exitHook);
    try {
      this.#checkExecutable();
      return await this.#launch();
    } catch (error) {
      this.#state = "failed";
      this.#lastError = error as SessionApiLaunchError;
      process.off("exit", this.#exitHook);
      throw error;
    }
  }

  /**
   * Graceful stop: close stdin and send SIGTERM (POSIX), wait up to `stopGraceMs` for the server to
   * finish in-flight saves and exit, then SIGKILL. On Windows a "signal" is TerminateProcess, so
   * there only the stdin close is graceful and the kill waits for the grace period.
   */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean }> {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const child = this.#child;
    const previous = this.#state;
    this.#state = "stopping";
    process.off("exit", this.#exitHook);
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.#state = previous === "failed" ? "failed" : "stopped";
      return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null, forced: false };
    }
    const exited = waitForExit(child);
    child.stdin?.end();
    if (process.platform !== "win32") child.kill("SIGTERM");
    let forced = false;
    const graceful = await Promise.race([exited.then(() => true), delay(this.#options.stopGraceMs).then(() => false)]);
    if (!graceful) {
      forced = true;
      child.kill("SIGKILL");
    }
    const { code, signal } = await exited;
    this.#state = "stopped";
    return { code, signal, forced };
  }

  /** A path (not a bare command such as `dotnet`) is checked first: a clear reason beats spawn's ENOENT/EACCES. */
  #checkExecutable(): void {
    const executable = this.#options.executable;
    if (!/[\\/]/.test(executable)) return;
    try {
      checkSessionApiExecutable(executable);
    } catch (cause) {
      throw new SessionApiLaunchError("spawn_failed", `Could not start ${executable}: ${(cause as Error).message}`, { cause });
    }
  }

  #tail(): string {
    return this.#stderrTail.join("\n");
  }

  #launch(): Promise<ReadyEvent> {
    const o = this.#options;
    this.#state = this.#restarts === 0 ? "starting" : "restarting";
    this.#stderrTail = [];
    this.#ready = undefined;

    return new Promise<ReadyEvent>((resolve, reject) => {
      let settled = false;
      let child: ChildProcess;
      try {
        child = spawn(o.executable, this.argv, {
          cwd: o.cwd,
          env: { ...process.env, ...o.env, SESSIONAPI_TOKEN: this.token },
          stdio: [o.stdin === "inherit" ? "inherit" : "pipe", "pipe", "pipe"],
          windowsHide: true,
        });
      } catch (cause) {
        reject(new SessionApiLaunchError("spawn_failed", `Could not start ${o.executable}: ${String(cause)}`, { cause }));
        return;
      }
      this.#child = child;
      // Our end of a closed stdin pipe must not throw into the app (EPIPE after the child died).
      child.stdin?.on("error", () => {});

      const fail = (error: SessionApiLaunchError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        reject(error);
      };

      const timer = setTimeout(() => {
        fail(new SessionApiLaunchError("ready_timeout", `SessionApi (pid ${child.pid}) did not print its ready line within ${o.readyTimeoutMs} ms.`, { stderrTail: this.#tail() }));
      }, o.readyTimeoutMs);

      const stderr = createInterface({ input: child.stderr!, crlfDelay: Infinity });
      stderr.on("line", (line) => {
        this.#stderrTail.push(line);
        if (this.#stderrTail.length > o.stderrTailLines) this.#stderrTail.shift();
        o.onOutput?.(line, "stderr");
      });

      // stdout: exactly one ready line matters. Anything before it that is not the ready line is
      // passed on as output; after it, stdout is still drained (a full pipe would block the server).
      const stdout = createInterface({ input: child.stdout!, crlfDelay: Infinity });
      stdout.on("line", (line) => {
        if (settled) {
          o.onOutput?.(line, "stdout");
          return;
        }
        const ready = parseReadyLine(line);
        if (ready === undefined) {
          o.onOutput?.(line, "stdout");
          return;
        }
        if (typeof ready === "string") {
          fail(new SessionApiLaunchError("bad_ready_line", `SessionApi printed an unusable ready line (${ready}): ${line.slice(0, 300)}`, { stderrTail: this.#tail() }));
          return;
        }
        settled = true;
        clearTimeout(timer);
        const event: ReadyEvent = { url: ready.url, token: this.token, pid: ready.pid ?? child.pid ?? -1, version: ready.version, restarts: this.#restarts };
        this.#ready = event;
        this.#state = "running";
        resolve(event);
        this.emit("ready", event);
      });

      child.on("error", (cause) => {
        fail(new SessionApiLaunchError("spawn_failed", `Could not start ${o.executable}: ${cause.message}`, { cause, stderrTail: this.#tail() }));
      });

      child.on("exit", (code, signal) => {
        const expected = this.#state === "stopping";
        const pid = child.pid ?? -1;
        if (!settled) {
          // Give stderr a moment to deliver its last lines: they usually say why.
          const explain = () => fail(this.#exitedBeforeReady(pid, code, signal, expected));
          if (child.stderr && !child.stderr.readableEnded) {
            const t = setTimeout(explain, 250);
            child.stderr.once("end", () => {
              clearTimeout(t);
              explain();
            });
          } else {
            explain();
          }
        }
        this.emit("exit", { pid, code, signal, expected });
        if (this.#child === child && !expected && this.#state === "running") this.#onCrash(code, signal);
      });
    });
  }

  /** Why a start failed, from the exit code the process contract documents and its last stderr line. */
  #exitedBeforeReady(pid: number, code: number | null, signal: NodeJS.Signals | null, expected: boolean): SessionApiLaunchError {
    const init = { stderrTail: this.#tail(), exitCode: code, signal };
    if (expected) return new SessionApiLaunchError("stopped", `SessionApi (pid ${pid}) was stopped before it was ready.`, init);
    const reason = this.#stderrTail.at(-1) ?? "(no message on stderr)";
    if (code === SessionApiExitCode.configurationError) {
      return new SessionApiLaunchError("configuration_error", `SessionApi refused its configuration (exit code 2): ${reason}`, init);
    }
    if (code === SessionApiExitCode.startupError) {
      return new SessionApiLaunchError("root_in_use", `SessionApi cannot start: its storage root is in use by another SessionApi (exit code 3): ${reason}`, init);
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return new SessionApiLaunchError("exited_before_ready", `SessionApi (pid ${pid}) ${how} before it was ready.`, init);
  }

  #onCrash(code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    this.#crashes = this.#crashes.filter((t) => now - t < this.#budget.windowMs);
    this.#crashes.push(now);
    const crashes = this.#crashes.length;
    if (crashes > this.#budget.maxCrashes) {
      this.#giveUp(
        new SessionApiLaunchError(
          "crash_budget_exhausted",
          `SessionApi crashed ${crashes} times within ${this.#budget.windowMs} ms (budget ${this.#budget.maxCrashes}); not restarting it. Last exit: ${signal ?? `code ${code}`}.`,
          { stderrTail: this.#tail(), exitCode: code, signal },
        ),
      );
      return;
    }
    const delayMs = Math.min(this.#backoff.maxMs, this.#backoff.initialMs * this.#backoff.factor ** (crashes - 1));
    this.#state = "restarting";
    this.#ready = undefined;
    this.emit("restart", { crashes, delayMs, code, signal });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (this.#state !== "restarting") return; // stop() came first
      this.#restarts++;
      this.#launch().catch((error: SessionApiLaunchError) => {
        if (error.code === "stopped" || this.#state === "stopping" || this.#state === "stopped") return;
        if (error.code === "configuration_error" || error.code === "root_in_use") {
          // Restarting cannot help: say why once instead of spending the crash budget.
          this.#giveUp(error);
          return;
        }
        // A restart that never got ready is one more crash, with the same budget and backoff.
        this.#onCrash(error.exitCode, error.signal);
        if ((this.#state as SessionApiState) === "failed" && this.#lastError) {
          // Keep the reason the restart failed visible in the final error.
          this.#lastError.cause ??= error;
        }
      });
    }, delayMs);
    this.#restartTimer.unref?.();
  }

  #giveUp(error: SessionApiLaunchError): void {
    this.#state = "failed";
    this.#ready = undefined;
    this.#lastError = error;
    process.off("exit", this.#exitHook);
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }
}

interface ReadyLine {
  url: string;
  pid?: number;
  version?: string;
}

/** undefined: not a ready line; string: a ready line that cannot be used (why); else the line. */
function parseReadyLine(line: string): ReadyLine | string | undefined {
  const text = line.trim();
  if (!text.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || (value as { event?: unknown }).event !== "ready") return undefined;
  const { url, pid, version } = value as { url?: unknown; pid?: unknown; version?: unknown };
  if (typeof url !== "string") return "no url";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "url is not a URL";
  }
  // The token is about to be handed to whoever listens at this url: only ever a loopback one.
  if (parsed.protocol !== "http:" || !loopbackHosts.has(parsed.hostname)) return "url is not http on loopback";
  return {
    url: url.replace(/\/+$/, ""),
    ...(typeof pid === "number" ? { pid } : {}),
    ...(typeof version === "string" ? { version } : {}),
  };
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
