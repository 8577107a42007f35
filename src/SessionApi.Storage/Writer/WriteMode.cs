using System.Text.Json.Serialization;

namespace SessionApi.Storage.Writer;

/// <summary>How a document replaced its target; the member names are diagnostics' <c>writeMode</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WriteMode>))]
public enum WriteMode
{
    /// <summary>rename(2) / MoveFileEx over the target: atomic, the normal case.</summary>
    [JsonStringEnumMemberName("atomic-rename")]
    AtomicRename,

    /// <summary>Rename was refused as cross-device (MSIX): copied in place, flushed, read back and compared.</summary>
    [JsonStringEnumMemberName("verified-copy")]
    VerifiedCopy,
}
