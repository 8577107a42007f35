namespace SessionApi.Storage.Writer;

/// <summary>
/// A rename of a temp over its target failed with "not found" although the temp was checked to be
/// still in place afterwards (the MSIX symptom of claude-code #95112): the error says nothing about
/// the storage, so <see cref="OsErrorClassifier"/> reads it as a refused rename. Carries the OS
/// error of the original failure.
/// </summary>
internal sealed class RenameRefusedException : IOException
{
    public RenameRefusedException() { }

    public RenameRefusedException(string message) : base(message) { }

    public RenameRefusedException(string message, Exception innerException) : base(message, innerException) =>
        HResult = innerException?.HResult ?? HResult;

    public RenameRefusedException(Exception innerException)
        : this(innerException?.Message ?? "The rename was refused.", innerException!)
    {
    }
}
