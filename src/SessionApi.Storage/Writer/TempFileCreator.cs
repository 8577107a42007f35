using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace SessionApi.Storage.Writer;

/// <summary>
/// Creates the temp file a save is staged in, beside its target under a fresh random name
/// (<see cref="TempFileNames"/>). Normally exclusively (O_CREAT|O_EXCL, CREATE_NEW), so a taken
/// name fails instead of being reused. An MSIX AppData holding a junction refuses exclusive creates
/// of names that do not exist (claude-code #83584, #91409); then a few fresh names are tried, and
/// if every one is refused the root switches to creating temps without exclusivity (still a random
/// name, checked to be free first), remembered in <see cref="TempCreateModeTracker"/>. Nothing about
/// the save changes but the open flags: the stager still validates, hashes and fsyncs the temp.
/// </summary>
internal sealed partial class TempFileCreator(TempCreateModeTracker tracker, WriterCounters counters, ILogger<TempFileCreator> logger)
{
    /// <summary>Fresh names tried before switching: one refusal could be a real (if unlikely) collision.</summary>
    public const int ExclusiveAttempts = 3;

    public TempCreateMode CurrentMode => tracker.Current;

    public (SafeFileHandle Handle, string Path) Create(string targetPath)
    {
        if (tracker.ShouldTryExclusive)
        {
            var wasSwitched = tracker.Current == TempCreateMode.NonExclusive;
            for (var attempt = 0; attempt < ExclusiveAttempts; attempt++)
            {
                var path = TempFileNames.NewFor(targetPath);
                try
                {
                    var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                    if (wasSwitched)
                    {
                        LogExclusiveAgain(logger, targetPath);
                    }

                    tracker.RecordExclusiveSucceeded();
                    return (handle, path);
                }
                catch (IOException e) when (OsErrorClassifier.Classify(e, FileOperation.ExclusiveCreateOfFreshName) == StorageFailureKind.ExclusiveCreateRefused)
                {
                    if (!File.Exists(path))
                    {
                        // "Already exists" for a name that is not there: the refusal, not a collision.
                        counters.ExclusiveCreateRefused();
                        if (logger.IsEnabled(LogLevel.Warning))
                        {
                            LogRefused(logger, path, OsError.FromException(e)?.ToString() ?? e.GetType().Name);
                        }
                    }
                }
            }

            tracker.RecordRefused();
            if (!wasSwitched)
            {
                LogSwitched(logger, targetPath, ExclusiveAttempts);
            }
        }

        return CreateNonExclusive(targetPath);
    }

    private static (SafeFileHandle Handle, string Path) CreateNonExclusive(string targetPath)
    {
        string path;
        do
        {
            path = TempFileNames.NewFor(targetPath);
        }
        while (File.Exists(path));

        // O_CREAT|O_TRUNC / CREATE_ALWAYS: the name is random and was just checked to be free, and the
        // root lock keeps other SessionApi instances out; only another program guessing the same 48
        // random bits could share it.
        return (File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None), path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exclusive create of the fresh temp {Path} was refused as existing ({OsError}); trying a new name")]
    private static partial void LogRefused(ILogger logger, string path, string osError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The folder of {Target} refused exclusive creates of {Attempts} fresh temp names (MSIX AppData with a junction): temps are now created without exclusivity")]
    private static partial void LogSwitched(ILogger logger, string target, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "The folder of {Target} accepts exclusive creates again")]
    private static partial void LogExclusiveAgain(ILogger logger, string target);
}
