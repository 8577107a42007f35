namespace SessionApi.Storage.Roots;

/// <summary>
/// The configured storage root cannot work at all (a symlink loop, a file, a path that cannot be
/// created): a configuration error, reported as one line before the server listens.
/// </summary>
public sealed class StorageRootUnusableException : Exception
{
    public StorageRootUnusableException() : base("The storage root cannot be used.") { }

    public StorageRootUnusableException(string message) : base(message) { }

    public StorageRootUnusableException(string message, Exception innerException) : base(message, innerException) { }
}
