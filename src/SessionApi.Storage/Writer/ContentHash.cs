using System.IO.Hashing;

namespace SessionApi.Storage.Writer;

/// <summary>
/// The 128-bit hash of a document's bytes: the source of its ETag, how the verified copy checks its
/// read-back, and how recovery recognises a temp that repeats its document.
/// </summary>
/// <remarks>
/// XxHash128, not SHA-256: nothing here defends against a forger (the only writer is the app that
/// holds the token, and an ETag only has to change when the bytes change), while a cryptographic
/// hash would cost ~5x the CPU per byte and load OpenSSL's libcrypto into the process for it
/// (~3.5 MiB resident, bench/RESULTS.md). 128 bits make an accidental collision between two
/// versions of a session negligible.
/// </remarks>
internal static class ContentHash
{
    public const int SizeInBytes = 16;

    /// <summary>A new incremental hasher; <c>GetCurrentHash()</c> gives the 16 bytes.</summary>
    public static XxHash128 CreateHasher() => new();

    public static byte[] Of(ReadOnlySpan<byte> bytes) => XxHash128.Hash(bytes);
}
