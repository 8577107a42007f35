/**
 * When a crashed SessionApi is restarted: the crash budget (how many crashes within a sliding
 * window are restarted) and the backoff (how long to wait before each restart).
 */
import type { BackoffOptions, CrashBudget } from "./launcher-types.js";

export class RestartPolicy {
  readonly budget: CrashBudget;
  readonly #backoff: Required<BackoffOptions>;
  /** When each crash in the window happened (ms since the epoch), oldest first. */
  #crashes: number[] = [];

  constructor(budget: Partial<CrashBudget> | undefined, backoff: Partial<BackoffOptions> | undefined) {
    this.budget = { maxCrashes: 3, windowMs: 60_000, ...budget };
    this.#backoff = { initialMs: 250, maxMs: 5_000, factor: 2, ...backoff };
  }

  /**
   * Counts a crash that happened at `now`. Returns the crashes in the window (this one included)
   * and the delay before the restart, or `delayMs: undefined` when the budget is spent: no restart.
   */
  recordCrash(now: number): { crashes: number; delayMs: number | undefined } {
    this.#crashes = this.#crashes.filter((t) => now - t < this.budget.windowMs);
    this.#crashes.push(now);
    const crashes = this.#crashes.length;
    if (crashes > this.budget.maxCrashes) return { crashes, delayMs: undefined };
    return { crashes, delayMs: Math.min(this.#backoff.maxMs, this.#backoff.initialMs * this.#backoff.factor ** (crashes - 1)) };
  }
}
