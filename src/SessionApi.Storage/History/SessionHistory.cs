using Microsoft.Extensions.Logging;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.History;

/// <summary>
/// Previous versions (<c>&lt;root&gt;/.history/&lt;id&gt;/&lt;version&gt;.json</c>) and the trash
/// (<c>&lt;root&gt;/.trash/&lt;id&gt;/&lt;version&gt;.json</c>): plain, byte-exact copies of documents,
/// written by the durable writer, named by <see cref="VersionName"/>. The index of both lives in
/// memory and is rebuilt from the file names at every start, so listing reads no document.
/// Retention (<see cref="HistoryOptions"/>, <see cref="TrashOptions"/>) prunes after the save that
/// exceeded it, never before or instead of it, and never touches a session's current document.
/// </summary>
/// <remarks>
/// The parts, one job each, share <see cref="HistoryIndex"/> and its one lock:
/// <see cref="VersionKeeper"/> (plan, commit, list, find versions), <see cref="TrashKeeper"/>,
/// <see cref="HistoryRetention"/> (pruning), <see cref="BackgroundFileRemover"/> (deleting what the
/// index dropped) and <see cref="HistoryStartupScan"/>. This class builds them, opens them at start
/// and reports them.
/// </remarks>
internal sealed class SessionHistory
{
    private readonly HistoryIndex index;
    private readonly HistoryOptions options;
    private readonly BackgroundFileRemover remover;
    private readonly HistoryRetention retention;
    private readonly HistoryStartupScan scan;

    public SessionHistory(string root, HistoryOptions options, TrashOptions trashOptions, ILogger logger)
    {
        this.options = options;
        index = new HistoryIndex(root);
        remover = new BackgroundFileRemover(logger);
        retention = new HistoryRetention(index, options, trashOptions, remover);
        scan = new HistoryStartupScan(index, logger);
        Versions = new VersionKeeper(index, options, retention, remover);
        Trash = new TrashKeeper(index, retention, remover);
    }

    public VersionKeeper Versions { get; }

    public TrashKeeper Trash { get; }

    /// <summary>
    /// Finishes or quarantines the writes a crash interrupted in both folders, indexes every kept
    /// file by its name (<see cref="HistoryStartupScan"/>), then prunes to the limits.
    /// </summary>
    public async Task OpenAsync(DurableWriter writer, Quarantine quarantine, RecoveryReport report, DateTimeOffset now)
    {
        await scan.RunAsync(writer, quarantine, report).ConfigureAwait(false);
        retention.Prune(now);
    }

    public HistoryDiagnostics GetDiagnostics()
    {
        lock (index.Gate)
        {
            return new HistoryDiagnostics(options.Enabled, index.Versions.Count, index.Versions.Bytes, index.Trash.Count, index.Trash.Bytes);
        }
    }

    /// <summary>Completes once every file the index dropped so far is deleted (a graceful stop waits for it: StorageStartup).</summary>
    public Task WhenRemovedAsync() => remover.WhenRemovedAsync();
}
