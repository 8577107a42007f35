namespace SessionApi.Store;

/// <summary>
/// HTTP preconditions of a save. <see cref="IfMatch"/> is a quoted ETag (or "*"): the save happens
/// only if the current document has it. <see cref="IfNoneMatchAny"/>: only if no document exists.
/// </summary>
public readonly record struct WritePrecondition(string? IfMatch, bool IfNoneMatchAny)
{
    public static WritePrecondition None => default;
}
