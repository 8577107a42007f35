using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionApi.Writer;

namespace SessionApi.Store;

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
        services.AddSingleton<SessionChanges>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SessionStore>();
        services.AddSingleton<ISessionStore>(provider => provider.GetRequiredService<SessionStore>());
        services.AddSingleton<ISessionHistory>(provider => provider.GetRequiredService<SessionStore>());
        services.AddHostedService<StorageStartup>();
        services.AddHostedService<WriterWarmUp>();
        return services;
    }
}
