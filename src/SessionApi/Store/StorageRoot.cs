using SessionApi.Writer;

namespace SessionApi.Store;

/// <summary>
/// Makes sure the configured root is a folder the store can use, creating it when missing. A root
/// reached through a junction or symlink works (that is how many AppData folders look, claude-code
/// #85693); one that cannot work is refused with <see cref="StorageRootUnusableException"/> and a
/// reason a user can act on. A root that exists but is read-only is not refused: the server still
/// serves it, and saves answer 503.
/// </summary>
internal static class StorageRoot
{
    public static void Prepare(string root)
    {
        try
        {
            Directory.CreateDirectory(root);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new StorageRootUnusableException($"Storage root '{root}' cannot be used: {Reason(root, e)}; choose another --Storage:Root.", e);
        }
    }

    private static string Reason(string root, Exception error)
    {
        if (File.Exists(root))
        {
            return "it is a file, not a folder";
        }

        // A link whose chain never ends (a -> b -> a), at the root or above it.
        var link = FirstLinkOf(root);
        if (link is not null)
        {
            try
            {
                _ = new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (IOException e) when (OsError.FromException(e) is { Code: OsErrorCodes.ELOOP } or { Family: OsErrorFamily.Win32, Code: OsErrorCodes.ErrorCantResolveFilename })
            {
                return $"'{link}' is a symbolic link loop";
            }
        }

        return $"the folder cannot be created ({error.Message.TrimEnd('.')})";
    }

    /// <summary>The root or its nearest ancestor that is a symbolic link or junction, if any.</summary>
    private static string? FirstLinkOf(string root)
    {
        for (var path = root; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            try
            {
                if (new FileInfo(path).LinkTarget is not null)
                {
                    return path;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        return null;
    }
}
