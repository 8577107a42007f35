using SessionApi.Writer;

namespace SessionApi.Store;

/// <summary>The store's versions and trash (see <see cref="SessionHistory"/> for the files and retention).</summary>
public sealed partial class SessionStore : ISessionHistory
{
    /// <summary>A kept document was accepted once: restoring it must not fail on a limit lowered since.</summary>
    private static readonly DocumentLimits RestoreLimits = new(long.MaxValue, 1000);

    public IReadOnlyList<SessionVersion>? ListVersions(SessionId id) =>
        history.ListVersions(id) ?? (index.ContainsKey(id) ? [] : null);

    public (SessionVersion Version, Stream Content)? OpenVersion(SessionId id, string version)
    {
        if (history.FindVersion(id, version) is not { } kept || SessionHistory.Open(kept) is not { } content)
        {
            return null;
        }

        return (new SessionVersion(kept.Name, kept.Size, kept.At, kept.ETag), content);
    }

    public async Task<RestoreResult> RestoreVersionAsync(SessionId id, string version, Precondition precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        using var sessionLock = await locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        var current = index.GetValueOrDefault(id);
        if (history.FindVersion(id, version) is not { } kept)
        {
            return new RestoreResult(RestoreOutcome.NotFound, current);
        }

        if (!precondition.IsSatisfiedBy(current?.ETag))
        {
            return new RestoreResult(RestoreOutcome.PreconditionFailed, current);
        }

        // Under the session's lock nothing prunes this session's versions except a save of another
        // session over the total limit: then the version is gone and so is the restore.
        var content = SessionHistory.Open(kept);
        if (content is null)
        {
            return new RestoreResult(RestoreOutcome.NotFound, current);
        }

        await using (content.ConfigureAwait(false))
        {
            var restored = await WriteLockedAsync(id, current, content, RestoreLimits, cancellationToken).ConfigureAwait(false);
            return new RestoreResult(current is null ? RestoreOutcome.Created : RestoreOutcome.Replaced, restored);
        }
    }

    public IReadOnlyList<TrashedSession> ListTrash() => history.ListTrash();

    public async Task<RestoreResult> RestoreFromTrashAsync(SessionId id, CancellationToken cancellationToken)
    {
        using var sessionLock = await locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        if (index.TryGetValue(id, out var current))
        {
            return new RestoreResult(RestoreOutcome.AlreadyExists, current);
        }

        if (history.NewestTrash(id) is not { } trashed || SessionHistory.Open(trashed) is not { } content)
        {
            return new RestoreResult(RestoreOutcome.NotFound, null);
        }

        SessionInfo restored;
        await using (content.ConfigureAwait(false))
        {
            restored = await WriteLockedAsync(id, current: null, content, RestoreLimits, cancellationToken).ConfigureAwait(false);
        }

        // Only once the session is durable again: a crash before this leaves both, never neither.
        history.RemoveTrash(trashed);
        return new RestoreResult(RestoreOutcome.Created, restored);
    }

    public HistoryDiagnostics GetHistoryDiagnostics() => history.GetDiagnostics();

    /// <summary>Completes when the files pruning has dropped from the index are deleted.</summary>
    internal Task WhenHistoryPrunedAsync() => history.WhenRemovedAsync();

    /// <summary>
    /// Recovery is about to promote a temp over a complete document (a save a crash interrupted after
    /// it was staged): that is a replace too, so the document becomes a version first.
    /// </summary>
    private async Task KeepReplacedByRecoveryAsync(SessionId id, InspectedFile document)
    {
        var replaced = new SessionInfo(id.Value, document.Length, new DateTimeOffset(document.LastWriteUtc, TimeSpan.Zero), ETags.FromHash(document.Hash));
        var name = history.VersionPathOf(id, replaced);
        if (File.Exists(name) && writer.CurrentMode != WriteMode.AtomicRename)
        {
            // The crash came between linking this version and the rename, and the root now refuses
            // renames: the promotion will rewrite the document in place, so the version that shares
            // its file must become a copy first (the document is intact until then).
            File.Delete(name);
        }

        if (history.PlanVersion(id, replaced) is { } version && !File.Exists(version.Kept.Path))
        {
            await writer.KeepCopyAsync(document.Path, version.Kept.Path).ConfigureAwait(false);
            history.CommitIfWritten(version);
        }
    }
}
