using Microsoft.Extensions.Logging;
using SessionApi.Writer;

namespace SessionApi.Store;

/// <summary>
/// Previous versions (<c>&lt;root&gt;/.history/&lt;id&gt;/&lt;version&gt;.json</c>) and the trash
/// (<c>&lt;root&gt;/.trash/&lt;id&gt;/&lt;version&gt;.json</c>): plain, byte-exact copies of documents,
/// written by the durable writer, named by <see cref="VersionName"/>. The index of both lives in
/// memory and is rebuilt from the file names at every start, so listing reads no document.
/// Retention (<see cref="HistoryOptions"/>, <see cref="TrashOptions"/>) prunes after the save that
/// exceeded it, never before or instead of it, and never touches a session's current document.
/// </summary>
/// <remarks>The store calls it under the session's lock for that session; <c>gate</c> guards the index across sessions.</remarks>
internal sealed partial class SessionHistory(string root, HistoryOptions options, TrashOptions trashOptions, ILogger logger)
{
    public const string HistoryFolderName = ".history";
    public const string TrashFolderName = ".trash";

    private readonly Lock gate = new();
    private Task removals = Task.CompletedTask;
    private readonly Shelf versions = new(Path.Combine(root, HistoryFolderName));
    private readonly Shelf trash = new(Path.Combine(root, TrashFolderName));

    public bool Enabled => options.Enabled;

    /// <summary>
    /// Finishes or quarantines the writes a crash interrupted in both folders (only files that have a
    /// temp beside them are read), then indexes every kept file by its name.
    /// </summary>
    public async Task OpenAsync(DurableWriter writer, Quarantine quarantine, RecoveryReport report, DateTimeOffset now)
    {
        foreach (var shelf in new[] { versions, trash })
        {
            // The files are the truth; whatever recovery recorded before this point is on disk too.
            shelf.Clear();
            if (!Directory.Exists(shelf.Folder))
            {
                continue;
            }

            foreach (var folder in Directory.EnumerateDirectories(shelf.Folder))
            {
                if (!SessionId.TryParse(Path.GetFileName(folder), out var id))
                {
                    continue; // not ours
                }

                await FinishInterruptedWritesAsync(folder, writer, quarantine, report).ConfigureAwait(false);
                foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*" + SessionId.FileExtension))
                {
                    var name = file.Name[..^SessionId.FileExtension.Length];
                    if (VersionName.TryParse(name, out var at, out var etag))
                    {
                        shelf.Add(new KeptFile(id, name, at, etag, file.Length, file.FullName) { MergeAnchor = at });
                    }
                }
            }

            shelf.SortAll();
        }

        Prune(now);
    }

    /// <summary>Where to keep <paramref name="current"/> before a replace, or null when history is off or it is kept already.</summary>
    public VersionPlan? PlanVersion(SessionId id, SessionInfo current)
    {
        if (!options.Enabled)
        {
            return null;
        }

        var name = VersionName.Format(current.UpdatedAt, current.ETag);
        lock (gate)
        {
            var newest = versions.Newest(id);
            if (newest?.Name == name)
            {
                return null; // this very document (same time, same bytes) is the newest version already
            }

            // The window is anchored at the first version of a run of merges, so a session saved every
            // 200 ms for an hour keeps one version per window, not one for the whole hour. A document
            // smaller than the newest version never merges it away: a chat only grows while it
            // streams, and a shrink is what the app's bad save looks like; the version before it must
            // survive the next save.
            var at = new DateTimeOffset(current.UpdatedAt.UtcDateTime, TimeSpan.Zero);
            var merge = newest is not null && at >= newest.MergeAnchor && at - newest.MergeAnchor < options.MergeWindow
                && current.Size >= newest.Size;
            var kept = new KeptFile(id, name, VersionNameTime(name), current.ETag, current.Size, versions.PathOf(id, name))
            {
                MergeAnchor = merge ? newest!.MergeAnchor : at,
            };
            return new VersionPlan(kept, merge ? newest : null, new KeepPrevious(kept.Path, Convert.FromHexString(current.ETag.Trim('"'))));
        }
    }

    /// <summary>Where <paramref name="document"/> is, or would be, kept as a version.</summary>
    public string VersionPathOf(SessionId id, SessionInfo document) =>
        versions.PathOf(id, VersionName.Format(document.UpdatedAt, document.ETag));

