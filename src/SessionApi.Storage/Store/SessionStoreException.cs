namespace SessionApi.Storage.Store;

/// <summary>A refused store operation. <see cref="Exception.Message"/> is safe to show to the client.</summary>
public sealed class SessionStoreException : Exception
{
    public SessionStoreException(StoreErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    public SessionStoreException() : this(StoreErrorCode.StorageUnavailable, "Storage failed.") { }

    public SessionStoreException(string message) : this(StoreErrorCode.StorageUnavailable, message) { }

    public SessionStoreException(string message, Exception innerException)
        : this(StoreErrorCode.StorageUnavailable, message, innerException) { }

    public StoreErrorCode Code { get; }
}
