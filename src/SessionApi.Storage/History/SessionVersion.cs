using System.Text.Json.Serialization;
using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.History;

/// <summary>
/// A previous version of a session, as <c>GET /sessions/{id}/versions</c> lists it: the opaque
/// <c>version</c> to read or restore it by, its size, when it was saved, and its ETag (quoted).
/// </summary>
public sealed record SessionVersion(
    string Version,
    long Size,
    DateTimeOffset SavedAt,
    [property: JsonPropertyName("etag")] string ETag);

/// <summary>A deleted session in the trash, as <c>GET /trash</c> lists it.</summary>
public sealed record TrashedSession(
    string Id,
    long Size,
    DateTimeOffset DeletedAt,
    [property: JsonPropertyName("etag")] string ETag);

/// <summary>Versions and trash for <c>GET /diagnostics</c>: how many files and how many bytes each holds.</summary>
public sealed record HistoryDiagnostics(bool Enabled, int Versions, long VersionBytes, int TrashItems, long TrashBytes);

public enum RestoreOutcome
{
    Created,
    Replaced,
    PreconditionFailed,
    NotFound,
    AlreadyExists,
}

/// <summary>Outcome of a restore; <see cref="Session"/> is the restored session, or the current one when a precondition failed or it already exists.</summary>
public sealed record RestoreResult(RestoreOutcome Outcome, SessionInfo? Session);
