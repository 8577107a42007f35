using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace SessionApi.Writer;

/// <summary>
/// Step 1 of a save: streams a body into a new temporary file beside the target, validating the
/// JSON and hashing the bytes on the way, then flushes it to disk with a checked fsync. Memory stays
/// at one buffer (it only grows for a single token larger than the buffer, such as a huge string).
/// </summary>
internal static class DocumentStager
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Writes the temp file; on any failure the temp file is removed again before the exception leaves.</summary>
    public static async Task<StagedDocument> StageAsync(string targetPath, Stream body, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var tempPath = TempFileNames.NewFor(targetPath);
        try
        {
            using var handle = File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            var (length, sha256) = await CopyValidatedAsync(body, handle, limits, cancellationToken).ConfigureAwait(false);
            DurableFileSystem.FlushToDisk(handle, tempPath);
            return new StagedDocument(tempPath, targetPath, length, sha256);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static async Task<(long Length, byte[] Sha256)> CopyValidatedAsync(
        Stream body, SafeFileHandle handle, DocumentLimits limits, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var validator = new JsonStreamValidator(limits.MaxDepth);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var carried = 0; // bytes at the start of buffer that the validator has not consumed yet
        long length = 0;
        try
        {
            while (true)
            {
                if (carried == buffer.Length)
                {
                    buffer = Grow(buffer, carried);
                }

                var read = await body.ReadAsync(buffer.AsMemory(carried), cancellationToken).ConfigureAwait(false);
                length += read;
                if (length > limits.MaxBytes)
                {
                    throw new InvalidDocumentException(
                        DocumentProblem.TooLarge,
                        $"The document is larger than the limit of {limits.MaxBytes} bytes.");
                }

                if (read > 0)
                {
                    hash.AppendData(buffer, carried, read);
                    RandomAccess.Write(handle, buffer.AsSpan(carried, read), length - read);
                }

                var available = carried + read;
                var consumed = validator.Feed(buffer.AsSpan(0, available), isFinalBlock: read == 0);
                carried = available - consumed;
                buffer.AsSpan(consumed, carried).CopyTo(buffer);
                if (read == 0)
                {
                    return (length, hash.GetHashAndReset());
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int used)
    {
        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
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
