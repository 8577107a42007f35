namespace SessionApi.Storage.History;

/// <summary>
/// Retention (<see cref="HistoryOptions"/>, <see cref="TrashOptions"/>): prunes after the save that
/// exceeded it, never before or instead of it, and never touches a session's current document.
/// </summary>
internal sealed class HistoryRetention(HistoryIndex index, HistoryOptions options, TrashOptions trashOptions, BackgroundFileRemover remover)
{
    /// <summary>
    /// Applies the limits: per session, versions beyond <see cref="HistoryOptions.MaxVersions"/> and
    /// bytes beyond <see cref="HistoryOptions.MaxBytesPerSession"/> (the newest one stays); across
    /// sessions, the oldest versions until <see cref="HistoryOptions.MaxTotalBytes"/> holds; trash
    /// entries older than <see cref="TrashOptions.Retention"/>. Files are deleted after the index is
    /// updated; a file that cannot be deleted now is logged and picked up again at the next start.
    /// </summary>
    public void Prune(DateTimeOffset now)
    {
        var doomed = new List<KeptFile>();
        lock (index.Gate)
        {
            foreach (var list in index.Versions.Lists())
            {
                while (list.Count > options.MaxVersions || (list.Count > 1 && list.Sum(v => v.Size) > options.MaxBytesPerSession))
                {
                    doomed.Add(list[0]);
                    index.Versions.Remove(list[0]);
                }
            }

            while (index.Versions.Bytes > options.MaxTotalBytes && index.Versions.Oldest() is { } oldest)
            {
                doomed.Add(oldest);
                index.Versions.Remove(oldest);
            }

            while (index.Trash.Oldest() is { } expired && now - expired.At > trashOptions.Retention)
            {
                doomed.Add(expired);
                index.Trash.Remove(expired);
            }

            if (doomed.Count > 0)
            {
                remover.RemoveLater(doomed);
            }
        }
    }
}
