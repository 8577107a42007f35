using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace SessionApi.Tests.Support;

/// <summary>One open <c>GET /events</c> response, read event by event with System.Net.ServerSentEvents.</summary>
public sealed class EventReader : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly IAsyncEnumerator<SseItem<string>> events;

    private EventReader(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    public HttpResponseMessage Response => response;

    /// <summary>Opens the stream and checks it is one (200, text/event-stream).</summary>
    public static async Task<EventReader> OpenAsync(HttpClient client, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"GET /events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event; fails when none comes within the timeout or the stream ends.</summary>
    public async Task<SseItem<string>> NextAsync(TimeSpan? timeout = null)
    {
        var more = await events.MoveNextAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        Assert.True(more, "the event stream ended");
        return events.Current;
    }

    /// <summary>The next event, which must be of <paramref name="type"/>; returns its data.</summary>
    public async Task<(JsonElement Data, string Id)> NextAsync(string type, TimeSpan? timeout = null)
    {
        var item = await NextAsync(timeout);
        Assert.True(item.EventType == type, $"expected a '{type}' event, got '{item.EventType}': {item.Data}");
        Assert.False(string.IsNullOrEmpty(item.EventId), "an event without an id");
        return (JsonDocument.Parse(item.Data).RootElement.Clone(), item.EventId!);
    }

    /// <summary>True when the stream ends (the server completed the response) before another event.</summary>
    public async Task<bool> EndsAsync(TimeSpan timeout) => !await events.MoveNextAsync().AsTask().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        response.Dispose();
        try
        {
            await events.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the response was torn down under the parser
        }
    }
}
