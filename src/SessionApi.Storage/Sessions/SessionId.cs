using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace SessionApi.Storage.Sessions;

/// <summary>
/// A valid session id. The rule is identical on every OS so a store moves between Windows and Linux
/// unchanged: lowercase ASCII letters, digits, '_' and '-', starting with a letter or digit, at most
/// 128 characters, and not a Windows device name (which Windows would open as a device, not a file).
/// It also makes ids safe path segments: no separators, dots, or traversal. The one way to get a
/// <see cref="SessionId"/> is <see cref="TryParse"/>, so every method that takes one needs no check.
/// </summary>
public readonly partial record struct SessionId
{
    /// <summary>What <see cref="Pattern"/> says, in words (problem details and the OpenAPI description).</summary>
    public const string Rule =
        "A session id is 1 to 128 characters of a-z, 0-9, '_' and '-', starts with a letter or digit, and is not a Windows device name (con, prn, aux, nul, com1-9, lpt1-9).";

    public const int MaxLength = 128;

    public const string FileExtension = ".json";

    private const string DeviceNames = "con|prn|aux|nul|com[1-9]|lpt[1-9]";
    private const string Name = "[a-z0-9][a-z0-9_-]{0,127}";

    /// <summary>The whole rule as an ECMAScript regular expression: the OpenAPI document's <c>pattern</c>.</summary>
    public const string Pattern = "^(?!(?:" + DeviceNames + ")$)" + Name + "$";

    private SessionId(string value) => Value = value;

    public string Value { get; }

    public string FileName => Value + FileExtension;

    public static bool TryParse([NotNullWhen(true)] string? value, out SessionId id)
    {
        if (value is not null && IdRegex().IsMatch(value))
        {
            id = new SessionId(value);
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>The id of a session file name (<c>abc.json</c> gives <c>abc</c>), if it is one.</summary>
    public static bool TryParseFileName(string? fileName, out SessionId id)
    {
        if (fileName is not null && fileName.EndsWith(FileExtension, StringComparison.Ordinal))
        {
            return TryParse(fileName[..^FileExtension.Length], out id);
        }

        id = default;
        return false;
    }

    public override string ToString() => Value;

    // The same rule as Pattern, with \A and \z: in .NET '$' also matches before a trailing newline.
    [GeneratedRegex(@"\A(?!(?:" + DeviceNames + @")\z)" + Name + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();
}
