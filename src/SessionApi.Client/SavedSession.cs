namespace SessionApi.Client;

/// <summary>The outcome of a successful save or restore.</summary>
/// <param name="Created">201 (a new session) rather than 200 (replaced).</param>
/// <param name="Session">The metadata the server answered with; its <see cref="SessionInfo.Etag"/> is the new version's ETag.</param>
public sealed record SavedSession(bool Created, SessionInfo Session);
