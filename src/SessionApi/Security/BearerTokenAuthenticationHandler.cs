using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SessionApi.HttpEdge;
using SessionApi.Storage.Writer;

namespace SessionApi.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against <see cref="ApiToken"/> in constant
/// time. The token is never taken from the query string: URLs end up in logs and histories.
/// </summary>
internal sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiToken token) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (headers.Count > 1)
        {
            return Task.FromResult(AuthenticateResult.Fail("More than one Authorization header."));
        }

        var value = headers[0] ?? string.Empty;
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("Not a bearer token."));
        }

        if (!token.Matches(value.AsSpan(Prefix.Length).Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid bearer token."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "companion-client")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.Authorization.Count > 0;
        Response.Headers[HeaderNames.WWWAuthenticate] = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        await Problems.Result(
                StatusCodes.Status401Unauthorized,
                ProblemCode.Unauthorized,
                presented
                    ? "The bearer token is missing or not valid."
                    : "This endpoint needs 'Authorization: Bearer <token>' (the token the server was started with).")
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Problems.Result(StatusCodes.Status403Forbidden, ProblemCode.Forbidden, "Not allowed.")
            .ExecuteAsync(Context).ConfigureAwait(false);
}
