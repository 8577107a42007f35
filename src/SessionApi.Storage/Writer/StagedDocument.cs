namespace SessionApi.Storage.Writer;

/// <summary>A complete, validated, flushed temporary file waiting to replace its target.</summary>
internal sealed record StagedDocument(string TempPath, string TargetPath, long Length, byte[] Hash)
{
    /// <summary>
    /// Runs before the verified copy rewrites the target in place: a previous version kept as a hard
    /// link to the target must become a file of its own first, or the copy would overwrite it too.
    /// </summary>
    public Func<Task>? BeforeInPlaceCopy { get; init; }
}
