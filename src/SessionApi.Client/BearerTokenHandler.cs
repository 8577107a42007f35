using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace SessionApi.Client;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;token&gt;</c> to every request. The token is read per request,
/// so a restarted server's new token only needs the options to change. It goes in the header, never
/// in the query string, where it would end up in logs and in the browser's history.
/// </summary>
internal sealed class BearerTokenHandler(IOptionsMonitor<SessionApiClientOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = options.CurrentValue.Token;
        if (!string.IsNullOrEmpty(token) && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
