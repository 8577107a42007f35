namespace SessionApi.Store;

/// <summary>
/// Strong ETags derived from the document's <see cref="Writer.ContentHash"/>: they change whenever
/// the bytes change and survive restarts (the same bytes always give the same tag).
/// </summary>
public static class ETags
{
    public static string FromHash(ReadOnlySpan<byte> hash) => $"\"{Convert.ToHexStringLower(hash)}\"";

    /// <summary>
    /// Whether an If-Match / If-None-Match header value matches <paramref name="current"/>, with the
    /// strong comparison RFC 9110 requires for If-Match: "*" matches any existing document, a weak
    /// tag (W/"...") never matches, and a comma-separated list matches if any member does.
    /// </summary>
    public static bool Matches(string headerValue, string? current)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        if (current is null)
        {
            return false;
        }

        foreach (var candidate in headerValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*" || string.Equals(candidate, current, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
