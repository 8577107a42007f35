using Microsoft.AspNetCore.Http.HttpResults;
using SessionApi.Storage.Sessions;

namespace SessionApi.HttpEdge;

/// <summary>The answers every endpoint that names a session gives alike (sessions, versions, trash).</summary>
public static class SessionResults
{
    /// <summary>400 <c>invalid_id</c>, with the id rule as the detail.</summary>
    public static ProblemHttpResult InvalidId() =>
        Problems.Result(StatusCodes.Status400BadRequest, ProblemCode.InvalidId, SessionId.Rule);

    /// <summary>412 <c>precondition_failed</c>.</summary>
    public static ProblemHttpResult PreconditionFailed(string detail) =>
        Problems.Result(StatusCodes.Status412PreconditionFailed, ProblemCode.PreconditionFailed, detail);

    public static string IfMatchFailedDetail(SessionId id) => $"Session '{id}' does not have the ETag given in If-Match.";

    /// <summary>The session's URL (the Location of a 201).</summary>
    public static string LocationOf(SessionInfo session) => $"/sessions/{session.Id}";
}
