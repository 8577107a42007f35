using System.Net;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>Both read paths (small documents from memory, large ones streamed) return the exact bytes; 304 needs no disk.</summary>
public sealed class ReadPathTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData(10_000)] // read whole, lock released before sending
    [InlineData(64 * 1024)] // the boundary
    [InlineData(300_000)] // streamed under the lock
    public async Task A_document_comes_back_byte_for_byte_with_its_etag_and_length(int size)
    {
        using var client = factory.Authorized();
        var body = Bodies.Session(size, seed: size);
        var saved = await client.PutAsync($"/sessions/read-{size}", Http.JsonBytes(body));

        using var response = await client.GetAsync($"/sessions/read-{size}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(saved.Headers.ETag, response.Headers.ETag);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_matching_if_none_match_is_answered_from_the_index_even_if_the_file_vanished()
    {
        using var client = factory.Authorized();
        var saved = await client.PutAsync("/sessions/cached", Http.Json("{\"v\":1}"));
        File.Delete(Path.Combine(factory.Root, "cached.json")); // behind the server's back

        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions/cached");
        request.Headers.IfNoneMatch.Add(saved.Headers.ETag!);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(saved.Headers.ETag, response.Headers.ETag);

        // Without the condition the disk is consulted, and the index follows it.
        await Http.AssertProblem(await client.GetAsync("/sessions/cached"), 404, "not_found");
    }
}
