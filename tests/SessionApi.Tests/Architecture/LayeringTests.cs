using NetArchTest.Rules;

namespace SessionApi.Tests.Architecture;

/// <summary>
/// The folders of src/SessionApi are layers (docs/DESIGN.md, "Layers"): each may use the ones below
/// it and never one above, so there is no cycle between them.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Top to bottom.</summary>
    private static readonly string[] Layers =
    [
        "SessionApi.Hosting",
        "SessionApi.Security",
        "SessionApi.Api",
        "SessionApi.Store",
        "SessionApi.Writer",
        "SessionApi.Foundation",
    ];

    public static TheoryData<string> EveryLayer => [.. Layers];

    [Theory]
    [MemberData(nameof(EveryLayer))]
    public void A_layer_depends_on_no_layer_above_it(string layer)
    {
        var above = Layers[..Array.IndexOf(Layers, layer)];
        if (above.Length == 0)
        {
            return; // the top layer may use every other one
        }

        var result = Types.InAssembly(typeof(Program).Assembly)
            .That().ResideInNamespace(layer)
            .ShouldNot().HaveDependencyOnAny(above)
            .GetResult();

        Assert.True(result.IsSuccessful, $"{layer} reaches up into {string.Join(", ", above)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Every_type_of_the_server_lives_in_a_layer()
    {
        var outside = Types.InAssembly(typeof(Program).Assembly)
            .That().DoNotResideInNamespace("SessionApi.Hosting")
            .And().DoNotResideInNamespace("SessionApi.Security")
            .And().DoNotResideInNamespace("SessionApi.Api")
            .And().DoNotResideInNamespace("SessionApi.Store")
            .And().DoNotResideInNamespace("SessionApi.Writer")
            .And().DoNotResideInNamespace("SessionApi.Foundation")
            .GetTypes()
            .Select(t => t.FullName)
            .Where(name => name is not null && name.StartsWith("SessionApi", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(outside);
    }

    [Fact]
    public void The_store_uses_the_writer_only_through_its_surface()
    {
        string[] internals =
        [
            "SessionApi.Writer.ValidatingJsonBuffer",
            "SessionApi.Writer.TempFileNames",
            "SessionApi.Writer.DurableFileSystem",
            "SessionApi.Writer.WriteModeTracker",
            "SessionApi.Writer.DocumentStager",
            "SessionApi.Writer.DocumentInspector",
            "SessionApi.Writer.VerifiedCopy",
            "SessionApi.Writer.RootProbe",
            "SessionApi.Writer.UnixNative",
            "SessionApi.Writer.WindowsNative",
            "SessionApi.Writer.FinalPath",
            "SessionApi.Writer.TempFileCreator",
            "SessionApi.Writer.TempCreateModeTracker",
            "SessionApi.Writer.FileMover",
            "SessionApi.Writer.HardLinks",
        ];

        var result = Types.InAssembly(typeof(Program).Assembly)
            .That().ResideInNamespace("SessionApi.Store")
            .ShouldNot().HaveDependencyOnAny(internals)
            .GetResult();

        Assert.True(result.IsSuccessful, $"the store reaches into writer internals: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
