using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.History;

/// <summary>Every row of the versions and trash contract, through the real store and writer.</summary>
public sealed class HistoryApiTests(HistoryApiTests.Factory factory) : IClassFixture<HistoryApiTests.Factory>
{
    /// <summary>
    /// No merge window, so each save in a test keeps its own version. The app's clock is a fake one,
    /// moved on only by the tests: the trash dates a delete by it (a version is dated by its file).
    /// </summary>
    public sealed class Factory : ApiFactory
    {
        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["History:MergeWindow"] = "00:00:00" };

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);
    }

    private readonly HttpClient client = factory.Authorized();

    private static string NewId() => "h" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Every_replace_keeps_the_replaced_document_as_a_version_listed_newest_first()
    {
        var id = NewId();
        var etags = new List<string>();
        foreach (var body in new[] { "{\"v\":1}", "{\"v\":2}", "{ \"v\" : 3 }" })
        {
            etags.Add(await PutAsync(id, body));
        }

        var items = await ListVersionsAsync(id);
        Assert.Equal([etags[1], etags[0]], items.Select(i => i.GetProperty("etag").GetString()));
        Assert.Equal([7L, 7L], items.Select(i => i.GetProperty("size").GetInt64()));
        var savedAt = items.Select(i => i.GetProperty("savedAt").GetDateTimeOffset()).ToList();
        Assert.True(savedAt[0] >= savedAt[1]);

        // Each version byte for byte, with its ETag, and a plain file under .history/<id>/.
        var newest = items[0].GetProperty("version").GetString()!;
        using var response = await client.GetAsync($"/sessions/{id}/versions/{newest}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(etags[1], response.Headers.ETag?.ToString());
        Assert.Equal("{\"v\":2}", await response.Content.ReadAsStringAsync());
        Assert.Equal("{\"v\":2}", File.ReadAllText(Path.Combine(factory.Root, ".history", id, newest + ".json")));

        // Never listed as sessions.
        var sessions = JsonDocument.Parse(await client.GetStringAsync("/sessions")).RootElement.GetProperty("items");
        Assert.Single(sessions.EnumerateArray(), s => s.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_save_of_the_same_bytes_keeps_no_version()
    {
        var id = NewId();
        await PutAsync(id, "{\"same\":true}");
        await PutAsync(id, "{\"same\":true}");
        Assert.Empty(await ListVersionsAsync(id));
    }

    [Fact]
    public async Task Versions_of_a_session_that_never_existed_are_404_and_bad_names_400()
    {
        await Http.AssertProblem(await client.GetAsync($"/sessions/{NewId()}/versions"), 404, "not_found");
        await Http.AssertProblem(await client.GetAsync("/sessions/Bad.Id/versions"), 400, "invalid_id");

        var id = NewId();
        await PutAsync(id, "{\"v\":1}");
        Assert.Empty(await ListVersionsAsync(id)); // a document without versions: an empty list, not 404

        await Http.AssertProblem(await client.GetAsync($"/sessions/{id}/versions/latest"), 400, "invalid_version");
        await Http.AssertProblem(await client.GetAsync($"/sessions/{id}/versions/..%2F..%2Fx"), 400, "invalid_version");
        await Http.AssertProblem(await client.PostAsync($"/sessions/{id}/versions/nope/restore", null), 400, "invalid_version");
        var unknown = "20260101t000000000z-" + new string('0', 32);
        await Http.AssertProblem(await client.GetAsync($"/sessions/{id}/versions/{unknown}"), 404, "not_found");
        await Http.AssertProblem(await client.PostAsync($"/sessions/{id}/versions/{unknown}/restore", null), 404, "not_found");
    }

    [Fact]
    public async Task Restoring_a_version_is_a_save_whose_replaced_document_becomes_a_version()
    {
        var id = NewId();
        var first = await PutAsync(id, "{\"v\":\"good\"}");
        var bad = await PutAsync(id, "{}");
        var version = (await ListVersionsAsync(id))[0].GetProperty("version").GetString()!;

        // If-Match is honoured: a stale tag is 412, a malformed header 400, and nothing changes.
        using (var stale = new HttpRequestMessage(HttpMethod.Post, $"/sessions/{id}/versions/{version}/restore"))
        {
            stale.Headers.TryAddWithoutValidation("If-Match", first);
            await Http.AssertProblem(await client.SendAsync(stale), 412, "precondition_failed");
        }

        using (var malformed = new HttpRequestMessage(HttpMethod.Post, $"/sessions/{id}/versions/{version}/restore"))
        {
            malformed.Headers.TryAddWithoutValidation("If-Match", "not-quoted");
            await Http.AssertProblem(await client.SendAsync(malformed), 400, "invalid_header");
        }

        Assert.Equal("{}", await client.GetStringAsync($"/sessions/{id}"));

        using var restore = new HttpRequestMessage(HttpMethod.Post, $"/sessions/{id}/versions/{version}/restore");
        restore.Headers.TryAddWithoutValidation("If-Match", bad);
        using var response = await client.SendAsync(restore);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(first, response.Headers.ETag?.ToString());
        var info = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(first, info.GetProperty("etag").GetString());
        Assert.Equal(id, info.GetProperty("id").GetString());
        Assert.Equal("{\"v\":\"good\"}", await client.GetStringAsync($"/sessions/{id}"));

        // The bad save is now the newest version: the restore can be undone.
        var items = await ListVersionsAsync(id);
        Assert.Equal(bad, items[0].GetProperty("etag").GetString());
        Assert.Equal([bad, first], items.Select(i => i.GetProperty("etag").GetString()));
    }

    [Fact]
    public async Task Delete_moves_the_session_to_the_trash_and_restore_brings_it_back_byte_for_byte()
    {
        var id = NewId();
        const string document = "{ \"messages\" : [ \"hello\" ] }";
        var etag = await PutAsync(id, document);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{id}")).StatusCode);

        var trashed = Assert.Single(await ListTrashAsync(), t => t.GetProperty("id").GetString() == id);
        Assert.Equal(etag, trashed.GetProperty("etag").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(document), trashed.GetProperty("size").GetInt64());
        Assert.Equal(factory.Time.GetUtcNow().ToUnixTimeMilliseconds(), trashed.GetProperty("deletedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Single(Directory.GetFiles(Path.Combine(factory.Root, ".trash", id)));
        Assert.DoesNotContain(id + ".json", Directory.GetFiles(factory.Root).Select(Path.GetFileName));

        using var restored = await client.PostAsync($"/trash/{id}/restore", null);
        Assert.Equal(HttpStatusCode.Created, restored.StatusCode);
        Assert.Equal(etag, restored.Headers.ETag?.ToString());
        Assert.Equal($"/sessions/{id}", restored.Headers.Location?.ToString());
        Assert.Equal(document, await client.GetStringAsync($"/sessions/{id}"));
        Assert.DoesNotContain(await ListTrashAsync(), t => t.GetProperty("id").GetString() == id);

        // Deleted again and created anew: the trashed one cannot replace the session that exists.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sessions/{id}")).StatusCode);
        await PutAsync(id, "{\"new\":1}");
        await Http.AssertProblem(await client.PostAsync($"/trash/{id}/restore", null), 409, "already_exists");
        Assert.Equal("{\"new\":1}", await client.GetStringAsync($"/sessions/{id}"));

        await Http.AssertProblem(await client.PostAsync($"/trash/{NewId()}/restore", null), 404, "not_found");
        await Http.AssertProblem(await client.PostAsync("/trash/NOT..valid/restore", null), 400, "invalid_id");
    }

    [Fact]
    public async Task The_trash_is_listed_newest_first()
    {
        var (a, b) = (NewId(), NewId());
        await PutAsync(a, "{}");
        await PutAsync(b, "{}");
        await client.DeleteAsync($"/sessions/{a}");
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        await client.DeleteAsync($"/sessions/{b}");
        var ids = (await ListTrashAsync()).Select(t => t.GetProperty("id").GetString()).Where(i => i == a || i == b).ToList();
        Assert.Equal([b, a], ids);
    }

    [Fact]
    public async Task A_deleted_session_keeps_its_versions_and_one_of_them_can_be_restored_with_201()
    {
        var id = NewId();
        await PutAsync(id, "{\"v\":1}");
        await PutAsync(id, "{\"v\":2}");
        await client.DeleteAsync($"/sessions/{id}");
        var version = Assert.Single(await ListVersionsAsync(id)).GetProperty("version").GetString()!;

        using var response = await client.PostAsync($"/sessions/{id}/versions/{version}/restore", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("{\"v\":1}", await client.GetStringAsync($"/sessions/{id}"));
    }

    [Fact]
    public async Task Diagnostics_count_versions_and_trash_with_their_bytes()
    {
        var id = NewId();
        await PutAsync(id, "{\"v\":1}");
        await PutAsync(id, "{\"v\":22}");
        await client.DeleteAsync($"/sessions/{id}");
        var history = JsonDocument.Parse(await client.GetStringAsync("/diagnostics")).RootElement.GetProperty("history");
        Assert.True(history.GetProperty("enabled").GetBoolean());
        Assert.True(history.GetProperty("versions").GetInt32() >= 1);
        Assert.True(history.GetProperty("versionBytes").GetInt64() >= 7);
        Assert.True(history.GetProperty("trashItems").GetInt32() >= 1);
        Assert.True(history.GetProperty("trashBytes").GetInt64() >= 8);

        var onDisk = Directory.EnumerateFiles(Path.Combine(factory.Root, ".history"), "*.json", SearchOption.AllDirectories).ToList();
        Assert.Equal(onDisk.Count, history.GetProperty("versions").GetInt32());
        Assert.Equal(onDisk.Sum(f => new FileInfo(f).Length), history.GetProperty("versionBytes").GetInt64());
    }

    private async Task<string> PutAsync(string id, string body)
    {
        using var response = await client.PutAsync($"/sessions/{id}", Http.Json(body));
        Assert.True(response.IsSuccessStatusCode, $"PUT {id}: {(int)response.StatusCode}");
        return response.Headers.ETag!.ToString();
    }

    private async Task<List<JsonElement>> ListVersionsAsync(string id)
    {
        using var response = await client.GetAsync($"/sessions/{id}/versions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    private async Task<List<JsonElement>> ListTrashAsync() =>
        [.. JsonDocument.Parse(await client.GetStringAsync("/trash")).RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
}
