using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionApi.Storage.Changes;
using SessionApi.Storage.History;
using SessionApi.Storage.Roots;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Setup;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the storage stack: the durable writer underneath, <see cref="StorageOptions"/>
    /// (validated at start), the store, and the startup step that opens the store before the server
    /// listens.
    /// </summary>
    public static IServiceCollection AddSessionStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDurableWriter(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageRootValidator>();
        services.AddOptions<HistoryOptions>().Bind(configuration.GetSection(HistoryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>();
        services.AddOptions<TrashOptions>().Bind(configuration.GetSection(TrashOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrashOptions>, TrashOptionsValidator>();

        services.AddOptions<ChangeFeedOptions>()
            .Bind(configuration.GetSection(ChangeFeedOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChangeFeedOptions>, ChangeFeedOptionsValidator>();
        services.AddSingleton(provider => new SessionChanges(
            provider.GetRequiredService<IOptions<ChangeFeedOptions>>(), provider.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SessionStore>();
        services.AddSingleton<ISessionStore>(provider => provider.GetRequiredService<SessionStore>());
        // Versions and trash are a feature of their own over the store's documents: its index, per-id
        // locks and write path.
        services.AddSingleton<ISessionHistory>(provider => new HistoryStore(provider.GetRequiredService<SessionStore>().Documents));
        services.AddHostedService<StorageStartup>();
        services.AddHostedService<WriterWarmUp>();
        return services;
    }
}
