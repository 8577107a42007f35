using SessionApi.Storage.History;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Store;

/// <summary>
/// The store's versions and trash (see <see cref="SessionHistory"/> for the files and retention): a
/// feature of its own over the same documents as <see cref="SessionStore"/>, whose index, per-id
/// locks and write path (which keeps the replaced document as a version) it shares through
/// <see cref="SessionDocuments"/>.
/// </summary>
internal sealed class HistoryStore(SessionDocuments documents) : ISessionHistory
{
    /// <summary>A kept document was accepted once: restoring it must not fail on a limit lowered since.</summary>
    private static readonly DocumentLimits RestoreLimits = new(long.MaxValue, 1000);

    private SessionHistory History => documents.History;

    public IReadOnlyList<SessionVersion>? ListVersions(SessionId id) =>
        History.Versions.List(id) ?? (documents.Index.ContainsKey(id) ? [] : null);

    public (SessionVersion Version, Stream Content)? OpenVersion(SessionId id, string version)
    {
        if (History.Versions.Find(id, version) is not { } kept || kept.OpenRead() is not { } content)
        {
            return null;
        }

        return (new SessionVersion(kept.Name, kept.Size, kept.At, kept.ETag), content);
    }

    public async Task<RestoreResult> RestoreVersionAsync(SessionId id, string version, Precondition precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        using var sessionLock = await documents.Locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        var current = documents.Index.GetValueOrDefault(id);
        if (History.Versions.Find(id, version) is not { } kept)
        {
            return new RestoreResult(RestoreOutcome.NotFound, current);
        }

        if (!precondition.IsSatisfiedBy(current?.ETag))
        {
            return new RestoreResult(RestoreOutcome.PreconditionFailed, current);
        }

        // Under the session's lock nothing prunes this session's versions except a save of another
        // session over the total limit: then the version is gone and so is the restore.
        var content = kept.OpenRead();
        if (content is null)
        {
            return new RestoreResult(RestoreOutcome.NotFound, current);
        }

        await using (content.ConfigureAwait(false))
        {
            var restored = await documents.WriteLockedAsync(id, current, content, RestoreLimits, cancellationToken).ConfigureAwait(false);
            return new RestoreResult(current is null ? RestoreOutcome.Created : RestoreOutcome.Replaced, restored);
        }
    }

    public IReadOnlyList<TrashedSession> ListTrash() => History.Trash.List();

    public async Task<RestoreResult> RestoreFromTrashAsync(SessionId id, CancellationToken cancellationToken)
    {
        using var sessionLock = await documents.Locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        if (documents.Index.TryGetValue(id, out var current))
        {
            return new RestoreResult(RestoreOutcome.AlreadyExists, current);
        }

        if (History.Trash.Newest(id) is not { } trashed || trashed.OpenRead() is not { } content)
        {
            return new RestoreResult(RestoreOutcome.NotFound, null);
        }

        SessionInfo restored;
        await using (content.ConfigureAwait(false))
        {
            restored = await documents.WriteLockedAsync(id, current: null, content, RestoreLimits, cancellationToken).ConfigureAwait(false);
        }

        // Only once the session is durable again: a crash before this leaves both, never neither.
        History.Trash.Remove(trashed);
        return new RestoreResult(RestoreOutcome.Created, restored);
    }

    public HistoryDiagnostics GetHistoryDiagnostics() => History.GetDiagnostics();
}
