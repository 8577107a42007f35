
using System.Text;
using SessionApi.Hosting;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Store;

/// <summary>Startup recovery: every rule of docs/DESIGN.md "Disk contract" and "Recovery", on folders as crashes and the MSIX bug leave them.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly TempRoot root = new();
    private readonly WriterHarness harness = new();

    [Fact]
    public async Task A_folder_of_stranded_msix_temp_files_gets_every_valid_session_back()
    {
        var sessions = Enumerable.Range(0, 6).Select(i => ($"local_{Guid.NewGuid()}", Bodies.Session(2000 + i * 500, i))).ToList();
        foreach (var (id, body) in sessions)
        {
            await File.WriteAllBytesAsync(root.File(id + ".json.tmp"), body);
        }

        var torn = $"local_{Guid.NewGuid()}";
        await File.WriteAllBytesAsync(root.File(torn + ".json.tmp"), Bodies.Session(3000)[..1500]);

        using var store = harness.CreateStore(root.Path);
        var report = await store.OpenAsync(default);

        Assert.Equal(6, report.Promoted.Count);
        foreach (var (id, body) in sessions)
        {
            Assert.Equal(body, await File.ReadAllBytesAsync(root.File(id + ".json")));
            Assert.NotNull(store.Find(Id(id)));
        }

        Assert.Null(store.Find(Id(torn)));
        Assert.Equal(sessions.Select(s => s.Item1 + ".json").Order(StringComparer.Ordinal), root.Files());
        var quarantined = Assert.Single(store.GetDiagnostics().Quarantined);
        Assert.Equal(torn + ".json.tmp", quarantined.OriginalName);
        Assert.Contains("torn", quarantined.Reason, StringComparison.Ordinal);
        Assert.Equal(1500, new FileInfo(Path.Combine(root.Path, ".quarantine", quarantined.Name)).Length);
        Assert.Equal(6, harness.Counters.Snapshot()["recoveredTemps"]);
        Assert.Equal(1, harness.Counters.Snapshot()["quarantinedFiles"]);
    }

    [Fact]
    public async Task A_complete_temp_newer_than_its_document_is_promoted()
    {
        await WriteAt("a.json", "{\"v\":1}", minutesAgo: 10);
        await WriteAt("a.json.0123456789ab.tmp", "{\"v\":2}", minutesAgo: 1);

        using var store = await Open();

        Assert.Equal("{\"v\":2}", await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Equal(["a.json"], root.Files());
        Assert.Empty(root.QuarantinedFiles());
    }

    [Fact]
    public async Task A_complete_temp_older_than_its_document_is_quarantined_not_deleted()
    {
        await WriteAt("a.json", "{\"v\":2}", minutesAgo: 1);
        await WriteAt("a.json.tmp", "{\"v\":1}", minutesAgo: 10);

        using var store = await Open();

        Assert.Equal("{\"v\":2}", await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Equal(["a.json"], root.Files());
        Assert.Single(root.QuarantinedFiles(), name => name.StartsWith("a.json.tmp.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_temp_with_the_documents_exact_bytes_is_removed_as_a_leftover()
    {
        await WriteAt("a.json", "{\"v\":1}", minutesAgo: 1);
        await WriteAt("a.json.0123456789ab.tmp", "{\"v\":1}", minutesAgo: 2);

        using var store = await Open();

        Assert.Equal(["a.json"], root.Files());
        Assert.Empty(root.QuarantinedFiles());
    }

    [Fact]
    public async Task A_torn_document_is_restored_from_its_complete_temp_even_when_the_temp_is_older()
    {
        // What an interrupted verified copy leaves: a strict prefix of the new document in place.
        var complete = "{\"v\":2,\"text\":\"the new version\"}";
        await WriteAt("a.json.0123456789ab.tmp", complete, minutesAgo: 2);
        await WriteAt("a.json", complete[..12], minutesAgo: 1);

        using var store = await Open();

        Assert.Equal(complete, await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Empty(root.QuarantinedFiles()); // a torn copy of the temp is not worth keeping
    }

    [Fact]
    public async Task A_corrupt_document_that_is_not_a_torn_copy_is_quarantined_before_the_temp_replaces_it()
    {
        await WriteAt("a.json", "garbage that was never JSON", minutesAgo: 5);
        await WriteAt("a.json.tmp", "{\"v\":2}", minutesAgo: 10);

        using var store = await Open();

        Assert.Equal("{\"v\":2}", await File.ReadAllTextAsync(root.File("a.json")));
        var kept = Assert.Single(root.QuarantinedFiles());
        Assert.Equal("garbage that was never JSON", await File.ReadAllTextAsync(Path.Combine(root.Path, ".quarantine", kept)));
    }

    [Fact]
    public async Task An_unparseable_document_without_a_temp_is_quarantined_and_never_served()
    {
        await WriteAt("a.json", "{\"v\":", minutesAgo: 1);
        await WriteAt("b.json", "[1,2,3]", minutesAgo: 1);
        await WriteAt("c.json", "{\"ok\":true}", minutesAgo: 1);

        using var store = await Open();

        Assert.Equal(["c.json"], root.Files());
        Assert.Null(store.Find(Id("a")));
        Assert.Null(store.Find(Id("b")));
        Assert.Equal(2, store.GetDiagnostics().Quarantined.Count);
    }

    [Fact]
    public async Task Files_that_are_not_session_files_are_left_alone()
    {
        await WriteAt("Notes.txt", "hello", minutesAgo: 1);
        await WriteAt("UPPER.json", "{}", minutesAgo: 1);
        await WriteAt("con.json", "{}", minutesAgo: 1);

        using var store = await Open();

        Assert.Equal(["Notes.txt", "UPPER.json", "con.json"], root.Files());
        Assert.Empty(store.List());
        Assert.Empty(root.QuarantinedFiles());
    }

    [Fact]
    public async Task Quarantine_survives_a_restart_in_diagnostics()
    {
        await WriteAt("a.json.tmp", "{\"torn\":", minutesAgo: 1);
        using (var first = await Open())
        {
            Assert.Single(first.GetDiagnostics().Quarantined);
        }

        using var second = await Open();
        var listed = Assert.Single(second.GetDiagnostics().Quarantined);
        Assert.Equal("a.json.tmp", listed.OriginalName);
        Assert.Contains("torn", listed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_recover_command_prints_what_it_did()
    {
        await WriteAt("local_a.json.tmp", "{\"v\":1}", minutesAgo: 1);
        await WriteAt("local_b.json.tmp", "{\"v\":", minutesAgo: 1);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await RecoverCommand.RunAsync(["--root", root.Path], stdout, stderr);

        Assert.Equal(0, exit);
        var output = stdout.ToString();
        Assert.Contains("promoted     local_a.json.tmp -> local_a.json", output, StringComparison.Ordinal);
        Assert.Contains("quarantined  local_b.json.tmp -> .quarantine/local_b.json.tmp.", output, StringComparison.Ordinal);
        Assert.Contains("1 sessions; 1 promoted, 1 quarantined, 0 duplicates removed; write mode atomic-rename", output, StringComparison.Ordinal);
        Assert.Equal(["local_a.json"], root.Files());
    }

    [Fact]
    public async Task The_recover_command_refuses_a_root_a_server_is_using()
    {
        using var running = await Open();
        var stderr = new StringWriter();

        var exit = await RecoverCommand.RunAsync(["--root", root.Path], new StringWriter(), stderr);

        Assert.Equal(3, exit);
        Assert.Contains("already in use by another SessionApi instance", stderr.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task On_a_root_that_refuses_rename_stranded_temps_are_promoted_through_the_verified_copy()
    {
        using var exdevRoot = new TempRoot(RealFaults.ExdevParent);
        await File.WriteAllTextAsync(exdevRoot.File("local_x.json"), "{\"v\":\"old, from before the package\"}");
        File.SetLastWriteTimeUtc(exdevRoot.File("local_x.json"), DateTime.UtcNow.AddMinutes(-10));
        await File.WriteAllTextAsync(exdevRoot.File("local_x.json.tmp"), "{\"v\":\"new\"}");
        await File.WriteAllTextAsync(exdevRoot.File("local_y.json.tmp"), "{\"v\":\"y\"}");

        using var store = harness.CreateStore(exdevRoot.Path);
        var report = await store.OpenAsync(default);

        Assert.Equal(2, report.Promoted.Count);
        Assert.Equal("{\"v\":\"new\"}", await File.ReadAllTextAsync(exdevRoot.File("local_x.json")));
        Assert.Equal("{\"v\":\"y\"}", await File.ReadAllTextAsync(exdevRoot.File("local_y.json")));
        Assert.Equal(["local_x.json", "local_y.json"], exdevRoot.Files());
        Assert.Equal(WriteMode.VerifiedCopy, store.GetDiagnostics().WriteMode);
    }

    public void Dispose()
    {
        harness.Dispose();
        root.Dispose();
    }

    private async Task<SessionStore> Open()
    {
        var store = harness.CreateStore(root.Path);
        await store.OpenAsync(default);
        return store;
    }

    private async Task WriteAt(string name, string content, int minutesAgo)
    {
        await File.WriteAllBytesAsync(root.File(name), Encoding.UTF8.GetBytes(content));
        File.SetLastWriteTimeUtc(root.File(name), DateTime.UtcNow.AddMinutes(-minutesAgo));
    }
}
