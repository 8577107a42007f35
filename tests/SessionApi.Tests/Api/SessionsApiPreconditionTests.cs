using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>The HTTP contract's conditional requests: If-Match and If-None-Match on GET, PUT and DELETE, checked under the session's lock.</summary>
public sealed class SessionsApiPreconditionTests(ObservedStoreFactory factory) : IClassFixture<ObservedStoreFactory>
{
    private readonly HttpClient client = factory.Authorized();

    private static string NewId() => "s" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task If_match_with_several_tags_is_checked_against_the_version_current_when_the_save_runs()
    {
        // v1 is current when the conditional PUT arrives; a save of v2 holds the session's lock and
        // lands first. The PUT lists both tags, so it must succeed over v2: the condition is evaluated
        // under the lock, not against a snapshot taken before it.
        var (id, v1, v2, gate, slowSave) = await StartSlowSaveOfV2Async();

        using var conditional = new HttpRequestMessage(HttpMethod.Put, $"/sessions/{id}") { Content = Http.Json("{\"v\":3}") };
        conditional.Headers.TryAddWithoutValidation("If-Match", $"{v1}, {v2}");
        var reachedTheStore = factory.Store.NextWaitingCall(id);
        var conditionalSave = client.SendAsync(conditional);
        await reachedTheStore.WaitAsync(TimeSpan.FromSeconds(30)); // in the store, waiting for the lock, while v1 is still current
        gate.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await slowSave).StatusCode);
        var response = await conditionalSave;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"v\":3}", await client.GetStringAsync($"/sessions/{id}"));
    }

    [Fact]
    public async Task If_match_on_delete_is_checked_against_the_version_current_when_the_delete_runs()
    {
        var (id, v1, v2, gate, slowSave) = await StartSlowSaveOfV2Async();

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/sessions/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", $"{v1}, {v2}");
        var reachedTheStore = factory.Store.NextWaitingCall(id);
        var conditionalDelete = client.SendAsync(delete);
        await reachedTheStore.WaitAsync(TimeSpan.FromSeconds(30));
        gate.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await slowSave).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await conditionalDelete).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{id}")).StatusCode);
    }

    /// <summary>
    /// A session at v1, and a save of v2 over it that holds the session's lock until <c>gate</c> is
    /// set; v2's ETag is known beforehand (the same bytes saved under another id).
    /// </summary>
    private async Task<(string Id, string V1, string V2, TaskCompletionSource Gate, Task<HttpResponseMessage> SlowSave)> StartSlowSaveOfV2Async()
    {
        var id = NewId();
        var v1 = (await client.PutAsync($"/sessions/{id}", Http.Json("{\"v\":1}"))).Headers.ETag!.ToString();
        var v2 = (await client.PutAsync($"/sessions/{NewId()}", Http.Json("{\"v\":2}"))).Headers.ETag!.ToString();
        var gate = new TaskCompletionSource();
        var slowSave = client.PutAsync($"/sessions/{id}", new GatedContent(Encoding.UTF8.GetBytes("{\"v\":2}"), gate.Task));
        await WaitForTempFileAsync(id);
        return (id, v1, v2, gate, slowSave);
    }

    /// <summary>A save holds its session's lock from before its temp file exists until it is done.</summary>
    private Task WaitForTempFileAsync(string id) =>
        Eventually.HoldsAsync(() => Directory.EnumerateFiles(factory.Root, id + ".json.*.tmp").Any(), "the gated save never started writing");

    [Fact]
    public async Task Get_with_if_none_match_answers_304_only_for_the_current_etag()
    {
        var id = NewId();
        var put = await client.PutAsync($"/sessions/{id}", Http.Json("{}"));
        var etag = put.Headers.ETag!.ToString();

        using var current = new HttpRequestMessage(HttpMethod.Get, $"/sessions/{id}");
        current.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var notModified = await client.SendAsync(current);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag?.ToString());
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var weak = new HttpRequestMessage(HttpMethod.Get, $"/sessions/{id}");
        weak.Headers.TryAddWithoutValidation("If-None-Match", "W/" + etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(weak)).StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/sessions/{id}");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"stale\"");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task Put_if_match_saves_only_over_the_current_version()
    {
        var id = NewId();
        var created = await client.PutAsync($"/sessions/{id}", Http.Json("{\"v\":1}"));

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/sessions/{id}") { Content = Http.Json("{\"v\":2}") };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"not-the-etag\""));
        await Http.AssertProblem(await client.SendAsync(stale), 412, "precondition_failed");

        using var current = new HttpRequestMessage(HttpMethod.Put, $"/sessions/{id}") { Content = Http.Json("{\"v\":3}") };
        current.Headers.IfMatch.Add(created.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(current)).StatusCode);
        Assert.Equal("{\"v\":3}", await client.GetStringAsync($"/sessions/{id}"));
    }

    [Fact]
    public async Task Put_if_match_on_a_missing_session_is_412()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/sessions/{NewId()}") { Content = Http.Json("{}") };
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        await Http.AssertProblem(await client.SendAsync(request), 412, "precondition_failed");
    }

    [Fact]
    public async Task Put_if_none_match_star_creates_only()
    {
        var id = NewId();
        using var create = new HttpRequestMessage(HttpMethod.Put, $"/sessions/{id}") { Content = Http.Json("{\"v\":1}") };
        create.Headers.TryAddWithoutValidation("If-None-Match", "*");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(create)).StatusCode);

        using var again = new HttpRequestMessage(HttpMethod.Put, $"/sessions/{id}") { Content = Http.Json("{\"v\":2}") };
        again.Headers.TryAddWithoutValidation("If-None-Match", "*");
        await Http.AssertProblem(await client.SendAsync(again), 412, "precondition_failed");
        Assert.Equal("{\"v\":1}", await client.GetStringAsync($"/sessions/{id}"));
    }

    [Fact]
    public async Task Delete_if_match_deletes_only_that_version()
    {
        var id = NewId();
        var put = await client.PutAsync($"/sessions/{id}", Http.Json("{}"));

        using var stale = new HttpRequestMessage(HttpMethod.Delete, $"/sessions/{id}");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"stale\"");
        await Http.AssertProblem(await client.SendAsync(stale), 412, "precondition_failed");

        using var current = new HttpRequestMessage(HttpMethod.Delete, $"/sessions/{id}");
        current.Headers.IfMatch.Add(put.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(current)).StatusCode);
    }
}
