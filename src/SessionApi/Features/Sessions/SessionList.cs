using SessionApi.Storage.Sessions;

namespace SessionApi.Features.Sessions;

/// <summary>Every session, newest first.</summary>
public sealed record SessionList(IReadOnlyList<SessionInfo> Items);
