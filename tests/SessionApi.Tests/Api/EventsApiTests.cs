using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionApi.Storage.Changes;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary><c>GET /events</c> against the real app in memory: events, heartbeats, edge checks; resuming is in EventsApiResumeTests.</summary>
public sealed class EventsApiTests(EventsFactory factory) : IClassFixture<EventsFactory>
{
    private static string NewId() => "ev" + Guid.NewGuid().ToString("N")[..12];

    private SessionChanges Feed => factory.Services.GetRequiredService<SessionChanges>();

    [Fact]
    public async Task A_new_stream_starts_with_a_reset_then_carries_every_save_and_delete_as_it_happens()
    {
        var client = factory.Authorized();
        await using var events = await EventReader.OpenAsync(client);
        Assert.True(events.Response.Headers.CacheControl is { NoCache: true, NoStore: true }, "an event stream must not be cached");
        var (reset, position) = await events.NextAsync("reset");
        Assert.Equal("new", reset.GetProperty("reason").GetString());
        Assert.StartsWith(Feed.Run + "-", position, StringComparison.Ordinal);

        var id = NewId();
        var put = await client.PutAsync($"/sessions/{id}", Http.Json("{\"title\":\"hi\"}"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var answered = JsonDocument.Parse(await put.Content.ReadAsStringAsync()).RootElement;

        var (saved, savedId) = await events.NextAsync("saved");
        Assert.True(JsonElement.DeepEquals(answered, saved), $"the saved event's data is the SessionInfo the save answered: {saved} vs {answered}");
        Assert.Equal(["id", "size", "updatedAt", "etag"], saved.EnumerateObject().Select(p => p.Name));
        Assert.True(ChangePosition.TryParse(savedId, out var p1) && ChangePosition.TryParse(position, out var p0) && p1.Sequence > p0.Sequence);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sessions/{id}")).StatusCode);
        var (deleted, _) = await events.NextAsync("deleted");
        Assert.Equal($"{{\"id\":\"{id}\"}}", deleted.GetRawText());
    }

    [Fact]
    public async Task Diagnostics_count_the_open_streams()
    {
        var client = factory.Authorized();
        var before = await WatchersAsync(client);

        await using (var events = await EventReader.OpenAsync(client))
        {
            await events.NextAsync("reset"); // subscribed
            Assert.Equal(before + 1, await WatchersAsync(client));
        }

        // The stream's end reaches the server asynchronously: poll the real count, bounded.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await WatchersAsync(client) != before && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.Equal(before, await WatchersAsync(client));
    }

    private static async Task<int> WatchersAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/diagnostics")).RootElement.GetProperty("watchers").GetInt32();

    [Fact]
    public async Task Restoring_a_version_or_from_the_trash_is_a_saved_event_like_any_save()
    {
        var client = factory.Authorized();
        await using var events = await EventReader.OpenAsync(client);
        await events.NextAsync("reset");
        var id = NewId();
        await client.PutAsync($"/sessions/{id}", Http.Json("{\"v\":1}"));
        await client.PutAsync($"/sessions/{id}", Http.Json("{\"v\":2}"));
        await events.NextAsync("saved");
        await events.NextAsync("saved");

        var version = JsonDocument.Parse(await client.GetStringAsync($"/sessions/{id}/versions")).RootElement
            .GetProperty("items")[0].GetProperty("version").GetString();
        var restored = await client.PostAsync($"/sessions/{id}/versions/{version}/restore", null);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        var (fromVersion, _) = await events.NextAsync("saved");
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(await restored.Content.ReadAsStringAsync()).RootElement, fromVersion));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sessions/{id}")).StatusCode);
        await events.NextAsync("deleted");
        var back = await client.PostAsync($"/trash/{id}/restore", null);
        Assert.Equal(HttpStatusCode.Created, back.StatusCode);
        var (fromTrash, _) = await events.NextAsync("saved");
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(await back.Content.ReadAsStringAsync()).RootElement, fromTrash));
    }

    [Fact]
    public async Task Every_watcher_sees_every_save_whichever_client_made_it()
    {
        var writer = factory.Authorized();
        await using var one = await EventReader.OpenAsync(factory.Authorized());
        await using var two = await EventReader.OpenAsync(factory.Authorized());
        await one.NextAsync("reset");
        await two.NextAsync("reset");

        var id = NewId();
        await writer.PutAsync($"/sessions/{id}", Http.Json("{}"));
        Assert.Equal(id, (await one.NextAsync("saved")).Data.GetProperty("id").GetString());
        Assert.Equal(id, (await two.NextAsync("saved")).Data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_idle_stream_carries_comment_heartbeats()
    {
        // Its own server, idle for certain: nothing another test does can reach this stream.
        await using var idle = new EventsFactory();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events");
        using var response = await idle.Authorized().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var comments = 0;
        var lines = new List<string>();
        while (comments < 3)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.NotNull(line);
            lines.Add(line);
            comments += line.StartsWith(':') ? 1 : 0;
        }

        // The reset event, then only comments: nothing a listener would be handed.
        Assert.DoesNotContain(lines.Skip(4), l => l.StartsWith("event:", StringComparison.Ordinal) || l.StartsWith("data:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_need_the_token_like_every_route()
    {
        await Http.AssertProblem(await factory.Anonymous().GetAsync("/events"), 401, "unauthorized");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/events");
        wrong.Headers.TryAddWithoutValidation("Authorization", "Bearer not-the-token");
        await Http.AssertProblem(await factory.Anonymous().SendAsync(wrong), 401, "unauthorized");
        await Http.AssertProblem(await factory.Anonymous().GetAsync("/events?access_token=" + ApiFactory.Token), 401, "unauthorized");
    }

    [Fact]
    public async Task Events_refuse_a_foreign_origin_and_a_foreign_host()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/events");
        foreign.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
        await Http.AssertProblem(await factory.Authorized().SendAsync(foreign), 403, "origin_not_allowed");

        using var rebinding = new HttpRequestMessage(HttpMethod.Get, "/events");
        rebinding.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.Authorized().SendAsync(rebinding)).StatusCode);
    }

    [Fact]
    public async Task The_allowed_origin_may_send_Last_Event_ID_and_gets_the_stream()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/events");
        preflight.Headers.TryAddWithoutValidation("Origin", EventsFactory.AllowedOrigin);
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization,last-event-id");
        var answer = await factory.Anonymous().SendAsync(preflight);
        Assert.Equal(EventsFactory.AllowedOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("last-event-id", string.Join(",", answer.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        var client = factory.Authorized();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Origin", EventsFactory.AllowedOrigin);
        await using var events = await EventReader.OpenAsync(client, Feed.Current.ToString());
        Assert.Equal(EventsFactory.AllowedOrigin, events.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Stopping_the_application_ends_every_open_stream_at_once()
    {
        // Its own server: this test stops it.
        await using var own = new ApiFactory();
        var client = own.Authorized();
        await using var one = await EventReader.OpenAsync(client);
        await using var two = await EventReader.OpenAsync(client);
        await one.NextAsync("reset");
        await two.NextAsync("reset");

        own.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        Assert.True(await one.EndsAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await two.EndsAsync(TimeSpan.FromSeconds(5)));
    }
}
