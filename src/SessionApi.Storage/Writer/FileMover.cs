namespace SessionApi.Storage.Writer;

/// <summary>
/// Moves a file within the storage root where atomicity does not matter but nothing may be lost
/// (recovery moving a file to quarantine): a rename, and where the root refuses it (EXDEV, or
/// "not found" for a file that is there: the MSIX symptoms) the verified copy, which deletes the
/// source only after the destination reads back equal. <c>File.Move</c> is not enough: on Windows
/// it turns "not found" into an exception, on Linux it copies without flushing.
/// </summary>
internal static class FileMover
{
    /// <returns>
    /// True when renamed (nothing is flushed yet); false when copied, in which case the copy and its
    /// folder are already flushed (<see cref="VerifiedCopy"/>) and only the source's folder is not.
    /// </returns>
    public static bool Move(string source, string destination)
    {
        try
        {
            DurableFileSystem.ReplaceTempByRename(source, destination);
            return true;
        }
        catch (IOException e) when (OsErrorClassifier.Classify(e) == StorageFailureKind.CrossDevice)
        {
            var (length, hash) = FileHashing.HashFile(source);
            VerifiedCopy.Replace(new StagedDocument(source, destination, length, hash));
            return false;
        }
    }
}
