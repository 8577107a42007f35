using System.Net;
using System.Net.Http.Headers;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Security;

public sealed class SecurityTests(SecurityTests.OriginsFactory factory) : IClassFixture<SecurityTests.OriginsFactory>
{
    public const string AllowedOrigin = "http://app.localhost:3000";

    public sealed class OriginsFactory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Security:AllowedOrigins:0"] = AllowedOrigin,
        };
    }

    [Theory]
    [InlineData("/sessions")]
    [InlineData("/sessions/abc")]
    [InlineData("/diagnostics")]
    [InlineData("/not-a-route")]
    public async Task Without_a_token_every_route_but_health_and_docs_is_401(string path)
    {
        var response = await factory.Anonymous().GetAsync(path);
        await Http.AssertProblem(response, 401, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("Bearer test-token-0123456789x")]
    [InlineData("Bearer test-token-012345678")]
    [InlineData("Bearer test-token-0123456780")]
    [InlineData("test-token-0123456789")]
    public async Task A_wrong_token_or_scheme_is_401(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        await Http.AssertProblem(await factory.Anonymous().SendAsync(request), 401, "unauthorized");
    }

    [Theory]
    [InlineData("/sessions?access_token=test-token-0123456789")]
    [InlineData("/sessions?token=test-token-0123456789")]
    public async Task A_token_in_the_query_string_is_ignored(string path)
    {
        await Http.AssertProblem(await factory.Anonymous().GetAsync(path), 401, "unauthorized");
    }

    [Fact]
    public async Task Authentication_brings_no_data_protection_key_ring()
    {
        // Data Protection (what AddAuthentication() registers for cookie handlers) loads or creates
        // an XML key ring under the user's profile at start: a bearer token needs none of it.
        Assert.Equal(HttpStatusCode.OK, (await factory.Authorized().GetAsync("/sessions")).StatusCode);
        Assert.Null(factory.Services.GetService(typeof(Microsoft.AspNetCore.DataProtection.IDataProtectionProvider)));
    }

    [Fact]
    public async Task The_scheme_name_is_case_insensitive()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + ApiFactory.Token);
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5123")]
    [InlineData("127.0.0.1:1")]
    [InlineData("[::1]:65535")]
    [InlineData("LOCALHOST:80")]
    public async Task Loopback_hosts_on_any_port_are_accepted(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.Host = host;
        Assert.Equal(HttpStatusCode.OK, (await factory.Authorized().SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:80")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.evil.example")]
    [InlineData("10.0.0.1")]
    [InlineData("[::2]")]
    public async Task Other_hosts_are_400_dns_rebinding(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = host;
        await Http.AssertProblem(await factory.Authorized().SendAsync(request), 400, "bad_request");
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData("http://app.localhost:3001")]
    [InlineData("https://app.localhost:3000")]
    [InlineData("http://app.localhost:3000.evil.example")]
    public async Task A_request_from_a_foreign_origin_is_403_even_with_the_token(string origin)
    {
        foreach (var path in new[] { "/sessions", "/health" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Origin", origin);
            await Http.AssertProblem(await factory.Authorized().SendAsync(request), 403, "origin_not_allowed");
        }

        using var put = new HttpRequestMessage(HttpMethod.Put, "/sessions/from-evil") { Content = Http.Json("{}") };
        put.Headers.TryAddWithoutValidation("Origin", origin);
        await Http.AssertProblem(await factory.Authorized().SendAsync(put), 403, "origin_not_allowed");
        Assert.False(File.Exists(Path.Combine(factory.Root, "from-evil.json")));
    }

    [Fact]
    public async Task An_allowed_origin_gets_cors_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.TryAddWithoutValidation("Origin", AllowedOrigin);
        var response = await factory.Authorized().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Same_origin_requests_are_allowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.TryAddWithoutValidation("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await factory.Authorized().SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Preflight_is_answered_without_a_token_for_an_allowed_origin_only()
    {
        using var allowed = Preflight(AllowedOrigin);
        var ok = await factory.Anonymous().SendAsync(allowed);
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(AllowedOrigin, ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PUT", ok.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var refused = Preflight("http://evil.example");
        var response = await factory.Anonymous().SendAsync(refused);
        await Http.AssertProblem(response, 403, "origin_not_allowed");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/sessions/abc");
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "PUT");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization,content-type,if-match");
        return request;
    }

    [Fact]
    public async Task Problems_are_json_whatever_the_accept_header_says()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        await Http.AssertProblem(await factory.Anonymous().SendAsync(request), 401, "unauthorized");
    }
}

public sealed class NullOriginTests(NullOriginTests.NullOriginFactory factory) : IClassFixture<NullOriginTests.NullOriginFactory>
{
    public sealed class NullOriginFactory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Security:AllowedOrigins:0"] = "null" };
    }

    [Fact]
    public async Task Origin_null_is_allowed_when_configured()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.TryAddWithoutValidation("Origin", "null");
        Assert.Equal(HttpStatusCode.OK, (await factory.Authorized().SendAsync(request)).StatusCode);
    }
}

public sealed class RateLimitTests(RateLimitTests.TightFactory factory) : IClassFixture<RateLimitTests.TightFactory>
{
    public sealed class TightFactory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Security:RateLimit:PermitsPerSecond"] = "1",
            ["Security:RateLimit:Burst"] = "3",
        };
    }

    [Fact]
    public async Task Past_the_limit_requests_are_429_problems_with_retry_after()
    {
        var client = factory.Authorized();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var response = await client.GetAsync("/sessions");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        await Http.AssertProblem(limited, 429, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}
