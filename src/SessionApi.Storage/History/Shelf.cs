using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.History;

/// <summary>
/// One of the two folders: per session, its kept files oldest first, with running totals. At
/// start the order is the names' (time, then content hash); after that a file kept is appended,
/// since it is always the newest: two versions within one tick of the clock that dates them (the
/// document's modification time) keep the order they were made in, not their hashes'.
/// </summary>
internal sealed class Shelf(string folder)
{
    private readonly Dictionary<SessionId, List<KeptFile>> bySession = [];

    public string Folder => folder;

    public int Count { get; private set; }

    public long Bytes { get; private set; }

    public string PathOf(SessionId id, string name) => Path.Combine(folder, id.Value, name + SessionId.FileExtension);

    public List<KeptFile>? Of(SessionId id) => bySession.GetValueOrDefault(id);

    public KeptFile? Newest(SessionId id) => Of(id) is { Count: > 0 } list ? list[^1] : null;

    public List<List<KeptFile>> Lists() => [.. bySession.Values];

    public IEnumerable<KeptFile> All() => bySession.Values.SelectMany(list => list);

    public KeptFile? Oldest()
    {
        KeptFile? oldest = null;
        foreach (var list in bySession.Values)
        {
            if (list.Count > 0 && (oldest is null || list[0].At < oldest.At))
            {
                oldest = list[0];
            }
        }

        return oldest;
    }

    public void Add(KeptFile file)
    {
        if (!bySession.TryGetValue(file.Id, out var list))
        {
            bySession[file.Id] = list = [];
        }

        list.Add(file);
        Count++;
        Bytes += file.Size;
    }

    public bool Remove(KeptFile file)
    {
        if (bySession.TryGetValue(file.Id, out var list) && list.Remove(file))
        {
            Count--;
            Bytes -= file.Size;
            if (list.Count == 0)
            {
                bySession.Remove(file.Id);
            }

            return true;
        }

        return false;
    }

    public void Clear()
    {
        bySession.Clear();
        Count = 0;
        Bytes = 0;
    }

    public void SortAll()
    {
        foreach (var list in bySession.Values)
        {
            list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }
    }
}
