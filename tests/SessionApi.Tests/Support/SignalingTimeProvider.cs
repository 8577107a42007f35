using Microsoft.Extensions.Time.Testing;

namespace SessionApi.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells when the code under test starts waiting on it:
/// <see cref="NextTimerStarted"/> completes when a timer is next given a due time (a
/// <c>Task.Delay</c>, a <c>CancellationTokenSource</c> timeout, a re-armed timer). A test advances
/// the clock once the code waits on it, instead of advancing blindly and pausing in real time
/// for the released continuations to reach their next wait.
/// </summary>
public sealed class SignalingTimeProvider : FakeTimeProvider
{
    private readonly Lock gate = new();
    private TaskCompletionSource started = NewSignal();

    public SignalingTimeProvider()
    {
    }

    public SignalingTimeProvider(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    /// <summary>Completes when a timer is started after this call (or during the call that released it).</summary>
    public Task NextTimerStarted()
    {
        lock (gate)
        {
            return started.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Started();
        }

        return timer;
    }

    private void Started()
    {
        TaskCompletionSource done;
        lock (gate)
        {
            done = started;
            started = NewSignal();
        }

        done.TrySetResult();
    }

    // Asynchronous continuations: the test resumes on its own, never inside the code that started the timer.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class ObservedTimer(ITimer inner, SignalingTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            if (changed && dueTime != Timeout.InfiniteTimeSpan)
            {
                owner.Started();
            }

            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
