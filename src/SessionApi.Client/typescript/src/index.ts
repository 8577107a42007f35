/**
 * The renderer's SessionApi client: a thin typed wrapper over the openapi-fetch client generated
 * from the server's OpenAPI document (src/generated/schema.ts, never edited by hand).
 *
 * Browser-safe on purpose: plain `fetch`, `Headers`, `Response`; no Node APIs (tsconfig.browser.json
 * type-checks this file with the DOM library only, so a Node import fails the build).
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import { SessionApiError } from "./errors.js";
import { watchSessions, type WatchOptions } from "./watch.js";

export { SessionApiError, isSessionApiError } from "./errors.js";
export type { ClientErrorCode, ProblemCode, ProblemDetails, SessionApiErrorCode } from "./errors.js";
export type { components, paths } from "./generated/schema.js";
// The document's string enums as runtime lists (generated with the types): every problem code, write
// mode, temp-create mode, reset reason and event type the server can send.
export { problemCodeValues, resetReasonValues, sessionEventTypeValues, tempCreateModeValues, writeModeValues } from "./generated/schema.js";
export type { DeletedSession, SessionEvent, SessionEventType, StreamReset, WatchOptions, WatchStatus } from "./watch.js";

type Schemas = components["schemas"];

/** One session: `GET /sessions` lists them, a save answers one (id, size, updatedAt, etag). */
export type SessionInfo = Schemas["SessionInfo"];
/** `GET /diagnostics`: version, root, writeMode, counters, freeBytes, quarantined files, versions and trash. */
export type DiagnosticsInfo = Schemas["DiagnosticsInfo"];
/** A previous version of a session: `GET /sessions/{id}/versions` lists them (version, size, savedAt, etag). */
export type SessionVersion = Schemas["SessionVersion"];
/** A deleted session in the trash: `GET /trash` lists them (id, size, deletedAt, etag). */
export type TrashedSession = Schemas["TrashedSession"];
/** How the server replaces documents now (`atomic-rename`, or `verified-copy` where renames are refused: MSIX). */
export type WriteMode = Schemas["WriteMode"];
/** How the server creates temp files now (`exclusive`, or `non-exclusive` where exclusive creates are falsely refused). */
export type TempCreateMode = Schemas["TempCreateMode"];
/** Why a watcher must list the sessions again (`new`, `unknown`, `expired`, `overflow`). */
export type ResetReason = Schemas["ResetReason"];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A session document: any JSON object (the server stores it byte for byte). */
export type JsonObject = { [key: string]: JsonValue };

