using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Changes;

public enum SessionChangeKind
{
    /// <summary>A save (or a recovery repair) is durable: <see cref="SessionChange.Session"/> is the session now.</summary>
    Saved,

    /// <summary>The session is gone (deleted through the API, or found missing on disk).</summary>
    Deleted,
}

/// <summary>
/// One change of the store, numbered: <see cref="Sequence"/> grows by one per change within a server
/// run, in the order the changes happened (per session, the order of its saves and deletes).
/// </summary>
public sealed record SessionChange(long Sequence, SessionChangeKind Kind, SessionId Id, SessionInfo? Session);
