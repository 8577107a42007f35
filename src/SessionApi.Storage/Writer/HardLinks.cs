namespace SessionApi.Storage.Writer;

/// <summary>
/// A second directory entry for an existing file: how a previous version is kept without copying its
/// bytes. A refusal is not an error here, only a reason to copy instead: links are refused across
/// volumes, by file systems without them (FAT, some network shares) and, like renames, by MSIX's
/// virtualized AppData.
/// </summary>
internal static class HardLinks
{
    /// <summary>Links <paramref name="newPath"/> to <paramref name="existing"/>; false when the OS refuses links here.</summary>
    public static bool TryCreate(string existing, string newPath)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                WindowsNative.CreateHardLink(existing, newPath);
            }
            else
            {
                UnixNative.Link(existing, newPath);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException
            && OsErrorClassifier.Classify(e) is not (StorageFailureKind.InsufficientStorage or StorageFailureKind.Unavailable))
        {
            // Refused (EXDEV, EPERM, ENOTSUP, EMLINK, ERROR_NOT_SAME_DEVICE, ERROR_INVALID_FUNCTION, ...):
            // the copy that follows either works or fails with the storage's real problem.
            return false;
        }
    }
}
