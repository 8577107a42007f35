using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Store;

/// <summary>
/// An open session document and the session's lock. Dispose it when the response is written:
/// until then no save or delete of this id can run.
/// </summary>
public sealed class SessionReadLease(SessionInfo session, Stream content, IDisposable sessionLock) : IAsyncDisposable
{
    public SessionInfo Session { get; } = session;

    /// <summary>The document, byte for byte as saved.</summary>
    public Stream Content { get; } = content;

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        sessionLock.Dispose();
    }
}
