namespace SessionApi.Storage.Writer;

/// <summary>An OS error number and the family it comes from, as carried in <see cref="Exception.HResult"/>.</summary>
internal readonly record struct OsError(OsErrorFamily Family, int Code)
{
    /// <summary>
    /// Reads the OS error out of an exception's HResult. .NET puts the raw errno there on Unix
    /// (Interop.GetExceptionForIoErrno) and 0x8007xxxx on Windows; the writer's own native calls do
    /// the same, and so can chaos faults injected in tests on any OS.
    /// </summary>
    public static OsError? FromException(Exception exception)
    {
        var hresult = exception.HResult;
        if ((hresult & OsErrorCodes.Win32HResultMask) == OsErrorCodes.Win32HResultPrefix)
        {
            return new OsError(OsErrorFamily.Win32, hresult & 0xFFFF);
        }

        if (hresult is > 0 and < 4096)
        {
            return new OsError(OsErrorFamily.Errno, hresult);
        }

        return null;
    }

    public override string ToString() => Family == OsErrorFamily.Win32 ? $"Win32 error {Code}" : $"errno {Code}";
}

internal enum OsErrorFamily
{
    Errno,
    Win32,
}
