/**
 * The one line SessionApi prints on stdout once it listens (process contract):
 * `{"event":"ready","url":"http://127.0.0.1:<port>","pid":...,"version":...}`.
 */

/** A usable ready line: `url` without trailing slashes; `pid` and `version` when the server gave them. */
export interface ReadyLine {
  url: string;
  pid?: number;
  version?: string;
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** undefined: not a ready line; string: a ready line that cannot be used (why); else the line. */
export function parseReadyLine(line: string): ReadyLine | string | undefined {
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
