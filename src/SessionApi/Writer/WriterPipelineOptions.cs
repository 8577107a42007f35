using Polly;

namespace SessionApi.Writer;

/// <summary>Tuning of the writer's resilience pipeline.</summary>
public sealed class WriterPipelineOptions
{
    /// <summary>How long one replace may keep retrying transient errors.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay; doubles each time, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long rename stays skipped after it was refused as cross-device, before it is probed again.</summary>
    public TimeSpan RenameReprobeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Strategies appended innermost, around the rename itself. Tests put Polly chaos strategies here
    /// to produce the errors only Windows produces; production leaves it null.
    /// </summary>
    public Action<ResiliencePipelineBuilder<WriteMode>>? ConfigureInnermost { get; set; }
}
