using SessionApi.Storage.Store;

namespace SessionApi.HttpEdge;

/// <summary>Which <see cref="ProblemCode"/> a bare status or a store refusal answers with.</summary>
public static class ProblemCodes
{
    /// <summary>The code of a bare status (routing's 404/405/415, host filtering's 400, ...).</summary>
    public static ProblemCode ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => ProblemCode.Unauthorized,
        StatusCodes.Status403Forbidden => ProblemCode.Forbidden,
        StatusCodes.Status404NotFound => ProblemCode.NotFound,
        StatusCodes.Status405MethodNotAllowed => ProblemCode.MethodNotAllowed,
        StatusCodes.Status409Conflict => ProblemCode.AlreadyExists,
        StatusCodes.Status412PreconditionFailed => ProblemCode.PreconditionFailed,
        StatusCodes.Status413PayloadTooLarge => ProblemCode.TooLarge,
        StatusCodes.Status415UnsupportedMediaType => ProblemCode.UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => ProblemCode.RateLimited,
        StatusCodes.Status503ServiceUnavailable => ProblemCode.StorageUnavailable,
        StatusCodes.Status507InsufficientStorage => ProblemCode.InsufficientStorage,
        >= 500 => ProblemCode.InternalError,
        _ => ProblemCode.BadRequest,
    };

    public static ProblemCode ToProblemCode(this StoreErrorCode code) => code switch
    {
        StoreErrorCode.InvalidJson => ProblemCode.InvalidJson,
        StoreErrorCode.NotAnObject => ProblemCode.NotAnObject,
        StoreErrorCode.TooDeep => ProblemCode.TooDeep,
        StoreErrorCode.TooLarge => ProblemCode.TooLarge,
        StoreErrorCode.InsufficientStorage => ProblemCode.InsufficientStorage,
        StoreErrorCode.StorageUnavailable => ProblemCode.StorageUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    public static int ToStatus(this StoreErrorCode code) => code switch
    {
        StoreErrorCode.TooLarge => StatusCodes.Status413PayloadTooLarge,
        StoreErrorCode.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        StoreErrorCode.StorageUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };
}

