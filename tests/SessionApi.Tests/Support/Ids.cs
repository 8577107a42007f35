using SessionApi.Storage.Sessions;

namespace SessionApi.Tests.Support;

internal static class Ids
{
    /// <summary>A session id the test knows to be valid.</summary>
    public static SessionId Id(string value) =>
        SessionId.TryParse(value, out var id) ? id : throw new ArgumentException($"'{value}' is not a valid session id.", nameof(value));
}
