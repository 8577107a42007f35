using System.Text;
using SessionApi.Store;
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
        var inFlight = store.SaveAsync(Id("s"), new GatedStream(Encoding.UTF8.GetBytes("{\"v\":2}"), gate.Task), Precondition.None, default);

        var read = store.ReadAsync(Id("s"), default);
        await Task.Delay(50);
        Assert.False(read.IsCompleted);

        gate.SetResult();
        await inFlight;
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString((await read)!.Content!));
    }

    [Fact]
    public async Task Documents_over_64_KiB_stream_under_the_session_lock_and_are_not_cached()
    {
        var store = await OpenAsync();
        var big = Bodies.Session(SessionStore.WholeReadLimit + 10_000);
        await store.SaveAsync(Id("big"), new MemoryStream(big), Precondition.None, default);

        var read = (await store.ReadAsync(Id("big"), default))!;
        Assert.Null(read.Content);
        var lease = read.Lease!;
        using (var copy = new MemoryStream())
        {
            await lease.Content.CopyToAsync(copy);
            Assert.Equal(big, copy.ToArray());
        }

        // The lease holds the lock: a save of the same session waits until it is disposed.
        var save = store.SaveAsync(Id("big"), Bodies.Of("{}"), Precondition.None, default);
        await Task.Delay(50);
        Assert.False(save.IsCompleted);
        await lease.DisposeAsync();
        await save;

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
