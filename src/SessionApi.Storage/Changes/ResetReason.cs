using System.Text.Json.Serialization;

namespace SessionApi.Storage.Changes;

/// <summary>
/// Why a watcher cannot continue from where it was and must list the sessions again; the member
/// names are the <c>reason</c> of a <c>reset</c> event.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResetReason>))]
public enum ResetReason
{
    /// <summary>It named no position: it has seen nothing yet.</summary>
    [JsonStringEnumMemberName("new")]
    New,

    /// <summary>Its position belongs to another server run (a restart), or is not a position at all.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    /// <summary>It missed more changes than the replay buffer still keeps.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>It fell more than its queue's capacity behind and was dropped.</summary>
    [JsonStringEnumMemberName("overflow")]
    Overflow,
}
