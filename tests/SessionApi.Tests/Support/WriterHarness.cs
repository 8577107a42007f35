using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;
using SessionApi.Store;
using SessionApi.Writer;

namespace SessionApi.Tests.Support;

/// <summary>The real writer and store, wired like DI does, with a fake clock and an optional chaos hook.</summary>
public sealed class WriterHarness : IDisposable
{
    private readonly MeterFactory meterFactory = new();

    public WriterHarness(Action<ResiliencePipelineBuilder<WriteMode>>? chaos = null, TimeSpan? retryBudget = null)
    {
        Counters = new WriterCounters(meterFactory);
        var options = new WriterPipelineOptions
        {
            ConfigureInnermost = chaos,
            RetryBudget = retryBudget ?? TimeSpan.FromSeconds(5),
            FirstRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            RenameReprobeInterval = TimeSpan.FromMinutes(5),
        };
        var replace = new ResiliencePipelineBuilder<WriteMode> { TimeProvider = Clock };
        WriterPipeline.Configure(replace, options, Tracker, Counters);
        var delete = new ResiliencePipelineBuilder { TimeProvider = Clock };
        WriterPipeline.ConfigureDelete(delete, options, Counters);
        Writer = new DurableWriter(replace.Build(), delete.Build(), Tracker, Counters, NullLogger<DurableWriter>.Instance);
    }

    /// <summary>Drives the rename circuit's break duration. Retry delays are real (milliseconds) because the clock is advanced by hand only.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.Zero };

    public WriterCounters Counters { get; }

    public WriteModeTracker Tracker { get; } = new();

    public DurableWriter Writer { get; }

    public static DocumentLimits Limits => new(32L * 1024 * 1024, 64);

    public SessionStore CreateStore(string root, long maxSessionBytes = 32L * 1024 * 1024) => new(
        Options.Create(new StorageOptions { Root = root, MaxSessionBytes = maxSessionBytes }),
        Writer,
        Counters,
        Tracker,
        Clock,
        NullLogger<SessionStore>.Instance);

    public void Dispose() => meterFactory.Dispose();

    private sealed class MeterFactory : IMeterFactory
    {
        private readonly List<Meter> meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            meters.Add(meter);
            return meter;
        }

        public void Dispose() => meters.ForEach(m => m.Dispose());
    }
}
