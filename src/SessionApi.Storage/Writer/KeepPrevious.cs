namespace SessionApi.Storage.Writer;

/// <summary>
/// Asks a write to keep the document it replaces as the new file <paramref name="Path"/> (a path
/// nobody else writes) before replacing it, unless the new bytes are the same (<paramref name="PreviousHash"/>).
/// </summary>
internal sealed record KeepPrevious(string Path, byte[] PreviousHash);

/// <summary>How a previous document was kept.</summary>
internal enum PreviousKept
{
    /// <summary>Not kept: not asked for, or the new document has the same bytes.</summary>
    No,

    /// <summary>A hard link to the replaced file: no byte copied.</summary>
    Linked,

    /// <summary>A durable copy through the writer (links refused, or the root refuses renames).</summary>
    Copied,
}
