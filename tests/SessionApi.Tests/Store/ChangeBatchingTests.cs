using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SessionApi.Storage.Changes;
using static SessionApi.Tests.Support.ChangeFeedTraffic;

namespace SessionApi.Tests.Store;

/// <summary>The change feed's batches, on a fake clock: changes close together handed over together, the longest delay, and what waits meanwhile.</summary>
public sealed class ChangeBatchingTests
{
    private static SessionChanges BatchingFeed(FakeTimeProvider time, int replay = 8) =>
        new(Options.Create(new ChangeFeedOptions { ReplayCapacity = replay, DeliveryDelay = TimeSpan.FromMilliseconds(2), MaxDeliveryDelay = TimeSpan.FromMilliseconds(10) }), time);

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
