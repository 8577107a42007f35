using System.Text.Json;

namespace SessionApi.Client;

/// <summary>
/// NSwag's extension point of the generated partial class (no generated code is edited; the
/// generated half is obj/…/SessionApiGeneratedClient.g.cs): session documents travel as raw JSON.
/// </summary>
internal partial class SessionApiGeneratedClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        ClientJson.Configure(settings);
}

/// <summary>
/// The generated client with one override: a session document response (the only <c>object</c>
/// response in the contract) is read as its exact bytes rather than deserialized.
/// </summary>
internal sealed class SessionApiTransport(HttpClient httpClient) : SessionApiGeneratedClient(httpClient)
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
