using Microsoft.AspNetCore.Http.HttpResults;

namespace SessionApi.Features.Health;

/// <summary><c>GET /health</c>: liveness, without a token (container HEALTHCHECK, the parent's probe).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth)
            .WithTags("Health")
            .AllowAnonymous()
            .WithName("getHealth")
            .WithSummary("Liveness")
            .WithDescription("200 once the server listens (startup recovery has finished by then). Needs no token.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests); // the process-wide rate limiter covers /health too
        return app;
    }

    internal static Ok<HealthInfo> GetHealth() => TypedResults.Ok(new HealthInfo("ok"));
}
