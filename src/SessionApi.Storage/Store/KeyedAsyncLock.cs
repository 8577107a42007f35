using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Store;

/// <summary>
/// One async lock per key: work on one session id runs one at a time, different ids run in
/// parallel. Entries are reference-counted and removed when unused, so 10,000 sessions cost nothing
/// while idle.
/// </summary>
internal sealed class KeyedAsyncLock
{
    private readonly Dictionary<SessionId, Entry> entries = new();

    public async Task<IDisposable> AcquireAsync(SessionId key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                entries.Add(key, entry);
            }

            entry.References++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Release(key, entry, held: false);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    private void Release(SessionId key, Entry entry, bool held)
    {
        if (held)
        {
            entry.Semaphore.Release();
        }

        lock (entries)
        {
            if (--entry.References == 0)
            {
                entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int References { get; set; }
    }

    private sealed class Releaser(KeyedAsyncLock owner, SessionId key, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Release(key, entry, held: true);
            }
        }
    }
}
