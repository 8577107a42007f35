using Microsoft.Extensions.Options;
using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Changes;

/// <summary>
/// The store's change feed: every durable save and every delete, numbered in the order they happened,
/// handed to each watcher and kept (the latest <see cref="ChangeFeedOptions.ReplayCapacity"/>) for
/// watchers that reconnect. Publishing never waits: each watcher has a bounded queue, and a watcher
/// whose queue is full is dropped (it must list again) rather than slowing the save that published.
/// </summary>
/// <remarks>
/// Changes reach the watchers in batches: a change waits <see cref="ChangeFeedOptions.DeliveryDelay"/>
/// for more to follow, never longer than <see cref="ChangeFeedOptions.MaxDeliveryDelay"/> in all.
/// Handing a change to fifty windows costs fifty stream wake-ups and fifty socket writes: paid once
/// per save, on a small machine, it would slow every save of a busy window; paid once per batch it
/// costs little, and a few milliseconds are below anything a window can show.
/// </remarks>
public sealed class SessionChanges : IDisposable
{
    // One lock orders everything: a change gets its number and enters the replay buffer, and later
    // every watcher's queue, under it, so a new watcher's missed changes and its live changes neither
    // overlap nor leave a gap. It is held for a few non-blocking queue writes per change, never for I/O.
    private readonly Lock gate = new();
    private readonly SessionChange?[] recent;
    private readonly int watcherCapacity;
    private readonly List<ChangeSubscription> watchers = [];
    private readonly Queue<SessionChange> undelivered = new();
    private readonly TimeProvider timeProvider;
    private readonly TimeSpan deliveryDelay;
    private readonly TimeSpan maxDeliveryDelay;
    private readonly ITimer deliveryTimer;
    private long sequence;
    private long oldestUndeliveredAt;

    internal SessionChanges(IOptions<ChangeFeedOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        recent = new SessionChange?[options.Value.ReplayCapacity];
        watcherCapacity = options.Value.WatcherCapacity;
        deliveryDelay = options.Value.DeliveryDelay;
        maxDeliveryDelay = options.Value.MaxDeliveryDelay;
        this.timeProvider = timeProvider;
        deliveryTimer = timeProvider.CreateTimer(static state => ((SessionChanges)state!).DeliverBatch(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // Random.Shared, not a cryptographic generator: the run only has to differ from the previous
        // runs a client may remember, and the cryptographic one would load OpenSSL (resident memory).
        Run = Random.Shared.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>This server run's name in every <see cref="ChangePosition"/>.</summary>
    public string Run { get; }

    /// <summary>The position of the latest change handed to the watchers.</summary>
    public ChangePosition Current
    {
        get
        {
            lock (gate)
            {
                return new ChangePosition(Run, Delivered);
            }
        }
    }

    /// <summary>How many watchers are subscribed now.</summary>
    public int WatcherCount
    {
        get
        {
            lock (gate)
            {
                return watchers.Count;
            }
        }
    }

    /// <summary>
    /// Subscribes a watcher that last saw <paramref name="resumeFrom"/> (an event id it was given, or
    /// null for a new watcher). It gets the changes it missed, if this run still holds all of them,
    /// then every later change; otherwise <see cref="ChangeSubscription.Reset"/> says why it must list
    /// the sessions again, and it gets every change after the moment it subscribed.
    /// </summary>
    public ChangeSubscription Subscribe(string? resumeFrom)
    {
        lock (gate)
        {
            var reset = Resume(resumeFrom, out var missed);
            var subscription = new ChangeSubscription(this, watcherCapacity, new ChangePosition(Run, Delivered), missed, reset);
            watchers.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(ChangeSubscription subscription)
    {
        lock (gate)
        {
            watchers.Remove(subscription);
        }
    }

    /// <summary>Called by the store after the change is durable and in the index, under the session's lock.</summary>
    internal void Publish(SessionChangeKind kind, SessionId id, SessionInfo? session)
    {
        lock (gate)
        {
            var change = new SessionChange(++sequence, kind, id, session);
            recent[change.Sequence % recent.Length] = change;
            if (deliveryDelay <= TimeSpan.Zero)
            {
                Deliver(change);
                return;
            }

            var now = timeProvider.GetTimestamp();
            if (undelivered.Count == 0)
            {
                oldestUndeliveredAt = now;
            }

            undelivered.Enqueue(change);
            var untilLimit = maxDeliveryDelay - timeProvider.GetElapsedTime(oldestUndeliveredAt, now);
            deliveryTimer.Change(untilLimit < deliveryDelay ? TimeSpan.FromTicks(Math.Max(0, untilLimit.Ticks)) : deliveryDelay, Timeout.InfiniteTimeSpan);
        }
    }

    // The batch timer: every waiting change, in order.
    private void DeliverBatch()
    {
        lock (gate)
        {
            while (undelivered.TryDequeue(out var change))
            {
                Deliver(change);
            }
        }
    }

    // Under the lock, in order: every watcher subscribed when the change is handed over gets it.
    private void Deliver(SessionChange change)
    {
        for (var i = watchers.Count - 1; i >= 0; i--)
        {
            if (!watchers[i].TryDeliver(change))
            {
                watchers.RemoveAt(i);
            }
        }
    }

    public void Dispose() => deliveryTimer.Dispose();

    // The latest change handed to the watchers; a new watcher gets those after it live, with the batch.
    private long Delivered => sequence - undelivered.Count;

    private ResetReason? Resume(string? resumeFrom, out SessionChange[] missed)
    {
        missed = [];
        if (resumeFrom is null)
        {
            return ResetReason.New;
        }

        if (!ChangePosition.TryParse(resumeFrom, out var from) || from.Run != Run || from.Sequence > Delivered || from.Sequence < 0)
        {
            return ResetReason.Unknown;
        }

        // The missed changes come from the buffer, where the changes still waiting for the batch
        // (which reach the watcher live) hold places too: the oldest missed one must still be there.
        var count = Delivered - from.Sequence;
        if (count > 0 && sequence - from.Sequence > recent.Length)
        {
            return ResetReason.Expired;
        }

        missed = new SessionChange[count];
        for (var i = 0; i < count; i++)
        {
            missed[i] = recent[(from.Sequence + 1 + i) % recent.Length]!;
        }

        return null;
    }
}
