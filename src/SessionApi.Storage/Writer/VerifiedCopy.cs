using System.Buffers;

namespace SessionApi.Storage.Writer;

/// <summary>
/// The replace strategy for file systems that refuse rename (MSIX AppData virtualization): copy the
/// complete temp file over the target in place, flush, read the target back and compare its hash,
/// and only then delete the temp. The temp's name is made durable and the target truncated (and the
/// truncation flushed) before the copy, so a crash or power cut mid-copy leaves a strict prefix of a
/// JSON object — never valid JSON — next to a complete temp file, and startup recovery promotes the temp.
/// </summary>
internal static class VerifiedCopy
{
    private const int BufferSize = 128 * 1024;

    public static WriteMode Replace(StagedDocument staged)
    {
        try
        {
            MakeTempNameDurable(staged);
            CopyOver(staged);
            VerifyReadBack(staged);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The target may be torn now; the temp file is the only complete copy and must stay.
            throw new TargetTouchedException(e);
        }

        File.Delete(staged.TempPath);
        DurableFileSystem.FlushDirectory(Path.GetDirectoryName(staged.TargetPath)!);
        return WriteMode.VerifiedCopy;
    }

    /// <summary>
    /// The stager fsynced the temp's bytes but not its name in the directory. Until the directory is
    /// flushed, a power cut may keep the truncation of the target below (flushed on purpose) and lose
    /// the temp's name: an empty document and no copy of the save. One directory flush before the
    /// target is touched closes that window; a new document has no previous version to lose, so it
    /// needs none. (ext4 in ordered mode happens to commit the name with the temp's fsync; most file
    /// systems promise nothing of the kind. The crash-state checker in tests/crash finds this.)
    /// </summary>
    private static void MakeTempNameDurable(StagedDocument staged)
    {
        if (File.Exists(staged.TargetPath))
        {
            DurableFileSystem.FlushDirectory(Path.GetDirectoryName(staged.TargetPath)!);
        }
    }

    private static void CopyOver(StagedDocument staged)
    {
        using var source = File.OpenHandle(staged.TempPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var target = File.OpenHandle(staged.TargetPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, FileOptions.WriteThrough);
        RandomAccess.SetLength(target, 0);
        DurableFileSystem.FlushToDisk(target, staged.TargetPath);

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(source, buffer, offset)) > 0)
            {
                RandomAccess.Write(target, buffer.AsSpan(0, read), offset);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        DurableFileSystem.FlushToDisk(target, staged.TargetPath);
    }

    private static void VerifyReadBack(StagedDocument staged)
    {
        var (length, hash) = FileHashing.HashFile(staged.TargetPath);
        if (length != staged.Length || !hash.AsSpan().SequenceEqual(staged.Hash))
        {
            throw new IOException(
                $"Read-back of '{staged.TargetPath}' does not match what was written ({length} of {staged.Length} bytes).",
                OsErrorCodes.EIO);
        }
    }
}

/// <summary>The verified copy failed after it began changing the target: the temp file must be kept.</summary>
internal sealed class TargetTouchedException : IOException
{
    public TargetTouchedException(Exception innerException)
        : base(innerException.Message, innerException) =>
        // Carry the OS error so the classifier treats it like the original failure.
        HResult = innerException.HResult;
}
