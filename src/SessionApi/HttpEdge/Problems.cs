using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.HttpEdge;

/// <summary>Building and completing RFC 9457 problem documents.</summary>
public static class Problems
{
    public const string CodeKey = "code";

    public static ProblemHttpResult Result(int status, ProblemCode code, string detail) =>
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
