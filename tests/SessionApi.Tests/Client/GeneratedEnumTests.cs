using System.Text.Json;
using System.Text.Json.Nodes;
using SessionApi.Client;
using SessionApi.Tests.Api;
using ServerCode = SessionApi.HttpEdge.ProblemCode;

namespace SessionApi.Tests.Client;

/// <summary>
/// The document's string enums are the one vocabulary: the C# client's enums are generated from them
/// (member names from <c>x-enumNames</c>, the server's names), and its JSON options must read and
/// write every wire value the document lists. The TypeScript client's types come from the same
/// schemas (its typecheck fails on a code it does not know).
/// </summary>
public sealed class GeneratedEnumTests
{
    public static TheoryData<string, Type> Enums => new()
    {
        { "ProblemCode", typeof(ProblemCode) },
        { "WriteMode", typeof(WriteMode) },
        { "TempCreateMode", typeof(TempCreateMode) },
        { "ResetReason", typeof(ResetReason) },
        { "SessionEventType", typeof(SessionEventType) },
    };

    [Theory]
    [MemberData(nameof(Enums))]
    public void Every_wire_value_of_the_document_reads_and_writes_as_the_generated_member(string schema, Type type)
    {
        var enumSchema = Schema(schema);
        var wire = enumSchema["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();

        Assert.Equal(wire.Length, Enum.GetNames(type).Length);
        foreach (var value in wire)
        {
            var member = JsonSerializer.Deserialize($"\"{value}\"", type, ClientJson.Options)!;
            Assert.True(Enum.IsDefined(type, member), $"{schema}: '{value}' reads as no member");
            Assert.Equal($"\"{value}\"", JsonSerializer.Serialize(member, type, ClientJson.Options));
        }
    }

    [Fact]
    public void The_clients_problem_codes_have_the_servers_names()
    {
        Assert.Equal(Enum.GetNames<ServerCode>(), Enum.GetNames<ProblemCode>());
        Assert.Equal(Enum.GetNames<ServerCode>(), Schema("ProblemCode")["x-enumNames"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Every_store_refusal_has_a_problem_code()
    {
        Assert.All(Enum.GetValues<SessionApi.Storage.Store.StoreErrorCode>(), code => Assert.True(Enum.IsDefined(HttpEdge.ProblemCodes.ToProblemCode(code))));
    }

    private static JsonNode Schema(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(OpenApiDocumentTests.RepoRoot(), "src", "SessionApi", "openapi", "SessionApi.json")))!
            ["components"]!["schemas"]![name]!;
}
