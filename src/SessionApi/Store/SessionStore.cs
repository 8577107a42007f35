using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionApi.Writer;

namespace SessionApi.Store;

/// <summary>
/// The store: one <c>&lt;id&gt;.json</c> per session under the root, an in-memory index so listing
/// never touches the disk, per-id locks so saves of one session are serialized while different
/// sessions proceed in parallel, and the durable writer underneath. <see cref="OpenAsync"/> (run
/// once at startup, before the server listens) locks the root, probes rename and recovers.
/// </summary>
public sealed partial class SessionStore : ISessionStore, IDisposable
{
    private readonly ConcurrentDictionary<SessionId, SessionInfo> index = new();
    private readonly KeyedAsyncLock locks = new();
    private readonly DurableWriter writer;
    private readonly ILogger<SessionStore> logger;
    private readonly Quarantine quarantine;
    private readonly SessionRecovery recovery;
    private readonly DocumentLimits limits;
    private readonly DocumentCache cache;
    private readonly SessionHistory history;
    private readonly TimeProvider timeProvider;
    private readonly SessionChanges changes;
    private RootLock? rootLock;
    private PhysicalRoot physicalRoot = PhysicalRoot.Unknown;

    public SessionStore(
        IOptions<StorageOptions> options,
        DurableWriter writer,
        SessionChanges changes,
        TimeProvider timeProvider,
        ILogger<SessionStore> logger,
        IOptions<HistoryOptions>? historyOptions = null,
        IOptions<TrashOptions>? trashOptions = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(options);
        Root = options.Value.ResolveRoot();
        limits = new DocumentLimits(options.Value.MaxSessionBytes, options.Value.MaxJsonDepth);
        cache = new DocumentCache(options.Value.ReadCacheBytes);
        this.writer = writer;
        this.changes = changes;
        this.logger = logger;
        quarantine = new Quarantine(Root, timeProvider);
        this.timeProvider = timeProvider;
        history = new SessionHistory(Root, historyOptions?.Value ?? new HistoryOptions(), trashOptions?.Value ?? new TrashOptions(), logger);
        recovery = new SessionRecovery(Root, writer, quarantine, logger, KeepReplacedByRecoveryAsync);
    }

    public string Root { get; }

