using System.Diagnostics;

namespace SessionApi.Tests.Support;

/// <summary>
/// The clock the OS dates files by. A session's <c>updatedAt</c> and a version's time are its
/// document's modification time, which the kernel takes from a coarse clock that moves in ticks of
/// a few milliseconds, not with every write: two saves in a row can get the same time. Where a test
/// needs two saves apart it waits for that clock to tick, watching a file of its own, instead of
/// sleeping for a guess at the tick.
/// </summary>
internal static class FileClock
{
    /// <summary>
    /// Returns once a file written in <paramref name="folder"/> gets a later modification time, to
    /// the millisecond (a version's name keeps milliseconds), than any file written there before the
    /// call: a save after it is dated after every save before it. The probe file is removed again.
    /// </summary>
    public static async Task TickAsync(string folder)
    {
        var probe = Path.Combine(folder, $".file-clock-{Guid.NewGuid():N}");
        try
        {
            var before = Touch(probe);
            var waited = Stopwatch.StartNew();
            while (Touch(probe) <= before)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the file modification clock did not tick in 10 s");
                await Task.Delay(1); // the OS's file clock is waited for: nothing in the project moves it
            }
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static long Touch(string path)
    {
        File.WriteAllBytes(path, [1]);
        return File.GetLastWriteTimeUtc(path).Ticks / TimeSpan.TicksPerMillisecond;
    }
}
