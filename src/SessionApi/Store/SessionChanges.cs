using Microsoft.Extensions.Options;

namespace SessionApi.Store;

/// <summary>
/// The store's change feed: every durable save and every delete, numbered in the order they happened,
/// handed to each watcher and kept (the latest <see cref="ChangeFeedOptions.ReplayCapacity"/>) for
/// watchers that reconnect. Publishing never waits: each watcher has a bounded queue, and a watcher
/// whose queue is full is dropped (it must list again) rather than slowing the save that published.
/// </summary>
public sealed class SessionChanges
{
    // One lock orders everything: a change gets its number, enters the replay buffer and every
    // watcher's queue at once, so a new watcher's missed changes and its live changes neither overlap
    // nor leave a gap. It is held for a few non-blocking queue writes per change, never for I/O.
    private readonly Lock gate = new();
    private readonly SessionChange?[] recent;
    private readonly int watcherCapacity;
    private readonly List<ChangeSubscription> watchers = [];
    private long sequence;

    public SessionChanges(IOptions<ChangeFeedOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        recent = new SessionChange?[options.Value.ReplayCapacity];
        watcherCapacity = options.Value.WatcherCapacity;

        // Random.Shared, not a cryptographic generator: the run only has to differ from the previous
        // runs a client may remember, and the cryptographic one would load OpenSSL (resident memory).
        Run = Random.Shared.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>This server run's name in every <see cref="ChangePosition"/>.</summary>
    public string Run { get; }

    /// <summary>The position of the latest change.</summary>
    public ChangePosition Current
    {
        get
        {
            lock (gate)
            {
                return new ChangePosition(Run, sequence);
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
            var subscription = new ChangeSubscription(this, watcherCapacity, new ChangePosition(Run, sequence), missed, reset);
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
            for (var i = watchers.Count - 1; i >= 0; i--)
            {
                if (!watchers[i].TryDeliver(change))
                {
                    watchers.RemoveAt(i);
                }
            }
        }
    }

    private ResetReason? Resume(string? resumeFrom, out SessionChange[] missed)
    {
        missed = [];
        if (resumeFrom is null)
        {
            return ResetReason.New;
        }

        if (!ChangePosition.TryParse(resumeFrom, out var from) || from.Run != Run || from.Sequence > sequence || from.Sequence < 0)
        {
            return ResetReason.Unknown;
        }

        var count = sequence - from.Sequence;
        if (count > recent.Length)
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
