using System.Text.Json;
using SessionApi.Store;

namespace SessionApi.Api;

/// <summary>Every session, newest first.</summary>
public sealed record SessionList(IReadOnlyList<SessionInfo> Items);

/// <summary>
/// A session document: any JSON object, stored and served byte for byte. This type only describes
/// the body in the OpenAPI document; the body itself is streamed, never deserialized.
/// </summary>
#pragma warning disable CA1710 // The name is the schema name clients see.
public sealed class SessionDocument : Dictionary<string, JsonElement>;
#pragma warning restore CA1710

/// <summary><c>GET /diagnostics</c>.</summary>
public sealed record DiagnosticsInfo(
    string Version,
    string Root,
    string? PhysicalRoot,
    bool Redirected,
    string WriteMode,
    string TempCreateMode,
    IReadOnlyDictionary<string, long> Counters,
    long? FreeBytes,
    int SessionCount,
    IReadOnlyList<QuarantinedFile> Quarantined);

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthInfo(string Status);
