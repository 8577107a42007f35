namespace SessionApi.Writer;

/// <summary>
/// At startup, finds where new files in the root physically land: creates a small file in the root,
/// asks the OS for the final path of its open handle (<see cref="FinalPath"/>) and deletes it. Under
/// MSIX that is the package's LocalCache folder (possibly on another volume), the folder users had to
/// hunt for by hand; behind a junction or symlink it is the link's target. <c>redirected</c> says the
/// physical folder is not under the configured root.
/// </summary>
internal static class PhysicalRootProbe
{
    private const string ProbePrefix = ".sessionapi-where.";

    public static PhysicalRoot Run(string root)
    {
        // A fresh name, created without O_EXCL: an exclusive create may be what the root refuses.
        var probe = Path.Combine(root, ProbePrefix + Random.Shared.GetHexString(12, lowercase: true));
        try
        {
            string? final;
            using (var handle = File.OpenHandle(probe, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                final = FinalPath.Of(handle);
            }

            File.Delete(probe);
            var folder = final is null ? null : Path.GetDirectoryName(final);
            return folder is null ? PhysicalRoot.Unknown : new PhysicalRoot(folder, !IsUnder(folder, root));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            return PhysicalRoot.Unknown;
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or inside it (case-insensitive on Windows, as its file systems are).</summary>
    internal static bool IsUnder(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var configured = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return full.Equals(configured, comparison)
            || full.StartsWith(configured + Path.DirectorySeparatorChar, comparison);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A dot-file recovery ignores; the next start's probe uses a new name anyway.
        }
    }
}
