using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionApi.Client;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Client;

/// <summary>The C# client against the real server (real store, real writer) through WebApplicationFactory.</summary>
public sealed class SessionApiClientTests : IClassFixture<ApiFactory>, IDisposable
{
    private readonly ApiFactory factory;
    private readonly ServiceProvider services;
    private readonly SessionApiClient client;

    public SessionApiClientTests(ApiFactory factory)
    {
        this.factory = factory;
        services = ClientServices.For(factory);
        client = services.GetRequiredService<SessionApiClient>();
    }

    public void Dispose() => services.Dispose();

    private static string NewId() => "c" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<SessionApiException> AssertProblem(Func<Task> call, int status, ProblemCode code)
    {
        var e = await Assert.ThrowsAsync<SessionApiException>(call);
        Assert.Equal(status, e.Status);
        Assert.Equal(code, e.Code);
        Assert.False(string.IsNullOrEmpty(e.Title), "problem without a title");
        Assert.False(string.IsNullOrEmpty(e.Detail), "problem without a detail");
        Assert.False(string.IsNullOrEmpty(e.Type), "problem without a type");
        Assert.Equal(status, e.Problem?.Status);
        return e;
    }

    [Fact]
    public async Task Health_answers_without_a_token()
    {
        using var anonymous = ClientServices.For(factory, token: null);
        var health = await anonymous.GetRequiredService<SessionApiClient>().GetHealthAsync();
        Assert.Equal("ok", health.Status);
    }

    [Fact]
    public async Task Put_creates_with_201_then_replaces_with_200_and_a_new_etag()
    {
        var id = NewId();
        var created = await client.SaveSessionAsync(id, "{\"v\":1}");
        Assert.True(created.Created);
        Assert.Equal(id, created.Session.Id);
        Assert.Equal(7, created.Session.Size);
        Assert.StartsWith("\"", created.Session.Etag, StringComparison.Ordinal);
        Assert.Equal(created.Session.Etag, created.Session.Etag);

        var replaced = await client.SaveSessionAsync(id, "{\"v\":2}");
        Assert.False(replaced.Created);
        Assert.NotEqual(created.Session.Etag, replaced.Session.Etag);
        Assert.Equal(replaced.Session.Etag, replaced.Session.Etag);
    }

    [Fact]
    public async Task List_has_every_saved_session_newest_first_with_its_etag()
    {
        var older = await client.SaveSessionAsync(NewId(), "{\"n\":1}");
        await FileClock.TickAsync(Path.GetDirectoryName(factory.Root)!); // updatedAt is the file's time: keep the two saves apart
        var newer = await client.SaveSessionAsync(NewId(), "{\"n\":2}");

        var items = await client.ListSessionsAsync();
        var ids = items.Select(i => i.Id).ToList();
        Assert.Contains(older.Session.Id, ids);
        Assert.True(ids.IndexOf(newer.Session.Id) < ids.IndexOf(older.Session.Id), "newest first");
        Assert.Equal(newer.Session.Etag, items.Single(i => i.Id == newer.Session.Id).Etag);
        Assert.Equal(items.OrderByDescending(i => i.UpdatedAt).Select(i => i.Id), ids);
    }

