using System.Buffers;

namespace SessionApi.Storage.Writer;

internal static class FileHashing
{
    /// <summary>Length and <see cref="ContentHash"/> of a file, read sequentially with one pooled buffer.</summary>
    public static (long Length, byte[] Hash) HashFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var hash = ContentHash.CreateHasher();
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
                offset += read;
            }

            return (offset, hash.GetCurrentHash());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
