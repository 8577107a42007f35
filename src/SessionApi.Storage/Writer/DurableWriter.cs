using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace SessionApi.Storage.Writer;

/// <summary>
/// Writes one file atomically and durably on any file system: stage to a temp file beside the
/// target (validated, hashed, fsynced), then replace through the resilience pipeline (rename, or
/// the verified copy where rename is refused as cross-device). A failed save leaves the previous
/// document and no temp file behind; see <see cref="StorageWriteException"/> for the one exception.
/// The pipelines may be built lazily (see <see cref="WarmUp"/>): building them (Polly's option
/// validation, telemetry) is the largest single step of a start, and an empty root needs no write
/// before the server is ready.
/// </summary>
/// <remarks>
/// The writer's one surface: the store writes, promotes, deletes, probes, inspects and moves files
/// aside only through this class, and reads the mode and counters here.
/// </remarks>
internal sealed partial class DurableWriter
{
    private readonly Lazy<ResiliencePipeline<WriteMode>> pipeline;
    private readonly Lazy<ResiliencePipeline> deletePipeline;
    private readonly WriteModeTracker modeTracker;
    private readonly ILogger<DurableWriter> logger;
    private readonly TempFileCreator tempFiles;

    internal DurableWriter(
        Lazy<ResiliencePipeline<WriteMode>> pipeline,
        Lazy<ResiliencePipeline> deletePipeline,
        WriteModeTracker modeTracker,
        WriterCounters counters,
        ILogger<DurableWriter> logger,
        TempFileCreator tempFiles)
    {
        this.pipeline = pipeline;
        this.deletePipeline = deletePipeline;
        this.modeTracker = modeTracker;
        this.logger = logger;
        this.tempFiles = tempFiles;
        Counters = counters;
    }

    /// <summary>The replace strategy the root needs now (diagnostics' <c>writeMode</c>).</summary>
    public WriteMode CurrentMode => modeTracker.Current;

    /// <summary>What the storage has been through since start.</summary>
    public WriterCounters Counters { get; }

    /// <summary>How temp files are created in the root now (diagnostics' <c>tempCreateMode</c>).</summary>
    public TempCreateMode CurrentTempCreateMode => tempFiles.CurrentMode;

    /// <summary>
    /// Builds the pipelines now, so the first save does not pay for it. A failure is logged here and
    /// thrown again by the first save that needs the pipeline (Lazy keeps it).
    /// </summary>
    public void WarmUp()
    {
        try
        {
            _ = pipeline.Value;
            _ = deletePipeline.Value;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.ComponentModel.DataAnnotations.ValidationException)
        {
            LogWarmUpFailed(logger, e);
        }
    }

    public Task<WrittenDocument> WriteAsync(string targetPath, Stream body, DocumentLimits limits, CancellationToken cancellationToken) =>
        WriteAsync(targetPath, body, limits, keepPrevious: null, cancellationToken);

    /// <summary>
    /// Writes <paramref name="body"/> over <paramref name="targetPath"/>; with <paramref name="keepPrevious"/>,
    /// the document it replaces is kept first as a new file (see <see cref="KeepPrevious"/>), and a
    /// failure to keep it fails the save with the document untouched.
    /// </summary>
    public async Task<WrittenDocument> WriteAsync(string targetPath, Stream body, DocumentLimits limits, KeepPrevious? keepPrevious, CancellationToken cancellationToken)
    {
        var written = await WriteCoreAsync(targetPath, body, limits, keepPrevious, cancellationToken).ConfigureAwait(false);
        Counters.Save();
        return written;
    }