    /// <summary>Records a version the writer kept (and drops the one it merged into), then prunes to the limits.</summary>
    public void Commit(VersionPlan plan, DateTimeOffset now)
    {
        lock (gate)
        {
            if (plan.Replaces is { } replaced && versions.Remove(replaced))
            {
                RemoveLater([replaced]);
            }

            versions.Add(plan.Kept);
        }

        Prune(now);
    }

    /// <summary>A save failed after its previous version was written: the file is a good version all the same.</summary>
    public void CommitIfWritten(VersionPlan plan)
    {
        if (File.Exists(plan.Kept.Path))
        {
            lock (gate)
            {
                versions.Add(plan.Kept);
            }
        }
    }

    public IReadOnlyList<SessionVersion>? ListVersions(SessionId id)
    {
        lock (gate)
        {
            return versions.Of(id) is { Count: > 0 } list
                ? [.. Enumerable.Reverse(list).Select(v => new SessionVersion(v.Name, v.Size, v.At, v.ETag))]
                : null;
        }
    }

    public KeptFile? FindVersion(SessionId id, string version)
    {
        lock (gate)
        {
            return versions.Of(id)?.Find(v => v.Name == version);
        }
    }

    /// <summary>Where to put a document that is being deleted.</summary>
    public KeptFile PlanTrash(SessionId id, SessionInfo current, DateTimeOffset now)
    {
        var name = VersionName.Format(now, current.ETag);
        return new KeptFile(id, name, VersionNameTime(name), current.ETag, current.Size, trash.PathOf(id, name));
    }

    public void CommitTrash(KeptFile kept)
    {
        lock (gate)
        {
            trash.Add(kept);
        }

        Prune(kept.At);
    }

    public IReadOnlyList<TrashedSession> ListTrash()
    {
        lock (gate)
        {
            return [.. trash.All().OrderByDescending(t => t.At).ThenBy(t => t.Id.Value, StringComparer.Ordinal)
                .Select(t => new TrashedSession(t.Id.Value, t.Size, t.At, t.ETag))];
        }
    }

    /// <summary>The most recently deleted document of <paramref name="id"/>, or null.</summary>
    public KeptFile? NewestTrash(SessionId id)
    {
        lock (gate)
        {
            return trash.Newest(id);
        }
    }

    /// <summary>Removes a trash entry once its document is a session again.</summary>
    public void RemoveTrash(KeptFile kept)
    {
        lock (gate)
        {
            trash.Remove(kept);
        }

        TryDelete(kept);
    }

