using System.Buffers;
using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SessionApi.Docs;
using SessionApi.Storage.Changes;
using SessionApi.Storage.Sessions;

namespace SessionApi.Features.Events;

/// <summary>
/// Turns one watcher's <see cref="ChangeSubscription"/> into the events of <c>GET /events</c>, which
/// the framework's Server-Sent Events result writes (<c>TypedResults.ServerSentEvents</c>): a
/// <c>reset</c> when the watcher cannot resume, the events it missed, then live events, with a
/// comment line whenever the stream has been quiet for the heartbeat interval.
/// </summary>
internal sealed class SessionEventStream(
    SessionChanges changes,
    PipeWriter body,
    TimeSpan heartbeatInterval,
    TimeProvider timeProvider,
    CancellationToken stopping)
{
    /// <summary>
    /// An SSE comment: ignored by every parser (EventSource, eventsource-parser, SseParser) and never
    /// dispatched, yet bytes on the wire. SseFormatter, which the framework's result writes with,
    /// writes events only (each with a data line, which a browser dispatches to listeners), so the
    /// heartbeat is written here, between two events: the formatter awaits this enumerator before
    /// it writes again, so the two never write at the same time.
    /// </summary>
    private static readonly ReadOnlyMemory<byte> Heartbeat = ":\n\n"u8.ToArray();

    /// <summary>
    /// Each change as an event, made once and shared by every stream that sends it (fifty windows
    /// watching would otherwise serialize every save fifty times). The data is JSON written by the
    /// API's generated serializer; the framework's result writes string data as it is.
    /// </summary>
    private static readonly ConditionalWeakTable<SessionChange, StrongBox<SseItem<string>>> Formatted = [];

    /// <param name="lastEventId">The Last-Event-ID the client sent, if any.</param>
    /// <param name="requestAborted">The client went away (passed in by the SSE result).</param>
    public async IAsyncEnumerable<SseItem<string>> ReadAsync(string? lastEventId, [EnumeratorCancellation] CancellationToken requestAborted = default)
    {
        // Ends with the request, and also when the application stops: a stream never holds up the
        // graceful shutdown the Electron app waits for. Ending is a normal end of the response, so
        // the client sees a closed stream and reconnects (to the next server run).
        using var end = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        using var subscription = changes.Subscribe(lastEventId);
        try
        {
            // The headers now, so the client knows it is subscribed even if nothing happens for a while.
            await body.FlushAsync(requestAborted).ConfigureAwait(false);

            if (subscription.Reset is { } reason)
            {
                yield return Reset(reason, subscription.Start);
            }

            foreach (var missed in subscription.Missed)
            {
                yield return ToEvent(missed);
            }

            var unflushed = true; // the reset and the missed events
            var reader = subscription.Changes;
            Task<bool>? waiting = null;
            var heartbeatDue = Task.Delay(heartbeatInterval, timeProvider, end.Token);
            while (!end.IsCancellationRequested)
            {
                if (reader.TryRead(out var change))
                {
                    unflushed = true;
                    yield return ToEvent(change);
                    continue;
                }

                // Nothing more to give for now: what was written goes out, in one write (EventBatchBody).
                if (unflushed)
                {
                    unflushed = false;
                    await body.FlushAsync(requestAborted).ConfigureAwait(false);
                }

                if (reader.Completion.IsCompleted)
                {
                    // The watcher fell too far behind and was dropped: tell it to list again, and end.
                    if (subscription.Overflowed)
                    {
                        yield return Reset(ResetReason.Overflow, changes.Current);
                    }

                    yield break;
                }

                waiting ??= reader.WaitToReadAsync(end.Token).AsTask();
                if (await Task.WhenAny(waiting, heartbeatDue).ConfigureAwait(false) == waiting)
                {
                    waiting = null;
                    continue;
                }

                if (end.IsCancellationRequested)
                {
                    break;
                }

                // Not cancelled by the shutdown: a write cut in half would corrupt the stream's last line.
                body.Write(Heartbeat.Span);
                await body.FlushAsync(requestAborted).ConfigureAwait(false);
                heartbeatDue = Task.Delay(heartbeatInterval, timeProvider, end.Token);
            }
        }
        finally
        {
            // Releases the heartbeat timer and a pending wait now rather than when they would fire.
            await end.CancelAsync().ConfigureAwait(false);
        }
    }

    private SseItem<string> ToEvent(SessionChange change) =>
        Formatted.GetValue(change, c => new StrongBox<SseItem<string>>(Format(c, changes.Run))).Value;

    private static SseItem<string> Format(SessionChange change, string run)
    {
        var id = new ChangePosition(run, change.Sequence).ToString();
        return change.Kind switch
        {
            SessionChangeKind.Saved => new SseItem<string>(JsonSerializer.Serialize(change.Session!, EventsJsonContext.Default.SessionInfo), SessionEventTypes.Saved) { EventId = id },
            _ => new SseItem<string>(JsonSerializer.Serialize(new DeletedSession(change.Id.Value), EventsJsonContext.Default.DeletedSession), SessionEventTypes.Deleted) { EventId = id },
        };
    }

    /// <summary>
    /// Carries the position the client starts from: the list it fetches after this event holds every
    /// change up to it (the store publishes a change after its index has it).
    /// </summary>
    private static SseItem<string> Reset(ResetReason reason, ChangePosition position) =>
        new(JsonSerializer.Serialize(new StreamReset(reason), EventsJsonContext.Default.StreamReset), SessionEventTypes.Reset) { EventId = position.ToString() };
}
