
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SessionApi.Storage.Roots;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Store;

public sealed class SessionStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempRoot root = new();
    private readonly WriterHarness harness = new();
    private SessionStore store = null!;

    public async Task InitializeAsync()
    {
        store = harness.CreateStore(root.Path);
        await store.OpenAsync(default);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("local_3f2b9c1e-7a1d-4e8b-9c2d-1f0e5a6b7c8d")]
    [InlineData("con1")]
    [InlineData("comx")]
    public void Accepts_valid_ids(string id)
    {
        Assert.True(SessionId.TryParse(id, out var parsed));
        Assert.Equal(id, parsed.Value);
        Assert.Matches(new Regex(SessionId.Pattern, RegexOptions.ECMAScript), id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("_a")]
    [InlineData("-a")]
    [InlineData("A")]
    [InlineData("a.b")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("a\n")]
    [InlineData("é")]
    [InlineData("con")]
    [InlineData("nul")]
    [InlineData("com9")]
    [InlineData("lpt1")]
    public void Refuses_invalid_ids(string id)
    {
        Assert.False(SessionId.TryParse(id, out _));

        // The OpenAPI document's pattern says the same, device names included. (A trailing newline
        // is the one difference: .NET's '$' matches before it, JavaScript's does not.)
        if (!id.EndsWith('\n'))
        {
            Assert.DoesNotMatch(new Regex(SessionId.Pattern, RegexOptions.ECMAScript), id);
        }
    }

    [Fact]
    public void Ids_are_at_most_128_characters()
    {
        Assert.True(SessionId.TryParse(new string('a', 128), out _));
        Assert.False(SessionId.TryParse(new string('a', 129), out _));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_id_are_serialized_and_the_last_one_wins_whole()
    {
        var bodies = Enumerable.Range(0, 20).Select(i => Bodies.Session(50_000 + i * 1000, i)).ToArray();

        var results = await Task.WhenAll(bodies.Select(body => Task.Run(() => store.SaveAsync(Id("same"), new MemoryStream(body), Precondition.None, default))));

        Assert.Single(results, r => r.Outcome == SaveOutcome.Created);
        var onDisk = await File.ReadAllBytesAsync(root.File("same.json"));
        Assert.Contains(bodies, b => b.AsSpan().SequenceEqual(onDisk));
        Assert.Equal(ETags.FromHash(ContentHash.Of(onDisk)), store.Find(Id("same"))!.ETag);
        Assert.Equal(["same.json"], root.Files());
    }

    [Fact]
    public async Task Saves_of_different_ids_run_in_parallel()
    {
        // A body that blocks until released holds one id's lock; another id must still save meanwhile.
        var gate = new TaskCompletionSource();
        var slowBody = new GatedStream(Encoding.UTF8.GetBytes("{\"v\":1}"), gate.Task);
        var blocked = store.SaveAsync(Id("slow"), slowBody, Precondition.None, default);
        await slowBody.ReadStarted; // it holds the lock of "slow"

        var other = await store.SaveAsync(Id("fast"), Bodies.Of("{\"v\":2}"), Precondition.None, default).WaitAsync(TimeSpan.FromSeconds(10));

        // A save that gets its lock reads its body in the call: one not read when the call returns waits for the lock.
        var sameIdBody = new GatedStream(Encoding.UTF8.GetBytes("{\"v\":3}"), Task.CompletedTask);
        var sameId = store.SaveAsync(Id("slow"), sameIdBody, Precondition.None, default);

        Assert.Equal(SaveOutcome.Created, other.Outcome);
        Assert.False(sameIdBody.ReadStarted.IsCompleted, "a second save of the same id must wait for the first");
        Assert.False(sameId.IsCompleted, "a second save of the same id must wait for the first");
        gate.SetResult();
        Assert.Equal(SaveOutcome.Created, (await blocked).Outcome);
        Assert.Equal(SaveOutcome.Replaced, (await sameId).Outcome);
    }

    [Fact]
    public async Task Preconditions_follow_etags()
    {
        var created = await store.SaveAsync(Id("a"), Bodies.Of("{\"v\":1}"), Precondition.IfNoneMatch(), default);
        Assert.Equal(SaveOutcome.Created, created.Outcome);
        Assert.Equal(SaveOutcome.PreconditionFailed, (await store.SaveAsync(Id("a"), Bodies.Of("{\"v\":2}"), Precondition.IfNoneMatch(), default)).Outcome);
        Assert.Equal(SaveOutcome.PreconditionFailed, (await store.SaveAsync(Id("a"), Bodies.Of("{\"v\":2}"), Precondition.IfMatch(["\"stale\""]), default)).Outcome);
        Assert.Equal(SaveOutcome.PreconditionFailed, (await store.SaveAsync(Id("a"), Bodies.Of("{\"v\":2}"), Precondition.IfMatch(["W/" + created.Session!.ETag]), default)).Outcome);
        var replaced = await store.SaveAsync(Id("a"), Bodies.Of("{\"v\":2}"), Precondition.IfMatch([created.Session.ETag]), default);
        Assert.Equal(SaveOutcome.Replaced, replaced.Outcome);
        Assert.NotEqual(created.Session.ETag, replaced.Session!.ETag);
        Assert.Equal(DeleteResult.PreconditionFailed, await store.DeleteAsync(Id("a"), Precondition.IfMatch([created.Session.ETag]), default));
        Assert.Equal(DeleteResult.Deleted, await store.DeleteAsync(Id("a"), Precondition.IfMatch([replaced.Session.ETag]), default));
        Assert.Equal(DeleteResult.NotFound, await store.DeleteAsync(Id("a"), Precondition.None, default));
        Assert.Empty(root.Files());
    }

    [Fact]
    public async Task The_index_survives_a_restart_with_the_same_etags_and_order()
    {
        await store.SaveAsync(Id("old"), Bodies.Of("{\"v\":1}"), Precondition.None, default);
        File.SetLastWriteTimeUtc(root.File("old.json"), DateTime.UtcNow.AddHours(-1));
        store.Dispose();
        using var reopened = harness.CreateStore(root.Path);
        await reopened.OpenAsync(default);
        await reopened.SaveAsync(Id("new"), Bodies.Of("{\"v\":2}"), Precondition.None, default);

        Assert.Equal(["new", "old"], reopened.List().Select(s => s.Id));
        Assert.Equal(ETags.FromHash(ContentHash.Of("{\"v\":1}"u8)), reopened.Find(Id("old"))!.ETag);
    }

    [Fact]
    public async Task A_second_store_on_the_same_root_fails_fast_and_clearly()
    {
        using var second = harness.CreateStore(root.Path);

        var error = await Assert.ThrowsAsync<StorageRootInUseException>(() => second.OpenAsync(default));

        Assert.Contains(root.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnostics_report_mode_counters_and_free_space()
    {
        await store.SaveAsync(Id("a"), Bodies.Of("{}"), Precondition.None, default);

        var diagnostics = store.GetDiagnostics();

        Assert.Equal(WriteMode.AtomicRename, diagnostics.WriteMode);
        Assert.Equal(1, diagnostics.Counters["saves"]);
        Assert.Equal(1, diagnostics.SessionCount);
        Assert.True(diagnostics.FreeBytes > 0);
        Assert.Equal(root.Path, diagnostics.Root);
        Assert.Contains("\"saves\":1", JsonSerializer.Serialize(diagnostics.Counters), StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        store?.Dispose();
        harness.Dispose();
        root.Dispose();
    }
}