    /// <summary>Opens a kept file for reading; pruning may still delete it underneath (the open handle keeps the bytes).</summary>
    public static FileStream? Open(KeptFile kept)
    {
        try
        {
            return new FileStream(kept.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // pruned between the lookup and the open
        }
    }

    public HistoryDiagnostics GetDiagnostics()
    {
        lock (gate)
        {
            return new HistoryDiagnostics(options.Enabled, versions.Count, versions.Bytes, trash.Count, trash.Bytes);
        }
    }

    /// <summary>
    /// Applies the limits: per session, versions beyond <see cref="HistoryOptions.MaxVersions"/> and
    /// bytes beyond <see cref="HistoryOptions.MaxBytesPerSession"/> (the newest one stays); across
    /// sessions, the oldest versions until <see cref="HistoryOptions.MaxTotalBytes"/> holds; trash
    /// entries older than <see cref="TrashOptions.Retention"/>. Files are deleted after the index is
    /// updated; a file that cannot be deleted now is logged and picked up again at the next start.
    /// </summary>
    public void Prune(DateTimeOffset now)
    {
        var doomed = new List<KeptFile>();
        lock (gate)
        {
            foreach (var list in versions.Lists())
            {
                while (list.Count > options.MaxVersions || (list.Count > 1 && list.Sum(v => v.Size) > options.MaxBytesPerSession))
                {
                    doomed.Add(list[0]);
                    versions.Remove(list[0]);
                }
            }

            while (versions.Bytes > options.MaxTotalBytes && versions.Oldest() is { } oldest)
            {
                doomed.Add(oldest);
                versions.Remove(oldest);
            }

            while (trash.Oldest() is { } expired && now - expired.At > trashOptions.Retention)
            {
                doomed.Add(expired);
                trash.Remove(expired);
            }

            if (doomed.Count > 0)
            {
                RemoveLater(doomed);
            }
        }
    }

    /// <summary>Completes once every file the index dropped so far is deleted (tests, shutdown).</summary>
    public Task WhenRemovedAsync()
    {
        lock (gate)
        {
            return removals;
        }
    }

    /// <summary>
    /// Deletes files the index no longer lists, one after another, off the save's path: a save's
    /// answer never waits for pruning. A file left by a crash is listed again at the next start and
    /// pruned then. The caller holds <c>gate</c>.
    /// </summary>
    private void RemoveLater(List<KeptFile> files) =>
        removals = removals.ContinueWith(
            _ =>
            {
                foreach (var file in files)
                {
                    TryDelete(file);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);

    private async Task FinishInterruptedWritesAsync(string folder, DurableWriter writer, Quarantine quarantine, RecoveryReport report)
    {
        List<SessionId>? interrupted = null;
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (DurableWriter.TargetOfTemp(Path.GetFileName(path), SessionId.FileExtension) is { } target
                && SessionId.TryParseFileName(target, out var version))
            {
                (interrupted ??= []).Add(version);
            }
        }

        if (interrupted is null)
        {
            return;
        }

        // A version's interrupted write is recovered exactly like a session's: a complete temp is
        // promoted, a torn one quarantined. Only these few files are read.
        var recovery = new SessionRecovery(folder, writer, quarantine, logger);
        foreach (var version in interrupted.Distinct())
        {
            await recovery.RecoverOneAsync(version, report).ConfigureAwait(false);
        }
    }

    private void TryDelete(KeptFile file)
    {
        try
        {
            File.Delete(file.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogPruneFailed(logger, file.Path, e);
        }
    }

    private static DateTimeOffset VersionNameTime(string name) =>
        VersionName.TryParse(name, out var at, out _) ? at : throw new InvalidOperationException($"Not a version name: {name}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Path} from history or trash now; the next start retries")]
    private static partial void LogPruneFailed(ILogger logger, string path, Exception exception);

    /// <summary>
    /// One of the two folders: per session, its kept files oldest first, with running totals. At
    /// start the order is the names' (time, then content hash); after that a file kept is appended,
    /// since it is always the newest: two versions within one tick of the clock that dates them (the
    /// document's modification time) keep the order they were made in, not their hashes'.
    /// </summary>
    private sealed class Shelf(string folder)
    {
        private readonly Dictionary<SessionId, List<KeptFile>> bySession = [];

        public string Folder => folder;

        public int Count { get; private set; }

        public long Bytes { get; private set; }

        public string PathOf(SessionId id, string name) => Path.Combine(folder, id.Value, name + SessionId.FileExtension);

        public List<KeptFile>? Of(SessionId id) => bySession.GetValueOrDefault(id);

        public KeptFile? Newest(SessionId id) => Of(id) is { Count: > 0 } list ? list[^1] : null;

        public List<List<KeptFile>> Lists() => [.. bySession.Values];

        public IEnumerable<KeptFile> All() => bySession.Values.SelectMany(list => list);

        public KeptFile? Oldest()
        {
            KeptFile? oldest = null;
            foreach (var list in bySession.Values)
            {
                if (list.Count > 0 && (oldest is null || list[0].At < oldest.At))
                {
                    oldest = list[0];
                }
            }

            return oldest;
        }

        public void Add(KeptFile file)
        {
            if (!bySession.TryGetValue(file.Id, out var list))
            {
                bySession[file.Id] = list = [];
            }

            list.Add(file);
            Count++;
            Bytes += file.Size;
        }

        public bool Remove(KeptFile file)
        {
            if (bySession.TryGetValue(file.Id, out var list) && list.Remove(file))
            {
                Count--;
                Bytes -= file.Size;
                if (list.Count == 0)
                {
                    bySession.Remove(file.Id);
                }

                return true;
            }

            return false;
        }

        public void Clear()
        {
            bySession.Clear();
            Count = 0;
            Bytes = 0;
        }

        public void SortAll()
        {
            foreach (var list in bySession.Values)
            {
                list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            }
        }
    }
}

/// <summary>A kept file: a previous version or a trash entry, everything known from its name and length.</summary>
internal sealed record KeptFile(SessionId Id, string Name, DateTimeOffset At, string ETag, long Size, string Path)
{
    /// <summary>Where the merge window of the run this version ends started (in memory only; its own time after a restart).</summary>
    public DateTimeOffset MergeAnchor { get; init; }
}

/// <summary>What a replace should keep: the version to write, the one it merges into, and what to ask the writer.</summary>
internal sealed record VersionPlan(KeptFile Kept, KeptFile? Replaces, KeepPrevious Keep);
