namespace SessionApi.Security;

/// <summary>Source-generated log messages of the HTTP edge.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(10, LogLevel.Debug, "Refused {Method} {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string reason);
}
