using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using SessionApi.Foundation;

namespace SessionApi.Storage.History;

/// <summary>
/// The <c>History</c> configuration section: how many previous versions of each session are kept in
/// <c>&lt;root&gt;/.history/</c>. The defaults suit a chat app whose sessions grow to megabytes and
/// are saved after every message (README, "Local history and trash").
/// </summary>
public sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>Whether a replace keeps the document it replaces (default true). The trash is kept either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Versions kept per session, oldest pruned first (default 50).</summary>
    [Range(1, 100_000)]
    public int MaxVersions { get; set; } = 50;

    /// <summary>
    /// A replaced document saved within this time of the newest version's window replaces that
    /// version instead of adding one (default 10 s), so a chat streaming a save every 200 ms keeps
    /// one version per 10 s rather than 50 versions of the last 10 s. A smaller document never merges
    /// away a larger version (a bad save must not erase what it replaced). Zero keeps every save.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MergeWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes of versions kept per session (default 64 MiB); the newest version is kept even when it alone is larger.</summary>
    [Range(0, long.MaxValue)]
    public long MaxBytesPerSession { get; set; } = 64L * 1024 * 1024;

    /// <summary>Bytes of versions kept across all sessions (default 1 GiB), oldest pruned first.</summary>
    [Range(0, long.MaxValue)]
    public long MaxTotalBytes { get; set; } = 1L << 30;
}

/// <summary>The <c>Trash</c> configuration section: how long deleted sessions stay in <c>&lt;root&gt;/.trash/</c>.</summary>
public sealed class TrashOptions
{
    public const string SectionName = "Trash";

    /// <summary>How long a deleted session can be restored (default 30 days).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Checks <see cref="HistoryOptions"/> with code generated at build time (trimming and AOT safe).</summary>
[OptionsValidator]
internal sealed partial class HistoryOptionsValidator : IValidateOptions<HistoryOptions>;

/// <summary>Checks <see cref="TrashOptions"/> with code generated at build time (trimming and AOT safe).</summary>
[OptionsValidator]
internal sealed partial class TrashOptionsValidator : IValidateOptions<TrashOptions>;
