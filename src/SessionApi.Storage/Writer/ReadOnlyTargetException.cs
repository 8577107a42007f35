namespace SessionApi.Storage.Writer;

/// <summary>
/// The document carries the read-only attribute (set by the user, a sync tool or a backup). On
/// Windows every replace and delete of it fails with access denied, which the pipeline would retry
/// for the whole budget as if an antivirus held the file; this fails the save at once instead, with
/// a message that says what to do. Classified as write-protected (unavailable, 503).
/// </summary>
internal sealed class ReadOnlyTargetException : IOException
{
    public ReadOnlyTargetException(string path)
        : base($"'{Path.GetFileName(path)}' is marked read-only; clear its read-only attribute to change it.", OsErrorCodes.ToWin32HResult(OsErrorCodes.ErrorWriteProtect))
    {
    }

    public ReadOnlyTargetException() : this("the session file") { }

    public ReadOnlyTargetException(string message, Exception innerException) : base(message, innerException) =>
        HResult = OsErrorCodes.ToWin32HResult(OsErrorCodes.ErrorWriteProtect);
}
