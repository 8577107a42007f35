using SessionApi.Store;

namespace SessionApi.Api;

/// <summary>
/// The event types of <c>GET /events</c>: the <c>event:</c> field of each event, and the values of
/// <c>SessionEventType</c> in the OpenAPI document and both clients.
/// </summary>
public static class SessionEventTypes
{
    /// <summary>A save is durable; data: the session's <see cref="SessionInfo"/>.</summary>
    public const string Saved = "saved";

    /// <summary>A session was deleted; data: <see cref="DeletedSession"/>.</summary>
    public const string Deleted = "deleted";

    /// <summary>The watcher must list the sessions again; data: <see cref="StreamReset"/>.</summary>
    public const string Reset = "reset";

    public static IReadOnlyList<string> All { get; } = [Saved, Deleted, Reset];
}

/// <summary>The data of a `deleted` event: the id of the session that is gone.</summary>
public sealed record DeletedSession(string Id);

/// <summary>
/// The data of a `reset` event: the client must list the sessions again, then apply the events that
/// follow. `reason` says why: new (a new stream), unknown (the Last-Event-ID is not of this server
/// run: it restarted), expired (more events were missed than the server keeps) or overflow (the client
/// fell behind and is dropped: the stream ends).
/// </summary>
public sealed record StreamReset(string Reason);

/// <summary>Why a stream starts over, as the <c>reason</c> of a <c>reset</c> event says it.</summary>
public static class StreamResetReasons
{
    /// <summary>The request named no Last-Event-ID: a new watcher starts from a fresh list.</summary>
    public const string New = "new";

    /// <summary>The Last-Event-ID is from another server run (a restart) or is not an event id.</summary>
    public const string Unknown = "unknown";

    /// <summary>The watcher missed more events than the server still keeps.</summary>
    public const string Expired = "expired";

    /// <summary>The watcher did not keep up and was dropped; the stream ends after this event.</summary>
    public const string Overflow = "overflow";

    public static IReadOnlyList<string> All { get; } = [New, Unknown, Expired, Overflow];

    public static string Of(ResetReason reason) => reason switch
    {
        ResetReason.New => New,
        ResetReason.Unknown => Unknown,
        ResetReason.Expired => Expired,
        _ => Overflow,
    };
}
