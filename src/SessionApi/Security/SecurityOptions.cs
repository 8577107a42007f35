using System.ComponentModel.DataAnnotations;

namespace SessionApi.Security;

/// <summary>The <c>Security</c> configuration section.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>The Host header values accepted when <see cref="AllowedHosts"/> is empty (any port).</summary>
    public static IReadOnlyList<string> LoopbackHosts { get; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may call the API from a browser, e.g. the Electron
    /// renderer's origin. <c>null</c> (the Origin of file:// pages and sandboxed frames) is accepted
    /// only when listed literally. A request's own origin (same-origin: Swagger UI) is always accepted.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Host header values accepted (DNS rebinding defence). Empty means <see cref="LoopbackHosts"/>.
    /// Arrays from configuration are appended to defaults by the binder, hence empty-means-default.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    public RateLimitSettings RateLimit { get; set; } = new();

    public IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts.Length == 0 ? LoopbackHosts : AllowedHosts;
}

/// <summary>
/// One token bucket for the whole process (one local client). The defaults are far above what a
/// desktop app or a benchmark on loopback does; they only stop a runaway loop.
/// </summary>
public sealed class RateLimitSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests allowed per second, sustained.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerSecond { get; set; } = 100_000;

    /// <summary>Requests allowed in a burst above the sustained rate.</summary>
    [Range(1, int.MaxValue)]
    public int Burst { get; set; } = 100_000;
}

