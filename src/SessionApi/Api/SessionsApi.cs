using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SessionApi.Store;

namespace SessionApi.Api;

/// <summary>The session endpoints: list, read, save, delete.</summary>
public static class SessionsApi
{
    private const string JsonContentType = "application/json";

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sessions").WithTags("Sessions").RequireAuthorization();

        group.MapGet("/", ListSessions)
            .WithName("listSessions")
            .WithSummary("List sessions")
            .WithDescription("Every stored session's metadata, newest first. Served from the in-memory index: no disk access.");

        group.MapGet("/{id}", GetSession)
            .WithName("getSession")
            .WithSummary("Read a session")
            .WithDescription("The session document byte for byte as it was saved, with its ETag. If-None-Match with the current ETag answers 304.")
            .Produces<SessionDocument>(StatusCodes.Status200OK, JsonContentType)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{id}", PutSession)
            .WithName("putSession")
            .WithSummary("Save a session")
            .WithDescription("Stores the body (a JSON object) atomically and durably as the session's new document. "
                + "The body is streamed to disk and validated on the way; the previous document stays intact unless the whole new one is valid and on disk. "
                + "If-Match: <etag> saves only over that version; If-None-Match: * only when the session does not exist yet.")
            .Accepts<SessionDocument>(JsonContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage);

        group.MapDelete("/{id}", DeleteSession)
            .WithName("deleteSession")
            .WithSummary("Delete a session")
            .WithDescription("Deletes the session. If-Match: <etag> deletes only that version.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return app;
    }

    internal static Ok<SessionList> ListSessions(ISessionStore store) =>
        TypedResults.Ok(new SessionList([.. store.List().Select(SessionInfo.From)]));

    internal static async Task<Results<FileContentHttpResult, FileStreamHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetSession(
        string id, HttpContext context, ISessionStore store, CancellationToken cancellationToken)
    {
        // Validates the id; a conditional GET that matches is answered from the index alone.
        if (store.Find(id) is { } known && IfNoneMatchMatches(context.Request.Headers.IfNoneMatch, known.ETag))
        {
            SetValidators(context, known.ETag);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var read = await store.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return NotFound(id);
        }

        SetValidators(context, read.Metadata.ETag);
        if (read.Content is { } whole)
        {
            // The common case (a chat session is tens of KB): in memory, the lock already released,
            // one write with a Content-Length.
            return TypedResults.Bytes(whole, JsonContentType);
        }

        // Large documents stream; the lease (and with it the session's lock, so a verified copy cannot
        // rewrite the bytes underneath) lives until the response is written.
        var lease = read.Lease!;
        context.Response.RegisterForDisposeAsync(lease);
        return TypedResults.Stream(lease.Content, JsonContentType);
    }

    private static void SetValidators(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
    }

    internal static async Task<Results<Created<SessionInfo>, Ok<SessionInfo>, ProblemHttpResult>> PutSession(
        string id, HttpRequest request, ISessionStore store, IOptions<StorageOptions> storage, CancellationToken cancellationToken)
    {
        // Validates the id (throws invalid_id) before anything else is looked at.
        var current = store.Find(id);

        if (!request.HasJsonContentType())
        {
            return Problems.Result(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                "The body must be sent with 'Content-Type: application/json'.");
        }

        var max = storage.Value.MaxSessionBytes;
        if (request.ContentLength > max)
        {
            // Refused before a byte is read.
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.TooLarge,
                $"The session is larger than the limit of {max} bytes.");
        }

        if (!TryGetPrecondition(request, current, out var precondition, out var problem))
        {
            return problem;
        }

