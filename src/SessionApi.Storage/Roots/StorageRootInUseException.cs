namespace SessionApi.Storage.Roots;

/// <summary>Another SessionApi process holds the storage root's lock file.</summary>
public sealed class StorageRootInUseException : Exception
{
    public StorageRootInUseException(string message, Exception? innerException = null) : base(message, innerException) { }

    public StorageRootInUseException() : this("The storage root is in use by another SessionApi instance.") { }

    public StorageRootInUseException(string message) : this(message, null) { }
}
