using System.Reflection;
using NetArchTest.Rules;
using SessionApi.Storage.Store;

namespace SessionApi.Tests.Architecture;

/// <summary>
/// The two assemblies and their folders (docs/DESIGN.md, "Where things live"). Every rule is an
/// allow-list: a folder may use the folders listed below it, the engine's folders may use the
/// writer's listed surface, the engine publishes the listed types and nothing else. Something new
/// is refused until it is added here on purpose. The host can reach only the engine's public
/// surface: the compiler enforces that (no InternalsVisibleTo to the host).
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Engine = typeof(SessionStore).Assembly;
    private static readonly Assembly Host = typeof(Program).Assembly;

    /// <summary>The engine's folders, top to bottom.</summary>
    private static readonly string[] EngineLayers =
    [
        "SessionApi.Storage.Setup",
        "SessionApi.Storage.Store",
        "SessionApi.Storage.History",
        "SessionApi.Storage.Recovery",
        "SessionApi.Storage.Changes",
        "SessionApi.Storage.Roots",
        "SessionApi.Storage.Sessions",
        "SessionApi.Storage.Writer",
        "SessionApi.Foundation",
    ];

    /// <summary>The host's folders, top to bottom; the features sit side by side on one level.</summary>
    private static readonly string[][] HostLayers =
    [
        ["SessionApi.Hosting"],
        ["SessionApi.Docs"],
        ["SessionApi.Features.Sessions", "SessionApi.Features.History", "SessionApi.Features.Events", "SessionApi.Features.Diagnostics", "SessionApi.Features.Health"],
        ["SessionApi.Security"],
        ["SessionApi.HttpEdge"],
        ["SessionApi.Foundation"],
    ];

    /// <summary>What the rest of the engine may use of the writer: its surface, not its machinery.</summary>
    private static readonly string[] WriterSurface =
    [
        "DurableWriter", "WrittenDocument", "KeepPrevious", "PreviousKept", "DocumentLimits", "DocumentProblem",
        "InvalidDocumentException", "StorageWriteException", "StorageFailureKind", "InspectedFile", "PhysicalRoot",
        "WriteMode", "TempCreateMode", "WriterCounters", "WriterServiceCollectionExtensions",
    ];

    /// <summary>The engine's public surface: what the host and the recover command use.</summary>
    private static readonly string[] EnginePublicTypes =
    [
        "SessionApi.Storage.Changes.ChangeFeedOptions", "SessionApi.Storage.Changes.ChangePosition", "SessionApi.Storage.Changes.ChangeSubscription",
        "SessionApi.Storage.Changes.ResetReason", "SessionApi.Storage.Changes.SessionChange", "SessionApi.Storage.Changes.SessionChangeKind",
        "SessionApi.Storage.Changes.SessionChanges",
        "SessionApi.Storage.History.HistoryDiagnostics", "SessionApi.Storage.History.HistoryOptions", "SessionApi.Storage.History.ISessionHistory",
        "SessionApi.Storage.History.RestoreOutcome", "SessionApi.Storage.History.RestoreResult", "SessionApi.Storage.History.SessionVersion",
        "SessionApi.Storage.History.TrashOptions", "SessionApi.Storage.History.TrashedSession", "SessionApi.Storage.History.VersionName",
        "SessionApi.Storage.Recovery.QuarantinedFile", "SessionApi.Storage.Recovery.RecoveryReport",
        "SessionApi.Storage.Roots.StorageRootInUseException", "SessionApi.Storage.Roots.StorageRootUnusableException",
        "SessionApi.Storage.Sessions.Precondition", "SessionApi.Storage.Sessions.SessionId", "SessionApi.Storage.Sessions.SessionInfo",
        "SessionApi.Storage.Setup.OfflineRecovery", "SessionApi.Storage.Setup.StorageServiceCollectionExtensions",
        "SessionApi.Storage.Store.DeleteResult", "SessionApi.Storage.Store.ISessionStore", "SessionApi.Storage.Store.SaveOutcome",
        "SessionApi.Storage.Store.SaveResult", "SessionApi.Storage.Store.SessionRead", "SessionApi.Storage.Store.SessionReadLease",
        "SessionApi.Storage.Store.SessionStoreException", "SessionApi.Storage.Store.StorageOptions", "SessionApi.Storage.Store.StoreDiagnostics",
        "SessionApi.Storage.Store.StoreErrorCode",
        "SessionApi.Storage.Writer.StorageFailureKind", "SessionApi.Storage.Writer.StorageWriteException", "SessionApi.Storage.Writer.TempCreateMode",
        "SessionApi.Storage.Writer.WriteMode", "SessionApi.Storage.Writer.WriterOptions",
    ];

    public static TheoryData<string> EveryEngineLayer => [.. EngineLayers];

    public static TheoryData<int> EveryHostLevel => [.. Enumerable.Range(0, HostLayers.Length)];

    [Fact]
    public void The_engine_references_no_aspnet_core()
    {
        var references = Engine.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name == Host.GetName().Name);
    }

    [Theory]
    [MemberData(nameof(EveryEngineLayer))]
    public void An_engine_folder_uses_only_the_folders_below_it(string layer)
    {
        var above = EngineLayers[..Array.IndexOf(EngineLayers, layer)];
        if (above.Length == 0)
        {
            return; // the top folder may use every other one
        }

        var result = Types.InAssembly(Engine).That().ResideInNamespace(layer).ShouldNot().HaveDependencyOnAny(above).GetResult();

        Assert.True(result.IsSuccessful, $"{layer} reaches up into {string.Join(", ", above)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [MemberData(nameof(EveryHostLevel))]
    public void A_host_folder_uses_only_the_folders_below_it_and_a_feature_no_other_feature(int level)
    {
        foreach (var layer in HostLayers[level])
        {
            string[] forbidden = [.. HostLayers[..level].SelectMany(l => l), .. HostLayers[level].Where(other => other != layer)];
            if (forbidden.Length == 0)
            {
                continue;
            }

            var result = Types.InAssembly(Host).That().ResideInNamespace(layer).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

            Assert.True(result.IsSuccessful, $"{layer} reaches into {string.Join(", ", forbidden)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
    }

    [Fact]
    public void Every_type_lives_in_a_listed_folder()
    {
        Assert.Empty(OutsideOf(Engine, EngineLayers));
        Assert.Empty(OutsideOf(Host, [.. HostLayers.SelectMany(l => l)]));
    }

    [Fact]
    public void The_rest_of_the_engine_uses_the_writer_only_through_its_surface()
    {
        var machinery = Engine.GetTypes()
            .Where(t => t.Namespace == "SessionApi.Storage.Writer" && !t.IsNested && !IsCompilerGenerated(t) && !WriterSurface.Contains(t.Name))
            .Select(t => t.FullName!)
            .ToArray();
        Assert.NotEmpty(machinery);

        var result = Types.InAssembly(Engine)
            .That().ResideInNamespaceStartingWith("SessionApi.Storage")
            .And().DoNotResideInNamespace("SessionApi.Storage.Writer")
            .ShouldNot().HaveDependencyOnAny(machinery)
            .GetResult();

        Assert.True(result.IsSuccessful, $"writer internals used outside the writer: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_engine_publishes_exactly_its_listed_surface()
    {
        var published = Engine.GetExportedTypes().Where(t => !t.IsNested).Select(t => t.FullName!).Order(StringComparer.Ordinal);

        Assert.Equal(EnginePublicTypes.Order(StringComparer.Ordinal), published);
    }

    private static List<string> OutsideOf(Assembly assembly, string[] layers) =>
        [.. assembly.GetTypes()
            .Where(t => t.FullName is { } name && name.StartsWith("SessionApi", StringComparison.Ordinal) && !IsCompilerGenerated(t))
            .Where(t => !layers.Any(layer => t.Namespace == layer || (t.Namespace?.StartsWith(layer + ".", StringComparison.Ordinal) ?? false)))
            .Select(t => t.FullName!)];

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false) || type.Name.Contains('<', StringComparison.Ordinal);
}
