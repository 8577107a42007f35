using System.Net;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>Real storage failures seen through HTTP: 507 and 503 ProblemDetails, and the previous version still served.</summary>
public sealed class StorageFailureApiTests
{
    [SkippableFact]
    public async Task A_full_disk_answers_507_and_keeps_serving_the_previous_version()
    {
        using var disk = new Tmpfs(512 * 1024);
        await using var factory = new RootedFactory(disk.Path);
        using var client = factory.Authorized();
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/a", Http.Json("{\"v\":1}"))).StatusCode);

        var response = await client.PutAsync("/sessions/a", Http.JsonBytes(Bodies.Session(2 * 1024 * 1024)));

        await Http.AssertProblem(response, 507, "insufficient_storage");
        Assert.Equal("{\"v\":1}", await client.GetStringAsync("/sessions/a"));
        Assert.DoesNotContain(Directory.GetFiles(factory.Root), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_read_only_disk_answers_503_and_keeps_serving_the_previous_version()
    {
        using var disk = new Tmpfs(1024 * 1024);
        await using var factory = new RootedFactory(disk.Path);
        using var client = factory.Authorized();
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/a", Http.Json("{\"v\":1}"))).StatusCode);
        disk.RemountReadOnly();

        await Http.AssertProblem(await client.PutAsync("/sessions/a", Http.Json("{\"v\":2}")), 503, "storage_unavailable");
        await Http.AssertProblem(await client.DeleteAsync("/sessions/a"), 503, "storage_unavailable");
        Assert.Equal("{\"v\":1}", await client.GetStringAsync("/sessions/a"));
    }

    [SkippableFact]
    public async Task A_server_started_on_a_read_only_root_serves_its_sessions_and_refuses_saves_with_503()
    {
        using var disk = new Tmpfs(1024 * 1024);
        var root = Directory.CreateDirectory(Path.Combine(disk.Path, "sessions")).FullName;
        await using (var first = new FixedRootFactory(root))
        {
            using var client = first.Authorized();
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/a", Http.Json("{\"v\":1}"))).StatusCode);
        }

        disk.RemountReadOnly();
        await using var second = new FixedRootFactory(root);
        using var readOnly = second.Authorized();

        Assert.Equal("{\"v\":1}", await readOnly.GetStringAsync("/sessions/a"));
        await Http.AssertProblem(await readOnly.PutAsync("/sessions/a", Http.Json("{\"v\":2}")), 503, "storage_unavailable");
    }

    [SkippableFact]
    public async Task A_root_that_refuses_rename_saves_through_the_verified_copy_and_says_so()
    {
        await using var factory = new RootedFactory(null, RealFaults.ExdevParent);
        using var client = factory.Authorized();

        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/a", Http.Json("{\"v\":1}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/sessions/a", Http.Json("{\"v\":2}"))).StatusCode);

        Assert.Equal("{\"v\":2}", await client.GetStringAsync("/sessions/a"));
        var diagnostics = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/diagnostics")).RootElement;
        Assert.Equal("verified-copy", diagnostics.GetProperty("writeMode").GetString());
        // The two saves, and the version the second one kept: written through the same writer, so a copy too.
        Assert.Equal(3, diagnostics.GetProperty("counters").GetProperty("crossDeviceFallbacks").GetInt64());
    }

    /// <summary>The real app on an existing storage root (no new temp folder).</summary>
    private sealed class FixedRootFactory(string root) : ApiFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Storage:Root", root);
        }
    }

    /// <summary>The real app with its storage root in a given folder (a tmpfs, or under the fault shim's folders).</summary>
    private sealed class RootedFactory(string? mountPoint, string? parent = null) : ApiFactory
    {
        protected override string? RootParent => parent ?? mountPoint;
    }
}
