using System.Text;
using Microsoft.Extensions.Options;
using SessionApi.Storage.Changes;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.ChangeFeedTraffic;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Store;

/// <summary>The store's change feed: numbering, replay, resets and dropping a watcher that falls behind.</summary>
public sealed class SessionChangesTests
{
    // Each change handed over the moment it is published; the batches have tests of their own (ChangeBatchingTests).
    private static SessionChanges Feed(int replay = 8, int watcher = 4) =>
        new(Options.Create(new ChangeFeedOptions { ReplayCapacity = replay, WatcherCapacity = watcher, DeliveryDelay = TimeSpan.Zero }), TimeProvider.System);

    [Fact]
    public void A_new_watcher_is_told_to_list_and_then_gets_every_later_change_in_order()
    {
        var feed = Feed();
        Save(feed, "before");
        using var watcher = feed.Subscribe(resumeFrom: null);
        Assert.Equal(ResetReason.New, watcher.Reset);
        Assert.Equal(new ChangePosition(feed.Run, 1), watcher.Start);
        Assert.Empty(watcher.Missed);

        Save(feed, "a");
        feed.Publish(SessionChangeKind.Deleted, Id("a"), null);
        Assert.Equal([(2L, SessionChangeKind.Saved, "a"), (3L, SessionChangeKind.Deleted, "a")],
            Drain(watcher).Select(c => (c.Sequence, c.Kind, c.Id.Value)));
    }

    [Fact]
    public void A_watcher_that_resumes_gets_exactly_what_it_missed_then_the_live_changes()
    {
        var feed = Feed(replay: 8);
        using (var first = feed.Subscribe(null))
        {
            Save(feed, "seen");
        }

        var seen = new ChangePosition(feed.Run, 1).ToString();
        Save(feed, "m1");
        Save(feed, "m2");
        using var again = feed.Subscribe(seen);
        Assert.Null(again.Reset);
        Assert.Equal(["m1", "m2"], again.Missed.Select(c => c.Id.Value));
        Assert.Equal([2L, 3L], again.Missed.Select(c => c.Sequence));

        Save(feed, "live");
        Assert.Equal([4L], Drain(again).Select(c => c.Sequence));
    }

    [Fact]
    public void Resuming_from_the_latest_change_misses_nothing()
    {
        var feed = Feed();
        Save(feed, "a");
        using var watcher = feed.Subscribe(feed.Current.ToString());
        Assert.Null(watcher.Reset);
        Assert.Empty(watcher.Missed);
    }

    [Fact]
    public void Missing_more_than_the_replay_buffer_holds_is_a_reset()
    {
        var feed = Feed(replay: 4);
        Save(feed, "seen");
        var seen = feed.Current.ToString();
        for (var i = 0; i < 4; i++)
        {
            Save(feed, $"m{i}");
        }

        using (var exactlyKept = feed.Subscribe(seen))
        {
            // Four missed, four kept: still a resume.
            Assert.Null(exactlyKept.Reset);
            Assert.Equal(["m0", "m1", "m2", "m3"], exactlyKept.Missed.Select(c => c.Id.Value));
        }

        Save(feed, "m4");
        using var tooLate = feed.Subscribe(seen);
        Assert.Equal(ResetReason.Expired, tooLate.Reset);
        Assert.Empty(tooLate.Missed);
        Assert.Equal(feed.Current, tooLate.Start);
    }

    [Theory]
    [InlineData("0123456789abcdef-1")] // another run
    [InlineData("garbage")]
    [InlineData("-5")]
    [InlineData("")]
    public void A_position_of_another_run_or_no_position_at_all_is_a_reset(string resumeFrom)
    {
        var feed = Feed();
        Save(feed, "a");
        using var watcher = feed.Subscribe(resumeFrom);
        Assert.Equal(ResetReason.Unknown, watcher.Reset);
    }

    [Fact]
    public void A_position_ahead_of_this_run_is_a_reset()
    {
        var feed = Feed();
        Save(feed, "a");
        using var watcher = feed.Subscribe(new ChangePosition(feed.Run, 2).ToString());
        Assert.Equal(ResetReason.Unknown, watcher.Reset);
    }

