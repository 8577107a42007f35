namespace SessionApi.Storage.Writer;

/// <summary>
/// A save the storage could not complete. The previous document is intact unless
/// <see cref="TemporaryFileKept"/> says a verified copy was interrupted, in which case the complete
/// new document was left in the temporary file for recovery.
/// </summary>
public sealed class StorageWriteException : Exception
{
    public StorageWriteException(StorageFailureKind kind, string message, Exception? innerException = null, bool temporaryFileKept = false)
        : base(message, innerException)
    {
        Kind = kind;
        TemporaryFileKept = temporaryFileKept;
    }

    public StorageWriteException() : this(StorageFailureKind.Unknown, "The save failed.") { }

    public StorageWriteException(string message) : this(StorageFailureKind.Unknown, message) { }

    public StorageWriteException(string message, Exception innerException) : this(StorageFailureKind.Unknown, message, innerException) { }

    /// <summary>Insufficient storage, or (for anything else, including exhausted retries) unavailable.</summary>
    public StorageFailureKind Kind { get; }

    public bool TemporaryFileKept { get; }
}
