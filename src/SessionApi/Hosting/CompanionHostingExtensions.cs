using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SessionApi.Security;
using SessionApi.Storage.Store;

namespace SessionApi.Hosting;

public static class CompanionHostingExtensions
{
    /// <summary>Command-line key of <c>--parent-pid &lt;pid&gt;</c>.</summary>
    public const string ParentPidKey = "parent-pid";

    /// <summary>
    /// The process contract: loopback-only listening (checked before anything binds), logs on
    /// stderr so stdout carries only the ready line, the token, the ready line, the parent and stdin
    /// watchdogs, graceful shutdown, and Kestrel's body limit tied to the session size limit.
    /// </summary>
    public static WebApplicationBuilder AddCompanionHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        // stdout belongs to the ready line: every log level goes to stderr.
        services.PostConfigure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        var urls = LoopbackGuard.ConfiguredUrls(configuration);
        if (urls.Count == 0)
        {
            urls = [LoopbackGuard.DefaultUrl];
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, LoopbackGuard.DefaultUrl);
        }

        if (!configuration.GetValue<bool>($"{HostingOptions.SectionName}:{nameof(HostingOptions.AllowRemote)}"))
        {
            LoopbackGuard.Enforce(urls);
        }

        var parentPid = ParseParentPid(configuration[ParentPidKey]);

        services.AddOptions<HostingOptions>()
            .Bind(configuration.GetSection(HostingOptions.SectionName))
            .Configure(o => o.ParentPid = parentPid ?? o.ParentPid)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostingOptions>, HostingOptionsValidator>();

        // Graceful shutdown: Kestrel stops accepting, then waits this long for in-flight requests
        // (a save streaming its body) before the store's hosted service releases the root.
        services.AddOptions<HostOptions>()
            .Configure<IOptions<HostingOptions>>((host, hosting) => host.ShutdownTimeout = hosting.Value.ShutdownTimeout);

        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<StorageOptions>>((kestrel, storage) =>
            {
                kestrel.AddServerHeader = false;

                // A backstop above the store's own limit: the store counts the bytes and refuses
                // with 413 too_large first. Kestrel's own refusal surfaces mid-read as an IOException
                // the writer could mistake for a storage failure, so it must never be the first to fire.
                var max = storage.Value.MaxSessionBytes;
                kestrel.Limits.MaxRequestBodySize = max > long.MaxValue - BodyLimitSlack ? null : max + BodyLimitSlack;
            });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => ApiToken.FromEnvironment());
        services.AddHostedService<ReadyLineService>();
        services.AddHostedService<ParentProcessWatchdog>();
        services.AddHostedService<StdinWatcher>();
        return builder;
    }

    /// <summary>Slack between Storage:MaxSessionBytes and Kestrel's MaxRequestBodySize.</summary>
    internal const long BodyLimitSlack = 1024 * 1024;

    private static int? ParseParentPid(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
        {
            return pid;
        }

        throw new CompanionConfigurationException($"--{ParentPidKey} must be a positive process id, not '{raw}'");
    }
}
