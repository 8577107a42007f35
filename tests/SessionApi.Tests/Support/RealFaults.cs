using System.Diagnostics;

namespace SessionApi.Tests.Support;

/// <summary>
/// Access to real OS failures. scripts/test.sh runs the tests with tests/native/faultshim.c
/// preloaded: renames into <see cref="ExdevParent"/> fail with EXDEV (as under MSIX
/// virtualization) and fsync of files under <see cref="EioParent"/> fails with EIO. Disk-full and
/// read-only failures come from real tmpfs mounts; exclusive creates under <see cref="EexistParent"/>
/// and renames under <see cref="EnoentParent"/> fail as the other MSIX symptoms do; disk-full and
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

    /// <summary>Exclusive creates of <c>*.tmp</c> under it fail with a false EEXIST (the MSIX junction symptom).</summary>
    public static string EexistParent => Path.Combine(RequireShim(), "eexist");

    /// <summary>Renames into it fail with ENOENT although the source is there (an MSIX symptom).</summary>
    public static string EnoentParent => Path.Combine(RequireShim(), "enoent");

    /// <summary>
    /// The published server (scripts/test.sh exports SESSIONAPI_EXE: the Native AOT linux-x64 binary
    /// Electron would ship), for suites that must run what users run.
    /// </summary>
    public static string PublishedExecutable()
    {
        var exe = Environment.GetEnvironmentVariable("SESSIONAPI_EXE");
        if (string.IsNullOrEmpty(exe))
        {
            return Unavailable<string>("SESSIONAPI_EXE is not set (run scripts/build.sh, then the tests through scripts/test.sh)");
        }

        return File.Exists(exe) ? Path.GetFullPath(exe) : throw new InvalidOperationException($"SESSIONAPI_EXE={exe} does not exist.");
    }

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
    /// <param name="sizeBytes">Its size.</param>
    /// <param name="parent">Where to mount it (e.g. under a fault shim folder, to combine a symptom with a real fault); the temp folder by default.</param>
    public Tmpfs(long sizeBytes, string? parent = null)
    {
        RealFaults.RequireMountPrivileges();
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), "sessionapi-tmpfs-" + Guid.NewGuid().ToString("N")[..8]);
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
