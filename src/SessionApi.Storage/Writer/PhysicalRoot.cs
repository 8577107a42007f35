namespace SessionApi.Storage.Writer;

/// <summary>
/// Where new files in the storage root physically land (diagnostics' <c>physicalRoot</c>), and
/// whether that is outside the configured root (<c>redirected</c>: MSIX virtualization, a junction
/// or a symlink).
/// </summary>
internal sealed record PhysicalRoot(string? Path, bool Redirected)
{
    /// <summary>Not probed, or the root is not writable (read-only, failing): no file could be created to ask about.</summary>
    public static PhysicalRoot Unknown { get; } = new(null, false);
}
