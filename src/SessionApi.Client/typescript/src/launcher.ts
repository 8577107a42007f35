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
import { stopGracefully } from "./graceful-stop.js";
import { launchArguments } from "./launch-arguments.js";
import { SessionApiLaunchError, launchErrorForEarlyExit } from "./launch-errors.js";
import type { ReadyEvent, SessionApiConnection, SessionApiProcessEvents, SessionApiState, StartSessionApiOptions } from "./launcher-types.js";
import { parseReadyLine } from "./ready-line.js";
import { RestartPolicy } from "./restart-policy.js";

export * from "./executable.js";
export { SessionApiExitCode, SessionApiLaunchError, type SessionApiLaunchErrorCode } from "./launch-errors.js";
export type { BackoffOptions, CrashBudget, ExitEvent, ReadyEvent, RestartEvent, SessionApiConnection } from "./launcher-types.js";
export type { SessionApiProcessEvents, SessionApiState, StartSessionApiOptions } from "./launcher-types.js";

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
  #restartPolicy: RestartPolicy;
  #state: SessionApiState = "idle";
  #child: ChildProcess | undefined;
  #ready: ReadyEvent | undefined;
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
    this.#restartPolicy = new RestartPolicy(options.crashBudget, options.backoff);
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
    return launchArguments(this.#options);
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
    const stopped = await stopGracefully(child, this.#options.stopGraceMs);
    this.#state = "stopped";
    return stopped;
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
          const explain = () => fail(launchErrorForEarlyExit({ pid, code, signal, expected, stderrTail: this.#stderrTail }));
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

  #onCrash(code: number | null, signal: NodeJS.Signals | null): void {
    const { crashes, delayMs } = this.#restartPolicy.recordCrash(Date.now());
    if (delayMs === undefined) {
      const { maxCrashes, windowMs } = this.#restartPolicy.budget;
      this.#giveUp(
        new SessionApiLaunchError(
          "crash_budget_exhausted",
          `SessionApi crashed ${crashes} times within ${windowMs} ms (budget ${maxCrashes}); not restarting it. Last exit: ${signal ?? `code ${code}`}.`,
          { stderrTail: this.#tail(), exitCode: code, signal },
        ),
      );
      return;
    }
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
