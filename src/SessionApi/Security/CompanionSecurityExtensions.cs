using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SessionApi.Docs;
using SessionApi.HttpEdge;
using SessionApi.Storage.Writer;

namespace SessionApi.Security;

public static class CompanionSecurityExtensions
{
    /// <summary>
    /// Bearer token authentication required everywhere by default, Host allow-list, Origin allow-list
    /// with CORS for allowed origins, and the rate limiter. Each uses ASP.NET Core's own middleware.
    /// </summary>
    public static IServiceCollection AddCompanionSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        // No DataAnnotations validator: SecurityOptions has no annotated member of its own, and
        // DataAnnotations validation never descended into RateLimit; the rules below are the checks.
        services.AddOptions<SecurityOptions>()
            .Bind(configuration.GetSection(SecurityOptions.SectionName))
            .Validate(o => o.RateLimit is not null && (o.RateLimit.PermitsPerSecond > 0 && o.RateLimit.Burst > 0), "Security:RateLimit values must be positive.")
            .Validate(o => o.AllowedOrigins.All(IsValidOrigin), "Security:AllowedOrigins entries must be 'null' or scheme://host[:port].")
            .ValidateOnStart();

        // The authentication core and one scheme, not AddAuthentication(): that also registers Data
        // Protection (for cookie and OAuth handlers), whose key ring is loaded at start and written
        // as XML under ~/.aspnet/DataProtection-Keys, and whose code (XML, X.509) was ~2 MiB of
        // the Native AOT binary. A bearer token compared in constant time needs none of it.
        services.AddAuthenticationCore(o =>
        {
            o.DefaultScheme = BearerTokenAuthenticationHandler.SchemeName;
            o.AddScheme<BearerTokenAuthenticationHandler>(BearerTokenAuthenticationHandler.SchemeName, displayName: null);
        });
        services.AddWebEncoders();
        services.Configure<OpenApiOptions>(ApiDocs.DocumentName, BearerTokenOpenApi.Describe);
        services.TryAddTransient<BearerTokenAuthenticationHandler>();

        // The fallback policy covers every endpoint without its own authorization metadata, and
        // requests that match no endpoint (they get 401, not a 404 that reveals the route table).
        // /health, /openapi and Swagger UI opt out with AllowAnonymous or run before authorization.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(BearerTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());

        // DNS rebinding: a page on attacker.example resolving to 127.0.0.1 still sends its own Host.
        services.AddOptions<HostFilteringOptions>()
            .Configure<IOptions<SecurityOptions>>((hosts, security) =>
            {
                hosts.AllowedHosts = [.. security.Value.EffectiveAllowedHosts];
                hosts.AllowEmptyHosts = false;
                hosts.IncludeFailureMessage = false; // the status-code pages write a ProblemDetails instead
            });

        services.AddCors();
        services.AddOptions<CorsOptions>()
            .Configure<IOptions<SecurityOptions>>((cors, security) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins(security.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Post)
                .WithHeaders(CompanionHeaders.CorsAllowedHeaders)
                .WithExposedHeaders(CompanionHeaders.CorsExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<SecurityOptions>>((limiter, security) =>
            {
                var settings = security.Value.RateLimit;
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.OnRejected = OnRejectedAsync;
                if (settings.Enabled)
                {
                    limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ =>
                        RateLimitPartition.GetTokenBucketLimiter("process", _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = settings.Burst,
                            TokensPerPeriod = settings.PermitsPerSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        }));
                }
            });

        return services;
    }

    /// <summary>The refusals that come before any endpoint: errors, origin, CORS, rate limit.</summary>
    public static WebApplication UseCompanionEdge(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseMiddleware<OriginGuardMiddleware>();
        app.UseCors();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Routing, then the bearer token on every endpoint that does not opt out.</summary>
    public static WebApplication UseCompanionAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers[HeaderNames.RetryAfter] =
                Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await Problems.Result(StatusCodes.Status429TooManyRequests, ProblemCode.RateLimited, "Too many requests; retry later.")
            .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
    }

    private static bool IsValidOrigin(string origin) =>
        origin == "null"
        || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && !origin.TrimEnd('/').EndsWith(':'));
}
