using SessionApi.Api;
using SessionApi.Hosting;

// Program only wires features together; each AddX/UseX/MapX lives with its feature.
return await CompanionHost.RunAsync(
    args,
    static builder =>
    {
        builder.AddCompanionHosting();
        builder.Services.AddPendingSessionStore(builder.Configuration); // TEMPORARY: AddSessionStorage once merged from main
        builder.Services.AddCompanionSecurity(builder.Configuration);
        builder.Services.AddApiProblemDetails();
        builder.Services.AddApiDocs();
    },
    static app =>
    {
        app.UseCompanionEdge();
        app.UseApiDocs();
        app.UseCompanionAuth();
        app.MapHealthApi();
        app.MapSessionsApi();
        app.MapDiagnosticsApi();
        app.MapApiDocs();
    }).ConfigureAwait(false);

/// <summary>Entry point, public so WebApplicationFactory can find it.</summary>
public partial class Program;
