namespace SessionApi.Storage.Writer;

/// <summary>
/// The operation an OS error came from, where that changes its meaning (see
/// <see cref="OsErrorClassifier"/>): "already exists" for a fresh random name, or "not found" for a
/// temp file that is verifiably there, say nothing about the storage itself.
/// </summary>
internal enum FileOperation
{
    /// <summary>Any file operation: the error means what it says.</summary>
    Any,

    /// <summary>Exclusive create (O_CREAT|O_EXCL, CREATE_NEW) of a temp under a fresh random name that is not there.</summary>
    ExclusiveCreateOfFreshName,

    /// <summary>Rename of a complete temp over its target, the temp verifiably still in place after the failure.</summary>
    RenameOfPresentTemp,
}
