using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using SessionApi.Client;
using SessionApi.Tests.Api;

namespace SessionApi.Tests.Client;

/// <summary>
/// The C# client is generated at build (into the client's obj/) from the committed document. These
/// tests check that what was compiled is what the committed document generates today, and that
/// every operation reaches the public client.
/// </summary>
public sealed class GeneratedClientTests
{
    private static string CommittedDocument => Path.Combine(OpenApiDocumentTests.RepoRoot(), "src", "SessionApi", "openapi", "SessionApi.json");

    private static List<string> OperationIds()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(CommittedDocument));
        return [.. doc.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Select(o => o.Value.GetProperty("operationId").GetString()!)
            .Order(StringComparer.Ordinal)];
    }

    private static string MethodName(string operationId) => char.ToUpperInvariant(operationId[0]) + operationId[1..] + "Async";

    [Fact]
    public void Every_operation_of_the_committed_document_is_generated_and_exposed_by_the_client()
    {
        var operations = OperationIds();
        Assert.Equal(12, operations.Count);

        var generated = typeof(SessionApiGeneratedClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName) // property accessors
            .Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var exposed = typeof(SessionApiClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            Assert.True(generated.Contains(MethodName(operation)), $"the generated client lacks {MethodName(operation)} for operationId '{operation}': rebuild src/SessionApi.Client");
            Assert.True(exposed.Contains(MethodName(operation)), $"SessionApiClient does not expose operationId '{operation}' as {MethodName(operation)}");
        }

        // And nothing generated is left that the document no longer has.
        Assert.Equal(operations.Select(MethodName).Order(StringComparer.Ordinal), generated.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Regenerating from the committed document gives exactly the code this test run compiled:
    /// no stale obj/ (a document changed without a rebuild of the client), no settings drift.
    /// </summary>
    [Fact]
    public async Task Regenerating_from_the_committed_document_yields_the_compiled_code()
    {
        var root = OpenApiDocumentTests.RepoRoot();
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // tests/SessionApi.Tests/bin/<Configuration>/<tfm>
        var compiled = Path.Combine(root, "src", "SessionApi.Client", "obj", output.Parent!.Name, output.Name, "SessionApiGeneratedClient.g.cs");
        Assert.True(File.Exists(compiled), $"{compiled} is missing: build SessionApi.sln");

        var fresh = Path.Combine(Path.GetTempPath(), $"sessionapi-client-{Guid.NewGuid():N}.g.cs");
        try
        {
            using var nswag = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    NSwagCommandLine(root), "run", Path.Combine(root, "src", "SessionApi.Client", "SessionApi.Client.nswag"),
                    $"/variables:Input={CommittedDocument},Output={fresh}",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stdout = nswag.StandardOutput.ReadToEndAsync();
            var stderr = nswag.StandardError.ReadToEndAsync();
            await nswag.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(nswag.ExitCode == 0, $"nswag failed ({nswag.ExitCode}): {await stdout}{await stderr}");

            Assert.True(
                await File.ReadAllTextAsync(compiled) == await File.ReadAllTextAsync(fresh),
                "the compiled client differs from what the committed document generates: rebuild src/SessionApi.Client");
        }
        finally
        {
            File.Delete(fresh);
        }
    }

    /// <summary>dotnet-nswag.dll of the NSwag.MSBuild version that Directory.Packages.props pins.</summary>
    private static string NSwagCommandLine(string root)
    {
        var version = XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "NSwag.MSBuild").Attribute("Version")!.Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dll = Path.Combine(packages, "nswag.msbuild", version, "tools", "Net100", "dotnet-nswag.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: restore SessionApi.sln");
        return dll;
    }
}
