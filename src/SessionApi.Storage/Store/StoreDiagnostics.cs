using SessionApi.Storage.Recovery;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Store;

/// <summary>
/// The store's state for <c>GET /diagnostics</c>. <see cref="WriteMode"/> is atomic-rename or
/// verified-copy (rename refused as cross-device: the MSIX case); <see cref="TempCreateMode"/> is
/// exclusive or non-exclusive (exclusive creates refused: the MSIX junction case);
/// <see cref="PhysicalRoot"/> is where new files in the root really land (<see cref="Writer.DurableWriter.ProbeRoot"/>).
/// </summary>
public sealed record StoreDiagnostics(
    string Root,
    string? PhysicalRoot,
    bool Redirected,
    WriteMode WriteMode,
    TempCreateMode TempCreateMode,
    IReadOnlyDictionary<string, long> Counters,
    long? FreeBytes,
    int SessionCount,
    IReadOnlyList<QuarantinedFile> Quarantined);
