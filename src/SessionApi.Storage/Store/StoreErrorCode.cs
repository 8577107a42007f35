namespace SessionApi.Storage.Store;

/// <summary>
/// Why a store operation was refused. The HTTP layer maps each to a status and to the stable
/// machine-readable <c>code</c> of the ProblemDetails (see <c>ProblemCodes.ToProblemCode</c> in the API layer).
/// </summary>
public enum StoreErrorCode
{
    /// <summary>The body is not well-formed JSON (400 invalid_json).</summary>
    InvalidJson,

    /// <summary>The body is JSON but its root is not an object (400 not_an_object).</summary>
    NotAnObject,

    /// <summary>The body nests deeper than allowed (400 too_deep).</summary>
    TooDeep,

    /// <summary>The body is larger than Storage:MaxSessionBytes (413 too_large).</summary>
    TooLarge,

    /// <summary>The disk or quota is full (507 insufficient_storage).</summary>
    InsufficientStorage,

    /// <summary>The storage cannot be written: read-only, I/O error, access persistently denied (503 storage_unavailable).</summary>
    StorageUnavailable,
}
