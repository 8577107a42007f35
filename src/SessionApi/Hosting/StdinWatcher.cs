using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace SessionApi.Hosting;

/// <summary>
/// Closing stdin stops the server gracefully. A parent that spawned us with a stdin pipe (Electron's
/// default) holds the other end, and the OS closes it when the parent dies however it dies, even
/// with SIGKILL: the most reliable "parent is gone" signal there is. With stdin on /dev/null (the
/// usual detached start) or a terminal, end of input means nothing, so <see cref="StdinWatchMode.Auto"/>
/// watches only a pipe or socket.
/// </summary>
internal sealed partial class StdinWatcher(
    IOptions<HostingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<StdinWatcher> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var mode = options.Value.ShutdownOnStdinClose;
        string kind;
        if (mode == StdinWatchMode.Off)
        {
            HostingLog.StdinNotWatched(logger, "disabled by configuration");
            return Task.CompletedTask;
        }

        if (mode == StdinWatchMode.On)
        {
            kind = "forced on";
        }
        else if (DescribeStdinIfPipe() is { } pipeKind)
        {
            kind = pipeKind;
        }
        else
        {
            HostingLog.StdinNotWatched(logger, "stdin is not a pipe");
            return Task.CompletedTask;
        }

        HostingLog.WatchingStdin(logger, kind);

        // A dedicated background thread: a blocking read of stdin would otherwise pin a thread-pool
        // thread for the life of the process (console streams have no true async read).
        var thread = new Thread(WaitForEndOfInput) { IsBackground = true, Name = "stdin watcher" };
        thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WaitForEndOfInput()
    {
        try
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (stdin.Read(buffer, 0, buffer.Length) > 0)
            {
                // Whatever the parent writes is ignored; only the end of the stream matters.
            }
        }
        catch (IOException)
        {
            // A broken pipe is a closed pipe.
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        HostingLog.StdinClosed(logger);
        lifetime.StopApplication();
    }

    /// <summary>"pipe" or "socket" when stdin is one, else null.</summary>
    internal static string? DescribeStdinIfPipe()
    {
        if (OperatingSystem.IsWindows())
        {
            // libuv (Electron, Node) gives a child a named pipe for stdio "pipe"; NUL is a character device.
            return GetFileType(GetStdHandle(StdInputHandle)) == FileTypePipe ? "pipe" : null;
        }

        if (OperatingSystem.IsLinux())
        {
            try
            {
                // /proc/self/fd/0 links to "pipe:[inode]", "socket:[inode]" (libuv uses a socketpair),
                // "/dev/null", "/dev/pts/N" or a file path.
                var target = new FileInfo("/proc/self/fd/0").LinkTarget;
                if (target is null)
                {
                    return null;
                }

                if (target.StartsWith("pipe:", StringComparison.Ordinal))
                {
                    return "pipe";
                }

                return target.StartsWith("socket:", StringComparison.Ordinal) ? "socket" : null;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        // Elsewhere (macOS) there is no cheap way to tell a pipe from /dev/null: Auto stays off
        // and a parent that wants the watch sets Hosting:ShutdownOnStdinClose=On.
        return null;
    }

    private const int StdInputHandle = -10;
    private const uint FileTypePipe = 3;

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial IntPtr GetStdHandle(int nStdHandle);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial uint GetFileType(IntPtr hFile);
}
