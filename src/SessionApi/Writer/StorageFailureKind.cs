namespace SessionApi.Writer;

/// <summary>What the writer does about an OS error (see <see cref="OsErrorClassifier"/>).</summary>
public enum StorageFailureKind
{
    /// <summary>Not an error the writer understands: fail the save, report storage unavailable.</summary>
    Unknown,

    /// <summary>Someone else holds the file for a moment (antivirus, indexer, backup): retry with backoff.</summary>
    Transient,

    /// <summary>The file system refused to rename across a (virtual) device: switch to the verified copy.</summary>
    CrossDevice,

    /// <summary>Disk or quota full: fail the save (507).</summary>
    InsufficientStorage,

    /// <summary>Read-only media, I/O error, access denied for good: fail the save (503).</summary>
    Unavailable,
}
