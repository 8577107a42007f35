using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SessionApi.Foundation;
using SessionApi.Security;

namespace SessionApi.Hosting;

/// <summary>The one stdout line the Electron main process waits for.</summary>
internal sealed record ReadyLine(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token);

[JsonSerializable(typeof(ReadyLine))]
internal sealed partial class ReadyLineJsonContext : JsonSerializerContext;

/// <summary>
/// Writes the ready line once Kestrel listens (ApplicationStarted fires after the server has bound,
/// so the address feature then holds the real port chosen for :0). Logs never go to stdout (see
/// <see cref="CompanionHostingExtensions"/>), so this is the only line there.
/// </summary>
internal sealed class ReadyLineService(
    IServer server,
    IHostApplicationLifetime lifetime,
    ApiToken token,
    ILogger<ReadyLineService> logger) : IHostedService
{
    /// <summary>Replaced by tests; the real one is the process's stdout.</summary>
    internal static TextWriter Output { get; set; } = Console.Out;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(WriteReadyLine);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WriteReadyLine()
    {
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (url is null)
        {
            // In-memory test server: nothing listens, nobody waits for a line.
            return;
        }

        var pid = Environment.ProcessId;
        var line = JsonSerializer.Serialize(
            new ReadyLine("ready", url, pid, AppIdentity.Version, token.Generated ? token.Value : null),
            ReadyLineJsonContext.Default.ReadyLine);

        // One write of the whole line, then a flush: the parent reads line by line.
        Output.Write(line + "\n");
        Output.Flush();
        HostingLog.Ready(logger, AppIdentity.Version, url, pid);
        if (!LoopbackGuard.IsLoopback(url))
        {
            // Only possible with Hosting:AllowRemote (the container image): say so on every start.
            HostingLog.RemoteAllowed(logger, url);
        }

        if (token.Generated)
        {
            HostingLog.TokenGenerated(logger, ApiToken.EnvironmentVariable);
        }
    }
}
