using System.Text.Json.Serialization;

namespace SessionApi.Storage.Sessions;

/// <summary>
/// One session as the index knows it, and as <c>GET /sessions</c> and a save answer it. Its
/// <c>etag</c> is quoted, exactly as in the ETag header.
/// </summary>
public sealed record SessionInfo(
    string Id,
    long Size,
    DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("etag")] string ETag);
