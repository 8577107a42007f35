using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using SessionApi.HttpEdge;
using SessionApi.Storage.History;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Writer;

namespace SessionApi.Features.History;

/// <summary>
/// Local history and trash: every replace keeps the replaced document as a version, every delete
/// moves the document to the trash; these endpoints list, read and restore them.
/// </summary>
public static class HistoryApi
{
    private const string JsonContentType = "application/json";
    private const string VersionDescription = "An opaque version as listed by GET /sessions/{id}/versions.";

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var versions = app.MapGroup("/sessions/{id}/versions").WithTags("Versions").RequireAuthorization();

        versions.MapGet("/", ListVersions)
            .WithName("listVersions")
            .WithSummary("List a session's previous versions")
            .WithDescription("The documents this session's saves, restores and deletes replaced, newest first (not the current document). "
                + "Served from memory: no document is read. 404 when the id has neither a document nor versions.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        versions.MapGet("/{version}", GetVersion)
            .WithName("getVersion")
            .WithSummary("Read a previous version")
            .WithDescription("The version byte for byte as it was saved, with its ETag.")
            .Produces<SessionDocument>(StatusCodes.Status200OK, JsonContentType)
            .WithResponseHeader(StatusCodes.Status200OK, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        versions.MapPost("/{version}/restore", RestoreVersion)
            .WithName("restoreVersion")
            .WithSummary("Restore a previous version")
            .WithDescription("Saves the version as the session's document, like a PUT of its bytes: 201 when the session did not exist, 200 when it replaced "
                + "the current document, which becomes a version itself (so a restore can be undone). If-Match: <etag> restores only over that version.")
            .WithResponseHeader(StatusCodes.Status200OK, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .WithResponseHeader(StatusCodes.Status201Created, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .WithResponseHeader(StatusCodes.Status201Created, HeaderNames.Location, "The session's URL.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesStorageProblems();

        var trash = app.MapGroup("/trash").WithTags("Trash").RequireAuthorization();

        trash.MapGet("/", ListTrash)
            .WithName("listTrash")
            .WithSummary("List deleted sessions")
            .WithDescription("Every deleted session still in the trash (Trash:Retention), newest first. Served from memory.");

        trash.MapPost("/{id}/restore", RestoreFromTrash)
            .WithName("restoreFromTrash")
            .WithSummary("Restore a deleted session")
            .WithDescription("Makes the most recently deleted document of this id the session again (201). 409 already_exists while a session with that id exists; 404 when the trash has none.")
            .WithResponseHeader(StatusCodes.Status201Created, HeaderNames.ETag, ResponseHeaders.ETagDescription)
            .WithResponseHeader(StatusCodes.Status201Created, HeaderNames.Location, "The session's URL.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesStorageProblems();

        return app;
    }

    internal static Results<Ok<VersionList>, ProblemHttpResult> ListVersions(string id, ISessionHistory history)
    {
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return SessionResults.InvalidId();
        }

        return history.ListVersions(sessionId) is { } items
            ? TypedResults.Ok(new VersionList(items))
            : Problems.Result(StatusCodes.Status404NotFound, ProblemCode.NotFound, $"No session '{sessionId}' and no versions of it.");
    }

    internal static Results<FileStreamHttpResult, ProblemHttpResult> GetVersion(
        string id,
        [Description(VersionDescription)] string version,
        HttpContext context,
        ISessionHistory history)
    {
        if (Validate(id, version, out var sessionId) is { } invalid)
        {
            return invalid;
        }

        if (history.OpenVersion(sessionId, version) is not { } found)
        {
            return VersionNotFound(sessionId, version);
        }

        context.Response.Headers.ETag = found.Version.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Stream(found.Content, JsonContentType);
    }

    internal static async Task<Results<Created<SessionInfo>, Ok<SessionInfo>, ProblemHttpResult>> RestoreVersion(
        string id,
        [Description(VersionDescription)] string version,
        [FromHeader(Name = "If-Match"), Description(PreconditionHeaders.IfMatchDescription)] string? ifMatch,
        HttpContext context,
        ISessionHistory history,
        CancellationToken cancellationToken)
    {
        if (Validate(id, version, out var sessionId) is { } invalid)
        {
            return invalid;
        }

        if (!PreconditionHeaders.TryParse(ifMatch, ifNoneMatch: null, out var precondition, out var problem))
        {
            return problem;
        }

        var result = await history.RestoreVersionAsync(sessionId, version, precondition, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            { Outcome: RestoreOutcome.Created, Session: { } created } => Created(context, created),
            { Outcome: RestoreOutcome.Replaced, Session: { } replaced } => Replaced(context, replaced),
            { Outcome: RestoreOutcome.NotFound } => VersionNotFound(sessionId, version),
            _ => SessionResults.PreconditionFailed(SessionResults.IfMatchFailedDetail(sessionId)),
        };
    }

    internal static Ok<TrashList> ListTrash(ISessionHistory history) => TypedResults.Ok(new TrashList(history.ListTrash()));

    internal static async Task<Results<Created<SessionInfo>, ProblemHttpResult>> RestoreFromTrash(
        string id,
        HttpContext context,
        ISessionHistory history,
        CancellationToken cancellationToken)
    {
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return SessionResults.InvalidId();
        }

        var result = await history.RestoreFromTrashAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            { Outcome: RestoreOutcome.Created, Session: { } created } => Created(context, created),
            { Outcome: RestoreOutcome.AlreadyExists } => Problems.Result(StatusCodes.Status409Conflict, ProblemCode.AlreadyExists,
                $"Session '{sessionId}' exists again; delete it or restore one of its versions instead."),
            _ => Problems.Result(StatusCodes.Status404NotFound, ProblemCode.NotFound, $"The trash holds no session '{sessionId}'."),
        };
    }

    /// <summary>A restore writes like a save: the storage may be full (507) or unavailable (503).</summary>
    private static RouteHandlerBuilder ProducesStorageProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .ProducesProblem(StatusCodes.Status507InsufficientStorage);

    private static Created<SessionInfo> Created(HttpContext context, SessionInfo session)
    {
        context.Response.Headers.ETag = session.ETag;
        return TypedResults.Created(SessionResults.LocationOf(session), session);
    }

    private static Ok<SessionInfo> Replaced(HttpContext context, SessionInfo session)
    {
        context.Response.Headers.ETag = session.ETag;
        return TypedResults.Ok(session);
    }

    private static ProblemHttpResult? Validate(string id, string version, out SessionId sessionId) =>
        !SessionId.TryParse(id, out sessionId) ? SessionResults.InvalidId()
        : !VersionName.IsValid(version) ? Problems.Result(StatusCodes.Status400BadRequest, ProblemCode.InvalidVersion, VersionName.Rule)
        : null;

    private static ProblemHttpResult VersionNotFound(SessionId id, string version) =>
        Problems.Result(StatusCodes.Status404NotFound, ProblemCode.NotFound, $"Session '{id}' has no version '{version}'.");
}
