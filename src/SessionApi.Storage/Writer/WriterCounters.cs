using System.Diagnostics.Metrics;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Store;

namespace SessionApi.Storage.Writer;

/// <summary>
/// What the storage has been through since start: exposed by <c>GET /diagnostics</c> and, as the
/// <c>SessionApi.Storage</c> meter, to dotnet-counters / OpenTelemetry.
/// </summary>
internal sealed class WriterCounters
{
    public const string MeterName = "SessionApi.Storage";

    private readonly Counter<long> events;
    private long saves;
    private long saveFailures;
    private long retries;
    private long crossDeviceFallbacks;
    private long deletes;
    private long recoveredTemps;
    private long quarantinedFiles;
    private long exclusiveCreateRefusals;

    public WriterCounters(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        events = meter.CreateCounter<long>("sessionapi.storage.events", description: "Storage events by kind.");
    }

    public void Save() => Increment(ref saves, "save");

    public void SaveFailure() => Increment(ref saveFailures, "save-failure");

    public void Retry() => Increment(ref retries, "retry");

    public void CrossDeviceFallback() => Increment(ref crossDeviceFallbacks, "cross-device-fallback");

    public void Delete() => Increment(ref deletes, "delete");

    public void RecoveredTemp() => Increment(ref recoveredTemps, "recovered-temp");

    public void QuarantinedFile() => Increment(ref quarantinedFiles, "quarantined-file");

    /// <summary>An exclusive create of a fresh temp name was refused as existing (the MSIX junction symptom).</summary>
    public void ExclusiveCreateRefused() => Increment(ref exclusiveCreateRefusals, "exclusive-create-refused");

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>
    {
        ["saves"] = Interlocked.Read(ref saves),
        ["saveFailures"] = Interlocked.Read(ref saveFailures),
        ["retries"] = Interlocked.Read(ref retries),
        ["crossDeviceFallbacks"] = Interlocked.Read(ref crossDeviceFallbacks),
        ["deletes"] = Interlocked.Read(ref deletes),
        ["recoveredTemps"] = Interlocked.Read(ref recoveredTemps),
        ["quarantinedFiles"] = Interlocked.Read(ref quarantinedFiles),
        ["exclusiveCreateRefusals"] = Interlocked.Read(ref exclusiveCreateRefusals),
    };

    private void Increment(ref long field, string kind)
    {
        Interlocked.Increment(ref field);
        events.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }
}
