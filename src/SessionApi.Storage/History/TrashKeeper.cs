using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.History;

/// <summary>The trash: where a delete puts the document, the listing, and the entry a restore takes back.</summary>
internal sealed class TrashKeeper(HistoryIndex index, HistoryRetention retention, BackgroundFileRemover remover)
{
    private Shelf Trash => index.Trash;

    /// <summary>Where to put a document that is being deleted.</summary>
    public KeptFile Plan(SessionId id, SessionInfo current, DateTimeOffset now)
    {
        var name = VersionName.Format(now, current.ETag);
        return new KeptFile(id, name, VersionName.TimeOf(name), current.ETag, current.Size, Trash.PathOf(id, name));
    }

    /// <summary>Records a document the delete kept, then prunes to the limits.</summary>
    public void Commit(KeptFile kept)
    {
        lock (index.Gate)
        {
            Trash.Add(kept);
        }

        retention.Prune(kept.At);
    }

    public IReadOnlyList<TrashedSession> List()
    {
        lock (index.Gate)
        {
            return [.. Trash.All().OrderByDescending(t => t.At).ThenBy(t => t.Id.Value, StringComparer.Ordinal)
                .Select(t => new TrashedSession(t.Id.Value, t.Size, t.At, t.ETag))];
        }
    }

    /// <summary>The most recently deleted document of <paramref name="id"/>, or null.</summary>
    public KeptFile? Newest(SessionId id)
    {
        lock (index.Gate)
        {
            return Trash.Newest(id);
        }
    }

    /// <summary>Removes a trash entry once its document is a session again.</summary>
    public void Remove(KeptFile kept)
    {
        lock (index.Gate)
        {
            Trash.Remove(kept);
        }

        remover.RemoveNow(kept);
    }
}