    private async Task<WrittenDocument> WriteCoreAsync(string targetPath, Stream body, DocumentLimits limits, KeepPrevious? keepPrevious, CancellationToken cancellationToken)
    {
        StagedDocument staged;
        try
        {
            staged = await DocumentStager.StageAsync(tempFiles, targetPath, body, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Counters.SaveFailure();
            throw Failure(e, targetPath, temporaryFileKept: false);
        }

        var kept = keepPrevious is null ? PreviousKept.No : await KeepPreviousAsync(staged, keepPrevious).ConfigureAwait(false);
        if (kept == PreviousKept.Linked)
        {
            staged = staged with { BeforeInPlaceCopy = UnshareOnce(targetPath, keepPrevious!.Path) };
        }

        // Once the body is on disk the save completes even if the client goes away: the replace is
        // bounded by the retry budget, not by the request.
        var mode = await ReplaceAsync(staged, deleteTempOnFailure: true).ConfigureAwait(false);
        if (kept == PreviousKept.Linked)
        {
            FlushKeptLink(keepPrevious!.Path);
        }

        return new WrittenDocument(staged.Length, staged.Hash, mode) { Kept = kept };
    }

    /// <summary>
    /// Promotes a complete temp file that an earlier run left behind (see <see cref="Inspect"/>) over
    /// <paramref name="targetPath"/>, the same way a save replaces its target. On failure the temp
    /// stays where it is: it may be the only copy.
    /// </summary>
    public Task<WriteMode> PromoteAsync(InspectedFile temp, string targetPath)
    {
        ArgumentNullException.ThrowIfNull(temp);
        if (!temp.IsCompleteObject)
        {
            throw new ArgumentException("Only a complete JSON object is promoted.", nameof(temp));
        }

        return ReplaceAsync(new StagedDocument(temp.Path, targetPath, temp.Length, temp.Hash), deleteTempOnFailure: false);
    }

    /// <summary>
    /// Probes the root at startup with one file (<see cref="RootProbe"/>): records whether it refuses
    /// rename as the current mode (rename when the probe could not run: a read-only or failing root,
    /// whose saves will say so), and returns where new files in it physically land.
    /// </summary>
    public PhysicalRoot ProbeRoot(string root)
    {
        var probe = RootProbe.Run(root);
        modeTracker.Record(probe.Mode ?? WriteMode.AtomicRename);
        return probe.PhysicalRoot;
    }

    /// <summary>What a file holds: a complete JSON object or not, its length, content hash and age.</summary>
    public static InspectedFile Inspect(string path) => DocumentInspector.Inspect(path);

    /// <summary>Whether <paramref name="candidate"/>'s bytes are a prefix of <paramref name="complete"/>'s (a torn copy of it).</summary>
    public static bool IsPrefixOf(string candidate, string complete) => DocumentInspector.IsPrefixOf(candidate, complete);

    /// <summary>
    /// The file name a temp file of this writer (or of the app's own writer) belongs to:
    /// <c>a.json.tmp</c> and <c>a.json.1f2e3d4c5b6a.tmp</c> both give <c>a.json</c>; null when
    /// <paramref name="fileName"/> is not a temp of a <paramref name="targetExtension"/> file.
    /// </summary>
    public static string? TargetOfTemp(string fileName, string targetExtension) => TempFileNames.TargetOf(fileName, targetExtension);

    /// <summary>
    /// Moves a file out of the way (into a folder nobody serves) and makes both directory changes
    /// durable: a rename, or the verified copy where the root refuses renames (the MSIX symptoms).
    /// Atomicity does not matter for a file nobody serves; losing it would. The moved file's bytes
    /// are flushed before the directories: otherwise the source's removal could be durable and the
    /// moved file still empty after a power cut (the crash-state checker in tests/crash finds that).
    /// After a plain rename this costs one fsync, on a rare path.
    /// </summary>
    public static void MoveAside(string path, string destination)
    {
        if (FileMover.Move(path, destination))
        {
            using (var moved = File.OpenHandle(destination, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                DurableFileSystem.FlushToDisk(moved, destination);
            }

            DurableFileSystem.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        }

        DurableFileSystem.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    internal async Task<WriteMode> ReplaceAsync(StagedDocument staged, bool deleteTempOnFailure)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        context.Properties.Set(WriterPipeline.StagedDocumentKey, staged);
        try
        {
            // Once per replace, before any strategy runs: covers rename and verified copy alike.
            DurableFileSystem.ThrowIfReadOnly(staged.TargetPath);
            var mode = await pipeline.Value.ExecuteAsync(
                static (_, document) =>
                {
                    DurableFileSystem.ReplaceTempByRename(document.TempPath, document.TargetPath);
#if !CRASHCHECK_PLANTED_BUG // Only the crash-state checker's proof build leaves this flush out (tests/crash/run.sh).
                    DurableFileSystem.FlushDirectory(Path.GetDirectoryName(document.TargetPath)!);
#endif
                    return ValueTask.FromResult(WriteMode.AtomicRename);
                },
                context,
                staged).ConfigureAwait(false);
            modeTracker.Record(mode);
            return mode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutRejectedException)
        {
            Counters.SaveFailure();
            var keep = !deleteTempOnFailure || e is TargetTouchedException;
            if (!keep)
            {
                DocumentStager.TryDelete(staged.TempPath);
            }

            var cause = e is TimeoutRejectedException && context.Properties.TryGetValue(WriterPipeline.LastTransientErrorKey, out var last) ? last : e;
            throw Failure(cause, staged.TargetPath, keep);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Deletes a document durably (the directory entry is flushed), retrying transient errors.</summary>
    public async Task DeleteAsync(string targetPath)
    {
        try
        {
            DurableFileSystem.ThrowIfReadOnly(targetPath);
            await deletePipeline.Value.ExecuteAsync(
                static (path, _) =>
                {
                    File.Delete(path);
                    DurableFileSystem.FlushDirectory(Path.GetDirectoryName(path)!);
                    return ValueTask.CompletedTask;
                },
                targetPath,
                CancellationToken.None).ConfigureAwait(false);
            Counters.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutRejectedException)
        {
            throw Failure(e, targetPath, temporaryFileKept: false);
        }
    }

    private StorageWriteException Failure(Exception cause, string path, bool temporaryFileKept)
    {
        var kind = OsErrorClassifier.Classify(cause) == StorageFailureKind.InsufficientStorage
            ? StorageFailureKind.InsufficientStorage
            : StorageFailureKind.Unavailable;
        LogSaveFailed(logger, path, kind, OsError.FromException(cause)?.ToString() ?? cause.GetType().Name, temporaryFileKept, cause);
        var message = cause is ReadOnlyTargetException
            ? cause.Message
            : kind == StorageFailureKind.InsufficientStorage
                ? "There is not enough free space on the storage to save the session."
                : "The storage is not writable right now (read-only, failing, or held by another program).";
        return new StorageWriteException(kind, message, cause, temporaryFileKept);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Building the writer's resilience pipelines failed; saves will fail with the same error")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving {Path} failed ({Kind}, {OsError}); temp file kept for recovery: {TempKept}")]
    private static partial void LogSaveFailed(ILogger logger, string path, StorageFailureKind kind, string osError, bool tempKept, Exception exception);
}
