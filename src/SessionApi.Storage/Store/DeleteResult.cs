namespace SessionApi.Storage.Store;

public enum DeleteResult
{
    Deleted,
    NotFound,
    PreconditionFailed,
}
