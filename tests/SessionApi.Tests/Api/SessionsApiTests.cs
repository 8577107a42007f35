using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>Every row of the HTTP contract (docs/DESIGN.md), through the real store.</summary>
public sealed class SessionsApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient client = factory.Authorized();

    private static string NewId() => "s" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Health_answers_without_a_token()
    {
        var response = await factory.Anonymous().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Put_creates_with_201_etag_location_and_metadata()
    {
        var id = NewId();
        var response = await client.PutAsync($"/sessions/{id}", Http.Json("{\"a\":1}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/sessions/{id}", response.Headers.Location?.ToString());
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal(7, body.GetProperty("size").GetInt64());
        Assert.Equal(etag.ToString(), body.GetProperty("etag").GetString());
        Assert.True(body.TryGetProperty("updatedAt", out _));
        Assert.True(File.Exists(Path.Combine(factory.Root, id + ".json")));
    }

    [Fact]
    public async Task If_match_with_several_tags_is_checked_against_the_version_current_when_the_save_runs()
    {
        // v1 is current when the conditional PUT arrives; a save of v2 holds the session's lock and
        // lands first. The PUT lists both tags, so it must succeed over v2: the condition is evaluated
        // under the lock, not against a snapshot taken before it.
        var (id, v1, v2, gate, slowSave) = await StartSlowSaveOfV2Async();

        using var conditional = new HttpRequestMessage(HttpMethod.Put, $"/sessions/{id}") { Content = Http.Json("{\"v\":3}") };
        conditional.Headers.TryAddWithoutValidation("If-Match", $"{v1}, {v2}");
        var conditionalSave = client.SendAsync(conditional);
        await Task.Delay(200); // lets the conditional PUT reach the store while v1 is still current
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
        var conditionalDelete = client.SendAsync(delete);
        await Task.Delay(200);
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
    private async Task WaitForTempFileAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Directory.EnumerateFiles(factory.Root, id + ".json.*.tmp").Any())
        {
            Assert.True(DateTime.UtcNow < deadline, "the gated save never started writing");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Put_replaces_with_200_and_a_new_etag()
    {
        var id = NewId();
        var first = await client.PutAsync($"/sessions/{id}", Http.Json("{\"v\":1}"));
        var second = await client.PutAsync($"/sessions/{id}", Http.Json("{\"v\":2}"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task Get_returns_the_bytes_exactly_as_saved_with_the_etag()
    {
        var id = NewId();
        var bytes = Encoding.UTF8.GetBytes("{ \"text\" : \"h\\u00e9llo \u00e9 \uD83D\uDE00\",\n\t\"n\": 1.50e3 }  \n");
        var put = await client.PutAsync($"/sessions/{id}", Http.JsonBytes(bytes));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var get = await client.GetAsync($"/sessions/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("application/json", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(put.Headers.ETag, get.Headers.ETag);
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
    }

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
    public async Task Get_of_a_missing_session_is_404_not_found()
    {
        await Http.AssertProblem(await client.GetAsync($"/sessions/{NewId()}"), 404, "not_found");
    }

    [Fact]
    public async Task List_is_newest_first_with_id_size_updatedAt_etag()
    {
        var older = NewId();
        var newer = NewId();
        await client.PutAsync($"/sessions/{older}", Http.Json("{\"o\":1}"));
        await Task.Delay(20);
        await client.PutAsync($"/sessions/{newer}", Http.Json("{\"n\":22}"));

        var response = await client.GetAsync("/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items")
            .EnumerateArray().ToList();
        var ids = items.Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.True(ids.IndexOf(newer) < ids.IndexOf(older), string.Join(",", ids));
        var item = items.Single(i => i.GetProperty("id").GetString() == newer);
        Assert.Equal(8, item.GetProperty("size").GetInt64());
        Assert.StartsWith("\"", item.GetProperty("etag").GetString(), StringComparison.Ordinal);
        var times = items.Select(i => i.GetProperty("updatedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
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

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Put_without_a_json_content_type_is_415(string? contentType)
    {
        var content = new ByteArrayContent("{}"u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        await Http.AssertProblem(await client.PutAsync($"/sessions/{NewId()}", content), 415, "unsupported_media_type");
    }

    [Theory]
    [InlineData("{\"a\":", "invalid_json")]
    [InlineData("", "invalid_json")]
    [InlineData("[1,2]", "not_an_object")]
    [InlineData("\"text\"", "not_an_object")]
    [InlineData("null", "not_an_object")]
    public async Task Put_of_a_bad_body_is_400_and_keeps_the_previous_version(string body, string code)
    {
        var id = NewId();
        await client.PutAsync($"/sessions/{id}", Http.Json("{\"keep\":true}"));
        await Http.AssertProblem(await client.PutAsync($"/sessions/{id}", Http.Json(body)), 400, code);
        Assert.Equal("{\"keep\":true}", await client.GetStringAsync($"/sessions/{id}"));
        Assert.DoesNotContain(Directory.EnumerateFiles(factory.Root), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_nested_too_deep_is_400_too_deep()
    {
        var body = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)) + "}";
        await Http.AssertProblem(await client.PutAsync($"/sessions/{NewId()}", Http.Json(body)), 400, "too_deep");
    }

    [Fact]
    public async Task Delete_answers_204_then_404()
    {
        var id = NewId();
        await client.PutAsync($"/sessions/{id}", Http.Json("{}"));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sessions/{id}")).StatusCode);
        Assert.False(File.Exists(Path.Combine(factory.Root, id + ".json")));
        await Http.AssertProblem(await client.DeleteAsync($"/sessions/{id}"), 404, "not_found");
        await Http.AssertProblem(await client.GetAsync($"/sessions/{id}"), 404, "not_found");
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

    [Fact]
    public async Task Diagnostics_reports_version_root_write_mode_counters_and_free_space()
    {
        var response = await client.GetAsync("/diagnostics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("0.1.0", body.GetProperty("version").GetString());
        Assert.Equal(factory.Root, body.GetProperty("root").GetString());
        Assert.Equal("atomic-rename", body.GetProperty("writeMode").GetString()); // a temp folder renames
        Assert.Equal(JsonValueKind.Number, body.GetProperty("counters").GetProperty("saves").ValueKind);
        Assert.True(body.GetProperty("freeBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task A_large_session_round_trips()
    {
        var id = NewId();
        var bytes = Bodies.Session(3 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/sessions/{id}", Http.JsonBytes(bytes))).StatusCode);
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/sessions/{id}"));
    }

    [Fact]
    public async Task OpenApi_document_and_swagger_ui_need_no_token()
    {
        var anonymous = factory.Anonymous();
        var doc = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, doc.StatusCode);
        var ui = await anonymous.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var config = await anonymous.GetStringAsync("/swagger/index.js");
        Assert.Contains("/openapi/v1.json", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problems()
    {
        await Http.AssertProblem(await client.GetAsync("/nothing-here"), 404, "not_found");
        await Http.AssertProblem(await client.PostAsync($"/sessions/{NewId()}", Http.Json("{}")), 405, "method_not_allowed");
    }
}

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
