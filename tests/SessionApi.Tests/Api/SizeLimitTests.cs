using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>The size limit, with a small Storage:MaxSessionBytes.</summary>
public sealed class SizeLimitTests(SizeLimitTests.SmallLimitFactory factory) : IClassFixture<SizeLimitTests.SmallLimitFactory>
{
    public sealed class SmallLimitFactory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Storage:MaxSessionBytes"] = "1024" };
    }

    [Fact]
    public async Task A_body_over_the_limit_with_content_length_is_413_too_large()
    {
        var client = factory.Authorized();
        var response = await client.PutAsync("/sessions/big", Http.JsonBytes(Bodies.Session(4096)));
        await Http.AssertProblem(response, 413, "too_large");
        Assert.False(File.Exists(Path.Combine(factory.Root, "big.json")));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_too_large_and_leaves_no_temp()
    {
        var client = factory.Authorized();
        var content = new StreamContent(new GeneratedSessionStream(8192));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/sessions/chunked") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await Http.AssertProblem(await client.SendAsync(request), 413, "too_large");
        Assert.DoesNotContain(Directory.EnumerateFiles(factory.Root), f => !Path.GetFileName(f).StartsWith('.'));
    }

    [Fact]
    public async Task A_body_at_the_limit_is_accepted()
    {
        var client = factory.Authorized();
        var body = "{\"t\":\"" + new string('x', 1024 - 8) + "\"}";
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(body));
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/exact", Http.Json(body))).StatusCode);
    }
}
