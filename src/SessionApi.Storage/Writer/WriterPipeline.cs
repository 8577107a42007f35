using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;
using Polly.Timeout;

namespace SessionApi.Storage.Writer;

/// <summary>
/// The Polly pipeline around "replace the target with the staged temp file". Outermost first:
/// <list type="number">
/// <item>timeout: the retry budget of one replace;</item>
/// <item>retry: transient errors (sharing/lock violations, EBUSY, EAGAIN, EINTR, passing access
/// denied) with exponential backoff and jitter — delays, never a busy-wait;</item>
/// <item>fallback: rename refused as cross-device, or skipped by the open circuit, becomes the
/// verified copy (<see cref="VerifiedCopy"/>);</item>
/// <item>circuit breaker: once rename keeps being refused, skip it and probe again after
/// <see cref="WriterOptions.RenameReprobeInterval"/>;</item>
/// <item>the rename itself.</item>
/// </list>
/// Fatal errors (disk full, read-only, I/O error) pass straight through every strategy.
/// </summary>
internal static class WriterPipeline
{
    public const string Name = "sessionapi-writer";
    public const string DeleteName = "sessionapi-delete";

    internal static readonly ResiliencePropertyKey<StagedDocument> StagedDocumentKey = new("sessionapi.staged-document");
    internal static readonly ResiliencePropertyKey<Exception> LastTransientErrorKey = new("sessionapi.last-transient-error");

    /// <remarks>
    /// IL3050 (Native AOT publish only) is suppressed: Polly validates each strategy's options with
    /// DataAnnotations and keeps every member of the generic options types for it (RetryStrategyOptions,
    /// FallbackStrategyOptions and CircuitBreakerStrategyOptions of <see cref="WriteMode"/>); the
    /// compiler then charges the Enum.GetValues(Type) reachable from that kept code to this call site,
    /// once per generic strategy. No enum array is built when the pipeline is: the AOT binary builds
    /// both pipelines and saves through them in the black-box suites (http/run.sh, the TypeScript lane).
    /// </remarks>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Polly's options validation keeps reflection-reachable Enum.GetValues(Type) on its generic options; it is not called when the pipeline is built (the AOT binary is tested end to end).")]
    internal static void Configure(
        ResiliencePipelineBuilder<WriteMode> builder,
        WriterOptions options,
        WriteModeTracker tracker,
        WriterCounters counters)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(counters);

        builder
            .AddTimeout(RetryBudget(options))
            .AddRetry(TransientRetry<RetryStrategyOptions<WriteMode>, WriteMode>(options, counters))
            .AddFallback(new FallbackStrategyOptions<WriteMode>
            {
                Name = "cross-device-fallback",
                ShouldHandle = new PredicateBuilder<WriteMode>()
                    .Handle<BrokenCircuitException>()
                    .Handle<Exception>(e => IsKind(e, StorageFailureKind.CrossDevice)),
                FallbackAction = async args =>
                {
                    var staged = args.Context.Properties.GetValue(StagedDocumentKey, null!);
                    if (staged.BeforeInPlaceCopy is { } beforeInPlaceCopy)
                    {
                        await beforeInPlaceCopy().ConfigureAwait(false);
                    }

                    return Outcome.FromResult(VerifiedCopy.Replace(staged));
                },
                OnFallback = _ =>
                {
                    counters.CrossDeviceFallback();
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<WriteMode>
            {
                Name = "rename-breaker",
                ShouldHandle = new PredicateBuilder<WriteMode>().Handle<Exception>(e => IsKind(e, StorageFailureKind.CrossDevice)),
                // Two refusals in a row (or half of the renames in ten minutes) mean the root is virtualized.
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromMinutes(10),
                BreakDuration = options.RenameReprobeInterval,
                StateProvider = tracker.RenameCircuit,
            });
    }

    /// <summary>The replace pipeline with its dependencies taken from DI (the registration in <see cref="WriterServiceCollectionExtensions"/>).</summary>
    public static void Configure(ResiliencePipelineBuilder<WriteMode> builder, IServiceProvider services) =>
        Configure(
            builder,
            services.GetRequiredService<IOptions<WriterOptions>>().Value,
            services.GetRequiredService<WriteModeTracker>(),
            services.GetRequiredService<WriterCounters>());

    /// <summary>The pipeline around deleting a document: the same retry budget and transient retry, nothing else.</summary>
    internal static void ConfigureDelete(ResiliencePipelineBuilder builder, WriterOptions options, WriterCounters counters)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        builder
            .AddTimeout(RetryBudget(options))
            .AddRetry(TransientRetry<RetryStrategyOptions, object>(options, counters));
    }

    private static TimeoutStrategyOptions RetryBudget(WriterOptions options) =>
        new() { Name = "retry-budget", Timeout = options.RetryBudget };

    /// <summary>
    /// Transient errors only, exponential backoff with jitter (delays, never a busy-wait), as many
    /// attempts as the retry budget around it allows; the last error is kept for the failure report.
    /// </summary>
    private static TOptions TransientRetry<TOptions, TResult>(WriterOptions options, WriterCounters counters)
        where TOptions : RetryStrategyOptions<TResult>, new() => new()
    {
        Name = "transient-retry",
        ShouldHandle = new PredicateBuilder<TResult>().Handle<Exception>(e => IsKind(e, StorageFailureKind.Transient)),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.FirstRetryDelay,
        MaxDelay = options.MaxRetryDelay,
        MaxRetryAttempts = int.MaxValue, // bounded by the retry budget
        OnRetry = args =>
        {
            counters.Retry();
            args.Context.Properties.Set(LastTransientErrorKey, args.Outcome.Exception!);
            return default;
        },
    };

    /// <summary>Whether an exception from the pipeline is of the given kind, looking through the copy's wrapper.</summary>
    public static bool IsKind(Exception exception, StorageFailureKind kind) => OsErrorClassifier.Classify(exception) == kind;
}
