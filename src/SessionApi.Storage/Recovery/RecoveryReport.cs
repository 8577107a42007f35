namespace SessionApi.Storage.Recovery;

/// <summary>What startup recovery (or <c>SessionApi recover</c>) did to the root.</summary>
public sealed class RecoveryReport
{
    /// <summary>The folder of the root that holds what recovery could not serve.</summary>
    public static string QuarantineFolderName => Quarantine.FolderName;

    /// <summary>Temp files promoted to their document: (temp file name, document file name).</summary>
    public List<(string Temp, string Document)> Promoted { get; } = [];

    public List<QuarantinedFile> Quarantined { get; } = [];

    /// <summary>Temp files removed because they held exactly the bytes of their document.</summary>
    public List<string> RemovedDuplicates { get; } = [];

    /// <summary>Promotions that failed for now (temp file name, reason); the files stay for the next start.</summary>
    public List<(string Temp, string Reason)> Deferred { get; } = [];

    public int Sessions { get; set; }
}
