namespace SessionApi.Store;

/// <summary>
/// The store's state for <c>GET /diagnostics</c>. <see cref="WriteMode"/> is "atomic-rename" or
/// "verified-copy" (rename refused as cross-device: the MSIX case).
/// </summary>
public sealed record StoreDiagnostics(
    string Root,
    string WriteMode,
    IReadOnlyDictionary<string, long> Counters,
    long? FreeBytes,
    int SessionCount,
    IReadOnlyList<QuarantinedFile> Quarantined);

/// <summary>A file recovery moved aside: where it is now and why.</summary>
public sealed record QuarantinedFile(string Name, string OriginalName, string Reason, DateTimeOffset QuarantinedAt);
