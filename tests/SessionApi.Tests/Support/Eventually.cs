using System.Diagnostics;

namespace SessionApi.Tests.Support;

/// <summary>
/// A bounded wait for a real, observable condition (a file appearing, a watcher unsubscribing, a
/// save acknowledged) where nothing signals it: the condition is polled until it holds, and the test
/// fails once the deadline passes. The short pause between polls only paces the polling; the outcome
/// depends on the condition alone, never on how long the pause is.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    public static async Task HoldsAsync(Func<bool> condition, string failure, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(deadline.Elapsed < limit, $"{failure} (waited {limit.TotalSeconds:0} s)");
            await Task.Delay(PollInterval); // paces the polling of the condition; the outcome does not depend on it
        }
    }
}
