namespace SessionApi.Writer;

/// <summary>
/// Decides, for every failure the file system can throw at a save, whether to retry, switch to the
/// verified copy, or fail — the single place where OS error numbers get their meaning.
/// </summary>
public static class OsErrorClassifier
{
    public static StorageFailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (OsError.FromException(exception) is { } error)
        {
            var kind = Classify(error);
            if (kind != StorageFailureKind.Unknown)
            {
                return kind;
            }
        }

        // .NET maps EACCES/EPERM (Unix) and ERROR_ACCESS_DENIED (Windows) to UnauthorizedAccessException
        // with a generic HResult. An antivirus or indexer opening the file produces exactly this on
        // Windows, so it is retried; if it persists for the whole retry budget the save fails as
        // storage unavailable.
        return exception is UnauthorizedAccessException ? StorageFailureKind.Transient : StorageFailureKind.Unknown;
    }

    public static StorageFailureKind Classify(OsError error) => error.Family switch
    {
        OsErrorFamily.Errno => ClassifyErrno(error.Code),
        OsErrorFamily.Win32 => ClassifyWin32(error.Code),
        _ => StorageFailureKind.Unknown,
    };

    private static StorageFailureKind ClassifyErrno(int errno) => errno switch
    {
        // rename(2) refuses to cross mount points; MSIX-style virtualization and bind mounts inside
        // one directory produce it too. The data is fine, only the strategy must change.
        OsErrorCodes.EXDEV => StorageFailureKind.CrossDevice,

        // EINTR: a signal interrupted the call; EAGAIN: resource momentarily unavailable; EBUSY: the
        // target is in use (e.g. a mount point being unmounted, or a file held by another process on
        // some file systems); ETXTBSY: being executed. All go away on their own.
        OsErrorCodes.EINTR or OsErrorCodes.EAGAIN or OsErrorCodes.EBUSY or OsErrorCodes.ETXTBSY => StorageFailureKind.Transient,

        // EACCES/EPERM can be a passing condition (a backup tool flipping permissions); retried inside
        // the budget, then reported as unavailable by the writer.
        OsErrorCodes.EACCES or OsErrorCodes.EPERM => StorageFailureKind.Transient,

        OsErrorCodes.ENOSPC or OsErrorCodes.EDQUOT => StorageFailureKind.InsufficientStorage,

        // EROFS: the file system was (re)mounted read-only, often after an I/O error; EIO: the device
        // failed. Retrying cannot help, and after a failed fsync the page cache may already have
        // dropped the dirty pages, so the data must be considered lost: fail the save.
        OsErrorCodes.EROFS or OsErrorCodes.EIO => StorageFailureKind.Unavailable,
        _ => StorageFailureKind.Unknown,
    };

    private static StorageFailureKind ClassifyWin32(int code) => code switch
    {
        // MoveFileEx across volumes without MOVEFILE_COPY_ALLOWED; MSIX AppData virtualization makes a
        // rename inside one directory cross volumes. ReplaceFile's 1175/1176/1177 leave the replacement
        // file intact in every partial state, so the verified copy can always finish the job.
        OsErrorCodes.ErrorNotSameDevice
            or OsErrorCodes.ErrorUnableToRemoveReplaced
            or OsErrorCodes.ErrorUnableToMoveReplacement
            or OsErrorCodes.ErrorUnableToMoveReplacement2 => StorageFailureKind.CrossDevice,

        // Another handle (antivirus, indexer, backup, the user's editor) holds the file without sharing
        // it; access denied shows up the same way while a scanner has the file open for delete.
        OsErrorCodes.ErrorSharingViolation
            or OsErrorCodes.ErrorLockViolation
            or OsErrorCodes.ErrorAccessDenied
            or OsErrorCodes.ErrorUserMappedFile => StorageFailureKind.Transient,

        OsErrorCodes.ErrorHandleDiskFull or OsErrorCodes.ErrorDiskFull or OsErrorCodes.ErrorDiskQuotaExceeded
            => StorageFailureKind.InsufficientStorage,

        OsErrorCodes.ErrorWriteProtect => StorageFailureKind.Unavailable,
        _ => StorageFailureKind.Unknown,
    };
}
