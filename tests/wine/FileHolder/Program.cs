using System.Globalization;

// Env: HOLD_FILE (path), HOLD_SECONDS (default 5), HOLD_SHARE (a FileShare name, default None).
// Prints "held" once the handle is open and "released" after closing it, then exits 0; exits 3
// with the error on stderr when the file cannot be opened, 2 without HOLD_FILE.
var path = Environment.GetEnvironmentVariable("HOLD_FILE");
if (string.IsNullOrEmpty(path))
{
    Console.Error.WriteLine("holder: HOLD_FILE is not set");
    return 2;
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
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"holder: {e.GetType().Name} 0x{e.HResult:X8}: {e.Message}");
    return 3;
}
