using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Security;

/// <summary>
/// Malformed ids, bodies and headers: every answer is a 4xx ProblemDetails (never a 5xx), the server
/// stays healthy, and nothing appears outside the storage root.
/// </summary>
public sealed class HostileInputTests(IsolatedApiFactory factory) : IClassFixture<IsolatedApiFactory>
{
    // "a%00b" is not here: the in-memory test server cannot even build such a request; Kestrel
    // refuses it with 400 itself (see the end-to-end tests).
    public static TheoryData<string> BadIds => new()
    {
        "..", "...", "%2e%2e", "..%2F..%2Fescaped", "..%5C..%5Cescaped", "%2E%2E%2Fescaped", "a%2Fb", "a%5Cb",
        "con", "CON", "nul", "prn", "aux", "com1", "com9", "lpt1", "lpt9", "con.json", "nul.txt",
        "Upper", "ABC", "-lead", "_lead", "a.json", "a.b", "a%20b", "a+b", "a%0Ab", "a%0D%0AX-Injected:1",
        "%C3%A9t%C3%A9", "caf%C3%A9", "%E2%80%AEgnp", "%EF%BC%8E%EF%BC%8E", "%FF%FE", "a%C0%AF",
        new string('a', 129), new string('a', 4000), "a:b", "a*b", "a%3Fb", "a%22b", "a%3Cb%3E", "~root", "a$b",
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_bad_id_is_refused_by_every_method(string id)
    {
        var client = factory.Authorized();
        var before = Snapshot();
        foreach (var response in new[]
        {
            await client.GetAsync($"/sessions/{id}"),
            await client.PutAsync($"/sessions/{id}", Http.Json("{\"x\":1}")),
            await client.DeleteAsync($"/sessions/{id}"),
        })
        {
            var status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{id}: {status}");
            await Http.AssertProblem(response, status);
        }

        Assert.Equal(before, Snapshot());
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync("/health")).StatusCode);
    }

    [Theory]
    [InlineData("con")]
    [InlineData("..%2F..%2Fescaped")]
    [InlineData("Upper")]
    public async Task Id_rule_refusals_are_invalid_id(string id)
    {
        await Http.AssertProblem(await factory.Authorized().PutAsync($"/sessions/{id}", Http.Json("{}")), 400, "invalid_id");
    }

    public static TheoryData<byte[]> BadBodies => new()
    {
        Array.Empty<byte>(),
        "   "u8.ToArray(),
        "{"u8.ToArray(),
        "}"u8.ToArray(),
        "{}{}"u8.ToArray(),
        "{} garbage"u8.ToArray(),
        "{\"a\":1,}"u8.ToArray(),
        "{'a':1}"u8.ToArray(),
        "{\"a\":NaN}"u8.ToArray(),
        "{\"a\":\"\u0001\"}"u8.ToArray(),
        "{\"a\":1} // comment"u8.ToArray(),
        new byte[] { (byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
        new byte[] { (byte)'{', 0 , (byte)'}' },
        "123"u8.ToArray(),
        "true"u8.ToArray(),
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)),
        Encoding.UTF8.GetBytes(new string('[', 100_000)),
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_problem_and_writes_nothing(byte[] body)
    {
        var id = "hostile-body";
        var response = await factory.Authorized().PutAsync($"/sessions/{id}", Http.JsonBytes(body));
        await Http.AssertProblem(response, 400);
        Assert.DoesNotContain(Directory.EnumerateFiles(factory.Root), f => Path.GetFileName(f).StartsWith(id, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("If-Match", "not-quoted")]
    [InlineData("If-Match", "\"unterminated")]
    [InlineData("If-None-Match", "\"some-etag\"")]
    [InlineData("If-None-Match", "garbage")]
    public async Task Malformed_preconditions_are_400_invalid_header(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/sessions/hostile-header") { Content = Http.Json("{}") };
        request.Headers.TryAddWithoutValidation(header, value);
        await Http.AssertProblem(await factory.Authorized().SendAsync(request), 400, "invalid_header");
    }

    [Theory]
    [InlineData("application/json; charset=latin1-bogus")]
    [InlineData("application/json-patch+json")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("*/*")]
    public async Task Odd_content_types_never_reach_a_5xx(string contentType)
    {
        var content = new ByteArrayContent("{}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await factory.Authorized().PutAsync("/sessions/hostile-type", content);
        Assert.True((int)response.StatusCode < 500, $"{contentType}: {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Two_authorization_headers_are_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.TryAddWithoutValidation("Authorization", new[] { "Bearer " + ApiFactory.Token, "Bearer other" });
        await Http.AssertProblem(await factory.Anonymous().SendAsync(request), 401, "unauthorized");
    }

    [Fact]
    public async Task A_huge_authorization_header_is_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('x', 20_000));
        await Http.AssertProblem(await factory.Anonymous().SendAsync(request), 401, "unauthorized");
    }

    [Fact]
    public async Task Path_escapes_leave_nothing_outside_the_root_and_the_server_keeps_serving()
    {
        var client = factory.Authorized();
        foreach (var id in new[] { "..%2F..%2Fescaped", "..%5C..%5Cescaped", "%2E%2E%2Fescaped" })
        {
            await client.PutAsync($"/sessions/{id}", Http.Json("{\"x\":1}"));
        }

        // "../.." from the root lands in the isolation folder or the one above it.
        var isolation = Directory.EnumerateFileSystemEntries(factory.Isolation, "*", SearchOption.AllDirectories);
        var above = Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(factory.Isolation)!);
        Assert.DoesNotContain(isolation.Concat(above), e => Path.GetFileName(e) is "escaped" or "escaped.json");

        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/after-hostile", Http.Json("{\"ok\":true}"))).StatusCode);
        Assert.Equal("{\"ok\":true}", await client.GetStringAsync("/sessions/after-hostile"));
    }

    /// <summary>
    /// Every file in the fixture's own folder, two levels above the root: an escape ("../..") would
    /// show here, and no other test writes there (the system temp folder itself changes all the time).
    /// </summary>
    private string Snapshot() =>
        string.Join('\n', Directory.EnumerateFiles(factory.Isolation, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal));
}

/// <summary>The real app with its storage root inside a folder of its own.</summary>
public sealed class IsolatedApiFactory : ApiFactory
{
    public string Isolation { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sessionapi-isolated-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    protected override string? RootParent => Isolation;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(Isolation))
        {
            // WebApplicationFactory can dispose twice (DisposeAsync, then Dispose).
            Directory.Delete(Isolation, recursive: true);
        }
    }
}
