using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionApi.Client;

namespace SessionApi.Tests.Client;

/// <summary>
/// The client's HTTP pipeline against a scripted server: which calls the standard resilience
/// handler may retry (GET) and which it must not (PUT, DELETE), and how options are checked.
/// </summary>
public sealed class SessionApiClientPipelineTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5999");

    /// <summary>Answers each request with the next scripted answer (the last one repeats) and records the requests.</summary>
    private sealed class ScriptedServer(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public List<(HttpMethod Method, Uri Uri)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                var answer = answers[Math.Min(Requests.Count, answers.Length - 1)];
                Requests.Add((request.Method, request.RequestUri!));
                return Task.FromResult(answer(request));
            }
        }
    }

    private static HttpResponseMessage Problem(HttpStatusCode status, string code) => new(status)
    {
        Content = new StringContent(
            $$"""{"type":"https://tools.ietf.org/html/rfc9110","title":"{{status}}","status":{{(int)status}},"detail":"scripted","code":"{{code}}"}""",
            Encoding.UTF8,
            "application/problem+json"),
    };

    private static HttpResponseMessage Document(string json, string etag)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    private static Func<HttpRequestMessage, HttpResponseMessage> Throws() =>
        _ => throw new HttpRequestException("connection reset: the response was lost");

    private static ServiceProvider Services(ScriptedServer server, Uri? baseAddress = null) =>
        ClientServices.For(baseAddress ?? Base, () => server, configure: o => o.ConfigureResilience = r => r.Retry.Delay = TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task A_get_is_retried_after_a_transient_503_or_a_lost_response()
    {
        var server = new ScriptedServer(
            _ => Problem(HttpStatusCode.ServiceUnavailable, "storage_unavailable"),
            Throws(),
            _ => Document("{\"ok\":true}", "\"e1\""));
        using var services = Services(server);

        var document = await services.GetRequiredService<SessionApiClient>().GetSessionAsync("s1");

        Assert.Equal("{\"ok\":true}", document.GetJsonString());
        Assert.Equal("\"e1\"", document.Etag);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_put_is_never_retried_so_its_if_match_cannot_turn_into_a_spurious_412()
    {
        var server = new ScriptedServer(_ => Problem(HttpStatusCode.ServiceUnavailable, "storage_unavailable"));
        using var services = Services(server);
        var client = services.GetRequiredService<SessionApiClient>();

        var e = await Assert.ThrowsAsync<SessionApiException>(() => client.SaveSessionAsync("s1", "{}", ifMatch: "\"e1\""));
        Assert.Equal(503, e.Status);
        Assert.Equal(ProblemCode.StorageUnavailable, e.Code);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_put_or_delete_whose_response_was_lost_fails_without_being_sent_again()
    {
        var server = new ScriptedServer(Throws());
        using var services = Services(server);
        var client = services.GetRequiredService<SessionApiClient>();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SaveSessionAsync("s1", "{}", ifNoneMatch: "*"));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.DeleteSessionAsync("s1", "\"e1\""));
        Assert.Equal([HttpMethod.Put, HttpMethod.Delete], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task An_undeclared_status_still_surfaces_its_problem_code()
    {
        // 429 (the rate limiter) is not in the document for GET /diagnostics: the generated code keeps
        // the body as text and the client still reads the problem out of it. GETs retry 429, so it repeats.
        var server = new ScriptedServer(_ => Problem(HttpStatusCode.TooManyRequests, "rate_limited"));
        using var services = Services(server);

        var e = await Assert.ThrowsAsync<SessionApiException>(() => services.GetRequiredService<SessionApiClient>().GetDiagnosticsAsync());
        Assert.Equal(429, e.Status);
        Assert.Equal(ProblemCode.RateLimited, e.Code);
        Assert.Equal("scripted", e.Detail);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task A_base_address_with_a_path_keeps_it()
    {
        var server = new ScriptedServer(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"status\":\"ok\"}", Encoding.UTF8, "application/json") });
        using var services = Services(server, new Uri("http://127.0.0.1:5999/api"));

        await services.GetRequiredService<SessionApiClient>().GetHealthAsync();

        Assert.Equal("http://127.0.0.1:5999/api/health", server.Requests.Single().Uri.ToString());
    }

    [Fact]
    public void A_missing_base_address_is_refused_when_the_client_is_created()
    {
        var services = new ServiceCollection();
        services.AddSessionApiClient(o => o.Token = "t");
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<SessionApiClient>);
        Assert.Contains("BaseAddress", e.Message, StringComparison.Ordinal);
    }
}