    [Fact]
    public async Task Get_returns_the_document_byte_for_byte_with_its_etag()
    {
        var id = NewId();
        // Whitespace inside and after the object, escapes and a number spelled oddly: any
        // re-serialization would change at least one of them.
        var bytes = Encoding.UTF8.GetBytes("{ \"text\" : \"h\\u00e9llo \u00e9 \uD83D\uDE00\",\n\t\"n\": 1.50e3, \"nested\": {\"a\" : [1, 2.0, null]} }  \n");
        var saved = await client.SaveSessionAsync(id, bytes);

        var document = await client.GetSessionAsync(id);
        Assert.Equal(id, document.Id);
        Assert.Equal(saved.Session.Etag, document.Etag);
        Assert.Equal(bytes, document.Utf8Json.ToArray());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(factory.Root, id + ".json")));
        Assert.Equal(Encoding.UTF8.GetString(bytes), document.GetJsonString());
        using (var json = document.ParseJson())
        {
            Assert.Equal(1500, json.RootElement.GetProperty("n").GetDouble());
        }

        await using var stream = document.OpenRead();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task A_parsed_document_is_saved_as_its_raw_text()
    {
        var id = NewId();
        using var parsed = JsonDocument.Parse("{\"kept\" : \"\\u0041\",  \"n\":10.0}");
        await client.SaveSessionAsync(id, parsed.RootElement);
        Assert.Equal("{\"kept\" : \"\\u0041\",  \"n\":10.0}", (await client.GetSessionAsync(id)).GetJsonString());
    }

    [Fact]
    public async Task Get_if_changed_is_null_while_the_etag_is_current()
    {
        var id = NewId();
        var first = await client.SaveSessionAsync(id, "{\"v\":1}");
        Assert.Null(await client.GetSessionAsync(id, first.Session.Etag));

        var second = await client.SaveSessionAsync(id, "{\"v\":2}");
        var changed = await client.GetSessionAsync(id, first.Session.Etag);
        Assert.NotNull(changed);
        Assert.Equal(second.Session.Etag, changed.Etag);
        Assert.Equal("{\"v\":2}", changed.GetJsonString());
    }

    [Fact]
    public async Task Update_with_the_current_etag_succeeds_and_a_stale_one_is_a_typed_412()
    {
        var id = NewId();
        var v1 = await client.SaveSessionAsync(id, "{\"v\":1}");
        var v2 = await client.SaveSessionAsync(id, "{\"v\":2}", ifMatch: v1.Session.Etag);
        Assert.False(v2.Created);

        var e = await AssertProblem(() => client.SaveSessionAsync(id, "{\"v\":3}", ifMatch: v1.Session.Etag), 412, ProblemCode.PreconditionFailed);
        Assert.Contains(id, e.Detail, StringComparison.Ordinal);
        Assert.Contains("precondition_failed", e.Message, StringComparison.Ordinal);

        var current = await client.GetSessionAsync(id);
        Assert.Equal(v2.Session.Etag, current.Etag);
        Assert.Equal("{\"v\":2}", current.GetJsonString());
    }

    [Fact]
    public async Task If_none_match_any_creates_once_then_is_a_typed_412()
    {
        var id = NewId();
        var created = await client.SaveSessionAsync(id, "{\"first\":true}", ifNoneMatch: "*");
        Assert.True(created.Created);

        await AssertProblem(() => client.SaveSessionAsync(id, "{\"second\":true}", ifNoneMatch: "*"), 412, ProblemCode.PreconditionFailed);
        Assert.Equal("{\"first\":true}", (await client.GetSessionAsync(id)).GetJsonString());
    }

    [Fact]
    public async Task Delete_removes_the_session_then_everything_about_it_is_404_not_found()
    {
        var id = NewId();
        var saved = await client.SaveSessionAsync(id, "{}");
        await AssertProblem(() => client.DeleteSessionAsync(id, ifMatch: "\"0000\""), 412, ProblemCode.PreconditionFailed);

        await client.DeleteSessionAsync(id, ifMatch: saved.Session.Etag);

        Assert.DoesNotContain(id, (await client.ListSessionsAsync()).Select(i => i.Id));
        Assert.False(File.Exists(Path.Combine(factory.Root, id + ".json")));
        await AssertProblem(() => client.GetSessionAsync(id), 404, ProblemCode.NotFound);
        await AssertProblem(() => client.DeleteSessionAsync(id), 404, ProblemCode.NotFound);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("con")]
    [InlineData("-leading-dash")]
    [InlineData("dot.ted")]
    public async Task An_invalid_id_is_a_typed_400_invalid_id(string id)
    {
        await AssertProblem(() => client.GetSessionAsync(id), 400, ProblemCode.InvalidId);
        await AssertProblem(() => client.SaveSessionAsync(id, "{}"), 400, ProblemCode.InvalidId);
        await AssertProblem(() => client.DeleteSessionAsync(id), 400, ProblemCode.InvalidId);
    }

    [Theory]
    [InlineData("{\"a\":", ProblemCode.InvalidJson)]
    [InlineData("{\"a\":1} trailing", ProblemCode.InvalidJson)]
    [InlineData("not json", ProblemCode.InvalidJson)]
    [InlineData("[1,2]", ProblemCode.NotAnObject)]
    public async Task A_body_that_is_not_a_json_object_is_sent_as_is_and_refused_with_a_typed_400(string body, ProblemCode code)
    {
        var id = NewId();
        await AssertProblem(() => client.SaveSessionAsync(id, body), 400, code);
        await AssertProblem(() => client.GetSessionAsync(id), 404, ProblemCode.NotFound);
    }

    [Fact]
    public async Task Without_the_token_or_with_a_wrong_one_every_session_call_is_a_typed_401()
    {
        using var anonymous = ClientServices.For(factory, token: null);
        using var wrong = ClientServices.For(factory, token: "not-the-token");
        foreach (var provider in new[] { anonymous, wrong })
        {
            var unauthorized = provider.GetRequiredService<SessionApiClient>();
            await AssertProblem(() => unauthorized.ListSessionsAsync(), 401, ProblemCode.Unauthorized);
            await AssertProblem(() => unauthorized.GetDiagnosticsAsync(), 401, ProblemCode.Unauthorized);
            await AssertProblem(() => unauthorized.SaveSessionAsync(NewId(), "{}"), 401, ProblemCode.Unauthorized);
        }
    }

    [Fact]
    public async Task The_token_travels_in_the_authorization_header_never_in_the_url()
    {
        RecordingHandler? recorder = null;
        using var provider = ClientServices.For(factory.Server.BaseAddress, () => recorder = new RecordingHandler(factory.Server.CreateHandler()));
        var recorded = provider.GetRequiredService<SessionApiClient>();
        var id = NewId();
        var saved = await recorded.SaveSessionAsync(id, "{}", ifNoneMatch: "*");
        await recorded.SaveSessionAsync(id, "{\"b\":1}", ifMatch: saved.Session.Etag);
        await recorded.GetSessionAsync(id);

        Assert.NotNull(recorder);
        Assert.Equal(3, recorder.Requests.Count);
        Assert.All(recorder.Requests, r =>
        {
            Assert.Equal("Bearer " + ApiFactory.Token, r.Authorization);
            Assert.Empty(r.Uri.Query);
            Assert.DoesNotContain(ApiFactory.Token, r.Uri.ToString(), StringComparison.Ordinal);
        });
        Assert.Equal(("*", (string?)null), (recorder.Requests[0].IfNoneMatch, recorder.Requests[0].IfMatch));
        Assert.Equal((saved.Session.Etag, (string?)null), (recorder.Requests[1].IfMatch, recorder.Requests[1].IfNoneMatch));
        Assert.Equal(((string?)null, (string?)null), (recorder.Requests[2].IfMatch, recorder.Requests[2].IfNoneMatch));
        Assert.Equal($"/sessions/{id}", recorder.Requests[2].Uri.AbsolutePath);
    }

    [Fact]
    public async Task Diagnostics_report_the_root_the_write_mode_and_the_counters()
    {
        await client.SaveSessionAsync(NewId(), "{}");
        var diagnostics = await client.GetDiagnosticsAsync();
        Assert.False(string.IsNullOrEmpty(diagnostics.Version));
        Assert.Equal(Path.GetFullPath(factory.Root).TrimEnd('/'), Path.GetFullPath(diagnostics.Root).TrimEnd('/'));
        Assert.Equal(WriteMode.AtomicRename, diagnostics.WriteMode); // a temp folder renames
        Assert.Equal(TempCreateMode.Exclusive, diagnostics.TempCreateMode); // ...and creates exclusively
        Assert.Equal(Path.GetFullPath(diagnostics.Root).TrimEnd('/'), diagnostics.PhysicalRoot); // not redirected
        Assert.False(diagnostics.Redirected);
        Assert.True(diagnostics.SessionCount >= 1);
        Assert.True(diagnostics.Counters["saves"] >= 1);
        Assert.NotNull(diagnostics.Quarantined);
    }
}
