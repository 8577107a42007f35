using System.Net;
using Microsoft.AspNetCore.Http;

namespace SessionApi.Hosting;

/// <summary>
/// Refuses, before anything binds, to listen on an address that is not loopback. Every source of
/// listen addresses is checked: <c>urls</c> (--urls, ASPNETCORE_URLS), <c>http_ports</c>/<c>https_ports</c>
/// (which bind every interface: the aspnet container image sets ASPNETCORE_HTTP_PORTS) and
/// <c>Kestrel:Endpoints</c>.
/// </summary>
internal static class LoopbackGuard
{
    public const string DefaultUrl = "http://127.0.0.1:0";

    /// <summary>The addresses Kestrel will bind, as configured; empty when nothing is configured.</summary>
    public static IReadOnlyList<string> ConfiguredUrls(IConfiguration configuration)
    {
        var urls = new List<string>();
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                urls.Add(url);
            }
        }

        urls.AddRange(Split(configuration["urls"]));
        if (urls.Count == 0)
        {
            // Kestrel only uses the port settings when no URL is given; they mean "every interface".
            urls.AddRange(Split(configuration["http_ports"]).Select(p => $"http://*:{p}"));
            urls.AddRange(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        }

        return urls;
    }

    /// <summary>Throws <see cref="CompanionConfigurationException"/> for the first non-loopback address.</summary>
    public static void Enforce(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (!IsLoopback(url))
            {
                throw new CompanionConfigurationException(
                    $"refusing to listen on '{url}': not a loopback address (set {HostingOptions.SectionName}:{nameof(HostingOptions.AllowRemote)}=true only in the container image)");
            }
        }
    }

    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        if (address.IsNamedPipe)
        {
            // A Windows named pipe can be opened from another machine over SMB.
            return false;
        }

        if (address.IsUnixPipe)
        {
            return true;
        }

        var host = address.Host;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string[] Split(string? value) =>
        value is null ? [] : value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
