using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.History;

/// <summary>
/// Previous versions and the trash of the session store: the only way the HTTP layer reaches them.
/// Every replace keeps the document it replaces as a version, every delete moves the document to the
/// trash; this interface lists, reads and restores them.
/// </summary>
public interface ISessionHistory
{
    /// <summary>The previous versions of a session, newest first (not its current document); null when it has neither a document nor versions. No disk access.</summary>
    IReadOnlyList<SessionVersion>? ListVersions(SessionId id);

    /// <summary>Opens one version for reading, with its metadata; null when there is no such version.</summary>
    (SessionVersion Version, Stream Content)? OpenVersion(SessionId id, string version);

    /// <summary>
    /// Saves a version as the session's document, like a save of its bytes: <paramref name="precondition"/>
    /// is checked under the session's lock, and the document it replaces becomes a version itself.
    /// </summary>
    Task<RestoreResult> RestoreVersionAsync(SessionId id, string version, Precondition precondition, CancellationToken cancellationToken);

    /// <summary>Every deleted session still in the trash, newest first. No disk access.</summary>
    IReadOnlyList<TrashedSession> ListTrash();

    /// <summary>Makes the most recently deleted document of <paramref name="id"/> the session again; refused while a session with that id exists.</summary>
    Task<RestoreResult> RestoreFromTrashAsync(SessionId id, CancellationToken cancellationToken);

    /// <summary>Versions and trash: counts and bytes.</summary>
    HistoryDiagnostics GetHistoryDiagnostics();
}
