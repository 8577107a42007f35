using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using SessionApi.Storage.Changes;
using SessionApi.Storage.History;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Tests.Support;

/// <summary>
/// The real writer and store, built by the app's own registration (<c>AddDurableWriter</c>, the
/// store's and the history feature's constructors as DI calls them) with short retry delays.
/// <c>chaos</c> registers the writer's pipeline with Polly chaos strategies added innermost, around
/// the rename itself, before the app's registration (Polly's DI keeps the first builder registered
/// for a key: its registry's TryAddBuilder); <c>time</c>
/// replaces the app's clock, which the pipeline's timeout, retry delays and circuit breaker run on
/// (a FakeTimeProvider in the chaos tests).
/// </summary>
internal sealed class WriterHarness : IDisposable
{
    private readonly ServiceProvider services;
    private readonly TimeProvider time;

    public WriterHarness(
        Action<ResiliencePipelineBuilder<WriteMode>>? chaos = null,
        TimeSpan? retryBudget = null,
        TimeSpan? renameReprobeInterval = null,
        TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:RetryBudget"] = (retryBudget ?? TimeSpan.FromSeconds(5)).ToString("c", CultureInfo.InvariantCulture),
            ["Storage:FirstRetryDelay"] = "00:00:00.001",
            ["Storage:MaxRetryDelay"] = "00:00:00.020",
            ["Storage:RenameReprobeInterval"] = (renameReprobeInterval ?? TimeSpan.FromMinutes(5)).ToString("c", CultureInfo.InvariantCulture),
        }).Build();
        var collection = new ServiceCollection().AddLogging().AddSingleton(this.time);
        if (chaos is not null)
        {
            // Before the app's registration: Polly's registry keeps the first builder added for a key
            // (TryAddBuilder), so this one is the writer's pipeline and the app's is not added.
            collection.AddResiliencePipeline<string, WriteMode>(WriterPipeline.Name, (builder, context) =>
            {
                WriterPipeline.Configure(builder, context.ServiceProvider);
                chaos(builder);
            });
        }

        collection.AddDurableWriter(configuration);

        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Writer = services.GetRequiredService<DurableWriter>();
        TempCreateTracker = services.GetRequiredService<TempCreateModeTracker>();
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
        Options.Create(history ?? new HistoryOptions()),
        Options.Create(trash ?? new TrashOptions()),
        Writer,
        changes ?? new SessionChanges(Options.Create(new ChangeFeedOptions()), time ?? this.time),
        time ?? this.time,
        NullLogger<SessionStore>.Instance);

    /// <summary>The versions and trash feature over <paramref name="store"/>'s documents, built as the app's registration builds it.</summary>
    public static HistoryStore CreateHistory(SessionStore store) => new(store.Documents);

    public void Dispose() => services.Dispose();
}
