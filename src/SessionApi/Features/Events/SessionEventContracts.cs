using SessionApi.Storage.Changes;
using SessionApi.Storage.Sessions;

namespace SessionApi.Features.Events;

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
/// follow. `reason` says why (<see cref="ResetReason"/>).
/// </summary>
public sealed record StreamReset(ResetReason Reason);
