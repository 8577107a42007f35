using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace SessionApi.Hosting;

/// <summary>
/// <c>--parent-pid</c>: stops the application (gracefully: in-flight saves finish) soon after the
/// parent process ends, so a crashed Electron app never leaves an orphan holding the storage lock.
/// It polls rather than waiting on the process handle because on Unix only a process's own children
/// can be waited for; the start time is compared too, so a recycled pid does not keep us alive.
/// </summary>
internal sealed class ParentProcessWatchdog(
    IOptions<HostingOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<ParentProcessWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ParentPid is not { } parentPid)
        {
            return;
        }

        HostingLog.WatchingParent(logger, parentPid);
        var startTime = TryGetStartTime(parentPid);
        using var timer = new PeriodicTimer(options.Value.ParentPollInterval, timeProvider);
        do
        {
            if (!IsAlive(parentPid, startTime))
            {
                HostingLog.ParentExited(logger, parentPid);
                lifetime.StopApplication();
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal static bool IsAlive(int pid, DateTime? expectedStartTime)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            return expectedStartTime is null || TryGetStartTime(process) == expectedStartTime;
        }
        catch (ArgumentException)
        {
            // No process with this id.
            return false;
        }
        catch (InvalidOperationException)
        {
            // It exited between the lookup and the question.
            return false;
        }
    }

    private static DateTime? TryGetStartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return TryGetStartTime(process);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static DateTime? TryGetStartTime(Process process)
    {
        try
        {
            return process.StartTime;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not allowed to query it (another user's process): fall back to the pid alone.
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
