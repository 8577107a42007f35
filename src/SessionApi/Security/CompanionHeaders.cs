using Microsoft.Net.Http.Headers;
using SessionApi.Features.Events;

namespace SessionApi.Security;

/// <summary>Headers of the CORS policy.</summary>
internal static class CompanionHeaders
{
    public static readonly string[] CorsAllowedHeaders =
        [HeaderNames.Authorization, HeaderNames.ContentType, HeaderNames.IfMatch, HeaderNames.IfNoneMatch, SessionEventsApi.LastEventIdHeader];

    public static readonly string[] CorsExposedHeaders = [HeaderNames.ETag, HeaderNames.Location, HeaderNames.RetryAfter];
}
