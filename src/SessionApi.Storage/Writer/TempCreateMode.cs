using System.Text.Json.Serialization;

namespace SessionApi.Storage.Writer;

/// <summary>How the writer creates the temporary file a save is staged in; the member names are diagnostics' <c>tempCreateMode</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TempCreateMode>))]
public enum TempCreateMode
{
    /// <summary>O_CREAT|O_EXCL / CREATE_NEW: a name that is already taken fails instead of being reused. The normal case.</summary>
    [JsonStringEnumMemberName("exclusive")]
    Exclusive,

    /// <summary>
    /// The root refused exclusive creates of fresh names with "already exists" (an MSIX AppData that
    /// holds a junction): temps are created without exclusivity, still under a random name beside
    /// the target, still validated, hashed and fsynced.
    /// </summary>
    [JsonStringEnumMemberName("non-exclusive")]
    NonExclusive,
}
