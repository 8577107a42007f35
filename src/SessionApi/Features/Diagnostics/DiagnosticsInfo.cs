using SessionApi.Storage.History;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Features.Diagnostics;

/// <summary><c>GET /diagnostics</c>.</summary>
public sealed record DiagnosticsInfo(
    string Version,
    string Root,
    string? PhysicalRoot,
    bool Redirected,
    WriteMode WriteMode,
    TempCreateMode TempCreateMode,
    IReadOnlyDictionary<string, long> Counters,
    long? FreeBytes,
    int SessionCount,
    IReadOnlyList<QuarantinedFile> Quarantined)
{
    /// <summary>Previous versions and trash: counts and bytes.</summary>
    public HistoryDiagnostics? History { get; init; }

    /// <summary>How many <c>GET /events</c> streams are open now (windows following the changes).</summary>
    public int Watchers { get; init; }
}
