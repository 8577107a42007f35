using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SessionApi.Security;

/// <summary>
/// Declares the bearer token in the OpenAPI document: the security scheme, on every operation that
/// needs it the requirement and the 401 answer, and on the public ones an empty requirement list. Lives with the authentication it describes, so
/// the API folder knows nothing of how requests are authenticated.
/// </summary>
internal static class BearerTokenOpenApi
{
    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer(AddScheme);
        options.AddOperationTransformer(RequireToken);
    }

    private static Task AddScheme(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerTokenAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The token the server was started with (SESSIONAPI_TOKEN, or the 'token' of the ready line).",
        };
        return Task.CompletedTask;
    }

    private static Task RequireToken(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            // Public: an explicitly empty requirement list says "no token", rather than leaving it unsaid.
            operation.Security = [];
            return Task.CompletedTask;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(BearerTokenAuthenticationHandler.SchemeName, context.Document)] = [],
        });
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse
        {
            Description = "Unauthorized: no or a wrong bearer token.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), context.Document) },
            },
        });
        return Task.CompletedTask;
    }
}
