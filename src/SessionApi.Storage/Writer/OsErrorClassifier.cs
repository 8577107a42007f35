namespace SessionApi.Storage.Writer;

/// <summary>
/// Decides, for every failure the file system can throw at a save, whether to retry, switch
/// strategy (verified copy, non-exclusive temp create), or fail — the single place where OS error
/// numbers get their meaning. The MSIX rows cite the public reports (claude-code issue numbers)
/// each symptom comes from.
/// </summary>
internal static class OsErrorClassifier
{
    public static StorageFailureKind Classify(Exception exception) =>
        Classify(exception, exception is RenameRefusedException ? FileOperation.RenameOfPresentTemp : FileOperation.Any);

    public static StorageFailureKind Classify(Exception exception, FileOperation operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (OsError.FromException(exception) is { } error)
        {
            var kind = Classify(error, operation);
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

    public static StorageFailureKind Classify(OsError error) => Classify(error, FileOperation.Any);

    public static StorageFailureKind Classify(OsError error, FileOperation operation) => error.Family switch
    {
        OsErrorFamily.Errno => ClassifyErrno(error.Code, operation),
        OsErrorFamily.Win32 => ClassifyWin32(error.Code, operation),
        _ => StorageFailureKind.Unknown,
    };

    private static StorageFailureKind ClassifyErrno(int errno, FileOperation operation) => (errno, operation) switch
    {
        // rename(2) refuses to cross mount points; MSIX AppData virtualization (claude-code #54883,
        // #46881, #57633) and bind mounts inside one directory produce it too. The data is fine,
        // only the strategy must change.
        (OsErrorCodes.EXDEV, _) => StorageFailureKind.CrossDevice,

        // MSIX with a junction under AppData: the rename of a temp that is there fails with ENOENT
        // (claude-code #95112). Only for a temp the writer verified to be in place; anywhere else
        // ENOENT means what it says.
        (OsErrorCodes.ENOENT, FileOperation.RenameOfPresentTemp) => StorageFailureKind.CrossDevice,

        // MSIX with a junction under AppData: an exclusive create of a fresh, random temp name fails
        // with EEXIST although nothing is there (claude-code #83584, #91409). Only for a name the
        // writer checked is free; anywhere else the file really exists.
        (OsErrorCodes.EEXIST, FileOperation.ExclusiveCreateOfFreshName) => StorageFailureKind.ExclusiveCreateRefused,

        // EINTR: a signal interrupted the call; EAGAIN: resource momentarily unavailable; EBUSY: the
        // target is in use (e.g. a mount point being unmounted, or a file held by another process on
        // some file systems); ETXTBSY: being executed. All go away on their own.
        (OsErrorCodes.EINTR or OsErrorCodes.EAGAIN or OsErrorCodes.EBUSY or OsErrorCodes.ETXTBSY, _) => StorageFailureKind.Transient,

        // EACCES/EPERM can be a passing condition (a backup tool flipping permissions); retried inside
        // the budget, then reported as unavailable by the writer.
        (OsErrorCodes.EACCES or OsErrorCodes.EPERM, _) => StorageFailureKind.Transient,

        (OsErrorCodes.ENOSPC or OsErrorCodes.EDQUOT, _) => StorageFailureKind.InsufficientStorage,

        // EROFS: the file system was (re)mounted read-only, often after an I/O error; EIO: the device
        // failed. Retrying cannot help, and after a failed fsync the page cache may already have
        // dropped the dirty pages, so the data must be considered lost: fail the save.
        (OsErrorCodes.EROFS or OsErrorCodes.EIO, _) => StorageFailureKind.Unavailable,

        // A storage root reached through a symlink or junction that loops (claude-code #85693):
        // nothing under it can be written. Startup refuses such a root as a configuration error.
        (OsErrorCodes.ELOOP, _) => StorageFailureKind.Unavailable,
        _ => StorageFailureKind.Unknown,
    };

    private static StorageFailureKind ClassifyWin32(int code, FileOperation operation) => (code, operation) switch
    {
        // MoveFileEx across volumes without MOVEFILE_COPY_ALLOWED; MSIX AppData virtualization makes a
        // rename inside one directory cross volumes (claude-code #54883, #46881, #57633). ReplaceFile's
        // 1175/1176/1177 leave the replacement file intact in every partial state, so the verified copy
        // can always finish the job.
        (OsErrorCodes.ErrorNotSameDevice
            or OsErrorCodes.ErrorUnableToRemoveReplaced
            or OsErrorCodes.ErrorUnableToMoveReplacement
            or OsErrorCodes.ErrorUnableToMoveReplacement2, _) => StorageFailureKind.CrossDevice,

        // The Win32 twins of ENOENT for a temp that is verifiably there (claude-code #95112).
        (OsErrorCodes.ErrorFileNotFound or OsErrorCodes.ErrorPathNotFound, FileOperation.RenameOfPresentTemp) => StorageFailureKind.CrossDevice,

        // CREATE_NEW of a fresh name refused as existing (claude-code #83584, #91409): CreateFileW
        // reports ERROR_FILE_EXISTS, NtCreateFile's STATUS_OBJECT_NAME_COLLISION reads as ERROR_ALREADY_EXISTS.
        (OsErrorCodes.ErrorFileExists or OsErrorCodes.ErrorAlreadyExists, FileOperation.ExclusiveCreateOfFreshName) => StorageFailureKind.ExclusiveCreateRefused,

        // Another handle (antivirus, indexer, backup, the user's editor) holds the file without sharing
        // it; access denied shows up the same way while a scanner has the file open for delete.
        (OsErrorCodes.ErrorSharingViolation
            or OsErrorCodes.ErrorLockViolation
            or OsErrorCodes.ErrorAccessDenied
            or OsErrorCodes.ErrorUserMappedFile, _) => StorageFailureKind.Transient,

        (OsErrorCodes.ErrorHandleDiskFull or OsErrorCodes.ErrorDiskFull or OsErrorCodes.ErrorDiskQuotaExceeded, _)
            => StorageFailureKind.InsufficientStorage,

        // Write-protected media; a device that stopped answering (Wine reports a failed fsync as
        // ERROR_NOT_READY); a device I/O error. As with EIO, flushed data cannot be trusted: fail.
        (OsErrorCodes.ErrorWriteProtect or OsErrorCodes.ErrorNotReady or OsErrorCodes.ErrorIoDevice, _) => StorageFailureKind.Unavailable,

        // A junction or symlink loop under the root (claude-code #85693), as ELOOP above.
        (OsErrorCodes.ErrorCantResolveFilename, _) => StorageFailureKind.Unavailable,
        _ => StorageFailureKind.Unknown,
    };
}
