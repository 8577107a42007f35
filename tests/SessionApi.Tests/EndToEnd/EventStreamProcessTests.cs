using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SessionApi.Client;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.EndToEnd;

/// <summary><c>GET /events</c> against the built binary: shutdown with streams open, and a restart under a watcher.</summary>
[Collection(nameof(EndToEndProcesses))]
public sealed class EventStreamProcessTests : IDisposable
{
    private const string Token = "e2e-events-token-abcdefghij";
    private readonly TempRoot root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task Sigterm_with_event_streams_open_ends_them_and_exits_promptly()
    {
        // A 30 s shutdown timeout: open streams that held the shutdown up would take that long.
        await using var server = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path, "--Hosting:ShutdownTimeout=00:00:30"]).WaitReadyAsync();
        using var client = server.Client(Token);
        var streams = new List<EventReader>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var stream = await EventReader.OpenAsync(client);
                await stream.NextAsync("reset");
                streams.Add(stream);
            }

            var stopwatch = Stopwatch.StartNew();
            server.Signal("TERM");
            foreach (var stream in streams)
            {
                Assert.True(await stream.EndsAsync(TimeSpan.FromSeconds(10)), "a stream went on after SIGTERM");
            }

            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"exit took {stopwatch.Elapsed}");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_CSharp_client_reconnects_across_a_restart_and_is_told_to_list_again()
    {
        var first = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path]).WaitReadyAsync();
        var url = first.Url;
        var services = new ServiceCollection();
        services.AddSessionApiClient(o =>
        {
            o.BaseAddress = url;
            o.Token = Token;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<SessionApiClient>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = client.WatchSessionsAsync(cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        ServerProcess? second = null;
        try
        {
            Assert.True(await events.MoveNextAsync());
            Assert.Equal(ResetReason.New, events.Current.Reset?.Reason);
            await client.SaveSessionAsync("before-restart", "{}");
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("before-restart", events.Current.Saved?.Id);

            first.Signal("TERM");
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            second = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path, $"--urls=http://127.0.0.1:{url.Port}"]).WaitReadyAsync();

            Assert.True(await events.MoveNextAsync());
            Assert.Equal((SessionEventType.Reset, ResetReason.Unknown), (events.Current.Event, events.Current.Reset?.Reason));
            Assert.Contains("before-restart", (await client.ListSessionsAsync()).Select(s => s.Id));
            await client.SaveSessionAsync("after-restart", "{}");
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("after-restart", events.Current.Saved?.Id);
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }
}
