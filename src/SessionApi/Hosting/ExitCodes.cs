namespace SessionApi.Hosting;

/// <summary>The process exit codes the Electron main process can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything unexpected.</summary>
    public const int Failure = 1;

    /// <summary>Invalid configuration or command line (bad option, non-loopback URL, bad --parent-pid).</summary>
    public const int ConfigurationError = 2;

    /// <summary>The storage root is in use by another instance (its lock is held): do not restart. The launcher reports it as <c>root_in_use</c>.</summary>
    public const int RootInUse = 3;
}
