using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using SessionApi.Foundation;

namespace SessionApi.Hosting;

/// <summary>When to shut down because standard input was closed.</summary>
public enum StdinWatchMode
{
    /// <summary>Watch only when stdin is a pipe or socket (a parent holds the other end); never for /dev/null, a file or a TTY.</summary>
    Auto,

    /// <summary>Always watch: end of stdin stops the server.</summary>
    On,

    /// <summary>Never watch (the container image: stdin there means nothing).</summary>
    Off,
}

/// <summary>The <c>Hosting</c> configuration section: how the companion process lives and dies.</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>
    /// Allows listening on a non-loopback address. Only for the container image, where the port is
    /// published by the container runtime; a desktop companion must never listen beyond loopback.
    /// </summary>
    public bool AllowRemote { get; set; }

    /// <summary>Whether end of stdin stops the server (see <see cref="StdinWatchMode"/>).</summary>
    public StdinWatchMode ShutdownOnStdinClose { get; set; } = StdinWatchMode.Auto;

    /// <summary>The parent process to outlive by at most <see cref="ParentPollInterval"/> (command line <c>--parent-pid</c>).</summary>
    [Range(1, int.MaxValue)]
    public int? ParentPid { get; set; }

    /// <summary>How often the parent watchdog looks at the parent.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ParentPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a graceful shutdown may wait for in-flight requests (saves) to finish.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The DataAnnotations of <see cref="HostingOptions"/>, checked by build-time generated code (no reflection).</summary>
[OptionsValidator]
public sealed partial class HostingOptionsValidator : IValidateOptions<HostingOptions>;
