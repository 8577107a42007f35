using System.Text.Json;

namespace SessionApi.Client;

/// <summary>
/// The hand-written half of the generated partial class: NSwag's extension points only (no generated
/// code is edited). The generated half is obj/…/SessionApiGeneratedClient.g.cs.
/// </summary>
internal partial class SessionApiGeneratedClient
{
    /// <summary>
    /// Per-call request headers (If-Match, If-None-Match): the document does not declare them as
    /// parameters, so the generated methods cannot take them. The facade creates one transport per
    /// call, so this is never shared between concurrent requests.
    /// </summary>
    private readonly Action<HttpRequestMessage>? prepareRequest;

    private protected SessionApiGeneratedClient(HttpClient httpClient, Action<HttpRequestMessage>? prepareRequest)
        : this(httpClient)
    {
        this.prepareRequest = prepareRequest;
    }

    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.Converters.Add(new RawJsonBodyConverter());

    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, string url) =>
        prepareRequest?.Invoke(request);
}

/// <summary>
/// The generated client with one override: a session document response (the only <c>object</c>
/// response in the contract) is read as its exact bytes rather than deserialized.
/// </summary>
internal sealed class SessionApiTransport(HttpClient httpClient, Action<HttpRequestMessage>? prepareRequest = null)
    : SessionApiGeneratedClient(httpClient, prepareRequest)
{
    protected override async Task<ObjectResponseResult<T>> ReadObjectResponseAsync<T>(
        HttpResponseMessage response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers,
        CancellationToken cancellationToken)
    {
        if (typeof(T) != typeof(object))
        {
            return await base.ReadObjectResponseAsync<T>(response, headers, cancellationToken).ConfigureAwait(false);
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new ObjectResponseResult<T>((T)(object)new RawJsonBody(bytes), string.Empty);
    }
}
