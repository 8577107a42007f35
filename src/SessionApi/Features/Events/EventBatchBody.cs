using System.Buffers;
using System.IO.Pipelines;

namespace SessionApi.Features.Events;

/// <summary>
/// The response body the framework's Server-Sent Events result writes to on <c>GET /events</c>: each
/// event is copied into the response's pipe, and the formatter's flush after every event is left to
/// <see cref="SessionEventStream"/>, which flushes once it has no event left to give, that is once per
/// batch of changes. The flush also applies the pipe's backpressure, and a batch is bounded by the
/// watcher's queue, so a client that stops reading still fills its queue and is dropped.
/// </summary>
internal sealed class EventBatchBody(PipeWriter pipe) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        pipe.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        pipe.Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => pipe.Write(buffer.AsSpan(offset, count));

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
