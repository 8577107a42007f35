using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Writer;

/// <summary>
/// The errors only Windows produces (sharing violations, ERROR_NOT_SAME_DEVICE, ReplaceFile's
/// partial states, disk full), injected with Polly's chaos fault strategy right around the rename:
/// proves the classification and the order of the pipeline's strategies on any OS. The pipeline's
/// clock is a <see cref="FakeTimeProvider"/>: retry delays, the retry budget and the circuit's break
/// pass when the test advances it, not in real time.
/// </summary>
public sealed class ChaosPipelineTests : IDisposable
{
    private readonly TempRoot root = new();
    private readonly SignalingTimeProvider time = new();

    public static TheoryData<int> TransientWin32Errors => [32, 33, 5];

    [Theory]
    [MemberData(nameof(TransientWin32Errors))]
    public async Task Transient_windows_errors_are_retried_then_the_rename_succeeds(int win32Error)
    {
        var injected = 0;
        using var harness = new WriterHarness(time: time, chaos: builder => builder.AddChaosFault(new ChaosFaultStrategyOptions
        {
            EnabledGenerator = _ => ValueTask.FromResult(injected < 3),
            InjectionRate = 1,
            FaultGenerator = new FaultGenerator().AddException(() => Win32Error(win32Error)),
            OnFaultInjected = _ =>
            {
                injected++;
                return default;
            },
        }));

        var written = await AdvanceUntilDone(harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of("{\"v\":1}"), WriterHarness.Limits, default));

