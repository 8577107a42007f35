using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SessionApi.Foundation;
using SessionApi.Store;

namespace SessionApi.Api;

/// <summary>
/// OpenAPI 3.1 document at /openapi/v1.json (Microsoft.AspNetCore.OpenApi; the same document is
/// generated at build time into openapi/SessionApi.json) and Swagger UI at /swagger.
/// </summary>
public static class ApiDocs
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string SwaggerEnabledKey = "Swagger:Enabled";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        // Numbers are numbers: the web default (also read from strings) would make every integer
        // "integer or string" in the schemas, and so in the generated clients.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;

            // Generated metadata first: the only kind there is in the Native AOT build.
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });

        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer(DescribeDocument);
            options.AddOperationTransformer(DescribeIdParameter);
            options.AddOperationTransformer(ResponseHeaders.Describe);
            options.AddOperationTransformer(SessionEventsOpenApi.Describe);
            options.AddSchemaTransformer(AddProblemCode);
        });
        return services;
    }

    /// <summary>The document (anonymous) and, in Development or when <c>Swagger:Enabled</c>, Swagger UI.</summary>
    public static WebApplication UseApiDocs(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Configuration.GetValue<bool?>(SwaggerEnabledKey) ?? app.Environment.IsDevelopment())
        {
            // Static assets embedded in Swashbuckle.AspNetCore.SwaggerUI: nothing is fetched from a CDN.
            app.UseSwaggerUI(ui =>
            {
                ui.RoutePrefix = "swagger";
                ui.DocumentTitle = AppIdentity.ProductName;
                ui.SwaggerEndpoint(DocumentPath, "SessionApi v1");
            });
        }

        return app;
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = AppIdentity.ProductName,
            Version = AppIdentity.Version,
            // Markdown: the code span keeps Swagger UI from swallowing <token> as an HTML tag.
            Description = "Durable chat-session storage for the desktop app, on loopback. "
                + "Every endpoint but /health and the documentation needs `Authorization: Bearer <token>`. "
                + "Every error is application/problem+json with a stable 'code'.",
        };

        // The base URL is chosen at run time (port 0): a server list would only differ between the
        // build-time and the runtime document.
        document.Servers = [];

        return Task.CompletedTask;
    }

    /// <summary>The id rule of the store, so clients can check an id before sending it.</summary>
    private static Task DescribeIdParameter(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter is { Name: "id", In: ParameterLocation.Path })
            {
                parameter.Description = SessionId.Rule;
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = SessionId.Pattern, MaxLength = SessionId.MaxLength };
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The stable machine-readable <c>code</c> every problem of this API carries.</summary>
    private static Task AddProblemCode(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties[Problems.CodeKey] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Stable machine-readable error code, e.g. invalid_id, invalid_json, too_large, precondition_failed, not_found.",
            };
        }

        return Task.CompletedTask;
    }
}
