using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using SessionApi.Store;
using SessionApi.Writer;

namespace SessionApi.Tests.Support;

/// <summary>
/// The real writer and store, wired like DI does, with short retry delays. <c>chaos</c> adds Polly
/// chaos strategies innermost, around the rename itself; <c>time</c> replaces the clock the
/// pipeline's timeout, retry delays and circuit breaker run on (a FakeTimeProvider in the chaos tests).
/// </summary>
internal sealed class WriterHarness : IDisposable
{
    // The framework's own meter factory (what DI gives the app), disposed with the harness.
    private readonly ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public WriterHarness(
        Action<ResiliencePipelineBuilder<WriteMode>>? chaos = null,
        TimeSpan? retryBudget = null,
        TimeSpan? renameReprobeInterval = null,
        TimeProvider? time = null)
    {
        var counters = new WriterCounters(metrics.GetRequiredService<IMeterFactory>());
        var tracker = new WriteModeTracker();
        var options = new WriterOptions
        {
            RetryBudget = retryBudget ?? TimeSpan.FromSeconds(5),
            FirstRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            RenameReprobeInterval = renameReprobeInterval ?? TimeSpan.FromMinutes(5),
        };
        var replace = new ResiliencePipelineBuilder<WriteMode> { TimeProvider = time ?? TimeProvider.System };
        WriterPipeline.Configure(replace, options, tracker, counters);
        chaos?.Invoke(replace);
        var delete = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System };
        WriterPipeline.ConfigureDelete(delete, options, counters);
        TempCreateTracker = new TempCreateModeTracker(time ?? TimeProvider.System, options.RenameReprobeInterval);
        Writer = new DurableWriter(
            replace.Build(), delete.Build(), tracker, counters, NullLogger<DurableWriter>.Instance,
            new TempFileCreator(TempCreateTracker, counters, NullLogger<TempFileCreator>.Instance));
    }

    public TempCreateModeTracker TempCreateTracker { get; }

    public DurableWriter Writer { get; }

    public WriterCounters Counters => Writer.Counters;

    public static DocumentLimits Limits => new(32L * 1024 * 1024, 64);

    public SessionStore CreateStore(
        string root,
        long maxSessionBytes = 32L * 1024 * 1024,
        long readCacheBytes = 4L * 1024 * 1024,
        HistoryOptions? history = null,
        TrashOptions? trash = null,
        TimeProvider? time = null,
        SessionChanges? changes = null) => new(
        Options.Create(new StorageOptions { Root = root, MaxSessionBytes = maxSessionBytes, ReadCacheBytes = readCacheBytes }),
        Writer,
        changes ?? new SessionChanges(Options.Create(new ChangeFeedOptions()), time ?? TimeProvider.System),
        time ?? TimeProvider.System,
        NullLogger<SessionStore>.Instance,
        Options.Create(history ?? new HistoryOptions()),
        Options.Create(trash ?? new TrashOptions()));

    public void Dispose() => metrics.Dispose();
}
