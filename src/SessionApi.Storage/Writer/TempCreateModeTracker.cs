namespace SessionApi.Storage.Writer;

/// <summary>
/// Remembers, for the root this process writes, that exclusive creates of temp files were refused,
/// as <see cref="WriteModeTracker"/> remembers refused renames: once switched, temps are created
/// without exclusivity, and after <c>reprobeInterval</c> one save tries exclusive create again
/// (the root may have been moved out of the virtualized folder meanwhile). Diagnostics shows
/// <see cref="TempCreateMode.NonExclusive"/> until an exclusive create succeeds again.
/// </summary>
internal sealed class TempCreateModeTracker(TimeProvider timeProvider, TimeSpan reprobeInterval)
{
    private readonly Lock gate = new();
    private TempCreateMode mode = TempCreateMode.Exclusive;
    private DateTimeOffset refusedAt;

    public TempCreateMode Current
    {
        get
        {
            lock (gate)
            {
                return mode;
            }
        }
    }

    /// <summary>Whether the next temp should be created exclusively: always, unless refusals are recent.</summary>
    public bool ShouldTryExclusive
    {
        get
        {
            lock (gate)
            {
                return mode == TempCreateMode.Exclusive || timeProvider.GetUtcNow() - refusedAt >= reprobeInterval;
            }
        }
    }

    /// <summary>Exclusive creates of fresh names kept being refused: switch (or stay switched) and restart the reprobe clock.</summary>
    public void RecordRefused()
    {
        lock (gate)
        {
            mode = TempCreateMode.NonExclusive;
            refusedAt = timeProvider.GetUtcNow();
        }
    }

    public void RecordExclusiveSucceeded()
    {
        lock (gate)
        {
            mode = TempCreateMode.Exclusive;
        }
    }
}
