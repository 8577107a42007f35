namespace SessionApi.Storage.Sessions;

/// <summary>
/// The conditions of a save or a delete (<c>If-Match</c>, <c>If-None-Match: *</c>), parsed once from
/// the request and evaluated by the store under the session's lock, against the version that is
/// current at that moment: a concurrent save landing first is seen, never a stale snapshot.
/// </summary>
/// <remarks>
/// If-Match uses the strong comparison of RFC 9110 §13.1.1: a weak tag never matches, so a list of
/// only weak tags fails for every version. <c>*</c> matches any existing document.
/// </remarks>
public sealed class Precondition
{
    private readonly IReadOnlyList<string>? ifMatch;
    private readonly bool ifMatchAny;

    private Precondition(IReadOnlyList<string>? ifMatch, bool ifMatchAny, bool ifNoneMatchAny)
    {
        this.ifMatch = ifMatch;
        this.ifMatchAny = ifMatchAny;
        IfNoneMatchAny = ifNoneMatchAny;
    }

    /// <summary>No condition: the write happens whatever is stored.</summary>
    public static Precondition None { get; } = new(null, ifMatchAny: false, ifNoneMatchAny: false);

    /// <summary><c>If-None-Match: *</c>: only while no document exists.</summary>
    public bool IfNoneMatchAny { get; }

    /// <summary><c>If-Match: *</c>: only while a document exists.</summary>
    public static Precondition IfMatchAny(bool ifNoneMatchAny = false) => new(null, ifMatchAny: true, ifNoneMatchAny);

    /// <summary>
    /// <c>If-Match: "a", "b"</c>: only while the current document has one of <paramref name="strongETags"/>
    /// (quoted, as in the header; weak tags are left out by the caller: they never match).
    /// </summary>
    public static Precondition IfMatch(IReadOnlyList<string> strongETags, bool ifNoneMatchAny = false)
    {
        ArgumentNullException.ThrowIfNull(strongETags);
        return new(strongETags, ifMatchAny: false, ifNoneMatchAny);
    }

    /// <summary><c>If-None-Match: *</c> alone.</summary>
    public static Precondition IfNoneMatch() => new(null, ifMatchAny: false, ifNoneMatchAny: true);

    /// <summary>Whether the write may go ahead over the document that has <paramref name="currentETag"/> (null: none).</summary>
    public bool IsSatisfiedBy(string? currentETag)
    {
        if (IfNoneMatchAny && currentETag is not null)
        {
            return false;
        }

        if (ifMatchAny)
        {
            return currentETag is not null;
        }

        if (ifMatch is not null)
        {
            return currentETag is not null && ifMatch.Contains(currentETag, StringComparer.Ordinal);
        }

        return true;
    }
}
