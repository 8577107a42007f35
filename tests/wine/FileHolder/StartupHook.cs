using System.Globalization;

// The runtime looks for exactly this: a type named StartupHook outside any namespace with a static
// Initialize(). It runs before the host's Main, so Environment.Exit below means SessionApi's own
// Main never starts: the process is only a second Windows process holding a file, the way an
// antivirus scanner, an indexer or a backup tool holds one.
#pragma warning disable CA1050 // The startup hook contract requires the global namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    /// <summary>
    /// Env: HOLD_FILE (path), HOLD_SECONDS (default 5), HOLD_SHARE (a FileShare name, default None).
    /// Prints "held" once the handle is open and "released" after closing it, then exits 0; exits 3
    /// with the error on stderr when the file cannot be opened.
    /// </summary>
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("HOLD_FILE");
        if (string.IsNullOrEmpty(path))
        {
            return; // not started as a holder: let the app run
        }

        var seconds = double.Parse(Environment.GetEnvironmentVariable("HOLD_SECONDS") ?? "5", CultureInfo.InvariantCulture);
        var share = Enum.Parse<FileShare>(Environment.GetEnvironmentVariable("HOLD_SHARE") ?? "None");
        try
        {
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, share))
            {
                Console.Out.Write("held\n");
                Console.Out.Flush();
                Thread.Sleep(TimeSpan.FromSeconds(seconds));
            }

            Console.Out.Write("released\n");
            Console.Out.Flush();
            Environment.Exit(0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"holder: {e.GetType().Name} 0x{e.HResult:X8}: {e.Message}");
            Environment.Exit(3);
        }
    }
}
