namespace SessionApi.Writer;

/// <summary>A document that is on disk, durable, under its final name.</summary>
public sealed record WrittenDocument(long Length, byte[] Hash, WriteMode Mode);
