using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SessionApi.Features.Events;
using SessionApi.Foundation;
using SessionApi.HttpEdge;
using SessionApi.Storage.Sessions;

namespace SessionApi.Docs;

/// <summary>
/// OpenAPI 3.1 document at /openapi/v1.json (Microsoft.AspNetCore.OpenApi; the same document is
/// generated at build time into openapi/SessionApi.json) and Swagger UI at /swagger.
/// </summary>
public static class ApiDocs
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string SwaggerEnabledKey = "Swagger:Enabled";

    /// <summary>The document's one server: loopback, the port a variable (see <see cref="DescribeDocument"/>).</summary>
    private const string ServerHost = "http://127.0.0.1:";

    /// <summary>The port the server template shows until the caller fills in the ready line's.</summary>
    private const string DefaultPort = "5000";

    /// <summary>Swagger UI's request interceptor: a request for the server template's default URL goes to the page's origin.</summary>
    private const string SameOriginRequestInterceptor =
        "function (request) { var template = '" + ServerHost + DefaultPort + "/'; "
        + "if (request.url.indexOf(template) === 0) { request.url = window.location.origin + '/' + request.url.substring(template.length); } "
        + "return request; }";

    /// <summary>What each tag of the document groups (every tag an endpoint uses needs one).</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Liveness, without a token: the launcher's and the container's probe.",
        ["Events"] = "Live changes: a Server-Sent Events stream of every durable save and every delete.",
        ["Diagnostics"] = "Storage diagnostics: root, write mode, counters, free space, quarantined files, versions and trash.",
        ["Sessions"] = "Session documents: list, read, save (atomically and durably, with ETag preconditions) and delete.",
        ["Versions"] = "A session's previous versions (the documents its saves, restores and deletes replaced): list, read, restore.",
        ["Trash"] = "Deleted sessions, kept for Trash:Retention: list them and restore one.",
    };

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
            options.AddDocumentTransformer(AddProblemCode);
            options.AddSchemaTransformer(NameEnumMembers);
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

                // The document's server is a template whose port defaults to DefaultPort: "Try it
                // out" goes to the origin that served this page (this process) unless a port is typed in.
                ui.UseRequestInterceptor(SameOriginRequestInterceptor);
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
            // A name only: the project publishes no address of its own, and a made-up one would mislead.
            Contact = new OpenApiContact { Name = "SessionApi maintainers" },
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
        };

        // One loopback server whose port is a variable: the port is chosen at run time (port 0), so a
        // concrete URL would differ between the build-time and the runtime document; the template is
        // the same in both (and replaces the one the framework infers from the request).
        document.Servers =
        [
            new OpenApiServer
            {
                Url = ServerHost + "{port}",
                Description = "The companion server on loopback. Its port is chosen when it starts and printed in the ready line's url.",
                Variables = new Dictionary<string, OpenApiServerVariable>
                {
                    ["port"] = new OpenApiServerVariable
                    {
                        Default = DefaultPort,
                        Description = "The port of the ready line's url: chosen at start (--urls, by default http://127.0.0.1:0, any free port).",
                    },
                },
            },
        ];

        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

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

    /// <summary>
    /// The stable machine-readable <c>code</c> every problem of this API carries, as a reference to an
    /// enum of its own (<see cref="ProblemCode"/>), so both clients generate their list of codes from
    /// it. A document transformer, because it runs once the ProblemDetails component exists.
    /// </summary>
    private static async Task AddProblemCode(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas is not { } schemas || !schemas.TryGetValue(nameof(ProblemDetails), out var found) || found is not OpenApiSchema problem)
        {
            return;
        }

        var codes = await context.GetOrCreateSchemaAsync(typeof(ProblemCode), null, cancellationToken).ConfigureAwait(false);
        codes.Description = "The stable machine-readable code of a problem: what a client branches on.";
        document.AddComponent(nameof(ProblemCode), codes);
        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        problem.Properties[Problems.CodeKey] = new OpenApiSchemaReference(nameof(ProblemCode), document);
    }

    /// <summary>
    /// <c>x-enumNames</c> carries the server's member names of every enum, so the C# client's generated
    /// enums have the server's names (ProblemCode.InvalidId, WriteMode.VerifiedCopy) rather than names
    /// made from the wire names. The schema keeps no <c>type</c>, as the framework writes it: with
    /// <c>type: string</c> NSwag pins a converter on each property that reads member names only, and
    /// the client's JSON options (which read the wire names) would no longer apply.
    /// </summary>
    private static Task NameEnumMembers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum && schema.Enum is { Count: > 0 })
        {
            schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            schema.Extensions["x-enumNames"] = new JsonNodeExtension(new JsonArray([.. Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(n))]));
        }

        return Task.CompletedTask;
    }
}
