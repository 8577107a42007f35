using Microsoft.Extensions.DependencyInjection;
using SessionApi.Client;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Client;

/// <summary>The C# client's <c>WatchAsync</c> against the real server in memory.</summary>
public sealed class SessionApiClientWatchTests : IClassFixture<ApiFactory>, IDisposable
{
    private readonly ServiceProvider services;
    private readonly SessionApiClient client;
    private readonly ApiFactory factory;

    public SessionApiClientWatchTests(ApiFactory factory)
    {
        this.factory = factory;
        services = ClientServices.For(factory);
        client = services.GetRequiredService<SessionApiClient>();
    }

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task WatchAsync_yields_a_reset_then_typed_saved_and_deleted_events()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = client.WatchAsync(cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(SessionEventType.Reset, events.Current.Event);
        Assert.Equal(StreamResetReason.New, events.Current.Reset!.Reason);

        var saved = await client.PutSessionAsync("watched-by-csharp", "{\"a\":1}");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(SessionEventType.Saved, events.Current.Event);
        Assert.Equal(("watched-by-csharp", saved.ETag, 7L), (events.Current.Saved!.Id, events.Current.Saved.Etag, events.Current.Saved.Size));
        Assert.Equal("watched-by-csharp", events.Current.SessionId);
        var savedEventId = events.Current.Id;

        await client.DeleteSessionAsync("watched-by-csharp");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((SessionEventType.Deleted, "watched-by-csharp"), (events.Current.Event, events.Current.Deleted!.Id));

        // Resuming after the saved event replays the delete, without a reset.
        await using var resumed = client.WatchAsync(savedEventId, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await resumed.MoveNextAsync());
        Assert.Equal((SessionEventType.Deleted, "watched-by-csharp"), (resumed.Current.Event, resumed.Current.SessionId));
    }

    [Fact]
    public async Task WatchAsync_with_a_wrong_token_throws_instead_of_retrying()
    {
        using var wrong = ClientServices.For(factory, token: "not-the-token");
        var e = await Assert.ThrowsAsync<SessionApiException>(async () =>
        {
            await foreach (var _ in wrong.GetRequiredService<SessionApiClient>().WatchAsync())
            {
            }
        });
        Assert.Equal((401, SessionApiErrorCodes.Unauthorized), (e.Status, e.Code));
    }

    [Fact]
    public void Reconnect_delays_grow_from_a_quarter_second_to_ten_seconds()
    {
        Assert.Equal(
            [0.25, 0.5, 1, 2, 4, 8, 10, 10],
            Enumerable.Range(1, 8).Select(n => SessionEventWatcher.RetryDelay(n).TotalSeconds));
    }
}
