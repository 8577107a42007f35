using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionApi.Store;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary><c>GET /events</c> against the real app in memory: events, resume, resets, overflow, heartbeats, edge checks.</summary>
public sealed class EventsApiTests(EventsApiTests.EventsFactory factory) : IClassFixture<EventsApiTests.EventsFactory>
{
    public const string AllowedOrigin = "http://app.localhost:3000";

    public sealed class EventsFactory : ApiFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Security:AllowedOrigins:0"] = AllowedOrigin,
            ["Events:ReplayCapacity"] = "16",
            ["Events:WatcherCapacity"] = "8",
            ["Events:HeartbeatInterval"] = "00:00:00.200",

            // Each change handed over as it is published, not in batches a few milliseconds later:
            // the tests share this server, and a batch still waiting when a test ends would reach the
            // next test's new watcher live. Batching has its own tests (SessionChangesTests, on a fake
            // clock); the process and client tests run it as shipped.
            ["Events:DeliveryDelay"] = "00:00:00",
        };
    }

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
    public async Task Reconnecting_with_Last_Event_ID_replays_exactly_the_missed_events_in_order()
    {
        var client = factory.Authorized();
        string lastSeen;
        await using (var first = await EventReader.OpenAsync(client))
        {
            lastSeen = (await first.NextAsync("reset")).Id;
        }

        var a = NewId();
        var b = NewId();
        await client.PutAsync($"/sessions/{a}", Http.Json("{\"n\":1}"));
        await client.PutAsync($"/sessions/{b}", Http.Json("{\"n\":2}"));
        await client.PutAsync($"/sessions/{a}", Http.Json("{\"n\":3}"));
        await client.DeleteAsync($"/sessions/{b}");

        await using var resumed = await EventReader.OpenAsync(client, lastSeen);
        var replayed = new List<(string? Type, string? Id)>();
        for (var i = 0; i < 4; i++)
        {
            var item = await resumed.NextAsync();
            replayed.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.GetProperty("id").GetString()));
        }

        Assert.Equal([("saved", a), ("saved", b), ("saved", a), ("deleted", b)], replayed);

        // Then live, with no reset in between.
        var c = NewId();
        await client.PutAsync($"/sessions/{c}", Http.Json("{}"));
        Assert.Equal(c, (await resumed.NextAsync("saved")).Data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Resuming_from_another_server_run_or_from_too_far_back_is_a_reset_with_the_reason()
    {
        var client = factory.Authorized();
        await using (var otherRun = await EventReader.OpenAsync(client, "00000000deadbeef-3"))
        {
            Assert.Equal("unknown", (await otherRun.NextAsync("reset")).Data.GetProperty("reason").GetString());
        }

        var old = Feed.Current.ToString();
        for (var i = 0; i < 17; i++)
        {
            await client.PutAsync($"/sessions/{NewId()}", Http.Json("{}")); // one more than the 16 kept
        }

        await using var tooFarBack = await EventReader.OpenAsync(client, old);
        var (reset, id) = await tooFarBack.NextAsync("reset");
        Assert.Equal("expired", reset.GetProperty("reason").GetString());
        Assert.Equal(Feed.Current.ToString(), id); // the position the fresh list starts from
    }

    [Fact]
    public async Task A_watcher_that_stops_reading_is_dropped_with_a_reset_and_saves_go_on()
    {
        var client = factory.Authorized();
        await using var stuck = await EventReader.OpenAsync(client);
        var (_, start) = await stuck.NextAsync("reset");
        var watchers = Feed.WatcherCount;

        // The stuck watcher reads nothing while far more is published than its connection buffers
        // (the test server's response pipe pauses the writer at 64 KiB) and its queue holds (8).
        var info = new SessionInfo(new string('x', 128), 1, DateTimeOffset.UnixEpoch, "\"" + new string('e', 32) + "\"");
        Assert.True(SessionId.TryParse(info.Id, out var sessionId));
        for (var i = 0; i < 2000; i++)
        {
            Feed.Publish(SessionChangeKind.Saved, sessionId, info);
        }

        // A real save is not held up by it, and the change that overflows its queue drops it.
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/sessions/{id}", Http.Json("{}")).WaitAsync(TimeSpan.FromSeconds(30))).StatusCode);
        var dropBy = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Feed.WatcherCount >= watchers && DateTime.UtcNow < dropBy)
        {
            await Task.Delay(10);
        }

        Assert.True(Feed.WatcherCount < watchers, "the stuck watcher is still subscribed");

        // What it gets when it reads again: a gapless run of saves from its start, a reset, the end.
        Assert.True(ChangePosition.TryParse(start, out var expected));
        var saves = 0;
        while (true)
        {
            var item = await stuck.NextAsync();
            if (item.EventType == "reset")
            {
                Assert.Equal("overflow", JsonDocument.Parse(item.Data).RootElement.GetProperty("reason").GetString());
                break;
            }

            Assert.Equal("saved", item.EventType);
            Assert.True(ChangePosition.TryParse(item.EventId, out var position));
            Assert.Equal(expected.Sequence + 1, position.Sequence);
            expected = position;
            saves++;
        }

        Assert.InRange(saves, 8, 1999);
        Assert.True(await stuck.EndsAsync(TimeSpan.FromSeconds(10)), "the stream goes on after the overflow reset");
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
        preflight.Headers.TryAddWithoutValidation("Origin", AllowedOrigin);
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization,last-event-id");
        var answer = await factory.Anonymous().SendAsync(preflight);
        Assert.Equal(AllowedOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("last-event-id", string.Join(",", answer.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        var client = factory.Authorized();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Origin", AllowedOrigin);
        await using var events = await EventReader.OpenAsync(client, Feed.Current.ToString());
        Assert.Equal(AllowedOrigin, events.Response.Headers.GetValues("Access-Control-Allow-Origin").Single());
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
