namespace SessionApi.Storage.History;

/// <summary>
/// The in-memory index of both folders, one <see cref="Shelf"/> each, and the one lock every part of
/// the history takes to read or change it (<see cref="VersionKeeper"/>, <see cref="TrashKeeper"/>,
/// <see cref="HistoryRetention"/>, the diagnostics).
/// </summary>
/// <remarks>The store calls those parts under the session's lock for that session; <see cref="Gate"/> guards the index across sessions.</remarks>
internal sealed class HistoryIndex(string root)
{
    public const string HistoryFolderName = ".history";
    public const string TrashFolderName = ".trash";

    public Lock Gate { get; } = new();

    /// <summary><c>&lt;root&gt;/.history/&lt;id&gt;/&lt;version&gt;.json</c>: the previous versions.</summary>
    public Shelf Versions { get; } = new(Path.Combine(root, HistoryFolderName));

    /// <summary><c>&lt;root&gt;/.trash/&lt;id&gt;/&lt;version&gt;.json</c>: the deleted documents.</summary>
    public Shelf Trash { get; } = new(Path.Combine(root, TrashFolderName));
}
