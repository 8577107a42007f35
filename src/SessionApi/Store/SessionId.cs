using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace SessionApi.Store;

/// <summary>
/// The id rule, identical on every OS so a store moves between Windows and Linux unchanged:
/// lowercase ASCII letters, digits, '_' and '-', starting with a letter or digit, at most 128
/// characters, and not a Windows device name (which Windows would open as a device, not a file).
/// The rule also makes ids safe path segments: no separators, dots, or traversal.
/// </summary>
public static partial class SessionId
{
    public const string Pattern = "^[a-z0-9][a-z0-9_-]{0,127}$";

    public const string FileExtension = ".json";

    private static readonly HashSet<string> WindowsDeviceNames = new(StringComparer.Ordinal)
    {
        "con", "prn", "aux", "nul",
        "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    };

    public static bool IsValid([NotNullWhen(true)] string? id) =>
        id is not null && IdRegex().IsMatch(id) && !WindowsDeviceNames.Contains(id);

    /// <summary>Throws the store's invalid_id error unless <paramref name="id"/> is valid.</summary>
    public static void Validate(string? id)
    {
        if (!IsValid(id))
        {
            throw new SessionStoreException(
                StoreErrorCode.InvalidId,
                "A session id is 1 to 128 characters of a-z, 0-9, '_' and '-', starts with a letter or digit, and is not a Windows device name (con, prn, aux, nul, com1-9, lpt1-9).");
        }
    }

    public static string FileName(string id) => id + FileExtension;

    /// <summary>The id of a session file name (<c>abc.json</c> gives <c>abc</c>), or null.</summary>
    public static string? FromFileName(string fileName) =>
        fileName.EndsWith(FileExtension, StringComparison.Ordinal) ? fileName[..^FileExtension.Length] : null;

    // \z rather than $: $ also matches before a trailing newline.
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9_-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();
}
