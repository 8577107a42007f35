using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using SessionApi.Foundation;

namespace SessionApi.Storage.Writer;

/// <summary>
/// The writer's settings, bound from the same <c>Storage</c> configuration section as the store's
/// (so <c>Storage:RetryBudget</c> is one setting, defined here only).
/// </summary>
public sealed class WriterOptions
{
    public const string SectionName = "Storage";

    /// <summary>How long a save may keep retrying transient errors before it fails (default 10 s).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay; doubles each time, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest delay between two retries (default 1 s).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After rename was refused as cross-device, how long to use the verified copy before probing rename again (default 5 min).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RenameReprobeInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The DataAnnotations of <see cref="WriterOptions"/>, checked by code generated at build time (trimming and AOT safe).</summary>
[OptionsValidator]
internal sealed partial class WriterOptionsValidator : IValidateOptions<WriterOptions>;
