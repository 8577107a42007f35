namespace SessionApi.Storage.Writer;

/// <summary>
/// At startup, one small probe file answers two questions about the root before the first save:
/// <list type="bullet">
/// <item>where new files physically land: the OS's final path of the fresh file's open handle
/// (<see cref="FinalPath"/>). Under MSIX that is the package's LocalCache folder (possibly on another
/// volume), the folder users had to hunt for by hand; behind a junction or symlink it is the link's
/// target;</item>
/// <item>whether the root refuses rename: the fresh file then replaces <c>.sessionapi-probe</c> by
/// rename, so diagnostics shows a root that refuses it (a virtualized MSIX AppData, a bind mount)
/// before the first save does. MSIX only refuses renames over files that existed before
/// virtualization, so a clean probe does not prove the opposite; the first refused save still
/// switches the mode. A "not found" for the probe's temp while it is there counts as refused too
/// (<see cref="DurableFileSystem.ReplaceTempByRename"/>).</item>
/// </list>
/// </summary>
internal static class RootProbe
{
    private const string ProbeName = ".sessionapi-probe";

    /// <param name="Mode">The mode the root needs, or null when the rename could not be tried (a read-only or failing root: saves will say so).</param>
    /// <param name="PhysicalRoot">Where new files land; <see cref="PhysicalRoot.Unknown"/> when no file could be created to ask about.</param>
    public sealed record Result(WriteMode? Mode, PhysicalRoot PhysicalRoot);

    public static Result Run(string root)
    {
        var target = Path.Combine(root, ProbeName);

        // A fresh name, created without O_EXCL: an exclusive create may be what the root refuses.
        var temp = TempFileNames.NewFor(target);
        PhysicalRoot physical;
        try
        {
            string? final;
            using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                final = FinalPath.Of(handle);
            }

            var folder = final is null ? null : Path.GetDirectoryName(final);
            physical = folder is null ? PhysicalRoot.Unknown : new PhysicalRoot(folder, !IsUnder(folder, root));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return new Result(null, PhysicalRoot.Unknown);
        }

        try
        {
            return new Result(ReplaceTarget(temp, target), physical);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Result(null, physical);
        }
        finally
        {
            TryDelete(temp);
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

    private static WriteMode ReplaceTarget(string temp, string target)
    {
        // Saves replace existing documents: the probe renames over an existing file too.
        if (!File.Exists(target))
        {
            File.WriteAllBytes(target, []);
        }

        try
        {
            DurableFileSystem.ReplaceTempByRename(temp, target);
            return WriteMode.AtomicRename;
        }
        catch (IOException e) when (OsErrorClassifier.Classify(e) == StorageFailureKind.CrossDevice)
        {
            return WriteMode.VerifiedCopy;
        }
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
