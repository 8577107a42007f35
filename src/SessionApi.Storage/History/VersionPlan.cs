using SessionApi.Storage.Writer;

namespace SessionApi.Storage.History;

/// <summary>What a replace should keep: the version to write, the one it merges into, and what to ask the writer.</summary>
internal sealed record VersionPlan(KeptFile Kept, KeptFile? Replaces, KeepPrevious Keep);
