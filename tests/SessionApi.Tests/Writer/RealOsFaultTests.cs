
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Writer;

/// <summary>
/// The writer against failures the real OS produces: a full tmpfs (ENOSPC), a read-only remount
/// (EROFS), renames refused with EXDEV inside one directory and fsync failing with EIO (the fault
/// shim). Each ends with the contract's outcome and nothing lost.
/// </summary>
public sealed class RealOsFaultTests : IDisposable
{
    private readonly WriterHarness harness = new(retryBudget: TimeSpan.FromSeconds(1));

    [SkippableFact]
    public async Task A_full_disk_fails_the_save_with_insufficient_storage_keeping_the_previous_version()
    {
        using var disk = new Tmpfs(256 * 1024);
        var target = Path.Combine(disk.Path, "a.json");
        await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            harness.Writer.WriteAsync(target, new MemoryStream(Bodies.Session(1024 * 1024)), WriterHarness.Limits, default));

        Assert.Equal(StorageFailureKind.InsufficientStorage, error.Kind);
        Assert.Equal(28, OsError.FromException(error.InnerException!)?.Code); // ENOSPC, from the kernel
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(target));
        Assert.Equal(["a.json"], Directory.GetFiles(disk.Path).Select(Path.GetFileName));

        // Space is free again after the failed save (its temp file is gone): the next small save works.
        await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":2}"), WriterHarness.Limits, default);
        Assert.Equal("{\"v\":2}", await File.ReadAllTextAsync(target));
    }

    [SkippableFact]
    public async Task A_read_only_file_system_fails_the_save_as_unavailable_keeping_the_previous_version()
    {
        using var disk = new Tmpfs(1024 * 1024);
        var target = Path.Combine(disk.Path, "a.json");
        await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);
        disk.RemountReadOnly();

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":2}"), WriterHarness.Limits, default));

        Assert.Equal(StorageFailureKind.Unavailable, error.Kind);
        Assert.Equal(30, OsError.FromException(error.InnerException!)?.Code); // EROFS
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(target));
        Assert.Equal(["a.json"], Directory.GetFiles(disk.Path).Select(Path.GetFileName));
    }

    [SkippableFact]
    public async Task A_rename_refused_with_exdev_inside_one_directory_switches_to_the_verified_copy()
    {
        using var root = new TempRoot(RealFaults.ExdevParent);
        var target = root.File("a.json");
        await File.WriteAllTextAsync(target, "{\"old\":\"written by the app before it was packaged\"}");

        // The kernel-level proof that the shim really refuses: .NET's own rename call sees EXDEV.
        var probe = root.File("probe.tmp");
        await File.WriteAllTextAsync(probe, "x");
        Assert.Equal(18, OsError.FromException(Assert.ThrowsAny<IOException>(() => File.Replace(probe, target, null)))?.Code);
        File.Delete(probe);

        var first = await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);
        var second = await harness.Writer.WriteAsync(target, new MemoryStream(Bodies.Session(300_000)), WriterHarness.Limits, default);

        Assert.Equal(WriteMode.VerifiedCopy, first.Mode);
        Assert.Equal(WriteMode.VerifiedCopy, second.Mode);
        Assert.Equal(Bodies.Session(300_000), await File.ReadAllBytesAsync(target));
        Assert.Equal(["a.json"], root.Files());
        Assert.Equal(2, harness.Counters.Snapshot()["crossDeviceFallbacks"]);
        Assert.Equal(WriteMode.VerifiedCopy, harness.Writer.CurrentMode);
    }

    [SkippableFact]
    public async Task A_failing_fsync_fails_the_save_as_unavailable_and_leaves_no_temp()
    {
        using var root = new TempRoot(RealFaults.EioParent);
        var target = root.File("a.json");
        await File.WriteAllTextAsync(target, "{\"v\":1}");

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":2}"), WriterHarness.Limits, default));

        Assert.Equal(StorageFailureKind.Unavailable, error.Kind);
        Assert.Equal(5, OsError.FromException(error.InnerException!)?.Code); // EIO
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(target));
        Assert.Equal(["a.json"], root.Files());
    }

    /// <summary>
    /// Why the writer calls fsync itself: .NET's FileStream.Flush(true) does not report a failed
    /// fsync on Linux. If this test starts failing, .NET fixed it and the P/Invoke could go.
    /// </summary>
    [SkippableFact]
    public void Dotnet_flush_to_disk_hides_a_failed_fsync_on_linux()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Linux behaviour");
        using var root = new TempRoot(RealFaults.EioParent);
        using var stream = new FileStream(root.File("x.json"), FileMode.Create);
        stream.Write("{}"u8);

        var hidden = Record.Exception(() => stream.Flush(flushToDisk: true));

        Assert.Null(hidden);
    }

    [SkippableFact]
    public async Task A_store_on_a_root_that_refuses_rename_reports_the_fallback_mode_from_startup()
    {
        using var root = new TempRoot(RealFaults.ExdevParent);
        using var store = harness.CreateStore(root.Path);
        await store.OpenAsync(default);

        Assert.Equal(WriteMode.VerifiedCopy, store.GetDiagnostics().WriteMode);
        var result = await store.SaveAsync(Id("a"), Bodies.Of("{\"v\":1}"), Precondition.None, default);
        Assert.Equal(SaveOutcome.Created, result.Outcome);
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(root.File("a.json")));
    }

    public void Dispose() => harness.Dispose();
}
