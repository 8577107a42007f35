namespace SessionApi.Writer;

/// <summary>
/// At startup, replaces a small probe file in the root by rename, so diagnostics shows a root that
/// refuses rename (a virtualized MSIX AppData, a bind mount) before the first save does. MSIX only
/// refuses renames over files that existed before virtualization, so a clean probe does not prove
/// the opposite; the first refused save still switches the mode. A "not found" for the probe's temp
/// while it is there counts as refused too (<see cref="DurableFileSystem.ReplaceTempByRename"/>).
/// </summary>
internal static class RenameProbe
{
    private const string ProbeName = ".sessionapi-probe";

    /// <summary>The mode the root needs, or null when the probe itself could not run (a read-only or failing root: saves will say so).</summary>
    public static WriteMode? Run(string root)
    {
        try
        {
            return Probe(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static WriteMode Probe(string root)
    {
        var target = Path.Combine(root, ProbeName);
        if (!File.Exists(target))
        {
            File.WriteAllBytes(target, []);
        }

        var temp = TempFileNames.NewFor(target);
        File.WriteAllBytes(temp, []);
        try
        {
            DurableFileSystem.ReplaceTempByRename(temp, target);
            return WriteMode.AtomicRename;
        }
        catch (IOException e) when (OsErrorClassifier.Classify(e) == StorageFailureKind.CrossDevice)
        {
            return WriteMode.VerifiedCopy;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
