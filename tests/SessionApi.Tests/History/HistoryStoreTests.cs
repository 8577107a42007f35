using System.Diagnostics;
using System.Text;
using Polly;
using Polly.Simmy;
using SessionApi.Storage.History;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.HistoryDocuments;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.History;

/// <summary>Versions and trash in the store: the index rebuilt from file names, recovery, links and copies.</summary>
public sealed class HistoryStoreTests : IDisposable
{
    private static readonly HistoryOptions EverySave = new() { MergeWindow = TimeSpan.Zero };

    private readonly TempRoot root = new();
    private readonly WriterHarness harness = new();

    public void Dispose()
    {
        harness.Dispose();
        root.Dispose();
    }

    private string VersionPath(string id, SessionVersion version) => VersionFile(root.Path, id, version);

    [Fact]
    public async Task Listing_fifty_versions_after_a_restart_reads_no_document()
    {
        using (var store = harness.CreateStore(root.Path, history: EverySave))
        {
            await store.OpenAsync(default);
            for (var n = 0; n <= 50; n++)
            {
                await Save(store, "a", Doc(n, 200));
            }
        }

        var files = Directory.GetFiles(Path.Combine(root.Path, ".history", "a"));
        Assert.Equal(50, files.Length);

        // Every version file now holds other bytes of the same length: a listing that read them
        // would report other ETags than the ones their names carry.
        var expected = new Dictionary<string, string>();
        foreach (var file in files)
        {
            var (_, hash) = FileHashing.HashFile(file);
            expected[Path.GetFileNameWithoutExtension(file)] = ETags.FromHash(hash);
            File.WriteAllText(file, File.ReadAllText(file).Replace('x', 'y'));
        }

        using var reopened = harness.CreateStore(root.Path, history: EverySave);
        var history = WriterHarness.CreateHistory(reopened);
        await reopened.OpenAsync(default);
        var listed = history.ListVersions(Id("a"))!;
        Assert.Equal(50, listed.Count);
        Assert.All(listed, v => Assert.Equal(expected[v.Version], v.ETag));
        Assert.Equal(listed.OrderByDescending(v => v.SavedAt).ThenByDescending(v => v.Version, StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task Recovery_finishes_an_interrupted_version_write_and_quarantines_a_torn_one_and_touches_nothing_else()
    {
        var folder = Directory.CreateDirectory(Path.Combine(root.Path, ".history", "a")).FullName;
        var complete = Encoding.UTF8.GetBytes(Doc(1, 300));
        var (_, hash) = FileHashing.HashFile(WriteTemp(complete));
        var finished = "20260101t000000000z-" + Convert.ToHexStringLower(hash);
        File.Move(Directory.GetFiles(root.Path, "*.scratch")[0], Path.Combine(folder, finished + ".json.0123456789ab.tmp"));
        var torn = "20260102t000000000z-" + new string('1', 32);
        await File.WriteAllBytesAsync(Path.Combine(folder, torn + ".json.ba9876543210.tmp"), complete[..100]);
        var untouched = "20260103t000000000z-" + new string('2', 32);
        await File.WriteAllTextAsync(Path.Combine(folder, untouched + ".json"), "{\"kept\":true}");
        await File.WriteAllTextAsync(root.File("a.json"), Doc(9));

        using var store = harness.CreateStore(root.Path);
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);

        Assert.Equal(complete, await File.ReadAllBytesAsync(Path.Combine(folder, finished + ".json")));
        Assert.Equal([untouched, finished], history.ListVersions(Id("a"))!.Select(v => v.Version));
        Assert.Single(store.GetDiagnostics().Quarantined, q => q.OriginalName == torn + ".json.ba9876543210.tmp");
        Assert.Equal(["a.json"], root.Files());
        Assert.Equal(["a"], store.List().Select(s => s.Id));
        Assert.Equal(Doc(9), File.ReadAllText(root.File("a.json")));
    }

    [Fact]
    public async Task A_temp_that_recovery_promotes_over_a_complete_document_keeps_that_document_as_a_version()
    {
        // A save a crash interrupted after its body was staged: recovery finishes it, and that replace
        // keeps the document it replaces like any other.
        await File.WriteAllTextAsync(root.File("a.json"), Doc(1));
        File.SetLastWriteTimeUtc(root.File("a.json"), DateTime.UtcNow.AddMinutes(-1));
        await File.WriteAllTextAsync(root.File("a.json.0123456789ab.tmp"), Doc(2));

        using var store = harness.CreateStore(root.Path);
        var history = WriterHarness.CreateHistory(store);
        var report = await store.OpenAsync(default);

        Assert.Single(report.Promoted);
        Assert.Equal(Doc(2), File.ReadAllText(root.File("a.json")));
        var version = Assert.Single(history.ListVersions(Id("a"))!);
        Assert.Equal(Doc(1), File.ReadAllText(VersionPath("a", version)));
        Assert.Equal(1, history.GetHistoryDiagnostics().Versions);
    }

    [SkippableFact]
    public async Task A_version_linked_before_a_crash_survives_a_promotion_by_verified_copy_after_restart()
    {
        // kill -9 between linking the version and the rename, and the next start finds renames refused.
        using var refusing = new TempRoot(RealFaults.ExdevParent);
        var folder = Directory.CreateDirectory(Path.Combine(refusing.Path, ".history", "a")).FullName;
        await File.WriteAllTextAsync(refusing.File("a.json"), Doc(1, 300));
        File.SetLastWriteTimeUtc(refusing.File("a.json"), DateTime.UtcNow.AddMinutes(-1));
        var (_, hash) = FileHashing.HashFile(refusing.File("a.json"));
        var name = Path.Combine(folder, $"{File.GetLastWriteTimeUtc(refusing.File("a.json")):yyyyMMdd't'HHmmssfff'z'}-{Convert.ToHexStringLower(hash)}.json");
        var ln = new ProcessStartInfo("ln", [refusing.File("a.json"), name]);
        ln.Environment.Remove("LD_PRELOAD"); // the link was made while the root still allowed it
        using (var linking = Process.Start(ln)!)
        {
            await linking.WaitForExitAsync();
            Assert.Equal(0, linking.ExitCode);
        }

        Assert.Equal(Inode(refusing.File("a.json")), Inode(name));
        await File.WriteAllTextAsync(refusing.File("a.json.0123456789ab.tmp"), Doc(2));

        using var store = harness.CreateStore(refusing.Path);
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);

        Assert.Equal(WriteMode.VerifiedCopy, harness.Writer.CurrentMode);
        Assert.Equal(Doc(2), File.ReadAllText(refusing.File("a.json")));
        var version = Assert.Single(history.ListVersions(Id("a"))!);
        Assert.Equal(Doc(1, 300), File.ReadAllText(Path.Combine(folder, version.Version + ".json")));
    }

    [SkippableFact]
    public async Task Where_renames_work_a_version_is_the_replaced_file_itself_not_a_copy()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "inode numbers are read with stat(1)");
        using var store = harness.CreateStore(root.Path, history: EverySave);
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        await Save(store, "a", Doc(1));
        var inode = Inode(root.File("a.json"));
        await Save(store, "a", Doc(2));

