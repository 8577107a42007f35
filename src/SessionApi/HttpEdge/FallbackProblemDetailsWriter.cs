using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace SessionApi.HttpEdge;

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
