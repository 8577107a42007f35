using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Store;

/// <summary>
/// The bytes of recently read small documents, each valid only for the ETag it was read with. A save,
/// a delete or a recovery therefore needs no invalidation: the index then holds another ETag (or
/// none), and a lookup with it misses. Bounded by <see cref="StorageOptions.ReadCacheBytes"/>, oldest
/// entries first out.
/// </summary>
/// <remarks>
/// Why at all: a cached read skips the session lock and nine file system calls (open, three fstat,
/// flock twice, fadvise, pread, close), about a quarter of a 10 KB GET on the benchmark machine
/// (bench/RESULTS.md). Entries are immutable arrays handed to every reader as they are; nothing writes
/// to them after <see cref="Add"/>.
/// </remarks>
internal sealed class DocumentCache(long capacityBytes)
{
    private readonly ConcurrentDictionary<SessionId, Entry> entries = new();

    // Every entry ever added and not yet evicted, oldest first, including ones since replaced in
    // `entries`: those still hold memory until they leave here, so `bytes` counts them too.
    private readonly ConcurrentQueue<Entry> order = new();
    private long bytes;

    /// <summary>Bytes held by the cache right now (replaced entries included until they age out).</summary>
    public long SizeInBytes => Interlocked.Read(ref bytes);

    public bool TryGet(SessionId id, string etag, [NotNullWhen(true)] out byte[]? content)
    {
        if (entries.TryGetValue(id, out var entry) && string.Equals(entry.ETag, etag, StringComparison.Ordinal))
        {
            content = entry.Content;
            return true;
        }

        content = null;
        return false;
    }

    /// <summary>Caches <paramref name="content"/> (which must never change afterwards) as <paramref name="id"/> at <paramref name="etag"/>.</summary>
    public void Add(SessionId id, string etag, byte[] content)
    {
        if (content.Length > capacityBytes)
        {
            return; // also the "disabled" case: a capacity of 0
        }

        var entry = new Entry(id, etag, content);
        entries[id] = entry;
        order.Enqueue(entry);
        Interlocked.Add(ref bytes, content.Length);
        while (Interlocked.Read(ref bytes) > capacityBytes && order.TryDequeue(out var oldest))
        {
            Interlocked.Add(ref bytes, -oldest.Content.Length);

            // Only if it is still the current entry of its id (a newer one may have replaced it).
            entries.TryRemove(KeyValuePair.Create(oldest.Id, oldest));
        }
    }

    public void Remove(SessionId id) => entries.TryRemove(id, out _);

    // A class, not a record: TryRemove(KeyValuePair) must compare entries by reference.
    private sealed class Entry(SessionId id, string etag, byte[] content)
    {
        public SessionId Id { get; } = id;

        public string ETag { get; } = etag;

        public byte[] Content { get; } = content;
    }
}