        Assert.Equal(WriteMode.AtomicRename, written.Mode);
        Assert.Equal(3, harness.Counters.Snapshot()["retries"]);
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Equal(["a.json"], root.Files());
    }

    [Theory]
    [InlineData(17)] // ERROR_NOT_SAME_DEVICE: MSIX virtualization
    [InlineData(1175)] // ERROR_UNABLE_TO_REMOVE_REPLACED
    [InlineData(1176)] // ERROR_UNABLE_TO_MOVE_REPLACEMENT
    [InlineData(1177)] // ERROR_UNABLE_TO_MOVE_REPLACEMENT_2
    public async Task Cross_device_refusals_switch_to_the_verified_copy(int win32Error)
    {
        using var harness = new WriterHarness(time: time, chaos: AlwaysFail(win32Error));
        await File.WriteAllTextAsync(root.File("a.json"), "{\"old\":\"a much longer previous version of the document\"}");

        var written = await harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of("{\"new\":1}"), WriterHarness.Limits, default);

        Assert.Equal(WriteMode.VerifiedCopy, written.Mode);
        Assert.Equal("{\"new\":1}", await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Equal(["a.json"], root.Files());
        Assert.Equal(1, harness.Counters.Snapshot()["crossDeviceFallbacks"]);
        Assert.Equal(WriteMode.VerifiedCopy, harness.Writer.CurrentMode);
    }

    [Fact]
    public async Task The_rename_circuit_opens_after_repeated_refusals_and_reprobes_after_the_break()
    {
        var renameAttempts = 0;
        var refuse = true;
        var reprobeInterval = TimeSpan.FromMinutes(5);
        using var harness = new WriterHarness(time: time, renameReprobeInterval: reprobeInterval, chaos: builder => builder.AddChaosFault(new ChaosFaultStrategyOptions
        {
            InjectionRate = 1,
            EnabledGenerator = _ =>
            {
                renameAttempts++;
                return ValueTask.FromResult(refuse);
            },
            FaultGenerator = new FaultGenerator().AddException(() => Win32Error(17)),
        }));

        for (var i = 0; i < 5; i++)
        {
            await harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of($"{{\"v\":{i}}}"), WriterHarness.Limits, default);
        }

        // Two refusals open the circuit; the other three saves go straight to the verified copy.
        Assert.Equal(2, renameAttempts);
        Assert.Equal(5, harness.Counters.Snapshot()["crossDeviceFallbacks"]);

        // Still inside the break: rename is not even tried.
        refuse = false;
        time.Advance(reprobeInterval - TimeSpan.FromSeconds(1));
        await harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of("{\"v\":8}"), WriterHarness.Limits, default);
        Assert.Equal(2, renameAttempts);
        Assert.Equal(WriteMode.VerifiedCopy, harness.Writer.CurrentMode);

        // After it, the next save probes rename again and, renames working, goes back to them.
        time.Advance(TimeSpan.FromSeconds(2));
        var written = await harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of("{\"v\":9}"), WriterHarness.Limits, default);

        Assert.Equal(3, renameAttempts);
        Assert.Equal(WriteMode.AtomicRename, written.Mode);
        Assert.Equal(WriteMode.AtomicRename, harness.Writer.CurrentMode);
        Assert.Equal("{\"v\":9}", await File.ReadAllTextAsync(root.File("a.json")));
    }

    [Theory]
    [InlineData(112, StorageFailureKind.InsufficientStorage)] // ERROR_DISK_FULL
    [InlineData(39, StorageFailureKind.InsufficientStorage)] // ERROR_HANDLE_DISK_FULL
    [InlineData(19, StorageFailureKind.Unavailable)] // ERROR_WRITE_PROTECT
    public async Task Fatal_errors_fail_at_once_keeping_the_previous_version_and_no_temp(int win32Error, StorageFailureKind expected)
    {
        using var harness = new WriterHarness(time: time, chaos: AlwaysFail(win32Error));
        await File.WriteAllTextAsync(root.File("a.json"), "{\"old\":1}");

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of("{\"new\":1}"), WriterHarness.Limits, default));

        Assert.Equal(expected, error.Kind);
        Assert.Equal(0, harness.Counters.Snapshot()["retries"]);
        Assert.Equal("{\"old\":1}", await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Equal(["a.json"], root.Files());
    }

    [Fact]
    public async Task A_sharing_violation_that_never_ends_fails_as_unavailable_within_the_budget()
    {
        var budget = TimeSpan.FromSeconds(10);
        using var harness = new WriterHarness(time: time, chaos: AlwaysFail(32), retryBudget: budget);
        await File.WriteAllTextAsync(root.File("a.json"), "{\"old\":1}");
        var started = time.GetUtcNow();

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            AdvanceUntilDone(harness.Writer.WriteAsync(root.File("a.json"), Bodies.Of("{\"new\":1}"), WriterHarness.Limits, default)));

        Assert.Equal(StorageFailureKind.Unavailable, error.Kind);
        Assert.Equal(32, OsError.FromException(error.InnerException!)?.Code);

        // It gave up when the budget ran out, not before and not long after.
        Assert.InRange(time.GetUtcNow() - started, budget, budget + TimeSpan.FromSeconds(1));

        // Backoff, not a busy loop: delays from 1 ms doubling to 20 ms fill 10 s with hundreds of
        // attempts, a spinning retry with hundreds of thousands.
        var retries = harness.Counters.Snapshot()["retries"];
        Assert.InRange(retries, 100, 2_000);
        Assert.Equal("{\"old\":1}", await File.ReadAllTextAsync(root.File("a.json")));
        Assert.Equal(["a.json"], root.Files());
    }

    public void Dispose() => root.Dispose();

    /// <summary>
    /// Moves the fake clock on until <paramref name="work"/> is done: one step fires the retry delay
    /// the work waits on (the harness's longest delay is the step), then the test waits until the
    /// work is done or has started its next timer (the next retry delay) before the next step.
    /// </summary>
    private async Task<T> AdvanceUntilDone<T>(Task<T> work)
    {
        var step = TimeSpan.FromMilliseconds(20);
        while (!work.IsCompleted)
        {
            var nextWait = time.NextTimerStarted();
            time.Advance(step);
            await Task.WhenAny(work, nextWait).WaitAsync(TimeSpan.FromSeconds(30));
        }

        return await work;
    }

    private static Action<ResiliencePipelineBuilder<WriteMode>> AlwaysFail(int win32Error) =>
        builder => builder.AddChaosFault(1.0, () => Win32Error(win32Error));

    private static IOException Win32Error(int code) => new($"injected Win32 error {code}", unchecked((int)0x80070000) | code);
}
