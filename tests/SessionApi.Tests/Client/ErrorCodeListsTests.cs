using System.Reflection;
using System.Text.RegularExpressions;
using SessionApi.Api;
using SessionApi.Client;
using SessionApi.Tests.Api;

namespace SessionApi.Tests.Client;

/// <summary>
/// The OpenAPI document types a problem's <c>code</c> as a string, so nothing generates the clients'
/// lists of codes: they are written by hand and checked here against the server's one list.
/// </summary>
public sealed partial class ErrorCodeListsTests
{
    private static readonly SortedSet<string> ServerCodes = ConstantsOf(typeof(ProblemCodes));

    [Fact]
    public void The_csharp_client_knows_exactly_the_codes_the_server_sends()
    {
        Assert.Equal(ServerCodes, ConstantsOf(typeof(SessionApiErrorCodes)));
    }

    [Fact]
    public void The_typescript_client_knows_exactly_the_codes_the_server_sends_plus_its_own()
    {
        var errors = File.ReadAllText(Path.Combine(OpenApiDocumentTests.RepoRoot(), "src", "SessionApi.Client", "typescript", "src", "errors.ts"));
        var union = errors[errors.IndexOf("export type SessionApiErrorCode", StringComparison.Ordinal)..];
        union = union[..union.IndexOf(';', StringComparison.Ordinal)];
        var codes = new SortedSet<string>(QuotedCode().Matches(union).Select(m => m.Groups[1].Value), StringComparer.Ordinal);

        Assert.Equal(new SortedSet<string>([.. ServerCodes, "network_error"], StringComparer.Ordinal), codes);
    }

    [Fact]
    public void Every_store_refusal_has_a_listed_code()
    {
        Assert.All(Enum.GetValues<SessionApi.Store.StoreErrorCode>(), code => Assert.Contains(code.ToProblemCode(), ServerCodes));
    }

    private static SortedSet<string> ConstantsOf(Type type) => new(
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!),
        StringComparer.Ordinal);

    [GeneratedRegex("\\| \"([a-z_]+)\"")]
    private static partial Regex QuotedCode();
}
