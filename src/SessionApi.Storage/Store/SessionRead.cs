using SessionApi.Storage.Sessions;

namespace SessionApi.Storage.Store;

/// <summary>
/// A session opened for reading: a small document whole in memory (<see cref="Content"/>; no lock is
/// held any more), or a large one as a <see cref="Lease"/> that streams it and holds the session's
/// lock until disposed (so a verified copy cannot rewrite the bytes underneath the reader).
/// </summary>
public sealed class SessionRead
{
    private SessionRead(SessionInfo session, byte[]? content, SessionReadLease? lease)
    {
        Session = session;
        Content = content;
        Lease = lease;
    }

    public SessionInfo Session { get; }

    /// <summary>The whole document, byte for byte as saved; null when it is streamed through <see cref="Lease"/>.</summary>
    public byte[]? Content { get; }

    /// <summary>The open document of a large session; null when <see cref="Content"/> holds it.</summary>
    public SessionReadLease? Lease { get; }

    public static SessionRead Whole(SessionInfo session, byte[] content) => new(session, content, null);

    public static SessionRead Streamed(SessionReadLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new(lease.Session, null, lease);
    }
}
