using System.Diagnostics;

namespace SessionApi.Tests.Support;

/// <summary>
/// Access to real OS failures. scripts/test.sh runs the tests with tests/native/faultshim.c
/// preloaded: renames into <see cref="ExdevParent"/> fail with EXDEV (as under MSIX
/// virtualization) and fsync of files under <see cref="EioParent"/> fails with EIO. Disk-full and
/// read-only failures come from real tmpfs mounts (the tests run as root, as CI does).
/// Where a fault cannot be produced the test is skipped loudly — and under CI=true it fails instead,
/// because CI must not skip anything.
/// </summary>
public static class RealFaults
{
    private static readonly string? FaultRoot =
        (Environment.GetEnvironmentVariable("LD_PRELOAD") ?? string.Empty).Contains("faultshim", StringComparison.Ordinal)
            ? Environment.GetEnvironmentVariable("SESSIONAPI_FAULT_ROOT")
            : null;

    public static string ExdevParent => Path.Combine(RequireShim(), "exdev");

    public static string EioParent => Path.Combine(RequireShim(), "eio");

    public static string RequireShim() =>
        FaultRoot ?? Unavailable<string>("the LD_PRELOAD fault shim is not loaded (run the tests through scripts/test.sh)");

    public static void RequireMountPrivileges()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Unavailable<bool>("mounting a tmpfs needs Linux and root");
        }
    }

    private static T Unavailable<T>(string why)
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            throw new InvalidOperationException($"CI must not skip a fault test, but {why}.");
        }

        Skip.If(true, $"SKIPPED LOUDLY: {why}.");
        throw new UnreachableException();
    }
}

/// <summary>A real tmpfs of a given size: fills up for real (ENOSPC) and can be remounted read-only (EROFS).</summary>
public sealed class Tmpfs : IDisposable
{
    public Tmpfs(long sizeBytes)
    {
        RealFaults.RequireMountPrivileges();
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sessionapi-tmpfs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes}", "tmpfs", Path);
    }

    public string Path { get; }

    public void RemountReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
        }
    }
}
