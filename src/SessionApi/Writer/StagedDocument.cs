namespace SessionApi.Writer;

/// <summary>A complete, validated, flushed temporary file waiting to replace its target.</summary>
public sealed record StagedDocument(string TempPath, string TargetPath, long Length, byte[] Hash);
