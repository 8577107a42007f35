using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Store;

/// <summary>
/// The read path of <c>GET /sessions/{id}</c>: documents up to <see cref="WholeReadLimit"/> are read
/// whole, cached by ETag in <see cref="DocumentCache"/>, and the session's lock released before the
/// response is sent; larger ones stream under the lock, which their <see cref="SessionReadLease"/>
/// holds until the response is sent.
/// </summary>
internal sealed class SessionReader(SessionDocuments documents, DocumentCache cache)
{
    /// <summary>Documents up to this size are read whole (and cached), the lock released before the response is sent.</summary>
    public const int WholeReadLimit = 64 * 1024;

    public async Task<SessionRead?> ReadAsync(SessionId id, CancellationToken cancellationToken)
    {
        if (!documents.Index.TryGetValue(id, out var known))
        {
            return null;
        }

        if (cache.TryGet(id, known.ETag, out var cached))
        {
            return SessionRead.Whole(known, cached);
        }

        var sessionLock = await documents.Locks.AcquireAsync(id, cancellationToken).ConfigureAwait(false);
        SessionReadLease? lease = null;
        try
        {
            if (!documents.Index.TryGetValue(id, out var session))
            {
                return null;
            }

            // Under the lock the index and the file agree (every write holds it too), so the bytes
            // read here are exactly the ones session.ETag names.
            var large = session.Size > WholeReadLimit;
            var stream = new FileStream(documents.PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, large ? FileOptions.SequentialScan : FileOptions.None);
            if (large || stream.Length > WholeReadLimit)
            {
                lease = new SessionReadLease(session, stream, sessionLock);
                return SessionRead.Streamed(lease);
            }

            await using (stream.ConfigureAwait(false))
            {
                var content = new byte[stream.Length];
                stream.ReadExactly(content);
                cache.Add(id, session.ETag, content);
                return SessionRead.Whole(session, content);
            }
        }
        catch (FileNotFoundException)
        {
            // Deleted behind our back (by hand): the index follows the disk, and so do the watchers.
            documents.RemoveAndPublish(id);
            return null;
        }
        finally
        {
            // A streamed read hands the lock to its lease, which releases it once the response is sent.
            if (lease is null)
            {
                sessionLock.Dispose();
            }
        }
    }
}
