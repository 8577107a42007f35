using Microsoft.Extensions.Hosting;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Setup;

/// <summary>
/// Builds the writer's resilience pipelines on a pool thread once the server is ready, so neither
/// the ready line (which waits for nothing it does not need) nor the first save pays for them.
/// </summary>
internal sealed class WriterWarmUp(DurableWriter writer, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => ThreadPool.UnsafeQueueUserWorkItem(static w => w.WarmUp(), writer, preferLocal: false));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
