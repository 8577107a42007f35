using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SessionApi.Store;

namespace SessionApi.Api;

/// <summary>
/// The stable machine-readable <c>code</c> of every ProblemDetails this API answers, all of them
/// here (the clients' lists are checked against this class by a test).
/// </summary>
public static class ProblemCodes
{
    public const string BadRequest = "bad_request";
    public const string InvalidHeader = "invalid_header";
    public const string InvalidId = "invalid_id";
    public const string InvalidVersion = "invalid_version";
    public const string InvalidJson = "invalid_json";
    public const string NotAnObject = "not_an_object";
    public const string TooDeep = "too_deep";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PreconditionFailed = "precondition_failed";
    public const string AlreadyExists = "already_exists";
    public const string TooLarge = "too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string InsufficientStorage = "insufficient_storage";
    public const string StorageUnavailable = "storage_unavailable";

    /// <summary>The code of a bare status (routing's 404/405/415, host filtering's 400, ...).</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status409Conflict => AlreadyExists,
        StatusCodes.Status412PreconditionFailed => PreconditionFailed,
        StatusCodes.Status413PayloadTooLarge => TooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status503ServiceUnavailable => StorageUnavailable,
        StatusCodes.Status507InsufficientStorage => InsufficientStorage,
        >= 500 => InternalError,
        _ => BadRequest,
    };

    public static string ToProblemCode(this StoreErrorCode code) => code switch
    {
        StoreErrorCode.InvalidJson => InvalidJson,
        StoreErrorCode.NotAnObject => NotAnObject,
        StoreErrorCode.TooDeep => TooDeep,
        StoreErrorCode.TooLarge => TooLarge,
        StoreErrorCode.InsufficientStorage => InsufficientStorage,
        StoreErrorCode.StorageUnavailable => StorageUnavailable,
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

/// <summary>Building and completing RFC 9457 problem documents.</summary>
public static class Problems
{
    public const string CodeKey = "code";

    public static ProblemHttpResult Result(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { [CodeKey] = code });

    /// <summary>
    /// Every problem gets a type, a title, a detail and a code, whoever produced it (an endpoint, the
    /// status-code pages, the exception handler, the authentication handler).
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        problem.Type ??= status switch
        {
            // The framework fills the rest from RFC 9110; these it leaves empty.
            StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
            StatusCodes.Status507InsufficientStorage => "https://tools.ietf.org/html/rfc4918#section-11.5",
            _ => "about:blank",
        };
        if (string.IsNullOrEmpty(problem.Title))
        {
            problem.Title = ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
        }

        problem.Detail ??= DefaultDetail(status);
        if (!problem.Extensions.ContainsKey(CodeKey))
        {
            problem.Extensions[CodeKey] = ProblemCodes.ForStatus(status);
        }
    }

    private static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed (or its Host header is not allowed).",
        StatusCodes.Status404NotFound => "No such resource.",
        StatusCodes.Status405MethodNotAllowed => "This method is not allowed on this resource.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be 'Content-Type: application/json'.",
        StatusCodes.Status429TooManyRequests => "Too many requests; retry later.",
        >= 500 => "The server failed to process the request.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };
}

/// <summary>
/// The last problem writer: writes problem+json whatever the Accept header says. The framework's
/// writer declines when Accept excludes JSON, and the answer would then silently be plain text;
/// every error of this API is a ProblemDetails.
/// </summary>
internal sealed class FallbackProblemDetailsWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var response = context.HttpContext.Response;
        return new ValueTask(response.WriteAsJsonAsync(
            context.ProblemDetails,
            json.Value.SerializerOptions.GetTypeInfo(typeof(ProblemDetails)),
            contentType: "application/problem+json",
            cancellationToken: context.HttpContext.RequestAborted));
    }
}
