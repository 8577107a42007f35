using SessionApi.Writer;

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
