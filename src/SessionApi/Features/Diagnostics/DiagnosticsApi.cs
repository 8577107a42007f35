using Microsoft.AspNetCore.Http.HttpResults;
using SessionApi.Foundation;
using SessionApi.Storage.Changes;
using SessionApi.Storage.History;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Features.Diagnostics;

/// <summary><c>GET /diagnostics</c>: what support needs to see at a glance.</summary>
public static class DiagnosticsApi
{
    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/diagnostics", GetDiagnostics)
            .WithTags("Diagnostics")
            .RequireAuthorization()
            .WithName("getDiagnostics")
            .WithSummary("Storage diagnostics")
            .WithDescription("Version, storage root, where new files in the root physically land (physicalRoot, "
                + "as the OS resolves a freshly created file; redirected is true when that is not under root: "
                + "MSIX virtualization, a junction or symlink), the replace strategy the root currently needs (writeMode: "
                + "'atomic-rename', or 'verified-copy' when rename is refused as cross-device, the MSIX case), "
                + "how temp files are created (tempCreateMode: 'exclusive', or 'non-exclusive' when the root "
                + "refuses exclusive creates of fresh names), "
                + "write counters, free space, the files startup recovery quarantined, the versions and trash kept (counts and bytes), "
                + "and how many event streams (watchers) are open.");
        return app;
    }

    internal static Ok<DiagnosticsInfo> GetDiagnostics(ISessionStore store, ISessionHistory history, SessionChanges changes)
    {
        var d = store.GetDiagnostics();
        return TypedResults.Ok(new DiagnosticsInfo(
            AppIdentity.Version,
            d.Root,
            d.PhysicalRoot,
            d.Redirected,
            d.WriteMode,
            d.TempCreateMode,
            d.Counters,
            d.FreeBytes,
            d.SessionCount,
            d.Quarantined) { History = history.GetHistoryDiagnostics(), Watchers = changes.WatcherCount });
    }
}
