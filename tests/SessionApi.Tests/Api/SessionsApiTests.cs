using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>Every row of the HTTP contract (docs/DESIGN.md), through the real store; the conditional requests are in SessionsApiPreconditionTests.</summary>
public sealed class SessionsApiTests(ObservedStoreFactory factory) : IClassFixture<ObservedStoreFactory>
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
        await FileClock.TickAsync(Path.GetDirectoryName(factory.Root)!); // updatedAt is the document's modification time
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
        Assert.Contains("RequestInterceptorFunction", config, StringComparison.Ordinal); // "Try it out" on the page's own origin
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problems()
    {
        await Http.AssertProblem(await client.GetAsync("/nothing-here"), 404, "not_found");
        await Http.AssertProblem(await client.PostAsync($"/sessions/{NewId()}", Http.Json("{}")), 405, "method_not_allowed");
    }
}
