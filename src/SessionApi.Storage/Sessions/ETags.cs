namespace SessionApi.Storage.Sessions;

/// <summary>
/// Strong ETags derived from the document's content hash: they change whenever the bytes change and
/// survive restarts (the same bytes always give the same tag).
/// </summary>
internal static class ETags
{
    public static string FromHash(ReadOnlySpan<byte> hash) => $"\"{Convert.ToHexStringLower(hash)}\"";
}
