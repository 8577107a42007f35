namespace SessionApi.Store;

/// <summary>
/// The session store: the only way the HTTP layer touches session documents. It validates ids,
/// serializes work on one id, keeps the in-memory index and writes through the durable writer.
/// </summary>
public interface ISessionStore
{
    /// <summary>The storage root this store owns (absolute path).</summary>
    string Root { get; }

    /// <summary>Every session's metadata from the in-memory index, newest first. No disk access.</summary>
    IReadOnlyList<SessionMetadata> List();

    /// <summary>Metadata of one session from the index, or null. Throws <see cref="SessionStoreException"/> for a bad id.</summary>
    SessionMetadata? Find(string id);

    /// <summary>
    /// Reads a session: a small document whole (from the read cache when it holds the current
    /// version), a large one as a lease that holds the session's lock until disposed, so the bytes
    /// cannot change underneath a reader (the cross-device fallback rewrites in place). Returns null
    /// when the session does not exist.
    /// </summary>
    Task<SessionRead?> ReadAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Streams <paramref name="body"/> into the session durably. The body is validated (a JSON object,
    /// within the size and depth limits) while it is written; nothing replaces the current document
    /// unless the whole body is valid and on disk.
    /// </summary>
    Task<SaveResult> SaveAsync(string id, Stream body, WritePrecondition precondition, CancellationToken cancellationToken);

    /// <summary>Deletes a session, honouring an optional If-Match ETag.</summary>
    Task<DeleteResult> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken);

    /// <summary>What support needs to see: mode, counters, quarantine and free space.</summary>
    StoreDiagnostics GetDiagnostics();
}
