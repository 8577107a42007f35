using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SessionApi.Storage.Changes;
using SessionApi.Storage.Sessions;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary><c>GET /events</c> picked up again: Last-Event-ID replays what was missed, or a reset says why it cannot; a watcher that stops reading is dropped with one.</summary>
public sealed class EventsApiResumeTests(EventsFactory factory) : IClassFixture<EventsFactory>
{
    private static string NewId() => "ev" + Guid.NewGuid().ToString("N")[..12];

    private SessionChanges Feed => factory.Services.GetRequiredService<SessionChanges>();

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
        await Eventually.HoldsAsync(() => Feed.WatcherCount < watchers, "the stuck watcher is still subscribed", TimeSpan.FromSeconds(10));

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
}
