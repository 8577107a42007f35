using Microsoft.Extensions.Time.Testing;
using SessionApi.Storage.History;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.HistoryDocuments;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.History;

/// <summary>What the store keeps as versions and trash, and for how long: the merge window, the per-session and total limits, trash retention, history off.</summary>
public sealed class HistoryRetentionTests : IDisposable
{
    private readonly TempRoot root = new();
    private readonly WriterHarness harness = new();

    public void Dispose()
    {
        harness.Dispose();
        root.Dispose();
    }

    private string VersionPath(string id, SessionVersion version) => VersionFile(root.Path, id, version);

    [Fact]
    public async Task Saves_within_the_merge_window_replace_the_newest_version_instead_of_adding_one()
    {
        using var store = harness.CreateStore(root.Path, history: new HistoryOptions { MergeWindow = TimeSpan.FromHours(1) });
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        for (var n = 1; n <= 5; n++)
        {
            await Save(store, "a", Doc(n));
        }

        // One run of saves inside the window: the newest document it replaced is the one version.
        await store.Documents.History.WhenRemovedAsync();
        var version = Assert.Single(history.ListVersions(Id("a"))!);
        Assert.Equal(Doc(4), File.ReadAllText(VersionPath("a", version)));
        Assert.Single(Directory.GetFiles(Path.Combine(root.Path, ".history", "a")));
    }

    [Fact]
    public async Task A_bad_save_inside_the_merge_window_cannot_merge_away_the_good_version_before_it()
    {
        using var store = harness.CreateStore(root.Path, history: new HistoryOptions { MergeWindow = TimeSpan.FromHours(1) });
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        await Save(store, "a", Doc(1, 100));
        await Save(store, "a", Doc(2, 5000)); // the long conversation
        await Save(store, "a", "{}"); // the app's bad save
        await Save(store, "a", "{\"n\":0}"); // and the next save, seconds later

        // The good document became a version when the bad save replaced it, and the bad one (smaller)
        // did not replace it in turn: it was added.
        var versions = history.ListVersions(Id("a"))!.Select(v => File.ReadAllText(VersionPath("a", v))).ToList();
        Assert.Equal(["{}", Doc(2, 5000)], versions);
    }

    [Fact]
    public async Task Without_a_merge_window_every_replace_adds_a_version_up_to_max_versions_oldest_pruned_first()
    {
        using var store = harness.CreateStore(root.Path, history: new HistoryOptions { MergeWindow = TimeSpan.Zero, MaxVersions = 3 });
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        for (var n = 1; n <= 6; n++)
        {
            await Save(store, "a", Doc(n)); // no pause: versions within one clock tick keep their order
        }

        await store.Documents.History.WhenRemovedAsync();
        var versions = history.ListVersions(Id("a"))!;
        Assert.Equal([Doc(5), Doc(4), Doc(3)], versions.Select(v => File.ReadAllText(VersionPath("a", v))));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(root.Path, ".history", "a")).Length);
        Assert.Equal(Doc(6), File.ReadAllText(root.File("a.json")));
    }

    [Fact]
    public async Task Bytes_per_session_are_capped_but_the_newest_version_stays_even_when_larger()
    {
        using var store = harness.CreateStore(root.Path, history: new HistoryOptions { MergeWindow = TimeSpan.Zero, MaxBytesPerSession = 2500 });
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        for (var n = 1; n <= 5; n++)
        {
            await Save(store, "a", Doc(n, 1000));
        }

        Assert.Equal(2, history.ListVersions(Id("a"))!.Count);

        await Save(store, "a", Doc(6, 5000));
        await Save(store, "a", Doc(7));
        var newest = Assert.Single(history.ListVersions(Id("a"))!);
        Assert.Equal(Doc(6, 5000), File.ReadAllText(VersionPath("a", newest)));
    }

    [Fact]
    public async Task The_total_limit_prunes_the_oldest_versions_across_sessions_and_never_a_current_document()
    {
        using var store = harness.CreateStore(root.Path, history: new HistoryOptions { MergeWindow = TimeSpan.Zero, MaxTotalBytes = 3500 });
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        // A version is dated by its document's modification time, which the kernel keeps at a coarse
        // clock tick: waiting for a tick after each save keeps "oldest" unambiguous.
        var clock = Path.GetDirectoryName(root.Path)!;
        await Save(store, "old", Doc(1, 1000));
        await FileClock.TickAsync(clock);
        await Save(store, "old", Doc(2, 1000));
        await FileClock.TickAsync(clock);
        await Save(store, "old", Doc(3, 1000));
        await FileClock.TickAsync(clock);
        foreach (var n in new[] { 1, 2, 3 })
        {
            await Save(store, "new", Doc(n, 1000));
            await FileClock.TickAsync(clock);
        }

        // Four versions of ~1 KB each were kept; the total allows three: the oldest one (old's first) went.
        var old = history.ListVersions(Id("old"))!;
        Assert.Equal([Doc(2, 1000)], old.Select(v => File.ReadAllText(VersionPath("old", v))));
        Assert.Equal(2, history.ListVersions(Id("new"))!.Count);
        Assert.Equal(Doc(3, 1000), File.ReadAllText(root.File("old.json")));
        Assert.Equal(Doc(3, 1000), File.ReadAllText(root.File("new.json")));
        var diagnostics = history.GetHistoryDiagnostics();
        Assert.Equal(3, diagnostics.Versions);
        Assert.True(diagnostics.VersionBytes <= 3500);
    }

    [Fact]
    public async Task Trash_entries_older_than_the_retention_are_pruned()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = harness.CreateStore(root.Path, trash: new TrashOptions { Retention = TimeSpan.FromDays(30) }, time: time);
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        await Save(store, "a", Doc(1));
        await Save(store, "b", Doc(2));
        Assert.Equal(DeleteResult.Deleted, await store.DeleteAsync(Id("a"), Precondition.None, default));
        time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(DeleteResult.Deleted, await store.DeleteAsync(Id("b"), Precondition.None, default));

        Assert.Equal(["b"], history.ListTrash().Select(t => t.Id));
        await store.Documents.History.WhenRemovedAsync();
        Assert.False(Directory.Exists(Path.Combine(root.Path, ".trash", "a")) && Directory.GetFiles(Path.Combine(root.Path, ".trash", "a")).Length > 0);
    }

    [Fact]
    public async Task History_off_keeps_no_version_but_a_delete_still_goes_to_the_trash()
    {
        using var store = harness.CreateStore(root.Path, history: new HistoryOptions { Enabled = false });
        var history = WriterHarness.CreateHistory(store);
        await store.OpenAsync(default);
        await Save(store, "a", Doc(1));
        await Save(store, "a", Doc(2));
        Assert.Empty(history.ListVersions(Id("a"))!);
        Assert.False(Directory.Exists(Path.Combine(root.Path, ".history")));
        await store.DeleteAsync(Id("a"), Precondition.None, default);
        Assert.Single(history.ListTrash());
    }
}
