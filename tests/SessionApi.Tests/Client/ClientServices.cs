using Microsoft.Extensions.DependencyInjection;
using SessionApi.Client;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Client;

/// <summary>
/// The C# client as an app would register it (AddSessionApiClient), with the in-memory server's
/// handler as the primary handler: everything above the socket is the real pipeline (bearer handler,
/// standard resilience handler, generated transport).
/// </summary>
internal static class ClientServices
{
    public static ServiceProvider For(ApiFactory factory, string? token = ApiFactory.Token, Action<SessionApiClientOptions>? configure = null) =>
        For(factory.Server.BaseAddress, () => factory.Server.CreateHandler(), token, configure);

    public static ServiceProvider For(Uri baseAddress, Func<HttpMessageHandler> primaryHandler, string? token = ApiFactory.Token, Action<SessionApiClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSessionApiClient(options =>
            {
                options.BaseAddress = baseAddress;
                options.Token = token;
                configure?.Invoke(options);
            })
            .ConfigurePrimaryHttpMessageHandler(primaryHandler);
        services.AddHttpClient(SessionApiClient.EventStreamHttpClientName).ConfigurePrimaryHttpMessageHandler(primaryHandler);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}

/// <summary>Records what leaves the client (after the bearer and resilience handlers) and passes it on.</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public List<(HttpMethod Method, Uri Uri, string? Authorization, string? IfMatch, string? IfNoneMatch)> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(),
                Header(request, "If-Match"), Header(request, "If-None-Match")));
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
