using System.Text;
using System.Text.Json;

namespace SessionApi.Client;

/// <summary>
/// A session as <c>GET /sessions/{id}</c> served it: the document's exact bytes and its ETag.
/// </summary>
/// <remarks>
/// The document is arbitrary JSON owned by the app, so it is exposed as bytes, a string, a stream
/// or a <see cref="JsonDocument"/>, never as a typed model that would drop what it does not know.
/// The body is buffered: it is bounded by the server's Storage:MaxSessionBytes (32 MiB by default).
/// </remarks>
public sealed class SessionDocument
{
    internal SessionDocument(string id, string etag, ReadOnlyMemory<byte> utf8Json)
    {
        Id = id;
        ETag = etag;
        Utf8Json = utf8Json;
    }

    public string Id { get; }

    /// <summary>The strong validator, quoted as in the ETag header: pass it to <see cref="SaveCondition.IfMatch"/>.</summary>
    public string ETag { get; }

    /// <summary>The document byte for byte.</summary>
    public ReadOnlyMemory<byte> Utf8Json { get; }

    public string GetJsonString() => Encoding.UTF8.GetString(Utf8Json.Span);

    public Stream OpenRead() => new MemoryStream(Utf8Json.ToArray(), writable: false);

    /// <summary>Parses the document; the caller disposes the result.</summary>
    public JsonDocument ParseJson(JsonDocumentOptions options = default) => JsonDocument.Parse(Utf8Json, options);
}

/// <summary>The precondition of a save: none, <c>If-Match: &lt;etag&gt;</c> or <c>If-None-Match: *</c>.</summary>
public readonly record struct SaveCondition
{
    private SaveCondition(string? ifMatch, bool ifNoneMatchAny)
    {
        IfMatchETag = ifMatch;
        OnlyIfAbsent = ifNoneMatchAny;
    }

    /// <summary>Saves whatever is stored (the default).</summary>
    public static SaveCondition None => default;

    /// <summary><c>If-None-Match: *</c>: creates the session only if it does not exist yet, else 412.</summary>
    public static SaveCondition IfAbsent => new(null, ifNoneMatchAny: true);

    public string? IfMatchETag { get; }

    public bool OnlyIfAbsent { get; }

    /// <summary><c>If-Match: &lt;etag&gt;</c>: replaces only that version (optimistic concurrency), else 412.</summary>
    public static SaveCondition IfMatch(string etag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(etag);
        return new(etag, ifNoneMatchAny: false);
    }
}

/// <summary>The outcome of a successful save.</summary>
/// <param name="Created">201 (a new session) rather than 200 (replaced).</param>
/// <param name="Session">The metadata the server answered with.</param>
/// <param name="ETag">The new version's ETag (the ETag header; equals <see cref="SessionInfo.Etag"/>).</param>
public sealed record SavedSession(bool Created, SessionInfo Session, string ETag);
