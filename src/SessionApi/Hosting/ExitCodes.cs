namespace SessionApi.Hosting;

/// <summary>The process exit codes the Electron main process can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything unexpected.</summary>
    public const int Failure = 1;

    /// <summary>Invalid configuration or command line (bad option, non-loopback URL, bad --parent-pid).</summary>
    public const int ConfigurationError = 2;

    /// <summary>The server could not start with valid configuration: storage root locked by another instance or unusable, port taken.</summary>
    public const int StartupError = 3;
}