    [Fact]
    public void Two_runs_have_different_names()
    {
        Assert.NotEqual(Feed().Run, Feed().Run);
    }

    [Fact]
    public void A_watcher_that_falls_behind_is_dropped_without_holding_up_the_publisher_or_the_others()
    {
        var feed = Feed(watcher: 4);
        using var stuck = feed.Subscribe(null);
        using var reading = feed.Subscribe(null);
        var received = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            Save(feed, $"s{i}"); // never blocks: the stuck watcher's queue is full after 4
            received.AddRange(Drain(reading).Select(c => c.Sequence));
        }

        Assert.True(stuck.Overflowed);
        Assert.Equal([1L, 2L, 3L, 4L], Drain(stuck).Select(c => c.Sequence)); // what fit, then nothing
        Assert.True(stuck.Changes.Completion.IsCompleted);
        Assert.False(reading.Overflowed);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), received);
        Assert.Equal(1, feed.WatcherCount);
    }

    [Fact]
    public void A_disposed_watcher_is_no_longer_fed()
    {
        var feed = Feed();
        var watcher = feed.Subscribe(null);
        Assert.Equal(1, feed.WatcherCount);
        watcher.Dispose();
        Assert.Equal(0, feed.WatcherCount);
        Save(feed, "a");
        Assert.Empty(Drain(watcher));
    }

    [Fact]
    public async Task The_store_publishes_a_save_once_it_is_durable_and_a_delete_once_it_is_done()
    {
        using var root = new TempRoot();
        using var harness = new WriterHarness();
        var feed = Feed();
        using var store = harness.CreateStore(root.Path, changes: feed);
        await store.OpenAsync(default);
        using var watcher = feed.Subscribe(null);
        var id = Id("chat");

        var saved = await store.SaveAsync(id, new MemoryStream("{\"a\":1}"u8.ToArray()), Precondition.None, default);
        var change = Assert.Single(Drain(watcher));
        Assert.Equal(SessionChangeKind.Saved, change.Kind);
        Assert.Equal(saved.Session, change.Session);
        Assert.Equal("{\"a\":1}", await File.ReadAllTextAsync(root.File("chat.json"))); // on disk when published

        // Refused saves and deletes change nothing, so they publish nothing.
        await Assert.ThrowsAsync<SessionStoreException>(() => store.SaveAsync(id, new MemoryStream("[1]"u8.ToArray()), Precondition.None, default));
        Assert.Equal(SaveOutcome.PreconditionFailed, (await store.SaveAsync(id, new MemoryStream(Encoding.UTF8.GetBytes("{}")), Precondition.IfNoneMatch(), default)).Outcome);
        Assert.Empty(Drain(watcher));

        Assert.Equal(DeleteResult.Deleted, await store.DeleteAsync(id, Precondition.None, default));
        Assert.False(File.Exists(root.File("chat.json")));
        change = Assert.Single(Drain(watcher));
        Assert.Equal((SessionChangeKind.Deleted, "chat", 2L), (change.Kind, change.Id.Value, change.Sequence));
    }

    [Fact]
    public async Task A_session_deleted_behind_the_stores_back_is_published_as_deleted_when_found_missing()
    {
        using var root = new TempRoot();
        using var harness = new WriterHarness();
        var feed = Feed();
        using var store = harness.CreateStore(root.Path, readCacheBytes: 0, changes: feed);
        await store.OpenAsync(default);
        await store.SaveAsync(Id("gone"), new MemoryStream("{}"u8.ToArray()), Precondition.None, default);
        using var watcher = feed.Subscribe(feed.Current.ToString());

        File.Delete(root.File("gone.json"));
        Assert.Null(await store.ReadAsync(Id("gone"), default));
        var change = Assert.Single(Drain(watcher));
        Assert.Equal((SessionChangeKind.Deleted, "gone"), (change.Kind, change.Id.Value));
    }
}
