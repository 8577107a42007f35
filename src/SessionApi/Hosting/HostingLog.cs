namespace SessionApi.Hosting;

/// <summary>Source-generated log messages of the companion host.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "SessionApi {Version} ready on {Url} (pid {Pid})")]
    public static partial void Ready(ILogger logger, string version, string url, int pid);

    [LoggerMessage(2, LogLevel.Warning, "No {Variable} in the environment: generated a token and printed it in the ready line")]
    public static partial void TokenGenerated(ILogger logger, string variable);

    [LoggerMessage(3, LogLevel.Information, "Watching parent process {ParentPid}")]
    public static partial void WatchingParent(ILogger logger, int parentPid);

    [LoggerMessage(4, LogLevel.Warning, "Parent process {ParentPid} has exited: shutting down")]
    public static partial void ParentExited(ILogger logger, int parentPid);

    [LoggerMessage(5, LogLevel.Information, "Watching standard input ({Kind}): end of input shuts the server down")]
    public static partial void WatchingStdin(ILogger logger, string kind);

    [LoggerMessage(6, LogLevel.Warning, "Standard input was closed: shutting down")]
    public static partial void StdinClosed(ILogger logger);

    [LoggerMessage(7, LogLevel.Debug, "Standard input not watched ({Reason})")]
    public static partial void StdinNotWatched(ILogger logger, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Listening beyond loopback, as Hosting:AllowRemote allows ({Urls})")]
    public static partial void RemoteAllowed(ILogger logger, string urls);
}
