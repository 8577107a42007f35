namespace SessionApi.Client;

/// <summary>Previous versions and the trash: every replace keeps a version, every delete a trash entry.</summary>
public sealed partial class SessionApiClient
{
    /// <summary><c>GET /sessions/{id}/versions</c>: the session's previous versions, newest first (not its current document).</summary>
    /// <exception cref="SessionApiException">404 not_found when the id has neither a document nor versions, 400 invalid_id.</exception>
    public Task<IReadOnlyList<SessionVersion>> ListVersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return CallAsync(async t => (await t.ListVersionsAsync(id, cancellationToken).ConfigureAwait(false)).Result.Items);
    }

    /// <summary><c>GET /sessions/{id}/versions/{version}</c>: the version byte for byte and its ETag.</summary>
    /// <exception cref="SessionApiException">404 not_found, 400 invalid_id / invalid_version.</exception>
    public Task<LoadedVersion> GetVersionAsync(string id, string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(version);
        return CallAsync(async t =>
        {
            var response = await t.GetVersionAsync(id, version, cancellationToken).ConfigureAwait(false);
            var etag = ETagOf(response) ?? throw new SessionApiException($"GET /sessions/{id}/versions/{version} answered 200 without an ETag.");
            return new LoadedVersion(id, version, etag, ((RawJsonBody)response.Result).Utf8Json);
        });
    }

    /// <summary>
    /// <c>POST /sessions/{id}/versions/{version}/restore</c>: saves the version as the session's document
    /// (only over <paramref name="ifMatch"/> when given); the document it replaces becomes a version.
    /// </summary>
    /// <exception cref="SessionApiException">404 not_found, 412 precondition_failed, 400 invalid_version, 507, 503.</exception>
    public Task<SavedSession> RestoreVersionAsync(string id, string version, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(version);
        return CallAsync(async t =>
        {
            var response = await t.RestoreVersionAsync(id, version, ifMatch, cancellationToken).ConfigureAwait(false);
            return new SavedSession(response.StatusCode == 201, response.Result);
        });
    }

    /// <summary><c>GET /trash</c>: deleted sessions still in the trash, newest first.</summary>
    public Task<IReadOnlyList<TrashedSession>> ListTrashAsync(CancellationToken cancellationToken = default) =>
        CallAsync(async t => (await t.ListTrashAsync(cancellationToken).ConfigureAwait(false)).Result.Items);

    /// <summary><c>POST /trash/{id}/restore</c>: makes the most recently deleted document of <paramref name="id"/> the session again.</summary>
    /// <exception cref="SessionApiException">409 already_exists while a session with that id exists, 404 not_found.</exception>
    public Task<SavedSession> RestoreFromTrashAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return CallAsync(async t =>
        {
            var response = await t.RestoreFromTrashAsync(id, cancellationToken).ConfigureAwait(false);
            return new SavedSession(Created: true, response.Result);
        });
    }
}
