using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SessionApi.Security;
using SessionApi.Storage.Roots;

namespace SessionApi.Tests.Support;

/// <summary>
/// The real application (real store, real writer) in memory, on a fresh temp storage root per
/// instance: xunit creates one per test class (IClassFixture), so classes never share a root.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    public const string Token = "test-token-0123456789";

    private TempRoot? root;

    public string Root => StorageRoot.Path;

    /// <summary>Where the fixture's storage root is created; a derived fixture can put it on a faulty file system.</summary>
    protected virtual string? RootParent => null;

    private TempRoot StorageRoot => root ??= new TempRoot(RootParent);

    /// <summary>Extra configuration of a derived fixture.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Root", Root);
        builder.UseSetting("Swagger:Enabled", "true");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(new ApiToken(Token, generated: false));
            ConfigureTestServices(services);
        });
    }

    /// <summary>Services a derived fixture replaces or adds (a fake clock, an observed store), after the app's own.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>A client that sends the token.</summary>
    public HttpClient Authorized()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            root?.Dispose();
        }
    }
}

public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static ByteArrayContent JsonBytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and code and returns it.</summary>
    public static async Task<JsonElement> AssertProblem(HttpResponseMessage response, int status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        foreach (var member in new[] { "type", "title", "detail", "code" })
        {
            Assert.True(problem.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0, $"problem lacks '{member}': {body}");
        }

        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }

        return problem;
    }
}
