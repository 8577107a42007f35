using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.History;

/// <summary>A kept file: a previous version or a trash entry, everything known from its name and length.</summary>
internal sealed record KeptFile(SessionId Id, string Name, DateTimeOffset At, string ETag, long Size, string Path)
{
    /// <summary>Where the merge window of the run this version ends started (in memory only; its own time after a restart).</summary>
    public DateTimeOffset MergeAnchor { get; init; }

    /// <summary>Opens the file for reading; pruning may still delete it underneath (the open handle keeps the bytes).</summary>
    public FileStream? OpenRead()
    {
        try
        {
            return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // pruned between the lookup and the open
        }
    }
}
