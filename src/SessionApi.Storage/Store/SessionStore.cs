using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionApi.Storage.Changes;
using SessionApi.Storage.History;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Roots;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Store;

/// <summary>
/// The store: one <c>&lt;id&gt;.json</c> per session under the root, an in-memory index so listing
/// never touches the disk, per-id locks so saves of one session are serialized while different
/// sessions proceed in parallel, and the durable writer underneath. <see cref="OpenAsync"/> (run
/// once at startup, before the server listens) locks the root, probes rename and recovers.
/// </summary>
/// <remarks>
/// The index, the locks and the write path live in <see cref="Documents"/>, which the versions and
/// trash feature (<see cref="HistoryStore"/>) shares; reads go through <see cref="SessionReader"/>.
/// </remarks>
internal sealed partial class SessionStore : ISessionStore, IDisposable
{
    private readonly ConcurrentDictionary<SessionId, SessionInfo> index;
    private readonly KeyedAsyncLock locks;
    private readonly DurableWriter writer;
    private readonly ILogger<SessionStore> logger;
    private readonly Quarantine quarantine;
    private readonly DocumentLimits limits;
    private readonly DocumentCache cache;
    private readonly SessionReader reader;
    private readonly SessionHistory history;
    private readonly TimeProvider timeProvider;
    private readonly SessionChanges changes;
    private RootLock? rootLock;
    private PhysicalRoot physicalRoot = PhysicalRoot.Unknown;

    public SessionStore(
        IOptions<StorageOptions> options,
        IOptions<HistoryOptions> historyOptions,
        IOptions<TrashOptions> trashOptions,
        DurableWriter writer,
        SessionChanges changes,
        TimeProvider timeProvider,
        ILogger<SessionStore> logger)
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
        history = new SessionHistory(Root, historyOptions.Value, trashOptions.Value, logger);
        Documents = new SessionDocuments(Root, writer, quarantine, history, changes, timeProvider, logger);
        index = Documents.Index;
        locks = Documents.Locks;
        reader = new SessionReader(Documents, cache);
    }

    public string Root { get; }

    /// <summary>The index, the per-id locks, the versions and trash, and the write path: what <see cref="HistoryStore"/> shares.</summary>
    internal SessionDocuments Documents { get; }

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
            var report = await Documents.RecoverAllAsync(cancellationToken).ConfigureAwait(false);
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

    public Task<SessionRead?> ReadAsync(SessionId id, CancellationToken cancellationToken) => reader.ReadAsync(id, cancellationToken);

    public async Task<SaveResult> SaveAsync(SessionId id, Stream body, Precondition precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(precondition);
        using var sessionLock = await locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        var current = index.GetValueOrDefault(id);
        if (!precondition.IsSatisfiedBy(current?.ETag))
        {
            return new SaveResult(SaveOutcome.PreconditionFailed, current);
        }

        var saved = await Documents.WriteLockedAsync(id, current, body, limits, cancellationToken).ConfigureAwait(false);
        return new SaveResult(current is null ? SaveOutcome.Created : SaveOutcome.Replaced, saved);
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

        var trashed = history.Trash.Plan(id, current, timeProvider.GetUtcNow());
        try
        {
            // Into the trash first: a crash in between leaves the session and its trash copy, never neither.
            await writer.KeepCopyAsync(Documents.PathOf(id), trashed.Path).ConfigureAwait(false);
            await writer.DeleteAsync(Documents.PathOf(id)).ConfigureAwait(false);
        }
        catch (StorageWriteException e)
        {
            throw new SessionStoreException(StoreErrorCode.StorageUnavailable, e.Message, e);
        }

        index.TryRemove(id, out _);
        cache.Remove(id);
        history.Trash.Commit(trashed);
        changes.Publish(SessionChangeKind.Deleted, id, session: null);
        return DeleteResult.Deleted;
    }

    public StoreDiagnostics GetDiagnostics() => new(
        Root,
        physicalRoot.Path,
        physicalRoot.Redirected,
        writer.CurrentMode,
        writer.CurrentTempCreateMode,
        writer.Counters.Snapshot(),
        FreeBytes(),
        index.Count,
        quarantine.List());

    public void Dispose() => rootLock?.Dispose();

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage root {Root} open: {Sessions} sessions, write mode {WriteMode}, {Promoted} temps promoted, {Quarantined} files quarantined")]
    private static partial void LogOpened(ILogger logger, string root, int sessions, WriteMode writeMode, int promoted, int quarantined);
}
