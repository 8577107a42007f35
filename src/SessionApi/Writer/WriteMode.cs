namespace SessionApi.Writer;

/// <summary>How a document replaced its target.</summary>
public enum WriteMode
{
    /// <summary>rename(2) / MoveFileEx over the target: atomic, the normal case.</summary>
    AtomicRename,

    /// <summary>Rename was refused as cross-device (MSIX): copied in place, flushed, read back and compared.</summary>
    VerifiedCopy,
}

public static class WriteModeNames
{
    public static string ToWireName(this WriteMode mode) => mode switch
    {
        WriteMode.AtomicRename => "atomic-rename",
        WriteMode.VerifiedCopy => "verified-copy",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
