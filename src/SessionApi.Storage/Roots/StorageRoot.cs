using Microsoft.Extensions.Options;
using SessionApi.Storage.Store;

namespace SessionApi.Storage.Roots;

/// <summary>
/// Makes sure the configured root is a folder the store can use, creating it when missing. A root
/// reached through a junction or symlink works (that is how many AppData folders look, claude-code
/// #85693); one that cannot work (a link loop, a file, a path below a file, a folder that cannot be
/// created) is a configuration error with a reason a user can act on. A root that exists but is
/// read-only is not refused: the server still serves it, and saves answer 503.
/// </summary>
internal static class StorageRoot
{
    /// <summary>Why <paramref name="root"/> cannot work, without changing anything on disk; null when it looks usable.</summary>
    public static string? Problem(string root)
    {
        // Links first: .NET's File.Exists is true for a link whatever it points to, loops included.
        if (FirstLinkOf(root) is { } link && Loops(link))
        {
            return $"'{link}' is a symbolic link loop";
        }

        if (Directory.Exists(root))
        {
            return null;
        }

        if (new FileInfo(root).LinkTarget is { } target)
        {
            return $"it is a symbolic link to '{target}', which is not a folder";
        }

        if (File.Exists(root))
        {
            return "it is a file, not a folder";
        }

        // Missing: it can be created only below a folder.
        for (var parent = Path.GetDirectoryName(root); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
            {
                return null;
            }

            if (File.Exists(parent))
            {
                return $"the folder cannot be created because '{parent}' is a file";
            }
        }

        return null;
    }

    public static void Prepare(string root)
    {
        if (Problem(root) is { } problem)
        {
            throw new StorageRootUnusableException(Describe(root, problem));
        }

        try
        {
            Directory.CreateDirectory(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new StorageRootUnusableException(Describe(root, $"the folder cannot be created ({e.Message.TrimEnd('.')})"), e);
        }
    }

    public static string Describe(string root, string problem) => $"Storage root '{root}' cannot be used: {problem}; choose another --Storage:Root.";

    private static bool Loops(string link)
    {
        try
        {
            _ = new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true);
            return false;
        }
        catch (IOException)
        {
            // ELOOP, or ERROR_CANT_RESOLVE_FILENAME on Windows; a dangling link resolves without an error.
            return true;
        }
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
