using BenchmarkDotNet.Attributes;
using SessionApi.Storage.Writer;

namespace SessionApi.Benchmarks;

/// <summary>
/// JsonStreamValidator alone: the CPU cost of validating a document as it streams in, fed in the
/// writer's 64 KiB chunks (with the unconsumed tail carried over, as DocumentStager does).
/// Throughput = Size / Mean.
/// </summary>
[MemoryDiagnoser]
public class ValidatorBenchmarks
{
    private const int Chunk = 64 * 1024;
    private byte[] document = [];

    [Params(10 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup() => document = Documents.Session(Size);

    [Benchmark]
    public int Validate()
    {
        var validator = new JsonStreamValidator(64);
        var buffer = new byte[2 * Chunk];
        var carried = 0;
        var offset = 0;
        while (true)
        {
            var read = Math.Min(Chunk, document.Length - offset);
            document.AsSpan(offset, read).CopyTo(buffer.AsSpan(carried));
            offset += read;
            var available = carried + read;
            var consumed = validator.Feed(buffer.AsSpan(0, available), isFinalBlock: read == 0);
            carried = available - consumed;
            buffer.AsSpan(consumed, carried).CopyTo(buffer);
            if (read == 0)
            {
                return offset;
            }
        }
    }
}
