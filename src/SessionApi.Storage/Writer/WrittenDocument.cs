namespace SessionApi.Storage.Writer;

/// <summary>A document that is on disk, durable, under its final name.</summary>
internal sealed record WrittenDocument(long Length, byte[] Hash, WriteMode Mode)
{
    /// <summary>How the document this write replaced was kept (<see cref="PreviousKept.No"/> when it was not asked for or identical).</summary>
    public PreviousKept Kept { get; init; }
}
