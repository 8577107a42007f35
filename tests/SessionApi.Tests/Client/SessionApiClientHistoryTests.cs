using Microsoft.Extensions.DependencyInjection;
using SessionApi.Client;
using SessionApi.Tests.History;

namespace SessionApi.Tests.Client;

/// <summary>The C# client's versions and trash methods against the real server: typed results, typed errors.</summary>
public sealed class SessionApiClientHistoryTests : IClassFixture<HistoryApiTests.Factory>, IDisposable
{
    private readonly ServiceProvider services;
    private readonly SessionApiClient client;

    public SessionApiClientHistoryTests(HistoryApiTests.Factory factory)
    {
        services = ClientServices.For(factory);
        client = services.GetRequiredService<SessionApiClient>();
    }

    public void Dispose() => services.Dispose();

    private static string NewId() => "ch" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_bad_save_is_undone_by_restoring_the_version_it_replaced()
    {
        var id = NewId();
        var good = await client.SaveSessionAsync(id, "{ \"messages\": [1, 2, 3] }");
        var bad = await client.SaveSessionAsync(id, "{}");

        var version = Assert.Single(await client.ListVersionsAsync(id));
        Assert.Equal(good.Session.Etag, version.Etag);
        Assert.Equal(good.Session.Size, version.Size);
        var read = await client.GetVersionAsync(id, version.Version);
        Assert.Equal("{ \"messages\": [1, 2, 3] }", read.GetJsonString());
        Assert.Equal(good.Session.Etag, read.Etag);

        var stale = await Assert.ThrowsAsync<SessionApiException>(() => client.RestoreVersionAsync(id, version.Version, ifMatch: good.Session.Etag));
        Assert.Equal((412, ProblemCode.PreconditionFailed), (stale.Status, stale.Code));

        var restored = await client.RestoreVersionAsync(id, version.Version, ifMatch: bad.Session.Etag);
        Assert.False(restored.Created);
        Assert.Equal(good.Session.Etag, restored.Session.Etag);
        Assert.Equal("{ \"messages\": [1, 2, 3] }", (await client.GetSessionAsync(id)).GetJsonString());
        Assert.Equal(bad.Session.Etag, (await client.ListVersionsAsync(id))[0].Etag);

        var invalid = await Assert.ThrowsAsync<SessionApiException>(() => client.GetVersionAsync(id, "newest"));
        Assert.Equal((400, ProblemCode.InvalidVersion), (invalid.Status, invalid.Code));
        var none = await Assert.ThrowsAsync<SessionApiException>(() => client.ListVersionsAsync(NewId()));
        Assert.Equal((404, ProblemCode.NotFound), (none.Status, none.Code));
    }

    [Fact]
    public async Task A_deleted_session_comes_back_from_the_trash_once()
    {
        var id = NewId();
        var saved = await client.SaveSessionAsync(id, "{\"keep\":true}");
        await client.DeleteSessionAsync(id);

        var trashed = Assert.Single(await client.ListTrashAsync(), t => t.Id == id);
        Assert.Equal(saved.Session.Etag, trashed.Etag);

        var restored = await client.RestoreFromTrashAsync(id);
        Assert.True(restored.Created);
        Assert.Equal(saved.Session.Etag, restored.Session.Etag);
        Assert.Equal("{\"keep\":true}", (await client.GetSessionAsync(id)).GetJsonString());

        await client.DeleteSessionAsync(id);
        await client.SaveSessionAsync(id, "{\"again\":true}");
        var conflict = await Assert.ThrowsAsync<SessionApiException>(() => client.RestoreFromTrashAsync(id));
        Assert.Equal((409, ProblemCode.AlreadyExists), (conflict.Status, conflict.Code));
    }
}
