using SessionApi.Storage.Sessions;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.History;

/// <summary>
/// Previous versions: where a replace keeps the document it replaces (with the merge window), what
/// was kept, and the listing and lookup the API serves from the index without reading a document.
/// </summary>
internal sealed class VersionKeeper(HistoryIndex index, HistoryOptions options, HistoryRetention retention, BackgroundFileRemover remover)
{
    private Shelf Versions => index.Versions;

    /// <summary>Where to keep <paramref name="current"/> before a replace, or null when history is off or it is kept already.</summary>
    public VersionPlan? Plan(SessionId id, SessionInfo current)
    {
        if (!options.Enabled)
        {
            return null;
        }

        var name = VersionName.Format(current.UpdatedAt, current.ETag);
        lock (index.Gate)
        {
            var newest = Versions.Newest(id);
            if (newest?.Name == name)
            {
                return null; // this very document (same time, same bytes) is the newest version already
            }

            // The window is anchored at the first version of a run of merges, so a session saved every
            // 200 ms for an hour keeps one version per window, not one for the whole hour. A document
            // smaller than the newest version never merges it away: a chat only grows while it
            // streams, and a shrink is what the app's bad save looks like; the version before it must
            // survive the next save.
            var at = new DateTimeOffset(current.UpdatedAt.UtcDateTime, TimeSpan.Zero);
            var merge = newest is not null && at >= newest.MergeAnchor && at - newest.MergeAnchor < options.MergeWindow
                && current.Size >= newest.Size;
            var kept = new KeptFile(id, name, VersionName.TimeOf(name), current.ETag, current.Size, Versions.PathOf(id, name))
            {
                MergeAnchor = merge ? newest!.MergeAnchor : at,
            };
            return new VersionPlan(kept, merge ? newest : null, new KeepPrevious(kept.Path, Convert.FromHexString(current.ETag.Trim('"'))));
        }
    }

    /// <summary>Where <paramref name="document"/> is, or would be, kept as a version.</summary>
    public string PathOf(SessionId id, SessionInfo document) =>
        Versions.PathOf(id, VersionName.Format(document.UpdatedAt, document.ETag));

    /// <summary>Records a version the writer kept (and drops the one it merged into), then prunes to the limits.</summary>
    public void Commit(VersionPlan plan, DateTimeOffset now)
    {
        lock (index.Gate)
        {
            if (plan.Replaces is { } replaced && Versions.Remove(replaced))
            {
                remover.RemoveLater([replaced]);
            }

            Versions.Add(plan.Kept);
        }

        retention.Prune(now);
    }

    /// <summary>A save failed after its previous version was written: the file is a good version all the same.</summary>
    public void CommitIfWritten(VersionPlan plan)
    {
        if (File.Exists(plan.Kept.Path))
        {
            lock (index.Gate)
            {
                Versions.Add(plan.Kept);
            }
        }
    }

    /// <summary>The versions of <paramref name="id"/>, newest first; null when it has none.</summary>
    public IReadOnlyList<SessionVersion>? List(SessionId id)
    {
        lock (index.Gate)
        {
            return Versions.Of(id) is { Count: > 0 } list
                ? [.. Enumerable.Reverse(list).Select(v => new SessionVersion(v.Name, v.Size, v.At, v.ETag))]
                : null;
        }
    }

    public KeptFile? Find(SessionId id, string version)
    {
        lock (index.Gate)
        {
            return Versions.Of(id)?.Find(v => v.Name == version);
        }
    }
}
