using System.Text.Json;
using System.Text.Json.Nodes;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

public sealed class OpenApiDocumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>
    /// The committed build-time document (src/SessionApi/openapi/SessionApi.json, which clients are
    /// generated from) must be the document the server serves.
    /// </summary>
    [Fact]
    public async Task The_committed_document_is_the_runtime_document()
    {
        var runtime = JsonNode.Parse(await factory.Anonymous().GetStringAsync("/openapi/v1.json"));
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "src", "SessionApi", "openapi", "SessionApi.json")));
        Assert.True(JsonNode.DeepEquals(runtime, committed),
            "src/SessionApi/openapi/SessionApi.json differs from /openapi/v1.json: run 'dotnet build' and commit the regenerated document.");
    }

    [Fact]
    public async Task The_document_is_openapi_3_1_with_the_bearer_scheme_and_stable_operation_ids()
    {
        var doc = JsonDocument.Parse(await factory.Anonymous().GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.StartsWith("3.1", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(doc.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties").TryGetProperty("code", out _));

        var operations = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Op: o.Value)))
            .ToDictionary(o => o.Op.GetProperty("operationId").GetString()!);
        Assert.Equal(
            ["deleteSession", "getDiagnostics", "getHealth", "getSession", "getVersion", "listSessions", "listTrash", "listVersions", "restoreFromTrash", "restoreVersion", "saveSession", "watchSessions"],
            operations.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, operations["getHealth"].Op.GetProperty("security").GetArrayLength()); // public: explicitly no token
        Assert.True(operations["saveSession"].Op.TryGetProperty("security", out _));
        Assert.True(operations["saveSession"].Op.GetProperty("responses").TryGetProperty("412", out _));
        Assert.True(operations["restoreVersion"].Op.GetProperty("responses").TryGetProperty("412", out _));
        Assert.True(operations["restoreFromTrash"].Op.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(operations["getVersion"].Op.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionApi.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SessionApi.sln not found above " + AppContext.BaseDirectory);
    }
}
