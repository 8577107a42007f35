using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using SessionApi.Client;

namespace Microsoft.Extensions.DependencyInjection;

public static class SessionApiClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SessionApiClient"/> as a typed HttpClient: base address and bearer token
    /// from <paramref name="configure"/>, then the standard resilience handler with retries limited
    /// to safe methods (GET); and the event stream's client (<see cref="SessionApiClient.EventStreamHttpClientName"/>).
    /// Returns the typed client's builder, e.g. to set the primary handler.
    /// </summary>
    public static IHttpClientBuilder AddSessionApiClient(this IServiceCollection services, Action<SessionApiClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<SessionApiClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "SessionApiClientOptions.BaseAddress must be an absolute URL (the ready line's \"url\").")
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.TotalRequestTimeout > o.AttemptTimeout, "SessionApiClientOptions.TotalRequestTimeout must exceed AttemptTimeout.")
            .ValidateOnStart();
        services.AddTransient<BearerTokenHandler>();

        // The event stream: the same server and token, and no resilience handler, whose timeouts are
        // made for calls (and whose pooled cancellation sources would outlive them into a stream that
        // lasts for hours); the watcher reconnects and resumes on its own.
        services.AddHttpClient(SessionApiClient.EventStreamHttpClientName, ConfigureClient)
            .AddHttpMessageHandler<BearerTokenHandler>();

        var builder = services.AddHttpClient<SessionApiClient>(ConfigureClient);

        // Outermost first: the token is set once per call, and every retry re-sends that request.
        builder.AddHttpMessageHandler<BearerTokenHandler>();
        builder.AddStandardResilienceHandler().Configure((resilience, provider) =>
        {
            var options = provider.GetRequiredService<IOptions<SessionApiClientOptions>>().Value;

            // Only GET and HEAD are retried. A PUT or DELETE whose response was lost (or that hit
            // the attempt timeout) may have taken effect on the server; sending it again turns a
            // success into a spurious 412 (If-Match names the version it just replaced; If-None-Match: *
            // now finds the session it just created) or 404 (DELETE), and an unconditional PUT retried
            // later can overwrite a save another writer made in between. The server already retries
            // transient disk errors inside its own budget (503/507 are its final answers), and there is
            // no proxy on loopback whose 502/504 a retry would cure. The caller sees the failure,
            // re-reads (GET + ETag) and decides.
            resilience.Retry.DisableForUnsafeHttpMethods();

            resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
            resilience.TotalRequestTimeout.Timeout = options.TotalRequestTimeout;

            // The breaker samples at least two attempt timeouts (a rule the options validator enforces).
            var sampling = options.AttemptTimeout * 2;
            if (resilience.CircuitBreaker.SamplingDuration < sampling)
            {
                resilience.CircuitBreaker.SamplingDuration = sampling;
            }

            options.ConfigureResilience?.Invoke(resilience);
        });

        return builder;
    }

    private static void ConfigureClient(IServiceProvider provider, HttpClient client)
    {
        var options = provider.GetRequiredService<IOptions<SessionApiClientOptions>>().Value;

        // The generated transport uses relative URLs ("sessions/{id}"): a base without its
        // trailing slash would lose its last path segment when they are resolved against it.
        var baseAddress = options.BaseAddress!.ToString();
        client.BaseAddress = new Uri(baseAddress.EndsWith('/') ? baseAddress : baseAddress + "/");

        // The resilience pipeline owns time limits (per attempt and in total); HttpClient's own
        // 100 s timeout would cut across them (and across an event stream).
        client.Timeout = Timeout.InfiniteTimeSpan;
    }
}
