using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using SessionApi.Writer;

namespace SessionApi.Store;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the storage stack: <see cref="StorageOptions"/> (validated at start), the writer's
    /// Polly pipelines (with Polly's logging and metering telemetry), the durable writer, the store,
    /// and the startup step that opens the store before the server listens.
    /// </summary>
    public static IServiceCollection AddSessionStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<WriterCounters>();
        services.AddSingleton<WriteModeTracker>();
        services.AddOptions<WriterPipelineOptions>().Configure<IOptions<StorageOptions>>((pipeline, storage) =>
        {
            pipeline.RetryBudget = storage.Value.RetryBudget;
            pipeline.RenameReprobeInterval = storage.Value.RenameReprobeInterval;
        });

        services.AddResiliencePipeline<string, WriteMode>(WriterPipeline.Name, (builder, context) =>
            WriterPipeline.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<WriterPipelineOptions>>().Value,
                context.ServiceProvider.GetRequiredService<WriteModeTracker>(),
                context.ServiceProvider.GetRequiredService<WriterCounters>()));
        services.AddResiliencePipeline(WriterPipeline.DeleteName, (builder, context) =>
            WriterPipeline.ConfigureDelete(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<WriterPipelineOptions>>().Value,
                context.ServiceProvider.GetRequiredService<WriterCounters>()));

        // The pipelines are built on first use or by WriterWarmUp right after the ready line,
        // not before it (an empty root needs no write to open).
        services.AddSingleton(provider =>
        {
            var pipelines = provider.GetRequiredService<ResiliencePipelineProvider<string>>();
            return new DurableWriter(
                new Lazy<ResiliencePipeline<WriteMode>>(() => pipelines.GetPipeline<WriteMode>(WriterPipeline.Name)),
                new Lazy<ResiliencePipeline>(() => pipelines.GetPipeline(WriterPipeline.DeleteName)),
                provider.GetRequiredService<WriteModeTracker>(),
                provider.GetRequiredService<WriterCounters>(),
                provider.GetRequiredService<ILogger<DurableWriter>>());
        });
        services.AddSingleton<SessionStore>();
        services.AddSingleton<ISessionStore>(provider => provider.GetRequiredService<SessionStore>());
        services.AddHostedService<StorageStartup>();
        services.AddHostedService<WriterWarmUp>();
        return services;
    }
}
