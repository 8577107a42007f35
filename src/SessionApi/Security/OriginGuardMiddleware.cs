using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SessionApi.HttpEdge;
using SessionApi.Storage.Writer;

namespace SessionApi.Security;

/// <summary>
/// A browser page of a foreign origin must not drive the API: CORS alone only hides responses from
/// it, while a "simple" request would still be executed. So any request carrying an Origin that is not
/// allowed is refused with 403 before it reaches CORS (which then answers preflights only for allowed
/// origins), authentication or an endpoint.
/// </summary>
internal sealed class OriginGuardMiddleware(RequestDelegate next, IOptionsMonitor<SecurityOptions> options, ILogger<OriginGuardMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var origins = context.Request.Headers.Origin;
        if (origins.Count == 0)
        {
            return next(context);
        }

        if (origins.Count == 1 && IsAllowed(origins[0], context.Request, options.CurrentValue))
        {
            return next(context);
        }

        SecurityLog.Refused(logger, context.Request.Method, context.Request.Path, "origin not allowed");
        return Problems.Result(
                StatusCodes.Status403Forbidden,
                ProblemCode.OriginNotAllowed,
                "Requests from this origin are not allowed (Security:AllowedOrigins).")
            .ExecuteAsync(context);
    }

    internal static bool IsAllowed(string? origin, HttpRequest request, SecurityOptions options)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }

        foreach (var allowed in options.AllowedOrigins)
        {
            if (string.Equals(origin, allowed.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // Same origin (Swagger UI served by this process). The Host header has already passed host
        // filtering, so this cannot be a rebinding attacker's origin.
        return !string.Equals(origin, "null", StringComparison.Ordinal)
            && string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }
}
