namespace SessionApi.Store;

public enum SaveOutcome
{
    Created,
    Replaced,
    PreconditionFailed,
}

/// <summary>Outcome of a save; <see cref="Metadata"/> is the new metadata, or the current one (if any) when a precondition failed.</summary>
public sealed record SaveResult(SaveOutcome Outcome, SessionMetadata? Metadata);
