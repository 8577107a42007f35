namespace SessionApi.Storage.Writer;

/// <summary>
/// The OS error numbers the writer reacts to. Unix values are Linux errno values (glibc, x86-64 and
/// arm64 agree); Win32 values are from winerror.h.
/// </summary>
internal static class OsErrorCodes
{
    // Linux errno.
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ETXTBSY = 26;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int ELOOP = 40;
    public const int EDQUOT = 122;

    // Win32 error codes.
    public const int ErrorFileNotFound = 2;
    public const int ErrorPathNotFound = 3;
    public const int ErrorAccessDenied = 5;
    public const int ErrorNotSameDevice = 17;
    public const int ErrorWriteProtect = 19;
    public const int ErrorNotReady = 21;
    public const int ErrorSharingViolation = 32;
    public const int ErrorLockViolation = 33;
    public const int ErrorHandleDiskFull = 39;
    public const int ErrorFileExists = 80;
    public const int ErrorDiskFull = 112;
    public const int ErrorAlreadyExists = 183;
    public const int ErrorIoDevice = 1117;
    public const int ErrorUserMappedFile = 1224;
    public const int ErrorUnableToRemoveReplaced = 1175;
    public const int ErrorUnableToMoveReplacement = 1176;
    public const int ErrorUnableToMoveReplacement2 = 1177;
    public const int ErrorDiskQuotaExceeded = 1295;
    public const int ErrorCantResolveFilename = 1921;

    /// <summary>HRESULT facility for Win32 errors: .NET sets IOException.HResult to 0x8007xxxx on Windows.</summary>
    public const int Win32HResultMask = unchecked((int)0xFFFF0000);
    public const int Win32HResultPrefix = unchecked((int)0x80070000);

    public static int ToWin32HResult(int win32Error) => Win32HResultPrefix | (win32Error & 0xFFFF);
}
