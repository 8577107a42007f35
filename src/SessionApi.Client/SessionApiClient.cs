using System.Text;
using System.Text.Json;

namespace SessionApi.Client;

/// <summary>
/// The C# client of SessionApi: one method per operation of the OpenAPI document, named after its
/// operationId in PascalCase with the Async suffix (saveSession: SaveSessionAsync), each delegating to the generated transport (which types the If-Match /
/// If-None-Match parameters the document declares), plus the document's exact bytes and typed errors.
/// </summary>
/// <remarks>
/// Register it with <c>services.AddSessionApiClient(...)</c>: the typed HttpClient it receives
/// carries the base address, the bearer token and the resilience pipeline. Every error answer
/// throws <see cref="SessionApiException"/>.
/// </remarks>
public sealed partial class SessionApiClient
{
    /// <summary>The HttpClient <c>AddSessionApiClient</c> registers for the event stream: token, no resilience handler.</summary>
    public const string EventStreamHttpClientName = "SessionApi.Client.EventStream";

    private readonly SessionApiTransport transport;
    private readonly HttpClient httpClient;
    private readonly IHttpClientFactory? httpClientFactory;

    /// <param name="httpClient">The client for every call (base address, token, resilience).</param>
    /// <param name="httpClientFactory">
    /// Where the event stream's own client comes from (<see cref="EventStreamHttpClientName"/>); without
    /// it, <see cref="WatchSessionsAsync"/> uses <paramref name="httpClient"/>, whose handlers must then leave a
    /// response that lasts for hours alone (the standard resilience handler's timeouts do not).
    /// </param>
    public SessionApiClient(HttpClient httpClient, IHttpClientFactory? httpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        transport = new SessionApiTransport(httpClient);
        this.httpClient = httpClient;
        this.httpClientFactory = httpClientFactory;
    }

    /// <summary><c>GET /health</c> (needs no token).</summary>
    public Task<HealthInfo> GetHealthAsync(CancellationToken cancellationToken = default) =>
        CallAsync(async t => (await t.GetHealthAsync(cancellationToken).ConfigureAwait(false)).Result);

    /// <summary><c>GET /diagnostics</c>.</summary>
    public Task<DiagnosticsInfo> GetDiagnosticsAsync(CancellationToken cancellationToken = default) =>
        CallAsync(async t => (await t.GetDiagnosticsAsync(cancellationToken).ConfigureAwait(false)).Result);

