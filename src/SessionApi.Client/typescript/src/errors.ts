/**
 * Errors the client throws. Every non-success answer from SessionApi is an RFC 9457
 * `application/problem+json` document with a stable machine-readable `code`; the client turns it
 * into a {@link SessionApiError} so callers branch on `error.code` instead of parsing bodies.
 * Browser-safe: no Node APIs.
 */

import type { components } from "./generated/schema.js";

/** Every `code` the server documents: the document's `ProblemCode` enum, generated. */
export type ProblemCode = components["schemas"]["ProblemCode"];

/** The ProblemDetails body the server sends (RFC 9457 plus SessionApi's `code` extension). */
export type ProblemDetails = components["schemas"]["ProblemDetails"] & { [extension: string]: unknown };

/** The client's own codes, for answers that carry no ProblemDetails. */
export type ClientErrorCode =
  /** fetch itself failed: server down, connection refused, or (in a browser) CORS refused the origin. */
  | "network_error"
  /** A success without the ETag the contract promises (or CORS did not expose it). */
  | "missing_etag"
  /** An error answer without a ProblemDetails, from a status the server does not document. */
  | `http_${number}`;

/**
 * The `code` of a {@link SessionApiError}: a server's {@link ProblemCode} or the client's own. A code a
 * newer server adds still arrives as itself, without losing autocompletion for the known ones.
 */
export type SessionApiErrorCode = ProblemCode | ClientErrorCode | (string & {});

/** Used only when the body is not a ProblemDetails with a `code` (e.g. a bare 401 from a proxy). */
const codeByStatus: Record<number, ProblemCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  412: "precondition_failed",
  413: "too_large",
  405: "method_not_allowed",
  409: "already_exists",
  415: "unsupported_media_type",
  429: "rate_limited",
  500: "internal_error",
  503: "storage_unavailable",
  507: "insufficient_storage",
};

export class SessionApiError extends Error {
  /** HTTP status; 0 when no HTTP answer arrived (`code === "network_error"`). */
  readonly status: number;
  readonly code: SessionApiErrorCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  /** The parsed problem document, when there was one (extensions included). */
  readonly problem: ProblemDetails | undefined;

  constructor(init: {
    status: number;
    code: SessionApiErrorCode;
    title: string;
    detail?: string | undefined;
    type?: string | undefined;
    problem?: ProblemDetails | undefined;
    cause?: unknown;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "SessionApiError";
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type;
    this.problem = init.problem;
  }

  /** Builds the error from an HTTP answer and its already-read body (parsed JSON or text). */
  static fromResponse(response: Response, body: unknown): SessionApiError {
    const problem = isProblem(body) ? body : undefined;
    const status = typeof problem?.status === "number" ? problem.status : response.status;
    return new SessionApiError({
      status,
      code: problem?.code ?? codeByStatus[status] ?? `http_${status}`,
      title: problem?.title ?? (response.statusText || `HTTP ${status}`),
      detail: problem?.detail ?? (typeof body === "string" && body.length > 0 ? body.slice(0, 500) : undefined),
      type: problem?.type ?? undefined,
      problem,
    });
  }

  static network(cause: unknown): SessionApiError {
    return new SessionApiError({
      status: 0,
      code: "network_error",
      title: "SessionApi could not be reached",
      detail: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

export function isSessionApiError(value: unknown): value is SessionApiError {
  return value instanceof SessionApiError;
}

function isProblem(body: unknown): body is ProblemDetails {
  return typeof body === "object" && body !== null && !Array.isArray(body) && ("title" in body || "status" in body || "code" in body);
}
