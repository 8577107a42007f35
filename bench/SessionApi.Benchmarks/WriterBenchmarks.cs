using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using SessionApi.Storage.Writer;

namespace SessionApi.Benchmarks;

/// <summary>
/// DurableWriter.WriteAsync in process (no HTTP): stage (validate + hash + checked fsync), then the
/// Polly replace pipeline, either renaming (the normal path) or — with a Polly chaos fault throwing
/// ERROR_NOT_SAME_DEVICE (HResult 0x80070011) innermost, as the MSIX file system does — the verified
/// copy. Files live under BENCH_DIR (default: the system temp folder): put it on a real disk.
/// </summary>
[MemoryDiagnoser]
public class WriterBenchmarks
{
    private DurableWriter writer = null!;
    private byte[] document = [];
    private string target = "";
    private string directory = "";
    private ServiceProvider services = null!;

    [Params(10 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [Params("atomic-rename", "verified-copy")]
    public string Mode { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        // Built by the app's own registration; the verified-copy mode first registers the pipeline
        // with a chaos fault innermost, around the rename itself (Polly's DI keeps the first builder
        // registered for a key): every rename is refused as cross-device.
        var collection = new ServiceCollection().AddLogging();
        if (Mode == "verified-copy")
        {
            collection.AddResiliencePipeline<string, WriteMode>(WriterPipeline.Name, static (builder, context) =>
            {
                WriterPipeline.Configure(builder, context.ServiceProvider);
                builder.AddChaosFault(new ChaosFaultStrategyOptions
                {
                    InjectionRate = 1,
                    FaultGenerator = new FaultGenerator().AddException(() => new IOException("cross-device (injected)", unchecked((int)0x80070011))),
                });
            });
        }

        collection.AddDurableWriter(new ConfigurationBuilder().Build());
        services = collection.BuildServiceProvider();
        writer = services.GetRequiredService<DurableWriter>();

        document = Documents.Session(Size);
        var root = Environment.GetEnvironmentVariable("BENCH_DIR") ?? Path.GetTempPath();
        directory = Directory.CreateDirectory(Path.Combine(root, $"writer-bench-{Environment.ProcessId}-{Mode}-{Size}")).FullName;
        target = Path.Combine(directory, "session.json");
        File.WriteAllBytes(target, document);
    }

    [Benchmark]
    public async Task<WriteMode> WriteAsync()
    {
        using var body = new MemoryStream(document, writable: false);
        var written = await writer.WriteAsync(target, body, Documents.Limits, CancellationToken.None);
        if (written.Mode.ToString() is var mode && (Mode == "verified-copy") != (written.Mode == WriteMode.VerifiedCopy))
        {
            throw new InvalidOperationException($"expected {Mode}, wrote with {mode}");
        }

        return written.Mode;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(directory, recursive: true);
        services.Dispose();
    }
}

/// <summary>The documents of the benchmarks: deterministic chat sessions of an exact size.</summary>
internal static class Documents
{
    public static DocumentLimits Limits => new(256L * 1024 * 1024, 64);

    public static byte[] Session(int size)
    {
        const string Head = "{\"id\":\"bench\",\"messages\":[";
        const string PadOpen = "],\"pad\":\"";
        const string Tail = "\"}";
        var text = new StringBuilder(Head);
        for (var i = 0; ; i++)
        {
            var message = $"{(i > 0 ? "," : "")}{{\"role\":\"{(i % 2 == 0 ? "user" : "assistant")}\",\"at\":{1700000000000 + i},\"content\":\"Message {i}: the quick brown fox jumps over the lazy dog, lorem ipsum dolor sit amet \\u00e9\"}}";
            if (text.Length + message.Length + PadOpen.Length + Tail.Length > size)
            {
                break;
            }

            text.Append(message);
        }

        text.Append(PadOpen).Append('p', size - text.Length - PadOpen.Length - Tail.Length).Append(Tail);
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
