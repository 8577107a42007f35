namespace SessionApi.Writer;

/// <summary>What a document may be: at most <paramref name="MaxBytes"/> long and nested at most <paramref name="MaxDepth"/> deep.</summary>
public readonly record struct DocumentLimits(long MaxBytes, int MaxDepth);
