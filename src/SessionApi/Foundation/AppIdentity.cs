using System.Reflection;

namespace SessionApi.Foundation;

/// <summary>
/// What this build is: the product name and version that the ready line, the OpenAPI document and
/// <c>GET /diagnostics</c> all report. Below every other folder, so each of them can say it.
/// </summary>
public static class AppIdentity
{
    public const string ProductName = "SessionApi";

    /// <summary>The product version (e.g. <c>1.2.3</c>), without SourceLink's <c>+&lt;commit&gt;</c> suffix.</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var assembly = typeof(AppIdentity).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
