namespace SessionApi.Client;

/// <summary>
/// One event of <c>GET /events</c> (<see cref="SessionApiClient.WatchSessionsAsync"/>): the <c>SessionEvent</c>
/// of the OpenAPI document, with its data typed by <see cref="Event"/>. Hand-written (the generator
/// is told to skip the schema) because the document's <c>SessionEvent</c> is one of three event
/// schemas (<c>SavedEvent</c>, <c>DeletedEvent</c>, <c>ResetEvent</c>, discriminated by <c>event</c>),
/// which the generator would type as the first of them.
/// </summary>
public sealed class SessionEvent
{
    internal SessionEvent(SessionEventType @event, string id, SessionInfo? saved, DeletedSession? deleted, StreamReset? reset)
    {
        Event = @event;
        Id = id;
        Saved = saved;
        Deleted = deleted;
        Reset = reset;
    }

    /// <summary>saved, deleted or reset.</summary>
    public SessionEventType Event { get; }

    /// <summary>The event id (server run and sequence number): resume after this event with <c>WatchSessionsAsync(Id)</c>.</summary>
    public string Id { get; }

    /// <summary>For <see cref="SessionEventType.Saved"/>: the session as it is now durably stored.</summary>
    public SessionInfo? Saved { get; }

    /// <summary>For <see cref="SessionEventType.Deleted"/>: the session that is gone.</summary>
    public DeletedSession? Deleted { get; }

    /// <summary>For <see cref="SessionEventType.Reset"/>: list the sessions again, then apply the events that follow.</summary>
    public StreamReset? Reset { get; }

    /// <summary>The id of the session that changed (null for a reset).</summary>
    public string? SessionId => Saved?.Id ?? Deleted?.Id;

    public override string ToString() => $"{Event} {SessionId ?? Reset?.Reason.ToString()} ({Id})";
}
