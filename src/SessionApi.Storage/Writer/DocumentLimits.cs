namespace SessionApi.Storage.Writer;

/// <summary>What a document may be: at most <paramref name="MaxBytes"/> long and nested at most <paramref name="MaxDepth"/> deep.</summary>
internal readonly record struct DocumentLimits(long MaxBytes, int MaxDepth);