export interface SessionApiClientOptions {
  /** The `url` of the ready line, e.g. `http://127.0.0.1:54321`. */
  baseUrl: string;
  /** The bearer token the launcher generated (sent as `Authorization: Bearer <token>`). */
  token: string;
  /** Custom fetch (tests, instrumentation). Defaults to `globalThis.fetch`. */
  fetch?: (input: Request) => Promise<Response>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface LoadedSession<T extends JsonObject = JsonObject> {
  id: string;
  document: T;
  /** Strong ETag (quoted, as sent in the header): pass it back as `ifMatch` / `ifNoneMatch`. */
  etag: string;
}

export interface GetSessionOptions extends RequestOptions {
  /** An ETag the caller holds: the answer is `undefined` while it is still current (304). */
  ifNoneMatch?: string;
}

export interface SaveOptions extends RequestOptions {
  /** Save only if the stored document still has this ETag (optimistic concurrency) -> else 412. */
  ifMatch?: string;
  /** `"*"`: save only if the session does not exist yet (create-only) -> else 412. */
  ifNoneMatch?: "*";
}

export interface SavedSession extends SessionInfo {
  /** true for 201 Created, false for 200 (replaced). */
  created: boolean;
}

export interface DeleteOptions extends RequestOptions {
  /** Delete only if the stored document still has this ETag -> else 412. */
  ifMatch?: string;
}

export interface RestoreVersionOptions extends RequestOptions {
  /** Restore only if the session's current document still has this ETag -> else 412. */
  ifMatch?: string;
}

export interface LoadedVersion<T extends JsonObject = JsonObject> {
  id: string;
  version: string;
  document: T;
  etag: string;
}

export interface SessionApiClient {
  /** The generated openapi-fetch client (token already injected), for anything the wrapper does not cover. */
  readonly raw: Client<paths>;
  readonly baseUrl: string;
  /** `GET /health` (no token needed); true when the server answers 200. */
  getHealth(options?: RequestOptions): Promise<boolean>;
  /** `GET /sessions`: metadata of every session, newest first. */
  listSessions(options?: RequestOptions): Promise<SessionInfo[]>;
  /**
   * `GET /sessions/{id}` with `ifNoneMatch: <etag>`: `undefined` when the stored document still has
   * that ETag (304, nothing transferred), else the new document and ETag.
   */
  getSession<T extends JsonObject = JsonObject>(id: string, options: GetSessionOptions & { ifNoneMatch: string }): Promise<LoadedSession<T> | undefined>;
  /** `GET /sessions/{id}`: the document and its ETag. Throws `SessionApiError` (`not_found`, `invalid_id`). */
  getSession<T extends JsonObject = JsonObject>(id: string, options?: GetSessionOptions): Promise<LoadedSession<T>>;
  /** `PUT /sessions/{id}`: saves durably; returns the new metadata (with the new ETag). */
  saveSession(id: string, document: JsonObject, options?: SaveOptions): Promise<SavedSession>;
  /** `DELETE /sessions/{id}`. Throws `SessionApiError` (`not_found`, `precondition_failed`). */
  deleteSession(id: string, options?: DeleteOptions): Promise<void>;
  /** `GET /diagnostics`. */
  getDiagnostics(options?: RequestOptions): Promise<DiagnosticsInfo>;
  /** `GET /sessions/{id}/versions`: previous versions, newest first. Throws `not_found` when the id has neither a document nor versions. */
  listVersions(id: string, options?: RequestOptions): Promise<SessionVersion[]>;
  /** `GET /sessions/{id}/versions/{version}`: one version byte for byte and its ETag. Throws `not_found`, `invalid_version`. */
  getVersion<T extends JsonObject = JsonObject>(id: string, version: string, options?: RequestOptions): Promise<LoadedVersion<T>>;
  /** `POST /sessions/{id}/versions/{version}/restore`: like a save of that version; the replaced document becomes a version. */
  restoreVersion(id: string, version: string, options?: RestoreVersionOptions): Promise<SavedSession>;
  /** `GET /trash`: deleted sessions, newest first. */
  listTrash(options?: RequestOptions): Promise<TrashedSession[]>;
  /** `POST /trash/{id}/restore`: brings a deleted session back. Throws `already_exists` (409), `not_found`. */
  restoreFromTrash(id: string, options?: RequestOptions): Promise<SavedSession>;
  /**
   * `GET /events`: calls `onEvent` for every save (`saved`, with the SessionInfo), delete (`deleted`)
   * and `reset` (list the sessions again: the first event of a new watch, and after a server
   * restart), whichever window or process made the change. Reconnects with backoff and resumes with
   * Last-Event-ID. Resolves when `signal` aborts; rejects only when the server refuses the watcher
   * (401, 403).
   */
  watchSessions(options: WatchOptions): Promise<void>;
}

export function createSessionApiClient(options: SessionApiClientOptions): SessionApiClient {
  const { baseUrl, token } = options;
  if (!baseUrl) throw new TypeError("createSessionApiClient: baseUrl is required");
  if (!token) throw new TypeError("createSessionApiClient: token is required");

  const raw = createClient<paths>({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // The token is a secret: never send it anywhere but the server, never in a URL, and keep
    // the browser from attaching cookies or credentials of its own.
    credentials: "omit",
    cache: "no-store",
  });
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  raw.use(auth);

  /** Runs one call; turns thrown fetch failures into `network_error`, keeps aborts as they are. */
  async function call<R>(run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SessionApiError) throw error;
      if (isAbort(error)) throw error;
      throw SessionApiError.network(error);
    }
  }

  function etagOf(response: Response, fallback?: string): string {
    // The header is authoritative; cross-origin pages only see it if the server exposes it
    // (Access-Control-Expose-Headers: ETag), so fall back to the metadata body when there is one.
    const etag = response.headers.get("ETag") ?? fallback;
    if (!etag) {
      throw new SessionApiError({
        status: response.status,
        code: "missing_etag",
        title: "The response has no ETag",
        detail: "SessionApi answered without an ETag header (or CORS did not expose it).",
      });
    }
    return etag;
  }

  return {
    raw,
    baseUrl,

    getHealth: (o) =>
      call(async () => {
        const { response } = await raw.GET("/health", { parseAs: "text", signal: o?.signal });
        return response.status === 200;
      }),

    listSessions: (o) =>
      call(async () => {
        const { data, error, response } = await raw.GET("/sessions", { signal: o?.signal });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return data.items;
      }),

    getSession: (<T extends JsonObject>(id: string, o?: GetSessionOptions) =>
      call(async () => {
        const { data, error, response } = await raw.GET("/sessions/{id}", {
          params: { path: { id }, header: { "If-None-Match": o?.ifNoneMatch } },
          signal: o?.signal,
        });
        if (o?.ifNoneMatch !== undefined && response.status === 304) return undefined;
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return { id, document: data as T, etag: etagOf(response) };
      })) as SessionApiClient["getSession"],

    saveSession: (id, document, o) => {
      // A caller bug, not a server answer: reject before any request (and outside call(), which
      // would report it as a network failure).
      if (typeof document !== "object" || document === null || Array.isArray(document)) {
        return Promise.reject(new TypeError("saveSession: a session document must be a JSON object"));
      }
      return call(async () => {
        const { data, error, response } = await raw.PUT("/sessions/{id}", {
          params: { path: { id }, header: { "If-Match": o?.ifMatch, "If-None-Match": o?.ifNoneMatch } },
          body: document,
          signal: o?.signal,
        });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return { ...data, etag: etagOf(response, data.etag), created: response.status === 201 };
      });
    },

    deleteSession: (id, o) =>
      call(async () => {
        const { error, response } = await raw.DELETE("/sessions/{id}", {
          params: { path: { id }, header: { "If-Match": o?.ifMatch } },
          signal: o?.signal,
        });
        if (!response.ok) throw SessionApiError.fromResponse(response, error);
      }),

    getDiagnostics: (o) =>
      call(async () => {
        const { data, error, response } = await raw.GET("/diagnostics", { signal: o?.signal });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return data;
      }),

    listVersions: (id, o) =>
      call(async () => {
        const { data, error, response } = await raw.GET("/sessions/{id}/versions", { params: { path: { id } }, signal: o?.signal });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return data.items;
      }),

    getVersion: <T extends JsonObject>(id: string, version: string, o?: RequestOptions) =>
      call(async () => {
        const { data, error, response } = await raw.GET("/sessions/{id}/versions/{version}", {
          params: { path: { id, version } },
          signal: o?.signal,
        });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return { id, version, document: data as T, etag: etagOf(response) };
      }),

    restoreVersion: (id, version, o) =>
      call(async () => {
        const { data, error, response } = await raw.POST("/sessions/{id}/versions/{version}/restore", {
          params: { path: { id, version }, header: { "If-Match": o?.ifMatch } },
          signal: o?.signal,
        });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return { ...data, etag: etagOf(response, data.etag), created: response.status === 201 };
      }),

    listTrash: (o) =>
      call(async () => {
        const { data, error, response } = await raw.GET("/trash", { signal: o?.signal });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return data.items;
      }),

    restoreFromTrash: (id, o) =>
      call(async () => {
        const { data, error, response } = await raw.POST("/trash/{id}/restore", { params: { path: { id } }, signal: o?.signal });
        if (data === undefined) throw SessionApiError.fromResponse(response, error);
        return { ...data, etag: etagOf(response, data.etag), created: true };
      }),
    watchSessions: (o) => watchSessions(raw, o),
  };
}

function isAbort(error: unknown): boolean {
  return typeof error === "object" && error !== null && "name" in error && (error as { name: unknown }).name === "AbortError";
}