        // Streamed straight into the store: the body is never buffered whole.
        var result = await store.SaveAsync(id, request.Body, precondition, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SaveOutcome.Created when result.Metadata is { } created:
                request.HttpContext.Response.Headers.ETag = created.ETag;
                return TypedResults.Created($"/sessions/{created.Id}", SessionInfo.From(created));
            case SaveOutcome.Replaced when result.Metadata is { } replaced:
                request.HttpContext.Response.Headers.ETag = replaced.ETag;
                return TypedResults.Ok(SessionInfo.From(replaced));
            default:
                if (result.Metadata is { } existing)
                {
                    request.HttpContext.Response.Headers.ETag = existing.ETag;
                }

                return PreconditionFailed(precondition.IfNoneMatchAny
                    ? $"Session '{id}' already exists (If-None-Match: *)."
                    : $"Session '{id}' does not have the ETag given in If-Match.");
        }
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteSession(
        string id, HttpRequest request, ISessionStore store, CancellationToken cancellationToken)
    {
        var current = store.Find(id);
        if (!TryGetIfMatch(request.Headers.IfMatch, current, out var ifMatch, out var problem))
        {
            return problem;
        }

        return await store.DeleteAsync(id, ifMatch, cancellationToken).ConfigureAwait(false) switch
        {
            DeleteResult.Deleted => TypedResults.NoContent(),
            DeleteResult.NotFound => NotFound(id),
            _ => PreconditionFailed($"Session '{id}' does not have the ETag given in If-Match."),
        };
    }

    private static bool TryGetPrecondition(HttpRequest request, SessionMetadata? current, out WritePrecondition precondition, out ProblemHttpResult problem)
    {
        precondition = WritePrecondition.None;
        if (!TryGetIfMatch(request.Headers.IfMatch, current, out var ifMatch, out problem))
        {
            return false;
        }

        var ifNoneMatch = request.Headers.IfNoneMatch;
        var ifNoneMatchAny = false;
        if (ifNoneMatch.Count > 0)
        {
            if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) || tags.Count != 1 || !tags[0].Equals(EntityTagHeaderValue.Any))
            {
                problem = Problems.Result(StatusCodes.Status400BadRequest, ProblemCodes.InvalidHeader,
                    "On PUT, If-None-Match supports only '*' (create only if the session does not exist).");
                return false;
            }

            ifNoneMatchAny = true;
        }

        precondition = new WritePrecondition(ifMatch, ifNoneMatchAny);
        return true;
    }

    /// <summary>
    /// If-Match as the store takes it: one quoted strong ETag or "*". A list is narrowed to the tag the
    /// current version has (the store re-checks under the session's lock). Weak tags never match
    /// (RFC 9110 §13.1.1: strong comparison).
    /// </summary>
    private static bool TryGetIfMatch(StringValues header, SessionMetadata? current, out string? ifMatch, out ProblemHttpResult problem)
    {
        ifMatch = null;
        problem = null!;
        if (header.Count == 0)
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags) || tags.Count == 0)
        {
            problem = Problems.Result(StatusCodes.Status400BadRequest, ProblemCodes.InvalidHeader,
                "If-Match must be '*' or a list of quoted ETags.");
            return false;
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            ifMatch = "*";
            return true;
        }

        var strong = tags.Where(t => !t.IsWeak).Select(t => t.Tag.ToString()).ToList();
        if (strong.Count == 0)
        {
            problem = PreconditionFailed("If-Match holds only weak ETags, which never match (strong comparison).");
            return false;
        }

        ifMatch = strong.FirstOrDefault(t => current is not null && string.Equals(t, current.ETag, StringComparison.Ordinal)) ?? strong[0];
        return true;
    }

    private static bool IfNoneMatchMatches(StringValues header, string etag)
    {
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        // GET uses weak comparison (RFC 9110 §13.1.2).
        var current = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Result(StatusCodes.Status404NotFound, ProblemCodes.NotFound, $"No session '{id}'.");

    private static ProblemHttpResult PreconditionFailed(string detail) =>
        Problems.Result(StatusCodes.Status412PreconditionFailed, ProblemCodes.PreconditionFailed, detail);
}
