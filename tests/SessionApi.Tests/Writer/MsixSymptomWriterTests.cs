using Microsoft.Extensions.Time.Testing;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Writer;

/// <summary>
/// The writer under the MSIX symptoms besides EXDEV, as real syscall failures from the fault shim:
/// exclusive creates of fresh temps refused with EEXIST (claude-code #83584, #91409) and renames of
/// present temps refused with ENOENT (#95112). Saves go on; real storage faults under a symptom
/// still fail with the previous version intact; an ENOENT that means what it says is not mistaken
/// for the symptom.
/// </summary>
public sealed class MsixSymptomWriterTests : IDisposable
{
    private readonly WriterHarness harness = new(retryBudget: TimeSpan.FromSeconds(1));

    [SkippableFact]
    public async Task Refused_exclusive_creates_switch_to_non_exclusive_temps_after_a_few_fresh_names()
    {
        using var root = new TempRoot(RealFaults.EexistParent);
        var target = root.File("a.json");

        // The kernel-level proof that the shim really refuses: .NET's own exclusive create sees EEXIST.
        var refused = Assert.Throws<IOException>(() => File.OpenHandle(root.File("probe.json.1.tmp"), FileMode.CreateNew, FileAccess.Write));
        Assert.Equal(17, OsError.FromException(refused)?.Code);
        Assert.False(File.Exists(root.File("probe.json.1.tmp")));

        Assert.Equal(TempCreateMode.Exclusive, harness.TempCreateTracker.Current);
        await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);
        await harness.Writer.WriteAsync(target, new MemoryStream(Bodies.Session(2 * 1024 * 1024)), WriterHarness.Limits, default);

        Assert.Equal(Bodies.Session(2 * 1024 * 1024), await File.ReadAllBytesAsync(target));
        Assert.Equal(TempCreateMode.NonExclusive, harness.TempCreateTracker.Current);
        Assert.Equal(TempCreateMode.NonExclusive, harness.Writer.CurrentTempCreateMode);

        // Only the first save tried: the root is remembered as refusing until the reprobe interval.
        Assert.Equal(TempFileCreator.ExclusiveAttempts, harness.Counters.Snapshot()["exclusiveCreateRefusals"]);
        Assert.Equal(WriteMode.AtomicRename, harness.Writer.CurrentMode);
        Assert.Equal(["a.json"], root.Files());
    }

    [SkippableFact]
    public async Task Once_the_reprobe_interval_passed_exclusive_create_is_tried_again()
    {
        using var root = new TempRoot(RealFaults.EexistParent);
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromMinutes(5);
        using var eager = new WriterHarness(time: time, renameReprobeInterval: interval);
        var target = root.File("a.json");
        await eager.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);
        Assert.Equal(TempFileCreator.ExclusiveAttempts, eager.Counters.Snapshot()["exclusiveCreateRefusals"]);

        // Inside the interval the refusals are remembered: no exclusive create is tried.
        time.Advance(interval - TimeSpan.FromSeconds(1));
        await eager.Writer.WriteAsync(target, Bodies.Of("{\"v\":2}"), WriterHarness.Limits, default);
        Assert.Equal(TempFileCreator.ExclusiveAttempts, eager.Counters.Snapshot()["exclusiveCreateRefusals"]);

        // Once it has passed, the next save tries again (and here is refused again).
        time.Advance(TimeSpan.FromSeconds(1));
        await eager.Writer.WriteAsync(target, Bodies.Of("{\"v\":3}"), WriterHarness.Limits, default);

        Assert.Equal(2 * TempFileCreator.ExclusiveAttempts, eager.Counters.Snapshot()["exclusiveCreateRefusals"]);
        Assert.Equal(TempCreateMode.NonExclusive, eager.TempCreateTracker.Current);
        Assert.Equal("{\"v\":3}", await File.ReadAllTextAsync(target));

        // Where exclusive creates work again (here: another folder), the next try after the interval
        // switches back.
        using var healthy = new TempRoot();
        time.Advance(interval);
        await eager.Writer.WriteAsync(healthy.File("b.json"), Bodies.Of("{\"v\":4}"), WriterHarness.Limits, default);
        Assert.Equal(TempCreateMode.Exclusive, eager.TempCreateTracker.Current);
    }

    [SkippableFact]
    public async Task A_rename_failing_with_enoent_while_the_temp_is_there_becomes_the_verified_copy()
    {
        using var root = new TempRoot(RealFaults.EnoentParent);
        var target = root.File("a.json");
        await File.WriteAllTextAsync(target, "{\"old\":true}");
        await File.WriteAllTextAsync(root.File("probe.json.tmp"), "{}");
        var refused = Assert.ThrowsAny<IOException>(() => File.Move(root.File("probe.json.tmp"), root.File("probe.json"), overwrite: true));
        Assert.Equal(2, OsError.FromException(refused)?.Code); // ENOENT from rename(2), the temp still there
        File.Delete(root.File("probe.json.tmp"));

        await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);
        var big = Bodies.Session(1024 * 1024);
        await harness.Writer.WriteAsync(target, new MemoryStream(big), WriterHarness.Limits, default);

        Assert.Equal(big, await File.ReadAllBytesAsync(target));
        Assert.Equal(WriteMode.VerifiedCopy, harness.Writer.CurrentMode);
        Assert.Equal(2, harness.Counters.Snapshot()["crossDeviceFallbacks"]);
        Assert.Equal(["a.json"], root.Files());
    }

    [Fact]
    public void An_enoent_for_a_temp_that_is_really_gone_is_not_taken_for_the_symptom()
    {
        using var root = new TempRoot();
        var error = Assert.ThrowsAny<IOException>(() => DurableFileSystem.ReplaceTempByRename(root.File("gone.json.tmp"), root.File("gone.json")));
        Assert.IsNotType<RenameRefusedException>(error);
        Assert.Equal(2, OsError.FromException(error)?.Code);
        Assert.Equal(StorageFailureKind.Unknown, OsErrorClassifier.Classify(error));
    }

    [SkippableFact]
    public async Task A_full_disk_under_refused_exclusive_creates_still_fails_with_the_previous_version_intact()
    {
        using var disk = new Tmpfs(256 * 1024, Directory.CreateDirectory(RealFaults.EexistParent).FullName);
        var target = Path.Combine(disk.Path, "a.json");
        await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);
        Assert.Equal(TempCreateMode.NonExclusive, harness.TempCreateTracker.Current);

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            harness.Writer.WriteAsync(target, new MemoryStream(Bodies.Session(1024 * 1024)), WriterHarness.Limits, default));

        Assert.Equal(StorageFailureKind.InsufficientStorage, error.Kind);
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(target));
        Assert.Equal(["a.json"], Directory.GetFiles(disk.Path).Select(Path.GetFileName));
    }

    [SkippableFact]
    public async Task A_read_only_file_system_under_refused_renames_still_fails_with_the_previous_version_intact()
    {
        using var disk = new Tmpfs(1024 * 1024, Directory.CreateDirectory(RealFaults.EnoentParent).FullName);
        var target = Path.Combine(disk.Path, "a.json");
        await harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default);
        Assert.Equal(WriteMode.VerifiedCopy, harness.Writer.CurrentMode);
        disk.RemountReadOnly();

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":2}"), WriterHarness.Limits, default));

        Assert.Equal(StorageFailureKind.Unavailable, error.Kind);
        Assert.Equal(30, OsError.FromException(error.InnerException!)?.Code); // EROFS
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(target));
    }

    public void Dispose() => harness.Dispose();
}