    /// <summary><c>GET /sessions</c>: every session's metadata, newest first.</summary>
    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken = default) =>
        CallAsync(async t => (await t.ListSessionsAsync(cancellationToken).ConfigureAwait(false)).Result.Items);

    /// <summary><c>GET /sessions/{id}</c>: the document byte for byte and its ETag.</summary>
    /// <exception cref="SessionApiException">400 invalid_id, 404 not_found, ...</exception>
    public async Task<LoadedSession> GetSessionAsync(string id, CancellationToken cancellationToken = default) =>
        (await GetSessionCoreAsync(id, ifNoneMatch: null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// <c>GET /sessions/{id}</c> with <c>If-None-Match: &lt;etag&gt;</c>: null when the session still
    /// has that ETag (304), else the current document.
    /// </summary>
    public Task<LoadedSession?> GetSessionAsync(string id, string ifNoneMatch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ifNoneMatch);
        return GetSessionCoreAsync(id, ifNoneMatch, cancellationToken);
    }

    /// <summary>
    /// <c>PUT /sessions/{id}</c>: saves <paramref name="utf8Json"/> (a JSON object) exactly as given.
    /// <paramref name="ifMatch"/> saves only over that ETag; <paramref name="ifNoneMatch"/> <c>"*"</c>
    /// only when the session does not exist yet.
    /// </summary>
    /// <exception cref="SessionApiException">412 precondition_failed when a precondition fails, 400 invalid_json, 413 too_large, 507, 503, ...</exception>
    public Task<SavedSession> SaveSessionAsync(string id, ReadOnlyMemory<byte> utf8Json, string? ifMatch = null, string? ifNoneMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (utf8Json.IsEmpty)
        {
            throw new ArgumentException("A session document is a JSON object; the body is empty.", nameof(utf8Json));
        }

        return CallAsync(async t =>
        {
            var response = await t.SaveSessionAsync(id, ifMatch, ifNoneMatch, new RawJsonBody(utf8Json), cancellationToken).ConfigureAwait(false);
            return new SavedSession(response.StatusCode == 201, response.Result);
        });
    }

    /// <summary><c>PUT /sessions/{id}</c> with a JSON text (sent as UTF-8, unchanged).</summary>
    public Task<SavedSession> SaveSessionAsync(string id, string json, string? ifMatch = null, string? ifNoneMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SaveSessionAsync(id, Encoding.UTF8.GetBytes(json), ifMatch, ifNoneMatch, cancellationToken);
    }

    /// <summary><c>PUT /sessions/{id}</c> with a parsed document (its raw text as it was parsed).</summary>
    public Task<SavedSession> SaveSessionAsync(string id, JsonElement document, string? ifMatch = null, string? ifNoneMatch = null, CancellationToken cancellationToken = default) =>
        SaveSessionAsync(id, document.GetRawText(), ifMatch, ifNoneMatch, cancellationToken);

    /// <summary><c>DELETE /sessions/{id}</c>, only if the session still has <paramref name="ifMatch"/> when given.</summary>
    /// <exception cref="SessionApiException">404 not_found, 412 precondition_failed, 400 invalid_id, ...</exception>
    public Task DeleteSessionAsync(string id, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return CallAsync(async t =>
        {
            await t.DeleteSessionAsync(id, ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>
    /// <c>GET /events</c>: every save, delete and reset from now on, as they happen, until cancelled.
    /// The first event of a new watch is a <c>reset</c>: list the sessions then (and on every later
    /// reset), and apply the saved and deleted events that follow. Connections that drop (a server
    /// restart) are reopened with growing delays, resuming after the last event received; pass an
    /// event's <see cref="SessionEvent.Id"/> as <paramref name="lastEventId"/> to resume a watch.
    /// </summary>
    /// <exception cref="SessionApiException">401, 403: the token or the origin is refused (not retried).</exception>
    public IAsyncEnumerable<SessionEvent> WatchSessionsAsync(string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        // The stream's own client is made only for a watch (no second handler chain for an app that never watches).
        var client = httpClientFactory?.CreateClient(EventStreamHttpClientName) ?? httpClient;
        return new SessionEventWatcher(client, TimeProvider.System).WatchAsync(lastEventId, cancellationToken);
    }

    private Task<LoadedSession?> GetSessionCoreAsync(string id, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return CallAsync<LoadedSession?>(async t =>
        {
            try
            {
                var response = await t.GetSessionAsync(id, ifNoneMatch, cancellationToken).ConfigureAwait(false);
                var body = (RawJsonBody)response.Result;
                var etag = ETagOf(response) ?? throw new SessionApiException($"GET /sessions/{id} answered 200 without an ETag.");
                return new LoadedSession(id, etag, body.Utf8Json);
            }
            catch (SessionApiGeneratedException e) when (ifNoneMatch is not null && e.StatusCode == 304)
            {
                return null;
            }
        });
    }

    private async Task<T> CallAsync<T>(Func<SessionApiTransport, Task<T>> call)
    {
        try
        {
            return await call(transport).ConfigureAwait(false);
        }
        catch (SessionApiGeneratedException e)
        {
            throw SessionApiException.From(e);
        }
    }

    private static string? ETagOf(SessionApiGeneratedResponse response) =>
        response.Headers.FirstOrDefault(h => string.Equals(h.Key, "ETag", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
