
using SessionApi.Storage.Store;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Store;

public sealed class DocumentCacheTests
{
    [Fact]
    public void An_entry_is_served_only_for_the_etag_it_was_read_with()
    {
        var cache = new DocumentCache(1024);
        cache.Add(Id("a"), "\"v1\"", [1, 2, 3]);

        Assert.True(cache.TryGet(Id("a"), "\"v1\"", out var content));
        Assert.Equal([1, 2, 3], content);
        Assert.False(cache.TryGet(Id("a"), "\"v2\"", out _));
        Assert.False(cache.TryGet(Id("b"), "\"v1\"", out _));
    }

    [Fact]
    public void Past_its_capacity_the_oldest_entries_go_first()
    {
        var cache = new DocumentCache(300);
        cache.Add(Id("a"), "\"1\"", new byte[100]);
        cache.Add(Id("b"), "\"1\"", new byte[100]);
        cache.Add(Id("c"), "\"1\"", new byte[100]);
        cache.Add(Id("d"), "\"1\"", new byte[100]);

        Assert.False(cache.TryGet(Id("a"), "\"1\"", out _));
        Assert.True(cache.TryGet(Id("b"), "\"1\"", out _));
        Assert.True(cache.TryGet(Id("d"), "\"1\"", out _));
        Assert.Equal(300, cache.SizeInBytes);
    }

    [Fact]
    public void A_replaced_entry_counts_until_it_ages_out_and_its_eviction_keeps_the_newer_one()
    {
        var cache = new DocumentCache(250);
        cache.Add(Id("a"), "\"1\"", new byte[100]);
        cache.Add(Id("a"), "\"2\"", new byte[100]); // the first array is still referenced by the queue
        Assert.Equal(200, cache.SizeInBytes);

        cache.Add(Id("b"), "\"1\"", new byte[100]); // evicts a@1, which must not take a@2 with it
        Assert.True(cache.TryGet(Id("a"), "\"2\"", out _));
        Assert.True(cache.TryGet(Id("b"), "\"1\"", out _));
        Assert.Equal(200, cache.SizeInBytes);
    }

    [Fact]
    public void Nothing_larger_than_the_capacity_is_kept_and_zero_turns_it_off()
    {
        var small = new DocumentCache(10);
        small.Add(Id("a"), "\"1\"", new byte[11]);
        Assert.False(small.TryGet(Id("a"), "\"1\"", out _));

        var off = new DocumentCache(0);
        off.Add(Id("a"), "\"1\"", [1]);
        Assert.False(off.TryGet(Id("a"), "\"1\"", out _));
        Assert.Equal(0, off.SizeInBytes);
    }

    [Fact]
    public void Remove_drops_the_entry()
    {
        var cache = new DocumentCache(100);
        cache.Add(Id("a"), "\"1\"", [1]);
        cache.Remove(Id("a"));
        Assert.False(cache.TryGet(Id("a"), "\"1\"", out _));
    }
}
