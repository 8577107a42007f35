using System.Buffers;

namespace SessionApi.Storage.Writer;

/// <summary>
/// One pooled buffer that a JSON document arrives in, chunk by chunk: it hands out the free space
/// to read into, validates what arrived, and keeps only the unconsumed tail (at most one token,
/// which is also the only reason it ever grows).
/// </summary>
internal sealed class ValidatingJsonBuffer(int maxDepth) : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private JsonStreamValidator validator = new(maxDepth);
    private int carried;

    /// <summary>Where to put the next chunk. Grows the buffer when a single token has filled it.</summary>
    public Memory<byte> FreeSpace
    {
        get
        {
            if (carried == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, carried).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            return buffer.AsMemory(carried);
        }
    }

    /// <summary>
    /// Validates the <paramref name="read"/> bytes just placed at the start of <see cref="FreeSpace"/>;
    /// 0 means the input ended. Throws <see cref="InvalidDocumentException"/>.
    /// </summary>
    public void Accept(int read)
    {
        var available = carried + read;
        var consumed = validator.Feed(buffer.AsSpan(0, available), isFinalBlock: read == 0);
        carried = available - consumed;
        buffer.AsSpan(consumed, carried).CopyTo(buffer);
    }

    /// <summary>Stops keeping a tail: for a caller that goes on reading after the document proved invalid.</summary>
    public void Discard() => carried = 0;

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
