using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SessionApi.Storage.Store;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// The session folder. Empty means the per-user default:
    /// LocalApplicationData/SessionApi/sessions.
    /// </summary>
    public string? Root { get; set; }

    /// <summary>Largest accepted session document, in bytes (default 32 MiB).</summary>
    [Range(2, long.MaxValue)]
    public long MaxSessionBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Deepest accepted JSON nesting (default 64, the System.Text.Json default).</summary>
    [Range(1, 1000)]
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>
    /// Memory for the bytes of recently read documents of up to 64 KiB, served again without touching
    /// the disk while they are current (default 4 MiB; 0 turns the cache off).
    /// </summary>
    [Range(0, 1L << 30)]
    public long ReadCacheBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>The root to use: <see cref="Root"/> or the per-user default, made absolute.</summary>
    public string ResolveRoot() => Path.GetFullPath(string.IsNullOrWhiteSpace(Root) ? DefaultRoot : Root);

    public static string DefaultRoot => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "SessionApi",
        "sessions");
}

/// <summary>
/// Checks the DataAnnotations of <see cref="StorageOptions"/> with code generated at build time
/// (Microsoft.Extensions.Options' source generator), not reflection: trimming and Native AOT safe,
/// TimeSpan ranges included.
/// </summary>
[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
