using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SessionApi.Store;

namespace SessionApi.Api;

/// <summary>
/// Describes the events of <c>GET /events</c> in the OpenAPI document: the 200 answer is
/// <c>text/event-stream</c> whose items are <c>SessionEvent</c>s (event type, id, data), so both
/// generated clients type the event names and their data. OpenAPI 3.1 has no words for an event
/// stream (3.2's itemSchema is not supported by this generator), so the schema describes one event.
/// </summary>
internal static class SessionEventsOpenApi
{
    public const string EventSchema = "SessionEvent";
    public const string EventTypeSchema = "SessionEventType";

    /// <summary>Marks the endpoint this transformer describes.</summary>
    internal sealed class EventStreamMetadata;

    public static async Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<EventStreamMetadata>().Any() || context.Document is not { } document)
        {
            return;
        }

        document.AddComponent(nameof(DeletedSession), await context.GetOrCreateSchemaAsync(typeof(DeletedSession), null, cancellationToken).ConfigureAwait(false));
        var reset = await context.GetOrCreateSchemaAsync(typeof(StreamReset), null, cancellationToken).ConfigureAwait(false);
        if (reset.Properties?.TryGetValue("reason", out var reason) is true && reason is OpenApiSchema reasonSchema)
        {
            reasonSchema.Enum = [.. StreamResetReasons.All.Select(r => (JsonNode)JsonValue.Create(r))];
        }

        document.AddComponent(nameof(StreamReset), reset);
        document.AddComponent(EventTypeSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. SessionEventTypes.All.Select(t => (JsonNode)JsonValue.Create(t))],
            Description = "The event field of a session event.",
        });
        document.AddComponent(EventSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "One event of GET /events: 'saved' carries the SessionInfo, 'deleted' the id, 'reset' the reason to list again.",
            Required = new HashSet<string> { "event", "id", "data" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["event"] = new OpenApiSchemaReference(EventTypeSchema, document),
                ["id"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "<server run>-<sequence number>: send it back as Last-Event-ID to resume after this event.",
                },
                ["data"] = new OpenApiSchema
                {
                    OneOf =
                    [
                        new OpenApiSchemaReference(nameof(SessionInfo), document),
                        new OpenApiSchemaReference(nameof(DeletedSession), document),
                        new OpenApiSchemaReference(nameof(StreamReset), document),
                    ],
                },
            },
        });

        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "The event stream; it ends when the server stops (reconnect with Last-Event-ID) or after a reset for a watcher that fell behind.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [SessionEventsApi.EventStreamContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(EventSchema, document) },
            },
        };
    }
}
