using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SessionApi.Storage.Changes;
using SessionApi.Storage.Sessions;

namespace SessionApi.Features.Events;

/// <summary>
/// Describes the events of <c>GET /events</c> in the OpenAPI document: the 200 answer is
/// <c>text/event-stream</c> whose items are <c>SessionEvent</c>s, a oneOf of <c>SavedEvent</c>,
/// <c>DeletedEvent</c> and <c>ResetEvent</c> (event type, id, data) discriminated by <c>event</c>, so
/// both generated clients type the event names and their data. OpenAPI 3.1 has no words for an event
/// stream (3.2's itemSchema is not supported by this generator), so the schema describes one event.
/// </summary>
internal static class SessionEventsOpenApi
{
    public const string EventSchema = "SessionEvent";
    public const string EventTypeSchema = "SessionEventType";
    public const string SavedEventSchema = "SavedEvent";
    public const string DeletedEventSchema = "DeletedEvent";
    public const string ResetEventSchema = "ResetEvent";

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
        document.AddComponent(nameof(ResetReason), await context.GetOrCreateSchemaAsync(typeof(ResetReason), null, cancellationToken).ConfigureAwait(false));
        if (reset.Properties is { } properties)
        {
            properties["reason"] = new OpenApiSchemaReference(nameof(ResetReason), document);
        }

        document.AddComponent(nameof(StreamReset), reset);
        document.AddComponent(EventTypeSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. SessionEventTypes.All.Select(t => (JsonNode)JsonValue.Create(t))],
            Description = "The event field of a session event.",
        });
        // One schema per event type, each with its event name as a constant and its own data, and the
        // union of the three told apart by the event field: a discriminated oneOf, so the members
        // exclude each other and both generated clients get one type per event.
        var members = new (string EventType, string Schema, string Data, string Description)[]
        {
            (SessionEventTypes.Saved, SavedEventSchema, nameof(SessionInfo), "A 'saved' event: the save is durable; data is the session's SessionInfo."),
            (SessionEventTypes.Deleted, DeletedEventSchema, nameof(DeletedSession), "A 'deleted' event: the session is gone; data is its id."),
            (SessionEventTypes.Reset, ResetEventSchema, nameof(StreamReset), "A 'reset' event: list the sessions again, then apply the events that follow; data says why."),
        };
        foreach (var member in members)
        {
            document.AddComponent(member.Schema, new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = member.Description,
                Required = new HashSet<string> { "event", "id", "data" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["event"] = new OpenApiSchema { AllOf = [new OpenApiSchemaReference(EventTypeSchema, document)], Const = member.EventType },
                    ["id"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "<server run>-<sequence number>: send it back as Last-Event-ID to resume after this event.",
                    },
                    ["data"] = new OpenApiSchemaReference(member.Data, document),
                },
            });
        }

        document.AddComponent(EventSchema, new OpenApiSchema
        {
            Description = "One event of GET /events, told apart by its event field: 'saved' carries the SessionInfo, 'deleted' the id, 'reset' the reason to list again.",
            OneOf = [.. members.Select(m => (IOpenApiSchema)new OpenApiSchemaReference(m.Schema, document))],
            Discriminator = new OpenApiDiscriminator
            {
                PropertyName = "event",
                Mapping = members.ToDictionary(m => m.EventType, m => new OpenApiSchemaReference(m.Schema, document)),
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
