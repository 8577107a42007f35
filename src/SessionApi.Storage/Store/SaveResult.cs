using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Store;

public enum SaveOutcome
{
    Created,
    Replaced,
    PreconditionFailed,
}

/// <summary>Outcome of a save; <see cref="Session"/> is the saved session, or the current one (if any) when the precondition failed.</summary>
public sealed record SaveResult(SaveOutcome Outcome, SessionInfo? Session);
