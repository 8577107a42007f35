using System.Text;
using System.Text.Json;

namespace SessionApi.Client;

/// <summary>
/// A session as <c>GET /sessions/{id}</c> served it (<see cref="SessionApiClient.GetSessionAsync(string, CancellationToken)"/>): the document's exact bytes and its ETag.
/// </summary>
/// <remarks>
/// The document is arbitrary JSON owned by the app, so it is exposed as bytes, a string, a stream
/// or a <see cref="JsonDocument"/>, never as a typed model that would drop what it does not know.
/// The body is buffered: it is bounded by the server's Storage:MaxSessionBytes (32 MiB by default).
/// </remarks>
public class LoadedSession
{
    internal LoadedSession(string id, string etag, ReadOnlyMemory<byte> utf8Json)
    {
        Id = id;
        Etag = etag;
        Utf8Json = utf8Json;
    }

    public string Id { get; }

    /// <summary>The strong validator, quoted as in the ETag header: pass it back as <c>ifMatch</c> or <c>ifNoneMatch</c>.</summary>
    public string Etag { get; }

    /// <summary>The document byte for byte.</summary>
    public ReadOnlyMemory<byte> Utf8Json { get; }

    public string GetJsonString() => Encoding.UTF8.GetString(Utf8Json.Span);

    public Stream OpenRead() => new MemoryStream(Utf8Json.ToArray(), writable: false);

    /// <summary>Parses the document; the caller disposes the result.</summary>
    public JsonDocument ParseJson(JsonDocumentOptions options = default) => JsonDocument.Parse(Utf8Json, options);
}

/// <summary>A previous version as <c>GET /sessions/{id}/versions/{version}</c> served it: its exact bytes and ETag.</summary>
public sealed class LoadedVersion : LoadedSession
{
    internal LoadedVersion(string id, string version, string etag, ReadOnlyMemory<byte> utf8Json)
        : base(id, etag, utf8Json)
    {
        Version = version;
    }

    /// <summary>The version's name, as <c>listVersions</c> lists it.</summary>
    public string Version { get; }
}
