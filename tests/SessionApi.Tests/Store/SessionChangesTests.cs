using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionApi.Store;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Store;

/// <summary>The store's change feed: numbering, replay, resets and dropping a watcher that falls behind.</summary>
public sealed class SessionChangesTests
{
    // Each change handed over the moment it is published; the batches have tests of their own below.
    private static SessionChanges Feed(int replay = 8, int watcher = 4) =>
        new(Options.Create(new ChangeFeedOptions { ReplayCapacity = replay, WatcherCapacity = watcher, DeliveryDelay = TimeSpan.Zero }), TimeProvider.System);

    private static SessionChanges BatchingFeed(FakeTimeProvider time, int replay = 8) =>
        new(Options.Create(new ChangeFeedOptions { ReplayCapacity = replay, DeliveryDelay = TimeSpan.FromMilliseconds(2), MaxDeliveryDelay = TimeSpan.FromMilliseconds(10) }), time);

    private static SessionId Id(string value) => SessionId.TryParse(value, out var id) ? id : throw new ArgumentException(value);

    private static void Save(SessionChanges feed, string id) =>
        feed.Publish(SessionChangeKind.Saved, Id(id), new SessionInfo(id, 2, DateTimeOffset.UnixEpoch, "\"e\""));

    private static List<SessionChange> Drain(ChangeSubscription subscription)
    {
        var changes = new List<SessionChange>();
        while (subscription.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }

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

    [Fact]
    public void Changes_published_close_together_reach_the_watchers_together_once_none_follows_for_the_delay()
    {
        var time = new FakeTimeProvider();
        using var feed = BatchingFeed(time);
        using var watcher = feed.Subscribe(null);

        Save(feed, "a");
        time.Advance(TimeSpan.FromMilliseconds(1.5));
        Save(feed, "b"); // within the delay: a waits for b
        time.Advance(TimeSpan.FromMilliseconds(1.5));
        Assert.Empty(Drain(watcher));
        Assert.Equal(new ChangePosition(feed.Run, 0), feed.Current); // nothing handed over yet

        time.Advance(TimeSpan.FromMilliseconds(0.5)); // 2 ms after b
        Assert.Equal([1L, 2L], Drain(watcher).Select(c => c.Sequence));
        Assert.Equal(new ChangePosition(feed.Run, 2), feed.Current);

        Save(feed, "c"); // alone: handed over after the delay
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal([3L], Drain(watcher).Select(c => c.Sequence));
    }

    [Fact]
    public void A_steady_stream_of_changes_is_handed_over_no_later_than_the_longest_delay()
    {
        var time = new FakeTimeProvider();
        using var feed = BatchingFeed(time);
        using var watcher = feed.Subscribe(null);

        var handedOverAt = new List<(int Millisecond, long[] Sequences)>();
        for (var ms = 0; ms < 25; ms++)
        {
            Save(feed, $"s{ms}"); // one change every millisecond: never 2 ms without one
            time.Advance(TimeSpan.FromMilliseconds(1));
            if (Drain(watcher) is { Count: > 0 } batch)
            {
                handedOverAt.Add((ms + 1, batch.Select(c => c.Sequence).ToArray()));
            }
        }

        // Every 10 ms, all that was published until then, in order.
        Assert.Equal([10, 20], handedOverAt.Select(b => b.Millisecond));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), handedOverAt[0].Sequences);
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), handedOverAt[1].Sequences);
    }

    [Fact]
    public void A_watcher_that_subscribes_while_changes_wait_gets_them_live_not_as_missed_and_not_twice()
    {
        var time = new FakeTimeProvider();
        using var feed = BatchingFeed(time);
        Save(feed, "a");
        time.Advance(TimeSpan.FromMilliseconds(2)); // 1 handed over
        Save(feed, "b"); // 2 waits

        using var fresh = feed.Subscribe(null);
        Assert.Equal(new ChangePosition(feed.Run, 1), fresh.Start); // a list now holds b too: seeing it again is harmless
        using var resumed = feed.Subscribe(new ChangePosition(feed.Run, 1).ToString());
        Assert.Null(resumed.Reset);
        Assert.Empty(resumed.Missed);
        using var behind = feed.Subscribe(new ChangePosition(feed.Run, 0).ToString());
        Assert.Equal([1L], behind.Missed.Select(c => c.Sequence));

        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal([2L], Drain(fresh).Select(c => c.Sequence));
        Assert.Equal([2L], Drain(resumed).Select(c => c.Sequence));
        Assert.Equal([2L], Drain(behind).Select(c => c.Sequence));
    }

    [Fact]
    public void Changes_waiting_for_the_batch_count_against_the_replay_buffer_only_when_some_were_missed()
    {
        var time = new FakeTimeProvider();
        using var feed = BatchingFeed(time, replay: 4);
        Save(feed, "seen");
        time.Advance(TimeSpan.FromMilliseconds(2));
        var seen = feed.Current.ToString(); // 1
        Save(feed, "missed"); // 2, handed over
        time.Advance(TimeSpan.FromMilliseconds(2));
        for (var i = 0; i < 3; i++)
        {
            Save(feed, $"w{i}"); // 3..5 wait; the buffer of 4 holds 2..5
        }

        using (var kept = feed.Subscribe(seen))
        {
            Assert.Null(kept.Reset);
            Assert.Equal([2L], kept.Missed.Select(c => c.Sequence));
        }

        Save(feed, "w3"); // 6 overwrites 2, the one missed
        using var expired = feed.Subscribe(seen);
        Assert.Equal(ResetReason.Expired, expired.Reset);

        // Missing nothing, a watcher needs nothing from the buffer, however many changes wait.
        using var current = feed.Subscribe(feed.Current.ToString());
        Assert.Null(current.Reset);
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal([3L, 4L, 5L, 6L], Drain(current).Select(c => c.Sequence));
    }
}
