using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace SessionApi.Storage.Writer;

internal static class WriterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the durable writer: its options (validated at start), counters and meter, the two
    /// Polly pipelines (with Polly's logging and metering telemetry) and <see cref="DurableWriter"/>,
    /// the one type the layers above use.
    /// </summary>
    /// <remarks>
    /// Tests that need faults only Windows produces register the pipeline <see cref="WriterPipeline.Name"/>
    /// with Polly's chaos strategies added before calling this: Polly's DI keeps the first builder
    /// registered for a key (its registry's TryAddBuilder), so theirs is the one built.
    /// </remarks>
    public static IServiceCollection AddDurableWriter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WriterOptions>()
            .Bind(configuration.GetSection(WriterOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WriterOptions>, WriterOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<WriterCounters>();
        services.AddSingleton<WriteModeTracker>();
        services.AddSingleton(provider => new TempCreateModeTracker(
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<WriterOptions>>().Value.RenameReprobeInterval));
        services.AddSingleton<TempFileCreator>();

        services.AddResiliencePipeline<string, WriteMode>(WriterPipeline.Name, static (builder, context) =>
            WriterPipeline.Configure(builder, context.ServiceProvider));
        services.AddResiliencePipeline(WriterPipeline.DeleteName, static (builder, context) =>
            WriterPipeline.ConfigureDelete(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<WriterOptions>>().Value,
                context.ServiceProvider.GetRequiredService<WriterCounters>()));

        // The pipelines are built on first use, or by the store's WriterWarmUp right after the ready
        // line: not before it (an empty root needs no write to open, and building them is the largest
        // single step of a start; bench/RESULTS.md). Polly's registry and provider are resolved then
        // too: resolving them is itself a dozen generic services (registry options, their factories).
        services.AddSingleton(provider => new DurableWriter(
            new Lazy<ResiliencePipeline<WriteMode>>(() =>
                provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<WriteMode>(WriterPipeline.Name)),
            new Lazy<ResiliencePipeline>(() =>
                provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(WriterPipeline.DeleteName)),
            provider.GetRequiredService<WriteModeTracker>(),
            provider.GetRequiredService<WriterCounters>(),
            provider.GetRequiredService<ILogger<DurableWriter>>(),
            provider.GetRequiredService<TempFileCreator>()));
        return services;
    }
}
