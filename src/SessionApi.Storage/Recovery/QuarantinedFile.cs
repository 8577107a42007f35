namespace SessionApi.Storage.Recovery;

/// <summary>A file recovery moved aside: where it is now and why.</summary>
public sealed record QuarantinedFile(string Name, string OriginalName, string Reason, DateTimeOffset QuarantinedAt);
