using SessionApi.Storage.Writer;

namespace SessionApi.Tests.Writer;

public class OsErrorClassifierTests
{
    [Theory]
    [InlineData(18, StorageFailureKind.CrossDevice)] // EXDEV
    [InlineData(4, StorageFailureKind.Transient)] // EINTR
    [InlineData(11, StorageFailureKind.Transient)] // EAGAIN
    [InlineData(16, StorageFailureKind.Transient)] // EBUSY
    [InlineData(13, StorageFailureKind.Transient)] // EACCES: retried, unavailable once the budget is spent
    [InlineData(28, StorageFailureKind.InsufficientStorage)] // ENOSPC
    [InlineData(122, StorageFailureKind.InsufficientStorage)] // EDQUOT
    [InlineData(30, StorageFailureKind.Unavailable)] // EROFS
    [InlineData(5, StorageFailureKind.Unavailable)] // EIO
    [InlineData(2, StorageFailureKind.Unknown)] // ENOENT
    public void Classifies_errno(int errno, StorageFailureKind expected) =>
        Assert.Equal(expected, OsErrorClassifier.Classify(new IOException("x", errno)));

    [Theory]
    [InlineData(17, StorageFailureKind.CrossDevice)]
    [InlineData(1175, StorageFailureKind.CrossDevice)]
    [InlineData(1176, StorageFailureKind.CrossDevice)]
    [InlineData(1177, StorageFailureKind.CrossDevice)]
    [InlineData(32, StorageFailureKind.Transient)]
    [InlineData(33, StorageFailureKind.Transient)]
    [InlineData(5, StorageFailureKind.Transient)]
    [InlineData(39, StorageFailureKind.InsufficientStorage)]
    [InlineData(112, StorageFailureKind.InsufficientStorage)]
    [InlineData(19, StorageFailureKind.Unavailable)]
    [InlineData(21, StorageFailureKind.Unavailable)] // what Wine reports for a failed FlushFileBuffers
    [InlineData(1117, StorageFailureKind.Unavailable)]
    [InlineData(2, StorageFailureKind.Unknown)]
    public void Classifies_win32_errors(int code, StorageFailureKind expected) =>
        Assert.Equal(expected, OsErrorClassifier.Classify(new IOException("x", unchecked((int)0x80070000) | code)));

    [Fact]
    public void Access_denied_from_dotnet_is_transient() =>
        Assert.Equal(StorageFailureKind.Transient, OsErrorClassifier.Classify(new UnauthorizedAccessException()));
}

/// <summary>The MSIX rows of the table: what an error means depends on the operation it came from.</summary>
public class OsErrorClassifierMsixRowsTests
{
    // FileOperation is internal to the engine and xunit needs public test signatures: the rows pass it as object.
    [Theory]
    [InlineData(17, FileOperation.ExclusiveCreateOfFreshName, StorageFailureKind.ExclusiveCreateRefused)] // EEXIST, #83584 #91409
    [InlineData(17, FileOperation.Any, StorageFailureKind.Unknown)]
    [InlineData(2, FileOperation.RenameOfPresentTemp, StorageFailureKind.CrossDevice)] // ENOENT, #95112
    [InlineData(2, FileOperation.Any, StorageFailureKind.Unknown)]
    [InlineData(2, FileOperation.ExclusiveCreateOfFreshName, StorageFailureKind.Unknown)]
    [InlineData(18, FileOperation.RenameOfPresentTemp, StorageFailureKind.CrossDevice)] // EXDEV everywhere
    [InlineData(40, FileOperation.Any, StorageFailureKind.Unavailable)] // ELOOP, #85693
    [InlineData(28, FileOperation.RenameOfPresentTemp, StorageFailureKind.InsufficientStorage)] // real faults stay real
    [InlineData(5, FileOperation.ExclusiveCreateOfFreshName, StorageFailureKind.Unavailable)]
    [InlineData(30, FileOperation.RenameOfPresentTemp, StorageFailureKind.Unavailable)]
    public void Errno_rows(int errno, object operation, StorageFailureKind expected) =>
        Assert.Equal(expected, OsErrorClassifier.Classify(new IOException("x", errno), (FileOperation)operation));

    [Theory]
    [InlineData(80, FileOperation.ExclusiveCreateOfFreshName, StorageFailureKind.ExclusiveCreateRefused)] // ERROR_FILE_EXISTS
    [InlineData(183, FileOperation.ExclusiveCreateOfFreshName, StorageFailureKind.ExclusiveCreateRefused)] // ERROR_ALREADY_EXISTS
    [InlineData(80, FileOperation.Any, StorageFailureKind.Unknown)]
    [InlineData(2, FileOperation.RenameOfPresentTemp, StorageFailureKind.CrossDevice)] // ERROR_FILE_NOT_FOUND
    [InlineData(3, FileOperation.RenameOfPresentTemp, StorageFailureKind.CrossDevice)] // ERROR_PATH_NOT_FOUND
    [InlineData(3, FileOperation.Any, StorageFailureKind.Unknown)]
    [InlineData(17, FileOperation.Any, StorageFailureKind.CrossDevice)]
    [InlineData(1175, FileOperation.Any, StorageFailureKind.CrossDevice)]
    [InlineData(1921, FileOperation.Any, StorageFailureKind.Unavailable)] // junction loop
    [InlineData(112, FileOperation.RenameOfPresentTemp, StorageFailureKind.InsufficientStorage)]
    [InlineData(19, FileOperation.ExclusiveCreateOfFreshName, StorageFailureKind.Unavailable)]
    public void Win32_rows(int code, object operation, StorageFailureKind expected) =>
        Assert.Equal(expected, OsErrorClassifier.Classify(new IOException("x", unchecked((int)0x80070000) | code), (FileOperation)operation));

    [Fact]
    public void A_rename_refused_exception_reads_as_a_refused_rename_and_keeps_its_os_error()
    {
        var refused = new RenameRefusedException(new IOException("not found", 2));
        Assert.Equal(StorageFailureKind.CrossDevice, OsErrorClassifier.Classify(refused));
        Assert.Equal(2, OsError.FromException(refused)?.Code);
    }
}