    /// <summary>Creates and locks the root, probes rename, recovers leftovers and builds the index.</summary>
    public async Task<RecoveryReport> OpenAsync(CancellationToken cancellationToken)
    {
        if (rootLock is not null)
        {
            throw new InvalidOperationException("The store is already open.");
        }

        StorageRoot.Prepare(Root);
        rootLock = RootLock.Acquire(Root);
        try
        {
            physicalRoot = writer.ProbeRoot(Root);
            var (report, sessions) = await recovery.RecoverAllAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (id, session) in sessions)
            {
                index[id] = session;
            }

            await history.OpenAsync(writer, quarantine, report, timeProvider.GetUtcNow()).ConfigureAwait(false);
            LogOpened(logger, Root, index.Count, writer.CurrentMode, report.Promoted.Count, report.Quarantined.Count);
            return report;
        }
        catch
        {
            rootLock.Dispose();
            rootLock = null;
            throw;
        }
    }

    public IReadOnlyList<SessionInfo> List()
    {
        var items = index.Values.ToArray();
        Array.Sort(items, static (a, b) =>
        {
            var byTime = b.UpdatedAt.CompareTo(a.UpdatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return items;
    }

    public SessionInfo? Find(SessionId id) => index.GetValueOrDefault(id);

    /// <summary>Documents up to this size are read whole (and cached), the lock released before the response is sent.</summary>
    public const int WholeReadLimit = 64 * 1024;

    public async Task<SessionRead?> ReadAsync(SessionId id, CancellationToken cancellationToken)
    {
        if (!index.TryGetValue(id, out var known))
        {
            return null;
        }

        if (cache.TryGet(id, known.ETag, out var cached))
        {
            return SessionRead.Whole(known, cached);
        }

        var sessionLock = await locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        SessionReadLease? lease = null;
        try
        {
            if (!index.TryGetValue(id, out var session))
            {
                return null;
            }

            // Under the lock the index and the file agree (every write holds it too), so the bytes
            // read here are exactly the ones session.ETag names.
            var large = session.Size > WholeReadLimit;
            var stream = new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, large ? FileOptions.SequentialScan : FileOptions.None);
            if (large || stream.Length > WholeReadLimit)
            {
                lease = new SessionReadLease(session, stream, sessionLock);
                return SessionRead.Streamed(lease);
            }

            await using (stream.ConfigureAwait(false))
            {
                var content = new byte[stream.Length];
                stream.ReadExactly(content);
                cache.Add(id, session.ETag, content);
                return SessionRead.Whole(session, content);
            }
        }
        catch (FileNotFoundException)
        {
            // Deleted behind our back (by hand): the index follows the disk, and so do the watchers.
            RemoveAndPublish(id);
            return null;
        }
        finally
        {
            // A streamed read hands the lock to its lease, which releases it once the response is sent.
            if (lease is null)
            {
                sessionLock.Dispose();
            }
        }
    }

    public async Task<SaveResult> SaveAsync(SessionId id, Stream body, Precondition precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        using var sessionLock = await locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        var current = index.GetValueOrDefault(id);
        if (!precondition.IsSatisfiedBy(current?.ETag))
        {
            return new SaveResult(SaveOutcome.PreconditionFailed, current);
        }

        var saved = await WriteLockedAsync(id, current, body, limits, cancellationToken).ConfigureAwait(false);
        return new SaveResult(current is null ? SaveOutcome.Created : SaveOutcome.Replaced, saved);
    }

    /// <summary>Writes a session's new document, keeping the one it replaces as a version; the caller holds the session's lock.</summary>
    private async Task<SessionInfo> WriteLockedAsync(SessionId id, SessionInfo? current, Stream body, DocumentLimits documentLimits, CancellationToken cancellationToken)
    {
        var path = PathOf(id);
        var version = current is null ? null : history.PlanVersion(id, current);
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
                history.CommitIfWritten(version);
            }

            if (e.TemporaryFileKept)
            {
                await RepairAfterInterruptedCopyAsync(id).ConfigureAwait(false);
            }

            var code = e.Kind == StorageFailureKind.InsufficientStorage ? StoreErrorCode.InsufficientStorage : StoreErrorCode.StorageUnavailable;
            throw new SessionStoreException(code, e.Message, e);
        }

        var session = new SessionInfo(id.Value, written.Length, new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero), ETags.FromHash(written.Hash));
        index[id] = session;
        if (version is not null && written.Kept != PreviousKept.No)
        {
            history.Commit(version, timeProvider.GetUtcNow());
        }

        // Durable now (the version too): every window may hear of it, restores included.
        changes.Publish(SessionChangeKind.Saved, id, session);
        return session;
    }

    public async Task<DeleteResult> DeleteAsync(SessionId id, Precondition precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        using var sessionLock = await locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        if (!index.TryGetValue(id, out var current))
        {
            return DeleteResult.NotFound;
        }

        if (!precondition.IsSatisfiedBy(current.ETag))
        {
            return DeleteResult.PreconditionFailed;
        }

        var trashed = history.PlanTrash(id, current, timeProvider.GetUtcNow());
        try
        {
            // Into the trash first: a crash in between leaves the session and its trash copy, never neither.
            await writer.KeepCopyAsync(PathOf(id), trashed.Path).ConfigureAwait(false);
            await writer.DeleteAsync(PathOf(id)).ConfigureAwait(false);
        }
        catch (StorageWriteException e)
        {
            throw new SessionStoreException(StoreErrorCode.StorageUnavailable, e.Message, e);
        }

        index.TryRemove(id, out _);
        cache.Remove(id);
        history.CommitTrash(trashed);
        changes.Publish(SessionChangeKind.Deleted, id, session: null);
        return DeleteResult.Deleted;
    }

    public StoreDiagnostics GetDiagnostics() => new(
        Root,
        physicalRoot.Path,
        physicalRoot.Redirected,
        writer.CurrentMode.ToWireName(),
        writer.CurrentTempCreateMode.ToWireName(),
        writer.Counters.Snapshot(),
        FreeBytes(),
        index.Count,
        quarantine.List());

    public void Dispose() => rootLock?.Dispose();

    private string PathOf(SessionId id) => Path.Combine(Root, id.FileName);

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
                index[id] = repaired;
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

    /// <summary>Drops a session the disk no longer holds (or holds only torn) and tells the watchers.</summary>
    private void RemoveAndPublish(SessionId id)
    {
        if (index.TryRemove(id, out _))
        {
            changes.Publish(SessionChangeKind.Deleted, id, session: null);
        }
    }

    private long? FreeBytes()
    {
        try
        {
            return new DriveInfo(Root).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static StoreErrorCode ToErrorCode(DocumentProblem problem) => problem switch
    {
        DocumentProblem.NotAnObject => StoreErrorCode.NotAnObject,
        DocumentProblem.TooDeep => StoreErrorCode.TooDeep,
        DocumentProblem.TooLarge => StoreErrorCode.TooLarge,
        _ => StoreErrorCode.InvalidJson,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage root {Root} open: {Sessions} sessions, write mode {WriteMode}, {Promoted} temps promoted, {Quarantined} files quarantined")]
    private static partial void LogOpened(ILogger logger, string root, int sessions, WriteMode writeMode, int promoted, int quarantined);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not repair session {Id} after an interrupted copy; startup recovery will")]
    private static partial void LogRepairDeferred(ILogger logger, SessionId id, Exception exception);
}
