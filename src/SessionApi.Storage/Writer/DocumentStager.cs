using Microsoft.Win32.SafeHandles;

namespace SessionApi.Storage.Writer;

/// <summary>
/// Step 1 of a save: streams a body into a new temporary file beside the target, validating the
/// JSON and hashing the bytes on the way, then flushes it to disk with a checked fsync. Memory stays
/// at one buffer (see <see cref="ValidatingJsonBuffer"/>).
/// </summary>
internal static class DocumentStager
{
    /// <summary>Writes the temp file; on any failure the temp file is removed again before the exception leaves.</summary>
    public static async Task<StagedDocument> StageAsync(TempFileCreator temps, string targetPath, Stream body, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var (created, tempPath) = temps.Create(targetPath);
        try
        {
            using var handle = created;
            var (length, hash) = await CopyValidatedAsync(body, handle, limits, cancellationToken).ConfigureAwait(false);
            DurableFileSystem.FlushToDisk(handle, tempPath);
            return new StagedDocument(tempPath, targetPath, length, hash);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static async Task<(long Length, byte[] Hash)> CopyValidatedAsync(
        Stream body, SafeFileHandle handle, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var hash = ContentHash.CreateHasher();
        using var json = new ValidatingJsonBuffer(limits.MaxDepth);
        long length = 0;
        while (true)
        {
            var space = json.FreeSpace;
            var read = await body.ReadAsync(space, cancellationToken).ConfigureAwait(false);
            length += read;
            if (length > limits.MaxBytes)
            {
                throw new InvalidDocumentException(
                    DocumentProblem.TooLarge,
                    $"The document is larger than the limit of {limits.MaxBytes} bytes.");
            }

            if (read > 0)
            {
                var chunk = space.Span[..read];
                hash.Append(chunk);
                RandomAccess.Write(handle, chunk, length - read);
            }

            json.Accept(read);
            if (read == 0)
            {
                return (length, hash.GetCurrentHash());
            }
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for startup recovery, which quarantines torn temps; the original error matters more.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
