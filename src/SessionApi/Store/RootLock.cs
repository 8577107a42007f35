using System.Globalization;
using System.Text;

namespace SessionApi.Store;

/// <summary>
/// An exclusive lock on the storage root, held for the life of the process, so two SessionApi
/// instances never write one folder. FileShare.None is a share-mode lock on Windows and an
/// flock(LOCK_EX) on Unix (.NET takes it for us); either way the OS drops it when the process dies,
/// so a crash never leaves a stale lock behind.
/// </summary>
internal sealed class RootLock : IDisposable
{
    public const string FileName = ".sessionapi.lock";

    private readonly FileStream stream;

    private RootLock(FileStream stream) => this.stream = stream;

    public static RootLock Acquire(string root)
    {
        var path = Path.Combine(root, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StorageRootInUseException(
                $"Storage root '{root}' is already in use by another SessionApi instance{DescribeHolder(path)}; stop it or choose another --Storage:Root.",
                e);
        }

        var owner = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n"));
        stream.SetLength(0);
        stream.Write(owner);
        stream.Flush();
        return new RootLock(stream);
    }

    public void Dispose() => stream.Dispose();

    private static string DescribeHolder(string path)
    {
        try
        {
            // flock is advisory: on Unix the holder's pid can still be read. On Windows the share
            // mode forbids it and the message goes without.
            var pid = File.ReadAllText(path).Trim();
            return pid.Length > 0 ? $" (pid {pid})" : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
