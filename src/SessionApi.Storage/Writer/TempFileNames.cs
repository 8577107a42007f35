namespace SessionApi.Storage.Writer;

/// <summary>
/// Names of temporary files: beside their target, as <c>&lt;name&gt;.&lt;unique&gt;.tmp</c>, so two
/// writers never share one and recovery can tell which document a temp belongs to. The plain
/// <c>&lt;name&gt;.tmp</c> of other writers (the Electron app's own) is recognised as well.
/// </summary>
internal static class TempFileNames
{
    public const string Extension = ".tmp";

    /// <remarks>
    /// The unique part only has to differ between this process's writers (the root lock keeps other
    /// instances out, and the temp is created with O_EXCL / CREATE_NEW, so a name already taken fails
    /// instead of being reused), so <see cref="Random.Shared"/> is enough: no cryptographic generator
    /// (and no OpenSSL in the process) for it.
    /// </remarks>
    public static string NewFor(string targetPath) =>
        $"{targetPath}.{Random.Shared.GetHexString(12, lowercase: true)}{Extension}";

    /// <summary>
    /// The target file name a temp belongs to (<c>a.json.tmp</c> and <c>a.json.1f2e3d4c5b6a.tmp</c>
    /// both give <c>a.json</c>), or null when <paramref name="fileName"/> is not a temp of a
    /// <paramref name="targetExtension"/> file.
    /// </summary>
    public static string? TargetOf(string fileName, string targetExtension)
    {
        if (!fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }

        var stem = fileName[..^Extension.Length];
        if (stem.EndsWith(targetExtension, StringComparison.Ordinal))
        {
            return stem;
        }

        var lastDot = stem.LastIndexOf('.');
        if (lastDot > 0 && stem[..lastDot].EndsWith(targetExtension, StringComparison.Ordinal) && IsUniquePart(stem[(lastDot + 1)..]))
        {
            return stem[..lastDot];
        }

        return null;
    }

    private static bool IsUniquePart(string part) => part.Length is > 0 and <= 64 && part.All(char.IsAsciiLetterOrDigit);
}
