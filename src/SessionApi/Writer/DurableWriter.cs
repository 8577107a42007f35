using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace SessionApi.Writer;

/// <summary>
/// Writes one file atomically and durably on any file system: stage to a temp file beside the
/// target (validated, hashed, fsynced), then replace through the resilience pipeline (rename, or
/// the verified copy where rename is refused as cross-device). A failed save leaves the previous
/// document and no temp file behind; see <see cref="StorageWriteException"/> for the one exception.
/// The pipelines may be built lazily (see <see cref="WarmUp"/>): building them (Polly's option
/// validation, telemetry) is the largest single step of a start, and an empty root needs no write
/// before the server is ready.
/// </summary>
public sealed partial class DurableWriter(
    Lazy<ResiliencePipeline<WriteMode>> pipeline,
    Lazy<ResiliencePipeline> deletePipeline,
    WriteModeTracker modeTracker,
    WriterCounters counters,
    ILogger<DurableWriter> logger)
{
    public DurableWriter(
        ResiliencePipeline<WriteMode> pipeline,
        ResiliencePipeline deletePipeline,
        WriteModeTracker modeTracker,
        WriterCounters counters,
        ILogger<DurableWriter> logger)
        : this(new Lazy<ResiliencePipeline<WriteMode>>(pipeline), new Lazy<ResiliencePipeline>(deletePipeline), modeTracker, counters, logger)
    {
    }

    public WriteMode CurrentMode => modeTracker.Current;

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

    public async Task<WrittenDocument> WriteAsync(string targetPath, Stream body, DocumentLimits limits, CancellationToken cancellationToken)
    {
        StagedDocument staged;
        try
        {
            staged = await DocumentStager.StageAsync(targetPath, body, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            counters.SaveFailure();
            throw Failure(e, targetPath, temporaryFileKept: false);
        }

        // Once the body is on disk the save completes even if the client goes away: the replace is
        // bounded by the retry budget, not by the request.
        var mode = await ReplaceAsync(staged, deleteTempOnFailure: true).ConfigureAwait(false);
        counters.Save();
        return new WrittenDocument(staged.Length, staged.Hash, mode);
    }

    /// <summary>
    /// Replaces <see cref="StagedDocument.TargetPath"/> with the staged temp file. Recovery uses it to
    /// promote a stranded temp, passing <paramref name="deleteTempOnFailure"/> false because there
    /// the temp is the only copy.
    /// </summary>
    public async Task<WriteMode> ReplaceAsync(StagedDocument staged, bool deleteTempOnFailure)
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
                    DurableFileSystem.ReplaceByRename(document.TempPath, document.TargetPath);
                    DurableFileSystem.FlushDirectory(Path.GetDirectoryName(document.TargetPath)!);
                    return ValueTask.FromResult(WriteMode.AtomicRename);
                },
                context,
                staged).ConfigureAwait(false);
            modeTracker.Record(mode);
            return mode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutRejectedException)
        {
            counters.SaveFailure();
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
            counters.Delete();
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
