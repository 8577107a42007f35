
using System.Text;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Store;

/// <summary>Reads through the store: whole or streamed, and the read cache never serving a stale version.</summary>
public sealed class SessionReadTests : IDisposable
{
    private readonly TempRoot root = new();
    private readonly WriterHarness harness = new();
    private readonly List<SessionStore> stores = [];

    private async Task<SessionStore> OpenAsync(long readCacheBytes = 4L * 1024 * 1024)
    {
        var store = harness.CreateStore(root.Path, readCacheBytes: readCacheBytes);
        stores.Add(store);
        await store.OpenAsync(default);
        return store;
    }

    private static Task<SaveResult> SaveAsync(SessionStore store, string id, string json) =>
        store.SaveAsync(Id(id), Bodies.Of(json), Precondition.None, default);

    [Theory]
    [InlineData(4L * 1024 * 1024)]
    [InlineData(0)]
    public async Task A_read_after_a_save_or_delete_sees_the_new_state_even_when_the_old_bytes_were_cached(long readCacheBytes)
    {
        var store = await OpenAsync(readCacheBytes);
        await SaveAsync(store, "s", "{\"v\":1}");
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString((await store.ReadAsync(Id("s"), default))!.Content!));
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString((await store.ReadAsync(Id("s"), default))!.Content!));

        var saved = await SaveAsync(store, "s", "{\"v\":2}");
        var read = (await store.ReadAsync(Id("s"), default))!;
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(read.Content!));
        Assert.Equal(saved.Session!.ETag, read.Session.ETag);

        Assert.Equal(DeleteResult.Deleted, await store.DeleteAsync(Id("s"), Precondition.None, default));
        Assert.Null(await store.ReadAsync(Id("s"), default));
    }

    [Fact]
    public async Task A_cached_read_does_not_wait_for_a_save_in_flight_and_returns_the_version_before_it()
    {
        var store = await OpenAsync();
        await SaveAsync(store, "s", "{\"v\":1}");
        await store.ReadAsync(Id("s"), default); // now cached

        // A save whose body has not arrived holds the session's lock.
        var gate = new TaskCompletionSource();
        var inFlight = store.SaveAsync(Id("s"), new GatedStream(Encoding.UTF8.GetBytes("{\"v\":2}"), gate.Task), Precondition.None, default);

        var read = store.ReadAsync(Id("s"), default);
        Assert.True(read.IsCompleted, "a cached read waited for the session's lock");
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString((await read)!.Content!));

        gate.SetResult();
        await inFlight;
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString((await store.ReadAsync(Id("s"), default))!.Content!));
    }

    [Fact]
    public async Task Without_the_cache_a_read_waits_for_the_save_in_flight()
    {
        var store = await OpenAsync(readCacheBytes: 0);
        await SaveAsync(store, "s", "{\"v\":1}");
        var gate = new TaskCompletionSource();
        var body = new GatedStream(Encoding.UTF8.GetBytes("{\"v\":2}"), gate.Task);
        var inFlight = store.SaveAsync(Id("s"), body, Precondition.None, default);
        await body.ReadStarted; // the save holds the session's lock

        // Without the lock a read is synchronous (index, then file): still running when the call
        // returns means it waits for the lock, and what it returns is the save's version, not v1.
        var read = store.ReadAsync(Id("s"), default);
        Assert.False(read.IsCompleted, "a read did not wait for the save in flight");

        gate.SetResult();
        var saved = await inFlight;
        var result = (await read)!;
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(result.Content!));
        Assert.Equal(saved.Session!.ETag, result.Session.ETag);
    }

    [Fact]
    public async Task Documents_over_64_KiB_stream_under_the_session_lock_and_are_not_cached()
    {
        var store = await OpenAsync();
        var big = Bodies.Session(SessionReader.WholeReadLimit + 10_000);
        await store.SaveAsync(Id("big"), new MemoryStream(big), Precondition.None, default);

        var read = (await store.ReadAsync(Id("big"), default))!;
        Assert.Null(read.Content);
        var lease = read.Lease!;
        using (var copy = new MemoryStream())
        {
            await lease.Content.CopyToAsync(copy);
            Assert.Equal(big, copy.ToArray());
        }

        // The lease holds the lock: a save of the same session waits until it is disposed. A save
        // that gets the lock reads its body at once, in the call (the store stages before its first
        // wait): a body not read when the call returns is a save waiting for the lock.
        var body = new GatedStream(Encoding.UTF8.GetBytes("{}"), Task.CompletedTask);
        var save = store.SaveAsync(Id("big"), body, Precondition.None, default);
        Assert.False(body.ReadStarted.IsCompleted, "a save got the session's lock while a streamed read held it");
        Assert.False(save.IsCompleted);
        await lease.DisposeAsync();
        await save;
        Assert.True(body.ReadStarted.IsCompleted);

        Assert.Equal("{}", Encoding.UTF8.GetString((await store.ReadAsync(Id("big"), default))!.Content!));
    }

    public void Dispose()
    {
        foreach (var store in stores)
        {
            store.Dispose();
        }

        harness.Dispose();
        root.Dispose();
    }
}
