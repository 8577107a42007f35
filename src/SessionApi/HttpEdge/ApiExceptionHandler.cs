using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SessionApi.Storage.Store;

namespace SessionApi.HttpEdge;

/// <summary>
/// Maps exceptions to ProblemDetails: the store's refusals to their status and code, Kestrel's
/// refusals of a request (body too large, malformed) to theirs; anything else is a 500 that never
/// shows internals. Bad input must never reach the last case.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            SessionStoreException e => (e.Code.ToStatus(), e.Code.ToProblemCode(), e.Message),
            BadHttpRequestException e => (e.StatusCode, ProblemCodes.ForStatus(e.StatusCode), e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is too large."
                : "The request is malformed."),
            _ => (StatusCodes.Status500InternalServerError, ProblemCode.InternalError, "The server failed to process the request."),
        };

        if (status >= 500)
        {
            LogServerError(logger, httpContext.Request.Method, httpContext.Request.Path, status, exception);
        }
        else
        {
            LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, status, code);
        }

        if (httpContext.Response.HasStarted)
        {
            // Too late for a problem document (a GET already streaming): the connection is aborted.
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Detail = detail,
                Extensions = { [Problems.CodeKey] = code },
            },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Error, "{Method} {Path} failed with {Status}")]
    private static partial void LogServerError(ILogger logger, string method, string path, int status, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "{Method} {Path} refused with {Status} {Code}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, ProblemCode code);
}
