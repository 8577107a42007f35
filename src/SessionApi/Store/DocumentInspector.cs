using System.Buffers;
using System.Security.Cryptography;
using SessionApi.Writer;

namespace SessionApi.Store;

/// <summary>What a file on disk holds, as far as recovery cares: a complete JSON object or not, and its hash.</summary>
internal sealed record InspectedFile(string Path, bool IsCompleteObject, long Length, byte[] Sha256, DateTime LastWriteUtc)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}

internal static class DocumentInspector
{
    /// <summary>
    /// Deep enough for anything a client could ever have saved: recovery must never quarantine a
    /// valid document because today's depth limit is lower than yesterday's.
    /// </summary>
    private const int RecoveryMaxDepth = 1000;

    public static InspectedFile Inspect(string path)
    {
        var lastWrite = File.GetLastWriteTimeUtc(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var validator = new JsonStreamValidator(RecoveryMaxDepth);
        var valid = true;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var carried = 0;
        long offset = 0;
        try
        {
            while (true)
            {
                if (carried == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, carried).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = RandomAccess.Read(handle, buffer.AsSpan(carried), offset);
                hash.AppendData(buffer, carried, read);
                offset += read;
                if (valid)
                {
                    var available = carried + read;
                    try
                    {
                        var consumed = validator.Feed(buffer.AsSpan(0, available), isFinalBlock: read == 0);
                        carried = available - consumed;
                        buffer.AsSpan(consumed, carried).CopyTo(buffer);
                    }
                    catch (InvalidDocumentException)
                    {
                        valid = false;
                        carried = 0;
                    }
                }

                if (read == 0)
                {
                    return new InspectedFile(path, valid, offset, hash.GetHashAndReset(), lastWrite);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether <paramref name="candidate"/>'s bytes are a prefix of <paramref name="complete"/>'s: a torn copy of it.</summary>
    public static bool IsPrefixOf(string candidate, string complete)
    {
        using var a = File.OpenHandle(candidate, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var b = File.OpenHandle(complete, FileMode.Open, FileAccess.Read, FileShare.Read);
        var lengthA = RandomAccess.GetLength(a);
        if (lengthA > RandomAccess.GetLength(b))
        {
            return false;
        }

        var bufferA = new byte[64 * 1024];
        var bufferB = new byte[64 * 1024];
        long offset = 0;
        while (offset < lengthA)
        {
            var read = RandomAccess.Read(a, bufferA, offset);
            if (read == 0 || RandomAccess.Read(b, bufferB.AsSpan(0, read), offset) != read || !bufferA.AsSpan(0, read).SequenceEqual(bufferB.AsSpan(0, read)))
            {
                return false;
            }

            offset += read;
        }

        return true;
    }
}
