using SessionApi.Storage.History;

namespace SessionApi.Features.History;

/// <summary>A session's previous versions, newest first.</summary>
public sealed record VersionList(IReadOnlyList<SessionVersion> Items);

/// <summary>The deleted sessions in the trash, newest first.</summary>
public sealed record TrashList(IReadOnlyList<TrashedSession> Items);
