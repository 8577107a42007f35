using Polly.Timeout;

namespace SessionApi.Storage.Writer;

/// <summary>Keeping a copy of a document before it is replaced or deleted: previous versions and the trash.</summary>
internal sealed partial class DurableWriter
{
    /// <summary>
    /// A kept copy is of a document that was once accepted: no limit of today may refuse it (the
    /// size limit or depth may have been lowered since).
    /// </summary>
    private static readonly DocumentLimits KeptCopyLimits = new(long.MaxValue, 1000);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> knownDirectories = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes <paramref name="destinationPath"/> (a new file) a durable copy of <paramref name="sourcePath"/>:
    /// a hard link where the file system allows it and renames work (no byte copied), else a copy
    /// written like any document (staged, fsynced, renamed or verified-copied), so it works wherever
    /// saves work. Either way the destination appears complete or, after a crash, as a temp file that
    /// recovery finishes or quarantines.
    /// </summary>
    public async Task<PreviousKept> KeepCopyAsync(string sourcePath, string destinationPath)
    {
        try
        {
            var kept = await KeepWithRetriesAsync(sourcePath, destinationPath).ConfigureAwait(false);
            if (kept == PreviousKept.Linked)
            {
                FlushKeptLink(destinationPath);
            }

            return kept;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutRejectedException)
        {
            throw Failure(e, destinationPath, temporaryFileKept: false);
        }
    }

    private async Task<PreviousKept> KeepPreviousAsync(StagedDocument staged, KeepPrevious keep)
    {
        if (staged.Hash.AsSpan().SequenceEqual(keep.PreviousHash))
        {
            return PreviousKept.No;
        }

        try
        {
            return await KeepWithRetriesAsync(staged.TargetPath, keep.Path).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return PreviousKept.No; // removed by hand: nothing to keep
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageWriteException or TimeoutRejectedException)
        {
            // The save fails with the document untouched: a replace that cannot keep what it replaces
            // is not done at all.
            DocumentStager.TryDelete(staged.TempPath);
            if (e is StorageWriteException failure)
            {
                throw failure;
            }

            Counters.SaveFailure();
            throw Failure(e, keep.Path, temporaryFileKept: false);
        }
    }

    /// <summary>
    /// Reading the document to keep meets what replacing and deleting it meet (an antivirus or another
    /// program holding it: sharing violations, passing access denied), so it gets the same retry
    /// budget and transient retry as a delete.
    /// </summary>
    private async Task<PreviousKept> KeepWithRetriesAsync(string sourcePath, string destinationPath) =>
        await deletePipeline.Value.ExecuteAsync(
            async (paths, _) => await KeepAsync(paths.Source, paths.Destination).ConfigureAwait(false),
            (Source: sourcePath, Destination: destinationPath),
            CancellationToken.None).ConfigureAwait(false);

    private async Task<PreviousKept> KeepAsync(string sourcePath, string destinationPath)
    {
        EnsureDirectory(Path.GetDirectoryName(destinationPath)!);

        // A link shares the file with its source. That is safe only while replaces rename (the source's
        // name then moves to a new file); the verified copy rewrites the source in place, so in that
        // mode, and wherever links are refused, copy.
        if (CurrentMode == WriteMode.AtomicRename && HardLinks.TryCreate(sourcePath, destinationPath))
        {
            return PreviousKept.Linked;
        }

        var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        await using (source.ConfigureAwait(false))
        {
            await WriteCoreAsync(destinationPath, source, KeptCopyLimits, keepPrevious: null, CancellationToken.None).ConfigureAwait(false);
        }

        return PreviousKept.Copied;
    }

    /// <summary>
    /// A link's directory entry becomes durable with its directory's fsync. Done after the replace: on
    /// journaling file systems the replace's own directory fsync has usually committed it already.
    /// </summary>
    private static void FlushKeptLink(string keptPath) => DurableFileSystem.FlushDirectory(Path.GetDirectoryName(keptPath)!);

    /// <summary>
    /// The rename was refused after the previous version was kept as a link to the target: turn the
    /// link into a file of its own before the verified copy rewrites the target in place. Once only:
    /// the pipeline may run the fallback again after a transient error, and by then the target may
    /// already be partly rewritten.
    /// </summary>
    private Func<Task> UnshareOnce(string targetPath, string keptPath)
    {
        var done = 0;
        return async () =>
        {
            if (Interlocked.Exchange(ref done, 1) != 0)
            {
                return;
            }

            StagedDocument copy;
            var source = new FileStream(targetPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            await using (source.ConfigureAwait(false))
            {
                copy = await DocumentStager.StageAsync(tempFiles, keptPath, source, KeptCopyLimits, CancellationToken.None).ConfigureAwait(false);
            }

            // From here until the copy completes the kept version exists only as the complete temp
            // beside it, which recovery promotes after a crash.
            File.Delete(keptPath);
            VerifiedCopy.Replace(copy);
        };
    }

    private void EnsureDirectory(string directory)
    {
        // One stat per folder and process, not per save.
        if (knownDirectories.ContainsKey(directory) || Directory.Exists(directory))
        {
            knownDirectories.TryAdd(directory, 0);
            return;
        }

        var parent = Path.GetDirectoryName(directory)!;
        EnsureDirectory(parent);
        Directory.CreateDirectory(directory);
        DurableFileSystem.FlushDirectory(parent);
        knownDirectories.TryAdd(directory, 0);
    }
}
