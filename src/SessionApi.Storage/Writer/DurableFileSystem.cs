using Microsoft.Win32.SafeHandles;

namespace SessionApi.Storage.Writer;

/// <summary>
/// The platform-neutral primitives of a durable write: flush a file to stable storage, replace a
/// file by rename, and make a directory entry change durable. Every failure surfaces as an
/// <see cref="IOException"/> whose HResult carries the OS error (see <see cref="OsError"/>).
/// </summary>
internal static class DurableFileSystem
{
    public static void FlushToDisk(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsNative.FlushFileBuffers(handle, path);
        }
        else
        {
            UnixNative.Fsync(handle, path);
        }
    }

    /// <summary>Atomically replaces <paramref name="destination"/> with <paramref name="source"/> (same directory).</summary>
    public static void ReplaceByRename(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            WindowsNative.ReplaceByMove(source, destination);
        }
        else
        {
            UnixNative.Rename(source, destination);
        }
    }

    /// <summary>
    /// <see cref="ReplaceByRename"/> for a complete temp file: a failure that would mean "the temp is
    /// gone" while the temp is still there is reported as <see cref="RenameRefusedException"/>, so the
    /// writer switches to the verified copy instead of failing the save.
    /// </summary>
    public static void ReplaceTempByRename(string temp, string target)
    {
        try
        {
            ReplaceByRename(temp, target);
        }
        catch (IOException e) when (OsErrorClassifier.Classify(e) != OsErrorClassifier.Classify(e, FileOperation.RenameOfPresentTemp) && File.Exists(temp))
        {
            throw new RenameRefusedException(e);
        }
    }

    /// <summary>
    /// Makes renames, creations and deletions in <paramref name="directory"/> durable. NTFS journals
    /// directory changes itself and Windows cannot open a directory for flushing, so this is Unix only.
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            UnixNative.FsyncDirectory(directory);
        }
    }

    /// <summary>
    /// Refuses to replace or delete a document that is marked read-only, on every OS alike (on Unix
    /// .NET reports a file without write permission as read-only), so a store behaves the same
    /// wherever it is moved. See <see cref="ReadOnlyTargetException"/>.
    /// </summary>
    public static void ThrowIfReadOnly(string path)
    {
        try
        {
            if ((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
            {
                throw new ReadOnlyTargetException(path);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A new document: nothing to protect.
        }
    }
}
