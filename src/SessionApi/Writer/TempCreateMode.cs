namespace SessionApi.Writer;

/// <summary>How the writer creates the temporary file a save is staged in.</summary>
public enum TempCreateMode
{
    /// <summary>O_CREAT|O_EXCL / CREATE_NEW: a name that is already taken fails instead of being reused. The normal case.</summary>
    Exclusive,

    /// <summary>
    /// The root refused exclusive creates of fresh names with "already exists" (an MSIX AppData that
    /// holds a junction): temps are created without exclusivity, still under a random name beside
    /// the target, still validated, hashed and fsynced.
    /// </summary>
    NonExclusive,
}

public static class TempCreateModeNames
{
    public static string ToWireName(this TempCreateMode mode) => mode switch
    {
        TempCreateMode.Exclusive => "exclusive",
        TempCreateMode.NonExclusive => "non-exclusive",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
