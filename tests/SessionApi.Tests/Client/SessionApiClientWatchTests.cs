using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SessionApi.Client;
using SessionApi.Storage.Sessions;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Client;

/// <summary>The C# client's <c>WatchSessionsAsync</c> against the real server in memory.</summary>
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
    public async Task WatchSessionsAsync_yields_a_reset_then_typed_saved_and_deleted_events()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = client.WatchSessionsAsync(cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(SessionEventType.Reset, events.Current.Event);
        Assert.Equal(ResetReason.New, events.Current.Reset!.Reason);

        var saved = await client.SaveSessionAsync("watched-by-csharp", "{\"a\":1}");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(SessionEventType.Saved, events.Current.Event);
        Assert.Equal(("watched-by-csharp", saved.Session.Etag, 7L), (events.Current.Saved!.Id, events.Current.Saved.Etag, events.Current.Saved.Size));
        Assert.Equal("watched-by-csharp", events.Current.SessionId);
        var savedEventId = events.Current.Id;

        await client.DeleteSessionAsync("watched-by-csharp");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal((SessionEventType.Deleted, "watched-by-csharp"), (events.Current.Event, events.Current.Deleted!.Id));

        // Resuming after the saved event replays the delete, without a reset.
        await using var resumed = client.WatchSessionsAsync(savedEventId, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await resumed.MoveNextAsync());
        Assert.Equal((SessionEventType.Deleted, "watched-by-csharp"), (resumed.Current.Event, resumed.Current.SessionId));
    }

    [Fact]
    public async Task WatchAsync_with_a_wrong_token_throws_instead_of_retrying()
    {
        using var wrong = ClientServices.For(factory, token: "not-the-token");
        var e = await Assert.ThrowsAsync<SessionApiException>(async () =>
        {
            await foreach (var _ in wrong.GetRequiredService<SessionApiClient>().WatchSessionsAsync())
            {
            }
        });
        Assert.Equal((401, ProblemCode.Unauthorized), (e.Status, e.Code));
    }

    [Fact]
    public void Reconnect_delays_grow_from_a_quarter_second_to_ten_seconds()
    {
        Assert.Equal(
            [0.25, 0.5, 1, 2, 4, 8, 10, 10],
            Enumerable.Range(1, 8).Select(n => SessionEventWatcher.RetryDelay(n).TotalSeconds));
    }

    [Fact]
    public async Task A_stream_silent_for_the_idle_timeout_is_reopened_resuming_after_the_last_event()
    {
        var time = new SignalingTimeProvider();
        using var server = new SilentStreamsHandler();
        using var http = new HttpClient(server) { BaseAddress = new Uri("http://127.0.0.1/") };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = new SessionEventWatcher(http, time).WatchAsync(null, cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("run-1", SessionEventType.Reset), (events.Current.Id, events.Current.Event));

        // Then nothing: no event, no heartbeat, no close. The read that gets nothing has begun (its
        // idle timer started before it); the fake clock fires timers inside Advance, so just short of
        // the timeout the read still waits, and at the timeout it has been given up.
        var next = events.MoveNextAsync().AsTask();
        var silence = await server.FirstSilence.WaitAsync(cts.Token);
        time.Advance(SessionEventWatcher.IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.False(silence.IsCompleted, "the idle timeout fired early");
        Assert.False(next.IsCompleted);
        Assert.Equal(1, server.Requests);

        var retryDelay = time.NextTimerStarted();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(silence.IsCanceled, "the idle timeout did not fire");

        // The connection is taken for dead and reopened after the first retry delay, resuming after
        // the last event it had.
        await retryDelay.WaitAsync(cts.Token);
        Assert.Equal(1, server.Requests);
        time.Advance(SessionEventWatcher.FirstRetryDelay);

        Assert.True(await next);
        Assert.Equal(("run-2", SessionEventType.Reset), (events.Current.Id, events.Current.Event));
        Assert.Equal([null, "run-1"], server.LastEventIds);
    }

    /// <summary>
    /// Answers every GET /events with one event (id run-N), then a stream that never says anything
    /// again. <see cref="FirstSilence"/> is the first read that got nothing: it ends (cancelled) only
    /// when the reader gives it up.
    /// </summary>
    private sealed class SilentStreamsHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource<Task> firstSilence = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Requests => LastEventIds.Count;

        public List<string?> LastEventIds { get; } = [];

        public Task<Task> FirstSilence => firstSilence.Task;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastEventIds.Add(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
            var first = Encoding.UTF8.GetBytes($"event: reset\ndata: {{\"reason\":\"new\"}}\nid: run-{LastEventIds.Count}\n\n");
            var content = new StreamContent(new SilentAfterStream(first, silence => firstSilence.TrySetResult(silence)));
            content.Headers.ContentType = new("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content });
        }
    }

    private sealed class SilentAfterStream(byte[] first, Action<Task> silent) : MemoryStream(first)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            // Nothing more, ever: the read ends only when the reader cancels it.
            var silence = Task.Delay(Timeout.Infinite, cancellationToken);
            silent(silence);
            await silence;
            return 0;
        }
    }
}
