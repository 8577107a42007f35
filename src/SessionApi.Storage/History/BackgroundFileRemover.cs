using Microsoft.Extensions.Logging;

namespace SessionApi.Storage.History;

/// <summary>
/// Deletes files the index no longer lists, one after another, off the save's path: a save's
/// answer never waits for pruning. A file left by a crash is listed again at the next start and
/// pruned then.
/// </summary>
/// <remarks>
/// Callers drop the files from the index first, under <see cref="HistoryIndex.Gate"/>, and queue
/// them before they release it; <c>queue</c> only guards the chain of deletions.
/// </remarks>
internal sealed partial class BackgroundFileRemover(ILogger logger)
{
    private readonly Lock queue = new();
    private Task removals = Task.CompletedTask;

    /// <summary>Deletes <paramref name="files"/> in the background, after every file queued before them.</summary>
    public void RemoveLater(List<KeptFile> files)
    {
        lock (queue)
        {
            removals = removals.ContinueWith(
                _ =>
                {
                    foreach (var file in files)
                    {
                        RemoveNow(file);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    /// <summary>Completes once every file the index dropped so far is deleted (a graceful stop waits for it: StorageStartup).</summary>
    public Task WhenRemovedAsync()
    {
        lock (queue)
        {
            return removals;
        }
    }

    /// <summary>Deletes <paramref name="file"/> now; one that cannot be deleted is logged and pruned at the next start.</summary>
    public void RemoveNow(KeptFile file)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Path} from history or trash now; the next start retries")]
    private static partial void LogPruneFailed(ILogger logger, string path, Exception exception);
}
