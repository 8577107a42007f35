using System.Text.Json.Serialization;

namespace SessionApi.HttpEdge;

/// <summary>
/// The stable machine-readable <c>code</c> of every ProblemDetails this API answers, all of them
/// here. The member names are the wire names; the OpenAPI document publishes them as the
/// <c>ProblemCode</c> enum, and both clients' code lists are generated from it.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProblemCode>))]
public enum ProblemCode
{
    [JsonStringEnumMemberName("bad_request")]
    BadRequest,

    [JsonStringEnumMemberName("invalid_header")]
    InvalidHeader,

    [JsonStringEnumMemberName("invalid_id")]
    InvalidId,

    [JsonStringEnumMemberName("invalid_version")]
    InvalidVersion,

    [JsonStringEnumMemberName("invalid_json")]
    InvalidJson,

    [JsonStringEnumMemberName("not_an_object")]
    NotAnObject,

    [JsonStringEnumMemberName("too_deep")]
    TooDeep,

    [JsonStringEnumMemberName("unauthorized")]
    Unauthorized,

    [JsonStringEnumMemberName("forbidden")]
    Forbidden,

    [JsonStringEnumMemberName("origin_not_allowed")]
    OriginNotAllowed,

    [JsonStringEnumMemberName("not_found")]
    NotFound,

    [JsonStringEnumMemberName("method_not_allowed")]
    MethodNotAllowed,

    [JsonStringEnumMemberName("precondition_failed")]
    PreconditionFailed,

    [JsonStringEnumMemberName("already_exists")]
    AlreadyExists,

    [JsonStringEnumMemberName("too_large")]
    TooLarge,

    [JsonStringEnumMemberName("unsupported_media_type")]
    UnsupportedMediaType,

    [JsonStringEnumMemberName("rate_limited")]
    RateLimited,

    [JsonStringEnumMemberName("internal_error")]
    InternalError,

    [JsonStringEnumMemberName("insufficient_storage")]
    InsufficientStorage,

    [JsonStringEnumMemberName("storage_unavailable")]
    StorageUnavailable,
}
