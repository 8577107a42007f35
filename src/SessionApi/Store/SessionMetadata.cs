namespace SessionApi.Store;

/// <summary>What the index knows about one session. <see cref="ETag"/> is quoted, ready for the header.</summary>
public sealed record SessionMetadata(string Id, long Size, DateTimeOffset UpdatedAt, string ETag);
