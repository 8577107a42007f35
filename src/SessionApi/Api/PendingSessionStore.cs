using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionApi.Store;

namespace SessionApi.Api;

/// <summary>
/// TEMPORARY stand-in until the real store (AddSessionStorage, branch main) is merged: an empty store
/// that refuses every write with 503. It lets the API build, generate its OpenAPI document and run
/// its hosting tests. Registered with TryAdd, so the real store wins as soon as it is registered.
/// </summary>
internal sealed class PendingSessionStore : ISessionStore
{
    public string Root => StorageOptions.DefaultRoot;

    public IReadOnlyList<SessionMetadata> List() => [];

    public SessionMetadata? Find(string id) => null;

    public Task<SessionReadLease?> OpenReadAsync(string id, CancellationToken cancellationToken) => Task.FromResult<SessionReadLease?>(null);

    public Task<SaveResult> SaveAsync(string id, Stream body, WritePrecondition precondition, CancellationToken cancellationToken) =>
        throw new SessionStoreException(StoreErrorCode.StorageUnavailable, "The session store is not wired yet.");

    public Task<DeleteResult> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken) => Task.FromResult(DeleteResult.NotFound);

    public StoreDiagnostics GetDiagnostics() =>
        new(Root, "atomic-rename", new Dictionary<string, long>(), null, 0, []);
}

internal static class PendingSessionStoreExtensions
{
    /// <summary>TEMPORARY: replace with <c>AddSessionStorage(configuration)</c> when main has it.</summary>
    public static IServiceCollection AddPendingSessionStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ISessionStore, PendingSessionStore>();
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
