using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SessionApi.Security;

/// <summary>
/// The bearer token every protected request must carry. It comes from the environment variable
/// <c>SESSIONAPI_TOKEN</c> only (argv is visible to every user through the process list); when absent
/// the server generates one and announces it in the ready line.
/// </summary>
public sealed class ApiToken
{
    public const string EnvironmentVariable = "SESSIONAPI_TOKEN";

    private readonly byte[] _utf8;

    public ApiToken(string value, bool generated)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
        Generated = generated;
        _utf8 = Encoding.UTF8.GetBytes(value);
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
    /// Constant-time comparison of the bytes: the time taken does not depend on where a candidate
    /// first differs, so the token cannot be guessed byte by byte. A candidate of another length is
    /// refused at once, which reveals only the length (43 characters for a generated token, and
    /// documented). No hash on the way: a SHA-256 per request loaded OpenSSL's libcrypto into the
    /// process (~3.5 MiB resident) for nothing the comparison needs.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        if (Encoding.UTF8.GetByteCount(candidate) != _utf8.Length)
        {
            return false;
        }

        var buffer = _utf8.Length <= 512 ? stackalloc byte[_utf8.Length] : new byte[_utf8.Length];
        Encoding.UTF8.GetBytes(candidate, buffer);
        return CryptographicOperations.FixedTimeEquals(buffer, _utf8);
    }

}
