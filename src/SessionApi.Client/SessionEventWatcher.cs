using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SessionApi.Client;

/// <summary>
/// Reads <c>GET /events</c> with System.Net.ServerSentEvents' <see cref="SseParser"/>, and keeps
/// reading across dropped connections and server restarts: it reconnects with growing delays and
/// sends the last event id as <c>Last-Event-ID</c>, so the server replays what was missed (or says
/// <c>reset</c> when it cannot). A stream silent for <see cref="IdleTimeout"/> is taken for dead and
/// reopened the same way.
/// </summary>
internal sealed class SessionEventWatcher(HttpClient httpClient, TimeProvider timeProvider)
{
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Three of the server's default heartbeat intervals (15 s), as the TypeScript client's <c>idleTimeoutMs</c>.</summary>
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(45);

    private static readonly JsonSerializerOptions Json = ClientJson.Options;

    public async IAsyncEnumerable<SessionEvent> WatchAsync(string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            using (var response = await ConnectAsync(lastEventId, cancellationToken).ConfigureAwait(false))
            {
                if (response is not null)
                {
                    var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    using var stream = new IdleTimeoutStream(body, IdleTimeout, timeProvider);
                    var events = SseParser.Create(stream, Parse).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                    await using (events.ConfigureAwait(false))
                    {
                        while (await NextAsync(events, cancellationToken).ConfigureAwait(false))
                        {
                            if (ToEvent(events.Current) is { } next)
                            {
                                lastEventId = next.Id;
                                failures = 0;
                                yield return next;
                            }
                        }
                    }
                }
            }

            // The stream ended (the server stopped) or could not be opened: try again, less and less often.
            failures++;
            await Task.Delay(RetryDelay(failures), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(failures - 1, 16)));

    /// <summary>The open stream, or null when the server cannot be reached or is not answering normally now.</summary>
    private async Task<HttpResponseMessage?> ConnectAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // not listening (restarting): retried
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500 || status == 429)
            {
                return null;
            }

            // 401, 403, 400: no retry will cure it.
            throw await SessionApiException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> NextAsync(IAsyncEnumerator<SseItem<object?>> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return false; // the connection broke: reconnect
        }
    }

    private static object? Parse(string eventType, ReadOnlySpan<byte> data) => eventType switch
    {
        "saved" => JsonSerializer.Deserialize<SessionInfo>(data, Json),
        "deleted" => JsonSerializer.Deserialize<DeletedSession>(data, Json),
        "reset" => JsonSerializer.Deserialize<StreamReset>(data, Json),
        _ => null, // an event type this client does not know yet
    };

    private static SessionEvent? ToEvent(SseItem<object?> item) => (item.Data, item.EventId) switch
    {
        (SessionInfo saved, { } id) => new SessionEvent(SessionEventType.Saved, id, saved, null, null),
        (DeletedSession deleted, { } id) => new SessionEvent(SessionEventType.Deleted, id, null, deleted, null),
        (StreamReset reset, { } id) => new SessionEvent(SessionEventType.Reset, id, null, null, reset),
        _ => null,
    };
}
