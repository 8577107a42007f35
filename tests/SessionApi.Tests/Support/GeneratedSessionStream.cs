using System.Text;

namespace SessionApi.Tests.Support;

/// <summary>A read-only stream producing a valid JSON session of an exact length without holding it in memory.</summary>
public sealed class GeneratedSessionStream(long length) : Stream
{
    private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"messages\":[");
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("{\"role\":\"assistant\",\"text\":\"lorem ipsum dolor sit amet consectetur adipiscing\"},");
    private static readonly byte[] Tail = Encoding.UTF8.GetBytes("{}]}");
    private long position;

    public override long Length => length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && position < length)
        {
            buffer[written++] = ByteAt(position++);
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private byte ByteAt(long at)
    {
        if (at < Head.Length)
        {
            return Head[at];
        }

        var tailStart = length - Tail.Length;
        if (at >= tailStart)
        {
            return Tail[at - tailStart];
        }

        // Pad the last partial message slot with spaces (insignificant whitespace between values).
        var inBody = at - Head.Length;
        var bodyLength = tailStart - Head.Length;
        var wholeMessages = bodyLength / Message.Length;
        return inBody < wholeMessages * Message.Length ? Message[inBody % Message.Length] : (byte)' ';
    }
}
