using SessionApi.Docs;
using SessionApi.Features.Diagnostics;
using SessionApi.Features.Events;
using SessionApi.Features.Health;
using SessionApi.Features.History;
using SessionApi.Features.Sessions;
using SessionApi.Hosting;
using SessionApi.HttpEdge;
using SessionApi.Security;
using SessionApi.Storage.Setup;

// Program only wires features together; each AddX/UseX/MapX lives with its feature.
if (args is [RecoverCommand.Name, .. var recoverArgs])
{
    return await RecoverCommand.RunAsync(recoverArgs, Console.Out, Console.Error).ConfigureAwait(false);
}

return await CompanionHost.RunAsync(
    args,
    static builder =>
    {
        builder.AddCompanionHosting();
        builder.Services.AddSessionStorage(builder.Configuration);
        builder.Services.AddCompanionSecurity(builder.Configuration);
        builder.Services.AddApiProblemDetails();
        builder.Services.AddApiDocs();
        builder.Services.AddSessionEvents(builder.Configuration);
    },
    static app =>
    {
        app.UseCompanionEdge();
        app.UseApiDocs();
        app.UseCompanionAuth();
        app.MapHealthApi();
        app.MapSessionsApi();
        app.MapHistoryApi();
        app.MapSessionEventsApi();
        app.MapDiagnosticsApi();
        app.MapApiDocs();
    }).ConfigureAwait(false);

/// <summary>Entry point, public so WebApplicationFactory can find it.</summary>
public partial class Program;
