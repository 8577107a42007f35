using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Writer;

public sealed class DurableWriterTests : IDisposable
{
    private readonly TempRoot root = new();
    private readonly WriterHarness harness = new();

    [Fact]
    public async Task Writes_the_bytes_exactly_and_leaves_no_temp_file()
    {
        var body = Bodies.Session(200_000);
        var written = await harness.Writer.WriteAsync(root.File("a.json"), new MemoryStream(body), WriterHarness.Limits, default);

        Assert.Equal(body, await File.ReadAllBytesAsync(root.File("a.json")));
        Assert.Equal(ContentHash.Of(body), written.Hash);
        Assert.Equal(body.Length, written.Length);
        Assert.Equal(WriteMode.AtomicRename, written.Mode);
        Assert.Equal(["a.json"], root.Files());
    }

    [Theory]
    [InlineData("[1]", DocumentProblem.NotAnObject)]
    [InlineData("{\"a\":", DocumentProblem.Malformed)]
    public async Task An_invalid_body_leaves_the_previous_document_and_no_temp(string json, object problem)
    {
        await harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);

        var error = await Assert.ThrowsAsync<InvalidDocumentException>(() => harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of(json), WriterHarness.Limits, default));

        Assert.Equal((DocumentProblem)problem, error.Problem);
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Equal(["a.json"], root.Files());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_while_streaming()
    {
        var error = await Assert.ThrowsAsync<InvalidDocumentException>(() =>
            harness.Writer.WriteAsync(root.File("a.json"), new MemoryStream(Bodies.Session(10_000)), new DocumentLimits(4096, 64), default));

        Assert.Equal(DocumentProblem.TooLarge, error.Problem);
        Assert.Empty(root.Files());
    }

    [Fact]
    public async Task A_cancelled_upload_removes_its_temp_file()
    {
        using var cancellation = new CancellationTokenSource();
        var body = new StallingStream(Bodies.Session(100_000), stallAfter: 50_000, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Writer.WriteAsync(root.File("a.json"), body, WriterHarness.Limits, cancellation.Token));

        Assert.Empty(root.Files());
    }

    [Fact]
    public async Task Memory_stays_flat_while_streaming_a_large_document()
    {
        // 64 MiB through a 64 KiB buffer: allocations must not grow with the document.
        var body = new GeneratedSessionStream(64L * 1024 * 1024);
        var thread = Environment.CurrentManagedThreadId;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = await harness.Writer.WriteAsync(root.File("big.json"), body, new DocumentLimits(long.MaxValue, 64), default);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The count is per thread: it means something only if the whole write ran on this one.
        Assert.Equal(thread, Environment.CurrentManagedThreadId);

        Assert.Equal(body.Length, written.Length);
        Assert.Equal(body.Length, new FileInfo(root.File("big.json")).Length);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated} bytes on the writing thread for a 64 MiB document");
    }

    public void Dispose()
    {
        harness.Dispose();
        root.Dispose();
    }

    /// <summary>Yields part of a body, then cancels, as a client that hangs up mid-upload.</summary>
    private sealed class StallingStream(byte[] data, int stallAfter, CancellationTokenSource cancellation) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= stallAfter)
            {
                await cancellation.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, stallAfter - Position + 1)], cancellationToken);
        }
    }
}
