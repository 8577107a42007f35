using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.History;

/// <summary>
/// The name of a kept file in <c>.history/&lt;id&gt;/</c> and <c>.trash/&lt;id&gt;/</c>, and the
/// opaque <c>version</c> of the API: <c>20261128t092512345z-&lt;32 hex&gt;</c>, the time (UTC, to the
/// millisecond) and the content hash the ETag is made of. Everything a listing says is in the name,
/// so listing reads no document; names sort by time; and every name is URL-safe and also a valid
/// <see cref="SessionId"/>, so the store's recovery finishes or quarantines an interrupted write of
/// one exactly as it does for a session.
/// </summary>
public static partial class VersionName
{
    private const string TimeFormat = "yyyyMMdd't'HHmmssfff'z'";

    internal static string Format(DateTimeOffset at, string etag) =>
        at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + "-" + etag.Trim('"');

    internal static bool TryParse([NotNullWhen(true)] string? name, out DateTimeOffset at, [NotNullWhen(true)] out string? etag)
    {
        at = default;
        etag = null;
        if (name is null || !NameRegex().IsMatch(name)
            || !DateTime.TryParseExact(name.AsSpan(0, 19), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return false;
        }

        at = new DateTimeOffset(time, TimeSpan.Zero);
        etag = "\"" + name[20..] + "\"";
        return true;
    }

    /// <summary>The time a name made by <see cref="Format"/> carries (to the millisecond).</summary>
    internal static DateTimeOffset TimeOf(string name) =>
        TryParse(name, out var at, out _) ? at : throw new InvalidOperationException($"Not a version name: {name}");

    /// <summary>Whether <paramref name="version"/> is well-formed (it may still not exist).</summary>
    public static bool IsValid([NotNullWhen(true)] string? version) => TryParse(version, out _, out _);

    /// <summary>What a valid version looks like, for the 400 of a malformed one.</summary>
    public const string Rule = "A version is what GET /sessions/{id}/versions lists: 8 digits, 't', 9 digits, 'z', '-' and 32 lowercase hex digits.";

    [GeneratedRegex(@"\A[0-9]{8}t[0-9]{9}z-[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
