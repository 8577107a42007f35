using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Store;

namespace SessionApi.Storage.Setup;

/// <summary>
/// Startup recovery without a server: opens the root exactly as the server's start does (root lock,
/// rename probe, recovery, history scan), then releases it. What <c>SessionApi recover</c> runs.
/// </summary>
public static class OfflineRecovery
{
    /// <summary>What recovery did, and the store's state after it (write mode, sessions, quarantine).</summary>
    /// <exception cref="Roots.StorageRootInUseException">Another instance holds the root.</exception>
    public static async Task<(RecoveryReport Report, StoreDiagnostics Diagnostics)> RunAsync(
        string root, Action<ILoggingBuilder> logging, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{StorageOptions.SectionName}:{nameof(StorageOptions.Root)}"] = root })
            .Build();
        var services = new ServiceCollection().AddLogging(logging).AddSessionStorage(configuration);
        var provider = services.BuildServiceProvider();
        await using (provider.ConfigureAwait(false))
        {
            var store = provider.GetRequiredService<SessionStore>();
            var report = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
            return (report, store.GetDiagnostics());
        }
    }
}
