// Renderer of the example app: plain browser code, no Node. It learns SessionApi's {url, token}
// from the preload bridge (window.sessionApi) and talks to it with the generated client.
// Bundled by esbuild into renderer.bundle.js (npm run bundle:renderer).
import { createSessionApiClient, SessionApiError } from "@sessionapi/client";

/**
 * @typedef {{ getConnection(): Promise<{url: string, token: string} | null>,
 *             onConnectionChanged(cb: (c: {url: string, token: string} | null) => void): () => void }} Bridge
 */

/** Creates a client from what the bridge says now. */
export async function connect(bridge = globalThis.sessionApi) {
  if (!bridge) throw new Error("window.sessionApi is missing: the preload did not run");
  const connection = await bridge.getConnection();
  if (!connection) throw new Error("SessionApi is not running");
  return createSessionApiClient({ baseUrl: connection.url, token: connection.token });
}

/** A new session id: lowercase, within the server's id rule ^[a-z0-9][a-z0-9_-]{0,127}$. */
export function newSessionId() {
  return `s-${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}`;
}

/** Plain, JSON-serializable view of an error for logs and tests. */
export function describeError(error) {
  return error instanceof SessionApiError
    ? { name: error.name, status: error.status, code: error.code, title: error.title, detail: error.detail }
    : { name: error?.name ?? "Error", message: String(error?.message ?? error) };
}

/**
 * What a chat app does with sessions, start to end: create (create-only), list, load with ETag,
 * edit with If-Match, lose a race (412), revalidate (304), delete with If-Match. Returns a
 * JSON-serializable record of every step.
 * @param {import("@sessionapi/client").SessionApiClient} client
 */
export async function runScenario(client, id = newSessionId()) {
  const steps = {};
  const created = await client.saveSession(id, { title: "First chat", messages: [{ role: "user", text: "héllo ✓" }] }, { ifNoneMatch: "*" });
  steps.created = { created: created.created, etag: created.etag, size: created.size };

  try {
    await client.saveSession(id, { title: "again" }, { ifNoneMatch: "*" });
    steps.createTwice = { ok: true };
  } catch (error) {
    steps.createTwice = describeError(error);
  }

  steps.listed = (await client.listSessions()).some((s) => s.id === id && s.etag === created.etag);

  const loaded = await client.getSession(id);
  steps.loaded = { title: loaded.document.title, text: loaded.document.messages?.[0]?.text, etag: loaded.etag };

  const updated = await client.saveSession(id, { ...loaded.document, title: "Renamed" }, { ifMatch: loaded.etag });
  steps.updated = { created: updated.created, etagChanged: updated.etag !== loaded.etag, etag: updated.etag };

  // Another window saved in between: our ETag is stale, the server refuses instead of overwriting.
  try {
    await client.saveSession(id, { ...loaded.document, title: "Stale edit" }, { ifMatch: loaded.etag });
    steps.staleUpdate = { ok: true };
  } catch (error) {
    steps.staleUpdate = describeError(error);
  }

  steps.notModified = (await client.getSession(id, { ifNoneMatch: updated.etag })) === undefined;
  const changed = await client.getSession(id, { ifNoneMatch: loaded.etag });
  steps.changedSince = changed ? { title: changed.document.title, etag: changed.etag } : null;

  try {
    await client.deleteSession(id, { ifMatch: loaded.etag });
    steps.staleDelete = { ok: true };
  } catch (error) {
    steps.staleDelete = describeError(error);
  }
  await client.deleteSession(id, { ifMatch: updated.etag });
  steps.deleted = true;

  try {
    await client.getSession(id);
    steps.afterDelete = { ok: true };
  } catch (error) {
    steps.afterDelete = describeError(error);
  }
  return steps;
}

/**
 * Wires the page: list sessions, create one from the form, follow every change any window makes
 * (GET /events: no polling) and SessionApi restarts. `events` records what the stream delivered.
 */
export async function mount(doc = document, bridge = globalThis.sessionApi) {
  const status = doc.getElementById("status");
  const list = doc.getElementById("sessions");
  const form = doc.getElementById("new-session");
  const setStatus = (text, state) => {
    status.textContent = text;
    status.dataset.state = state;
  };
  let client;
  let watching;
  const events = [];
  /** The list as the page knows it: id -> SessionInfo, kept current by the event stream. */
  const sessions = new Map();

  function render() {
    const items = [...sessions.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
    list.replaceChildren(
      ...items.map((s) => {
        const li = doc.createElement("li");
        li.dataset.id = s.id;
        li.dataset.etag = s.etag;
        li.textContent = `${s.id} (${s.size} bytes, ${s.updatedAt})`;
        return li;
      }),
    );
    setStatus(`Connected: ${items.length} session(s)`, "connected");
  }

  async function refresh() {
    const items = await client.listSessions();
    sessions.clear();
    for (const s of items) sessions.set(s.id, s);
    render();
  }

  /** Applies one change from GET /events: a reset means "list again", the rest update the list in place. */
  async function apply(event) {
    events.push({ event: event.event, id: event.id, ...(event.event === "reset" ? { reason: event.data.reason } : { session: event.data.id }) });
    if (event.event === "reset") {
      await refresh();
    } else if (event.event === "saved") {
      sessions.set(event.data.id, event.data);
      render();
    } else {
      sessions.delete(event.data.id);
      render();
    }
  }

  function watch() {
    watching?.abort();
    watching = new AbortController();
    client
      .watchSessions({
        signal: watching.signal,
        onEvent: apply,
        // While the stream is down the page may be stale: say so (a browser cannot tell a server
        // that is restarting from one that refuses this origin: both are a failed fetch).
        onStatus: (s) => {
          if (s.state === "reconnecting") {
            setStatus(`SessionApi unavailable (${s.error?.code ?? "stream ended"}); reconnecting, attempt ${s.attempt}…`, "error");
          }
        },
      })
      .catch((error) => setStatus(`Watching failed: ${describeError(error).code ?? describeError(error).message}`, "error"));
  }

  async function reconnect() {
    try {
      client = await connect(bridge);
      watch(); // its first event is a reset, which lists the sessions
    } catch (error) {
      setStatus(`SessionApi unavailable: ${describeError(error).detail ?? describeError(error).message ?? ""}`, "error");
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = doc.getElementById("title").value;
    try {
      await client.saveSession(newSessionId(), { title, messages: [] }, { ifNoneMatch: "*" });
      form.reset(); // the list follows from the saved event, as in every other window
    } catch (error) {
      setStatus(`Save failed: ${describeError(error).code ?? describeError(error).message}`, "error");
    }
  });

  bridge?.onConnectionChanged?.(() => void reconnect());
  await reconnect();
  return { refresh, events, get client() { return client; } };
}

// In the app window the preload has defined window.sessionApi: start the UI.
if (typeof document !== "undefined" && globalThis.sessionApi && document.getElementById("sessions")) {
  mount().then((page) => {
    globalThis.sessionPage = page;
  });
}
