namespace SessionApi.Storage.Writer;

/// <summary>
/// Paths for the writer's own Win32 calls. .NET's file APIs add the <c>\\?\</c> prefix to long paths
/// themselves (PathInternal.EnsureExtendedPrefixIfNeeded), but a direct P/Invoke gets no such help:
/// MoveFileExW fails past MAX_PATH (ERROR_PATH_NOT_FOUND / ERROR_FILENAME_EXCED_RANGE) unless both
/// the machine's LongPathsEnabled policy and the process manifest opt in, and the .NET apphost
/// (SessionApi.exe) is not longPathAware. A 128-character id plus the temp suffix crosses 260
/// characters below a root of about 110, which an MSIX package's AppData path can reach.
/// Pure string code, so it is unit tested on every OS.
/// </summary>
internal static class Win32Paths
{
    // MAX_PATH (260) includes the terminating NUL.
    private const int MaxShortPath = 259;

    /// <summary>
    /// <paramref name="fullPath"/> with the extended-length prefix when it is too long for a plain
    /// Win32 call; otherwise unchanged, as .NET does. The path must already be fully qualified and
    /// normalized (<see cref="Path.GetFullPath(string)"/>): the prefix turns off normalization.
    /// </summary>
    public static string ExtendedIfNeeded(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        if (fullPath.Length <= MaxShortPath
            || fullPath.StartsWith(@"\\?\", StringComparison.Ordinal)
            || fullPath.StartsWith(@"\\.\", StringComparison.Ordinal))
        {
            return fullPath;
        }

        // \\server\share\x becomes \\?\UNC\server\share\x; C:\x becomes \\?\C:\x.
        return fullPath.StartsWith(@"\\", StringComparison.Ordinal) ? @"\\?\UNC\" + fullPath[2..] : @"\\?\" + fullPath;
    }
}
