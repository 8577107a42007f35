using Microsoft.Extensions.Hosting;
using SessionApi.Storage.Store;

namespace SessionApi.Storage.Setup;

/// <summary>
/// Opens the store (root lock, rename probe, recovery, index) in the host's "starting" phase, which
/// runs before any hosted service starts — Kestrel included — so the server never answers a request
/// from a half-recovered root, and a second instance fails before it prints a ready line. On the way
/// out it lets the background deletes of pruned versions finish, so a graceful stop leaves the
/// history as its index last had it (a crash leaves them to the next start's pruning).
/// </summary>
internal sealed class StorageStartup(SessionStore store) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => store.OpenAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => store.Documents.History.WhenRemovedAsync().WaitAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
