using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Writer;

namespace SessionApi.HttpEdge;

/// <summary>
/// Reads <c>If-Match</c> and <c>If-None-Match</c> of a write (PUT, DELETE, restore) into the store's
/// <see cref="Precondition"/>, once; the store evaluates it under the session's lock. A malformed
/// header is a 400 here, before anything is written.
/// </summary>
internal static class PreconditionHeaders
{
    public const string IfMatchDescription =
        "Write only if the session's current ETag is one of these (strong comparison; a weak tag never matches); '*': only if the session exists. Else 412.";

    public const string IfNoneMatchDescription = "'*': write only if the session does not exist yet (create-only). Else 412.";

    /// <param name="ifMatch">The If-Match header (several header lines arrive joined by commas).</param>
    /// <param name="ifNoneMatch">The If-None-Match header; on a write only <c>*</c> is meaningful.</param>
    /// <param name="precondition">The parsed precondition (<see cref="Precondition.None"/> without headers).</param>
    /// <param name="problem">The 400 to answer when a header is malformed.</param>
    public static bool TryParse(string? ifMatch, string? ifNoneMatch, out Precondition precondition, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        precondition = Precondition.None;
        problem = null;

        var ifNoneMatchAny = false;
        if (ifNoneMatch is not null)
        {
            if (!EntityTagHeaderValue.TryParseList([ifNoneMatch], out var noneTags) || noneTags.Count != 1 || !noneTags[0].Equals(EntityTagHeaderValue.Any))
            {
                problem = Problems.Result(StatusCodes.Status400BadRequest, ProblemCode.InvalidHeader,
                    "On a write, If-None-Match supports only '*' (create only if the session does not exist).");
                return false;
            }

            ifNoneMatchAny = true;
        }

        if (ifMatch is null)
        {
            precondition = ifNoneMatchAny ? Precondition.IfNoneMatch() : Precondition.None;
            return true;
        }

        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags) || tags.Count == 0)
        {
            problem = Problems.Result(StatusCodes.Status400BadRequest, ProblemCode.InvalidHeader,
                "If-Match must be '*' or a list of quoted ETags.");
            return false;
        }

        precondition = tags.Any(t => t.Equals(EntityTagHeaderValue.Any))
            ? Precondition.IfMatchAny(ifNoneMatchAny)
            : Precondition.IfMatch([.. tags.Where(t => !t.IsWeak).Select(t => t.Tag.ToString())], ifNoneMatchAny);
        return true;
    }

    /// <summary>
    /// Whether a conditional GET's If-None-Match names <paramref name="etag"/>: weak comparison
    /// (RFC 9110 §13.1.2), so <c>W/"x"</c> matches <c>"x"</c>; <c>*</c> matches any version.
    /// </summary>
    public static bool IfNoneMatchNames(string? ifNoneMatch, string etag)
    {
        if (ifNoneMatch is null || !EntityTagHeaderValue.TryParseList([ifNoneMatch], out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
