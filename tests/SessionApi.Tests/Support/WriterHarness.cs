using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using SessionApi.Store;
using SessionApi.Writer;

namespace SessionApi.Tests.Support;

/// <summary>The real writer and store, wired like DI does, with short retry delays and an optional chaos hook.</summary>
public sealed class WriterHarness : IDisposable
{
    // The framework's own meter factory (what DI gives the app), disposed with the harness.
    private readonly ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public WriterHarness(Action<ResiliencePipelineBuilder<WriteMode>>? chaos = null, TimeSpan? retryBudget = null, TimeSpan? renameReprobeInterval = null)
    {
        Counters = new WriterCounters(metrics.GetRequiredService<IMeterFactory>());
        var options = new WriterPipelineOptions
        {
            ConfigureInnermost = chaos,
            RetryBudget = retryBudget ?? TimeSpan.FromSeconds(5),
            FirstRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            RenameReprobeInterval = renameReprobeInterval ?? TimeSpan.FromMinutes(5),
        };
        var replace = new ResiliencePipelineBuilder<WriteMode>();
        WriterPipeline.Configure(replace, options, Tracker, Counters);
        var delete = new ResiliencePipelineBuilder();
        WriterPipeline.ConfigureDelete(delete, options, Counters);
        TempCreateTracker = new TempCreateModeTracker(TimeProvider.System, options.RenameReprobeInterval);
        Writer = new DurableWriter(
            replace.Build(), delete.Build(), Tracker, Counters, NullLogger<DurableWriter>.Instance,
            new TempFileCreator(TempCreateTracker, Counters, NullLogger<TempFileCreator>.Instance));
    }

    public TempCreateModeTracker TempCreateTracker { get; }

    public WriterCounters Counters { get; }

    public WriteModeTracker Tracker { get; } = new();

    public DurableWriter Writer { get; }

    public static DocumentLimits Limits => new(32L * 1024 * 1024, 64);

    public SessionStore CreateStore(string root, long maxSessionBytes = 32L * 1024 * 1024, long readCacheBytes = 4L * 1024 * 1024) => new(
        Options.Create(new StorageOptions { Root = root, MaxSessionBytes = maxSessionBytes, ReadCacheBytes = readCacheBytes }),
        Writer,
        Counters,
        Tracker,
        TimeProvider.System,
        NullLogger<SessionStore>.Instance);

    public void Dispose() => metrics.Dispose();
}
