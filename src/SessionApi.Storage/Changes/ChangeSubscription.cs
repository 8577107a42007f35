using System.Threading.Channels;

namespace SessionApi.Storage.Changes;

/// <summary>
/// One watcher of <see cref="SessionChanges"/>: the changes it missed, then its live changes through a
/// bounded queue. Dispose it when the watcher goes away.
/// </summary>
public sealed class ChangeSubscription : IDisposable
{
    private readonly SessionChanges owner;
    private readonly Channel<SessionChange> queue;
    private volatile bool overflowed;

    internal ChangeSubscription(SessionChanges owner, int capacity, ChangePosition start, IReadOnlyList<SessionChange> missed, ResetReason? reset)
    {
        this.owner = owner;
        Start = start;
        Missed = missed;
        Reset = reset;
        queue = Channel.CreateBounded<SessionChange>(new BoundedChannelOptions(capacity)
        {
            // Written only under the feed's lock; read by the one stream that serves this watcher.
            SingleWriter = true,
            SingleReader = true,

            // Never run the reader's continuation on the publishing (saving) thread.
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>The position of the latest change when the watcher subscribed.</summary>
    public ChangePosition Start { get; }

    /// <summary>The changes after the position it resumed from, up to <see cref="Start"/>, in order (empty after a reset).</summary>
    public IReadOnlyList<SessionChange> Missed { get; }

    /// <summary>Set when the watcher could not resume and must list the sessions again.</summary>
    public ResetReason? Reset { get; }

    /// <summary>Every change after <see cref="Start"/>. Completes when the watcher overflowed (<see cref="Overflowed"/>).</summary>
    public ChannelReader<SessionChange> Changes => queue.Reader;

    /// <summary>True once the watcher fell behind by more than its queue holds: its changes stop, it must list again.</summary>
    public bool Overflowed => overflowed;

    /// <summary>Called under the feed's lock; false when the queue was full and the watcher is now dropped.</summary>
    internal bool TryDeliver(SessionChange change)
    {
        if (queue.Writer.TryWrite(change))
        {
            return true;
        }

        overflowed = true;
        queue.Writer.TryComplete();
        return false;
    }

    public void Dispose() => owner.Unsubscribe(this);
}
