using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Store;

/// <summary>
/// The session store: the only way the HTTP layer touches session documents. It serializes work on
/// one id, keeps the in-memory index and writes through the durable writer. Ids arrive as
/// <see cref="SessionId"/>: valid by construction.
/// </summary>
public interface ISessionStore
{
    /// <summary>The storage root this store owns (absolute path).</summary>
    string Root { get; }

    /// <summary>Every session's metadata from the in-memory index, newest first. No disk access.</summary>
    IReadOnlyList<SessionInfo> List();

    /// <summary>One session from the index, or null. No disk access.</summary>
    SessionInfo? Find(SessionId id);

    /// <summary>
    /// Reads a session: a small document whole (from the read cache when it holds the current
    /// version), a large one as a lease that holds the session's lock until disposed, so the bytes
    /// cannot change underneath a reader (the cross-device fallback rewrites in place). Returns null
    /// when the session does not exist.
    /// </summary>
    Task<SessionRead?> ReadAsync(SessionId id, CancellationToken cancellationToken);

    /// <summary>
    /// Streams <paramref name="body"/> into the session durably. The body is validated (a JSON object,
    /// within the size and depth limits) while it is written; nothing replaces the current document
    /// unless the whole body is valid and on disk, and <paramref name="precondition"/> holds for the
    /// version current under the session's lock.
    /// </summary>
    Task<SaveResult> SaveAsync(SessionId id, Stream body, Precondition precondition, CancellationToken cancellationToken);

    /// <summary>Deletes a session if <paramref name="precondition"/> holds for the version current under the session's lock.</summary>
    Task<DeleteResult> DeleteAsync(SessionId id, Precondition precondition, CancellationToken cancellationToken);

    /// <summary>What support needs to see: mode, counters, quarantine and free space.</summary>
    StoreDiagnostics GetDiagnostics();
}
