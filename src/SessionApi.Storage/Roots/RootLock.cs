using System.Globalization;

namespace SessionApi.Storage.Roots;

/// <summary>
/// An exclusive lock on the storage root, held for the life of the process, so two SessionApi
/// instances never write one folder. FileShare.None is a share-mode lock on Windows and an
/// flock(LOCK_EX) on Unix (.NET takes it for us); either way the OS drops it when the process dies,
/// so a crash never leaves a stale lock behind.
/// </summary>
internal sealed class RootLock : IDisposable
{
    public const string FileName = ".sessionapi.lock";

    /// <summary>
    /// The holder's pid, for the message a second instance prints. A separate file because .NET
    /// flocks every handle it opens on Unix, so even reading the lock file would collide with the lock.
    /// </summary>
    public const string PidFileName = ".sessionapi.pid";

    private readonly FileStream stream;

    private RootLock(FileStream stream) => this.stream = stream;

    public static RootLock Acquire(string root)
    {
        var path = Path.Combine(root, FileName);
        FileStream stream;
        try
        {
            // Read access is enough to hold the lock, and a root with no file open for writing can
            // still be remounted read-only by an administrator (the server then answers 503).
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StorageRootInUseException(
                $"Storage root '{root}' is already in use by another SessionApi instance{DescribeHolder(root)}; stop it or choose another --Storage:Root.",
                e);
        }

        try
        {
            File.WriteAllText(Path.Combine(root, PidFileName), string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only for a second instance's message; a read-only root must still open and serve reads.
        }
        return new RootLock(stream);
    }

    public void Dispose() => stream.Dispose();

    private static string DescribeHolder(string root)
    {
        try
        {
            var pid = File.ReadAllText(Path.Combine(root, PidFileName)).Trim();
            return pid.Length > 0 ? $" (pid {pid})" : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
