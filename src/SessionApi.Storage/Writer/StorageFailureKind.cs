namespace SessionApi.Storage.Writer;

/// <summary>What the writer does about an OS error (see <see cref="OsErrorClassifier"/>).</summary>
public enum StorageFailureKind
{
    /// <summary>Not an error the writer understands: fail the save, report storage unavailable.</summary>
    Unknown,

    /// <summary>Someone else holds the file for a moment (antivirus, indexer, backup): retry with backoff.</summary>
    Transient,

    /// <summary>
    /// The file system refused a rename for a reason that says nothing about the storage itself
    /// (across a virtual device, or "not found" for a temp that is there): switch to the verified copy.
    /// </summary>
    CrossDevice,

    /// <summary>An exclusive create of a fresh temp name was refused as existing: try a new name, then create without exclusivity.</summary>
    ExclusiveCreateRefused,

    /// <summary>Disk or quota full: fail the save (507).</summary>
    InsufficientStorage,

    /// <summary>Read-only media, I/O error, access denied for good: fail the save (503).</summary>
    Unavailable,
}
