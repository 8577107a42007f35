using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SessionApi.Storage.Changes;
using SessionApi.Storage.History;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Store;

/// <summary>
/// The sessions' current documents, as both features of the store share them (<see cref="SessionStore"/>
/// for sessions, <see cref="HistoryStore"/> for versions and trash): the in-memory index, so listing
/// never touches the disk; the per-id locks, so writes of one session are serialized while different
/// sessions proceed in parallel; the versions and trash; and the one write path, which keeps the
/// document it replaces as a version, whether a save, a restore or recovery replaces it.
/// </summary>
internal sealed partial class SessionDocuments
{
    private readonly string root;
    private readonly DurableWriter writer;
    private readonly SessionRecovery recovery;
    private readonly SessionChanges changes;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public SessionDocuments(string root, DurableWriter writer, Quarantine quarantine, SessionHistory history, SessionChanges changes, TimeProvider timeProvider, ILogger logger)
    {
        this.root = root;
        this.writer = writer;
        this.changes = changes;
        this.timeProvider = timeProvider;
        this.logger = logger;
        History = history;
        recovery = new SessionRecovery(root, writer, quarantine, logger, KeepReplacedByRecoveryAsync);
    }

    public ConcurrentDictionary<SessionId, SessionInfo> Index { get; } = new();

    public KeyedAsyncLock Locks { get; } = new();

    public SessionHistory History { get; }

    public string PathOf(SessionId id) => Path.Combine(root, id.FileName);

    /// <summary>Finishes or quarantines every interrupted write of a session, then indexes the sessions found.</summary>
    public async Task<RecoveryReport> RecoverAllAsync(CancellationToken cancellationToken)
    {
        var (report, sessions) = await recovery.RecoverAllAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (id, session) in sessions)
        {
            Index[id] = session;
        }

        return report;
    }

    /// <summary>Writes a session's new document, keeping the one it replaces as a version; the caller holds the session's lock.</summary>
    public async Task<SessionInfo> WriteLockedAsync(SessionId id, SessionInfo? current, Stream body, DocumentLimits documentLimits, CancellationToken cancellationToken)
    {
        var path = PathOf(id);
        var version = current is null ? null : History.Versions.Plan(id, current);
        WrittenDocument written;
        try
        {
            written = await writer.WriteAsync(path, body, documentLimits, version?.Keep, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDocumentException e)
        {
            throw new SessionStoreException(ToErrorCode(e.Problem), e.Message, e);
        }
        catch (StorageWriteException e)
        {
            if (version is not null)
            {
                History.Versions.CommitIfWritten(version);
            }

            if (e.TemporaryFileKept)
            {
                await RepairAfterInterruptedCopyAsync(id).ConfigureAwait(false);
            }

            var code = e.Kind == StorageFailureKind.InsufficientStorage ? StoreErrorCode.InsufficientStorage : StoreErrorCode.StorageUnavailable;
            throw new SessionStoreException(code, e.Message, e);
        }

        var session = new SessionInfo(id.Value, written.Length, new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero), ETags.FromHash(written.Hash));
        Index[id] = session;
        if (version is not null && written.Kept != PreviousKept.No)
        {
            History.Versions.Commit(version, timeProvider.GetUtcNow());
        }

        // Durable now (the version too): every window may hear of it, restores included.
        changes.Publish(SessionChangeKind.Saved, id, session);
        return session;
    }

    /// <summary>Drops a session the disk no longer holds (or holds only torn) and tells the watchers.</summary>
    public void RemoveAndPublish(SessionId id)
    {
        if (Index.TryRemove(id, out _))
        {
            changes.Publish(SessionChangeKind.Deleted, id, session: null);
        }
    }

    /// <summary>
    /// A verified copy failed after it began rewriting the document: the complete new document is
    /// in its temp file. Run recovery for this one session now rather than at the next start, so
    /// the index never points at a torn file.
    /// </summary>
    private async Task RepairAfterInterruptedCopyAsync(SessionId id)
    {
        try
        {
            var repaired = await recovery.RecoverOneAsync(id, new RecoveryReport()).ConfigureAwait(false);
            if (repaired is null)
            {
                RemoveAndPublish(id);
            }
            else
            {
                Index[id] = repaired;
                changes.Publish(SessionChangeKind.Saved, id, repaired);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageWriteException)
        {
            // The storage is still failing; the next start's recovery finishes the job. Serve nothing torn meanwhile.
            RemoveAndPublish(id);
            LogRepairDeferred(logger, id, e);
        }
    }

    /// <summary>
    /// Recovery is about to promote a temp over a complete document (a save a crash interrupted after
    /// it was staged): that is a replace too, so the document becomes a version first.
    /// </summary>
    private async Task KeepReplacedByRecoveryAsync(SessionId id, InspectedFile document)
    {
        var replaced = new SessionInfo(id.Value, document.Length, new DateTimeOffset(document.LastWriteUtc, TimeSpan.Zero), ETags.FromHash(document.Hash));
        var name = History.Versions.PathOf(id, replaced);
        if (File.Exists(name) && writer.CurrentMode != WriteMode.AtomicRename)
        {
            // The crash came between linking this version and the rename, and the root now refuses
            // renames: the promotion will rewrite the document in place, so the version that shares
            // its file must become a copy first (the document is intact until then).
            File.Delete(name);
        }

        if (History.Versions.Plan(id, replaced) is { } version && !File.Exists(version.Kept.Path))
        {
            await writer.KeepCopyAsync(document.Path, version.Kept.Path).ConfigureAwait(false);
            History.Versions.CommitIfWritten(version);
        }
    }

    private static StoreErrorCode ToErrorCode(DocumentProblem problem) => problem switch
    {
        DocumentProblem.NotAnObject => StoreErrorCode.NotAnObject,
        DocumentProblem.TooDeep => StoreErrorCode.TooDeep,
        DocumentProblem.TooLarge => StoreErrorCode.TooLarge,
        _ => StoreErrorCode.InvalidJson,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not repair session {Id} after an interrupted copy; startup recovery will")]
    private static partial void LogRepairDeferred(ILogger logger, SessionId id, Exception exception);
}
