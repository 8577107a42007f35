using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SessionApi.HttpEdge;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Features.Sessions;

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
            .WithResponseHeader(StatusCodes.Status200OK, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .WithResponseHeader(StatusCodes.Status304NotModified, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{id}", SaveSession)
            .WithName("saveSession")
            .WithSummary("Save a session")
            .WithDescription("Stores the body (a JSON object) atomically and durably as the session's new document. "
                + "The body is streamed to disk and validated on the way; the previous document stays intact unless the whole new one is valid and on disk. "
                + "If-Match: <etag> saves only over that version; If-None-Match: * only when the session does not exist yet; both are checked against the version current when the save runs.")
            .Accepts<SessionDocument>(JsonContentType)
            .WithResponseHeader(StatusCodes.Status200OK, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .WithResponseHeader(StatusCodes.Status201Created, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .WithResponseHeader(StatusCodes.Status201Created, HeaderNames.Location, "The new session's URL.")
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
        TypedResults.Ok(new SessionList(store.List()));

    internal static async Task<Results<FileContentHttpResult, FileStreamHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetSession(
        string id,
        [FromHeader(Name = "If-None-Match"), Description("The ETag the caller holds: 304 while it is still current (weak comparison).")] string? ifNoneMatch,
        HttpContext context,
        ISessionStore store,
        CancellationToken cancellationToken)
    {
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return SessionResults.InvalidId();
        }

        // A conditional GET that matches is answered from the index alone.
        if (store.Find(sessionId) is { } known && PreconditionHeaders.IfNoneMatchNames(ifNoneMatch, known.ETag))
        {
            SetValidators(context, known.ETag);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var read = await store.ReadAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return NotFound(sessionId);
        }

        SetValidators(context, read.Session.ETag);
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

    internal static async Task<Results<Created<SessionInfo>, Ok<SessionInfo>, ProblemHttpResult>> SaveSession(
        string id,
        [FromHeader(Name = "If-Match"), Description(PreconditionHeaders.IfMatchDescription)] string? ifMatch,
        [FromHeader(Name = "If-None-Match"), Description(PreconditionHeaders.IfNoneMatchDescription)] string? ifNoneMatch,
        HttpRequest request,
        ISessionStore store,
        IOptions<StorageOptions> storage,
        CancellationToken cancellationToken)
    {
        // The id first: nothing else about a request for an impossible session matters.
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return SessionResults.InvalidId();
        }

        if (!request.HasJsonContentType())
        {
            return Problems.Result(StatusCodes.Status415UnsupportedMediaType, ProblemCode.UnsupportedMediaType,
                "The body must be sent with 'Content-Type: application/json'.");
        }

        var max = storage.Value.MaxSessionBytes;
        if (request.ContentLength > max)
        {
            // Refused before a byte is read.
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, ProblemCode.TooLarge,
                $"The session is larger than the limit of {max} bytes.");
        }

        if (!PreconditionHeaders.TryParse(ifMatch, ifNoneMatch, out var precondition, out var problem))
        {
            return problem;
        }

        // Streamed straight into the store: the body is never buffered whole.
        var result = await store.SaveAsync(sessionId, request.Body, precondition, cancellationToken).ConfigureAwait(false);
        if (result.Session is { } session)
        {
            request.HttpContext.Response.Headers.ETag = session.ETag;
        }

        return result switch
        {
            { Outcome: SaveOutcome.Created, Session: { } created } => TypedResults.Created(SessionResults.LocationOf(created), created),
            { Outcome: SaveOutcome.Replaced, Session: { } replaced } => TypedResults.Ok(replaced),
            _ => SessionResults.PreconditionFailed(precondition.IfNoneMatchAny
                ? $"Session '{sessionId}' already exists (If-None-Match: *)."
                : SessionResults.IfMatchFailedDetail(sessionId)),
        };
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteSession(
        string id,
        [FromHeader(Name = "If-Match"), Description(PreconditionHeaders.IfMatchDescription)] string? ifMatch,
        ISessionStore store,
        CancellationToken cancellationToken)
    {
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return SessionResults.InvalidId();
        }

        if (!PreconditionHeaders.TryParse(ifMatch, ifNoneMatch: null, out var precondition, out var problem))
        {
            return problem;
        }

        return await store.DeleteAsync(sessionId, precondition, cancellationToken).ConfigureAwait(false) switch
        {
            DeleteResult.Deleted => TypedResults.NoContent(),
            DeleteResult.NotFound => NotFound(sessionId),
            _ => SessionResults.PreconditionFailed(SessionResults.IfMatchFailedDetail(sessionId)),
        };
    }

    private static ProblemHttpResult NotFound(SessionId id) =>
        Problems.Result(StatusCodes.Status404NotFound, ProblemCode.NotFound, $"No session '{id}'.");
}
