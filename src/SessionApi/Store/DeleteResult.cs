namespace SessionApi.Store;

public enum DeleteResult
{
    Deleted,
    NotFound,
    PreconditionFailed,
}
