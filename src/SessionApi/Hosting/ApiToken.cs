using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SessionApi.Hosting;

/// <summary>
/// The bearer token every protected request must carry. It comes from the environment variable
/// <c>SESSIONAPI_TOKEN</c> only (argv is visible to every user through the process list); when absent
/// the server generates one and announces it in the ready line.
/// </summary>
public sealed class ApiToken
{
    public const string EnvironmentVariable = "SESSIONAPI_TOKEN";

    private readonly byte[] _hash;

    public ApiToken(string value, bool generated)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
        Generated = generated;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    public string Value { get; }

    /// <summary>True when the server made the token up (it is then printed in the ready line).</summary>
    public bool Generated { get; }

    public static ApiToken FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(value) ? Generate() : new ApiToken(value, generated: false);
    }

    public static ApiToken Generate() =>
        new(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), generated: true);

    /// <summary>
    /// Constant-time comparison. Both sides are hashed first so that neither the content nor the
    /// length of the expected token leaks through timing.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        Span<byte> candidateHash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(candidate.Length);
        var buffer = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var written = Encoding.UTF8.GetBytes(candidate, buffer);
        SHA256.HashData(buffer[..written], candidateHash);
        return CryptographicOperations.FixedTimeEquals(candidateHash, _hash);
    }

}
