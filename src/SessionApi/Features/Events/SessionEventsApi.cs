using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SessionApi.Storage.Changes;

namespace SessionApi.Features.Events;

/// <summary>
/// <c>GET /events</c>: every durable save and every delete, as Server-Sent Events, to every window
/// of the app that watches, whichever process saved.
/// </summary>
public static class SessionEventsApi
{
    public const string Path = "/events";
    public const string EventStreamContentType = "text/event-stream";
    public const string LastEventIdHeader = "Last-Event-ID";

    public static IServiceCollection AddSessionEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventStreamOptions>()
            .Bind(configuration.GetSection(EventStreamOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventStreamOptions>, EventStreamOptionsValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapSessionEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, WatchSessions)
            .WithTags("Events")
            .RequireAuthorization()
            .WithName("watchSessions")
            .WithSummary("Watch session changes")
            .WithDescription("A Server-Sent Events stream of every change: 'saved' (data: the SessionInfo, once the save is durable), "
                + "'deleted' (data: {id}) and 'reset' (data: {reason}; list the sessions again, then apply the events that follow). "
                + "A new stream starts with a reset. Each event id names the server run and a sequence number; reconnecting with "
                + "Last-Event-ID replays the events missed, or answers a reset when they are no longer kept or the server restarted. "
                + "An idle stream carries a comment line every Events:HeartbeatInterval (15 s).")
            .WithMetadata(new SessionEventsOpenApi.EventStreamMetadata());
        return app;
    }

    // Declared as IResult, not ServerSentEventsResult<string>: that type would describe the answer in
    // the OpenAPI document as an SseItem<string>, which says nothing (and the XML comments of a
    // handler become the operation's description); SessionEventsOpenApi describes the events instead.
    internal static IResult WatchSessions(
        [FromHeader(Name = LastEventIdHeader), Description("The id of the last event received: the stream resumes after it.")] string? lastEventId,
        HttpContext context,
        SessionChanges changes,
        IOptions<EventStreamOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider timeProvider)
    {
        // The framework's result sets text/event-stream, Cache-Control: no-cache,no-store and
        // Content-Encoding: identity (so no compression buffers an event), and writes every event to
        // Response.Body; the stream flushes the response's pipe itself, once per batch (EventBatchBody).
        var body = context.Response.BodyWriter;
        context.Response.Body = new EventBatchBody(body);
        var stream = new SessionEventStream(changes, body, options.Value.HeartbeatInterval, timeProvider, lifetime.ApplicationStopping);
        return TypedResults.ServerSentEvents(stream.ReadAsync(lastEventId));
    }
}
