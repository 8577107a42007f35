using Microsoft.Extensions.Http.Resilience;

namespace SessionApi.Client;

/// <summary>Options of <see cref="SessionApiClient"/>, set by <c>AddSessionApiClient</c>.</summary>
public sealed class SessionApiClientOptions
{
    /// <summary>The server's URL, from its ready line (e.g. <c>http://127.0.0.1:54321</c>).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// The bearer token (SESSIONAPI_TOKEN, or the ready line's "token"). Sent as
    /// <c>Authorization: Bearer</c>, never in the URL. Null sends no header (only /health answers then).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// One attempt's time limit. Generous by default: a save streams up to 32 MiB to disk with
    /// fsync and the server's own retries of sharing violations; cutting it short would not stop
    /// the save on the server, only hide its outcome.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The limit of a call including its retries; must exceed <see cref="AttemptTimeout"/>.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Adjusts the standard resilience pipeline after this library's settings (e.g. shorter retry
    /// delays in tests). Re-enabling retries of PUT/DELETE is possible here, and wrong: see README.md.
    /// </summary>
    public Action<HttpStandardResilienceOptions>? ConfigureResilience { get; set; }
}
