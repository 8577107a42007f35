/**
 * `watchSessions`: the renderer's view of `GET /events`, the server's Server-Sent Events stream of
 * every save and delete. Built on `fetch` (through the generated client, so the bearer token goes in
 * the Authorization header: the browser's EventSource cannot send one, and the token must never go
 * into a URL) and eventsource-parser for the wire format. Reconnects with backoff and resumes with
 * `Last-Event-ID`; the server answers `reset` when it cannot replay what was missed.
 *
 * Browser-safe: no Node APIs.
 */
import type { Client } from "openapi-fetch";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { components, paths } from "./generated/schema.js";
import { SessionApiError } from "./errors.js";

type Schemas = components["schemas"];

/** `saved`, `deleted` or `reset`. */
export type SessionEventType = Schemas["SessionEventType"];
/** The data of a `deleted` event. */
export type DeletedSession = Schemas["DeletedSession"];
/** The data of a `reset` event: list the sessions again (`reason`: a ResetReason). */
export type StreamReset = Schemas["StreamReset"];

/**
 * One event of `GET /events`: the document's `SessionEvent`, a union discriminated by `event`
 * (`SavedEvent` with the `SessionInfo`, `DeletedEvent` with `{ id }`, `ResetEvent` with `{ reason }`).
 * `id` is the event id: pass it as `lastEventId` to resume after this event.
 */
export type SessionEvent = Schemas["SessionEvent"];

export interface WatchStatus {
  /** `connected`: the stream is open; `reconnecting`: it dropped or could not be opened, next try after `delayMs`. */
  state: "connected" | "reconnecting";
  /** Consecutive failed attempts so far (0 once connected). */
  attempt: number;
  delayMs?: number;
  error?: SessionApiError;
}

export interface WatchOptions {
  /** Called for every event, in order; the next event waits for a returned promise. */
  onEvent: (event: SessionEvent) => void | Promise<void>;
  /** Stops watching: the promise of `watchSessions` then resolves. */
  signal?: AbortSignal;
  /** Resume after this event id (one an earlier watch received) instead of starting with a reset. */
  lastEventId?: string;
  /** Connection state changes, for a status line. */
  onStatus?: (status: WatchStatus) => void;
  /** First reconnect delay in ms (default 250), doubled per failure up to `maxRetryDelayMs` (default 10,000). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * A stream silent for this long is taken for dead and reopened (default 45,000 ms: three of the
   * server's 15 s heartbeats). Catches a connection that died without closing (sleep, network change).
   */
  idleTimeoutMs?: number;
}

/**
 * Runs until `signal` aborts (resolves) or the server refuses the watcher for good (rejects with a
 * `SessionApiError`: `unauthorized`, `origin_not_allowed`, ...). Dropped connections and a
 * restarting server are retried.
 */
export async function watchSessions(raw: Client<paths>, options: WatchOptions): Promise<void> {
  const { onEvent, signal } = options;
  const firstDelay = options.retryDelayMs ?? 250;
  const maxDelay = options.maxRetryDelayMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  let lastEventId = options.lastEventId;
  let failures = 0;

  while (!signal?.aborted) {
    const attempt = new AbortController();
    const abortAttempt = () => attempt.abort(signal?.reason);
    signal?.addEventListener("abort", abortAttempt, { once: true });
    let error: SessionApiError | undefined;
    try {
      const { data, error: problem, response } = await raw.GET("/events", {
        params: { header: { "Last-Event-ID": lastEventId } },
        headers: { Accept: "text/event-stream" },
        parseAs: "stream",
        signal: attempt.signal,
      });
      if (!response.ok || !data) {
        const refused = SessionApiError.fromResponse(response, problem);
        if (isRefusedForGood(refused)) throw refused;
        error = refused;
      } else {
        failures = 0;
        options.onStatus?.({ state: "connected", attempt: 0 });
        await readEvents(data, attempt, idleTimeoutMs, async (event) => {
          await onEvent(event);
          lastEventId = event.id;
        });
      }
    } catch (caught) {
      if (caught instanceof SessionApiError && isRefusedForGood(caught)) throw caught;
      if (signal?.aborted) break;
      error = caught instanceof SessionApiError ? caught : SessionApiError.network(caught);
    } finally {
      signal?.removeEventListener("abort", abortAttempt);
      attempt.abort();
    }
    if (signal?.aborted) break;

    // The stream ended (the server stopped or dropped this watcher) or could not be opened.
    failures++;
    const delayMs = Math.min(maxDelay, firstDelay * 2 ** Math.min(failures - 1, 16));
    options.onStatus?.({ state: "reconnecting", attempt: failures, delayMs, ...(error ? { error } : {}) });
    await sleep(delayMs, signal);
  }
}

/** 4xx but 429: the token, the origin or the request is refused; retrying cannot help. */
function isRefusedForGood(error: SessionApiError): boolean {
  return error.status >= 400 && error.status < 500 && error.status !== 429;
}

/** Parses the stream until it ends, handing each known event to `deliver` in order. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  attempt: AbortController,
  idleTimeoutMs: number,
  deliver: (event: SessionEvent) => Promise<void>,
): Promise<void> {
  const pending: SessionEvent[] = [];
  const parser = createParser({
    onEvent(message) {
      const event = toSessionEvent(message);
      if (event) pending.push(event);
    },
    // Comments are the server's heartbeats: reading them is what resets the idle timer below.
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let idle: ReturnType<typeof setTimeout> | undefined;
  const armIdleTimer = () => {
    clearTimeout(idle);
    idle = setTimeout(() => attempt.abort(new Error(`no event or heartbeat for ${idleTimeoutMs} ms`)), idleTimeoutMs);
  };
  try {
    armIdleTimer();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      armIdleTimer();
      parser.feed(decoder.decode(value, { stream: true }));
      for (const event of pending.splice(0)) await deliver(event);
    }
  } finally {
    clearTimeout(idle);
    reader.releaseLock();
  }
}

function toSessionEvent(message: EventSourceMessage): SessionEvent | undefined {
  if (!message.id) return undefined;
  switch (message.event) {
    case "saved":
    case "deleted":
    case "reset":
      return { event: message.event, id: message.id, data: JSON.parse(message.data) } as SessionEvent;
    default:
      return undefined; // an event type this client does not know yet
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
