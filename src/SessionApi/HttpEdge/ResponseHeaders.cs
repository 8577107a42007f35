using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SessionApi.HttpEdge;

/// <summary>
/// Response headers an endpoint sets (ETag, Location), declared on the endpoint and written into the
/// OpenAPI document, so the generated clients know them.
/// </summary>
internal static class ResponseHeaders
{
    public const string ETagDescription = "The strong validator of the version answered (quoted): pass it back in If-Match or If-None-Match.";

    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description) =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description));

    /// <summary>The OpenAPI operation transformer that writes the declared headers into the responses.</summary>
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var header in context.Description.ActionDescriptor.EndpointMetadata.OfType<ResponseHeaderMetadata>())
        {
            if (operation.Responses?.TryGetValue(header.StatusCode.ToString(CultureInfo.InvariantCulture), out var response) is true
                && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers[header.Name] = new OpenApiHeader
                {
                    Description = header.Description,
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }

        return Task.CompletedTask;
    }

    private sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description);
}