        var version = Assert.Single(history.ListVersions(Id("a"))!);
        Assert.Equal(inode, Inode(VersionPath("a", version)));
        Assert.Equal(Doc(1), File.ReadAllText(VersionPath("a", version)));
    }

    [Fact]
    public async Task A_version_kept_as_a_link_becomes_its_own_file_before_a_refused_rename_turns_into_an_in_place_copy()
    {
        // Rename works when the version is linked, then is refused for the replace (ERROR_NOT_SAME_DEVICE):
        // the verified copy rewrites a.json in place and must not rewrite the version with it.
        var refuse = false;
        using var chaotic = new WriterHarness(chaos: builder => builder.AddChaosFault(new Polly.Simmy.Fault.ChaosFaultStrategyOptions
        {
            EnabledGenerator = _ => ValueTask.FromResult(refuse),
            InjectionRate = 1,
            FaultGenerator = new Polly.Simmy.Fault.FaultGenerator().AddException(() => new IOException("injected Win32 error 17", unchecked((int)0x80070011))),
        }));
        using var store = chaotic.CreateStore(root.Path, history: EverySave);
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        await Save(store, "a", Doc(1, 500));
        refuse = true;
        await Save(store, "a", Doc(2));

        Assert.Equal(WriteMode.VerifiedCopy, chaotic.Writer.CurrentMode);
        Assert.Equal(Doc(2), File.ReadAllText(root.File("a.json")));
        var version = Assert.Single(history.ListVersions(Id("a"))!);
        Assert.Equal(Doc(1, 500), File.ReadAllText(VersionPath("a", version)));
        Assert.Single(Directory.GetFiles(Path.Combine(root.Path, ".history", "a")));
    }

    [SkippableFact]
    public async Task Where_renames_and_links_are_refused_versions_and_trash_are_verified_copies()
    {
        using var refusing = new TempRoot(RealFaults.ExdevParent);
        using var store = harness.CreateStore(refusing.Path, history: EverySave);
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        await Save(store, "a", Doc(1, 2000));
        await Save(store, "a", Doc(2));
        await Save(store, "a", Doc(3));
        Assert.Equal(WriteMode.VerifiedCopy, harness.Writer.CurrentMode);

        var versions = history.ListVersions(Id("a"))!;
        Assert.Equal([Doc(2), Doc(1, 2000)], versions.Select(v => File.ReadAllText(Path.Combine(refusing.Path, ".history", "a", v.Version + ".json"))));

        var restored = await history.RestoreVersionAsync(Id("a"), versions[1].Version, Precondition.None, default);
        Assert.Equal(RestoreOutcome.Replaced, restored.Outcome);
        Assert.Equal(Doc(1, 2000), File.ReadAllText(refusing.File("a.json")));

        Assert.Equal(DeleteResult.Deleted, await store.DeleteAsync(Id("a"), Precondition.None, default));
        Assert.False(File.Exists(refusing.File("a.json")));
        Assert.Equal(RestoreOutcome.Created, (await history.RestoreFromTrashAsync(Id("a"), default)).Outcome);
        Assert.Equal(Doc(1, 2000), File.ReadAllText(refusing.File("a.json")));
        Assert.Empty(history.ListTrash());
        Assert.Empty(Directory.EnumerateFiles(refusing.Path, "*.tmp", SearchOption.AllDirectories));
    }

    private string WriteTemp(byte[] bytes)
    {
        var path = root.File(Guid.NewGuid().ToString("N") + ".scratch");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return output;
    }
}
