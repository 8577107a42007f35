
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Writer;

/// <summary>
/// A document marked read-only (the real attribute: on Linux .NET sets and reads it as the write
/// permission bits) is refused at once with a clear message, on save, on delete and in the
/// verified copy, instead of being retried for the whole budget as a passing access-denied.
/// </summary>
public sealed class ReadOnlyTargetTests : IDisposable
{
    private readonly TempRoot root = new();

    [Fact]
    public async Task Saving_over_a_read_only_document_fails_at_once_and_keeps_it()
    {
        using var harness = new WriterHarness(retryBudget: TimeSpan.FromSeconds(30));
        var target = await ReadOnlyDocument("{\"v\":1}");
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
            harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":2}"), WriterHarness.Limits, default));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}: retried instead of failing");
        Assert.Equal(StorageFailureKind.Unavailable, error.Kind);
        Assert.Contains("marked read-only", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Counters.Snapshot()["retries"]);
        Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(target));
        Assert.Equal(["a.json"], root.Files());
    }

    [SkippableFact]
    public async Task The_verified_copy_refuses_a_read_only_document_before_touching_it()
    {
        // A root whose renames really fail with EXDEV (the fault shim), so every save takes the copy.
        using var refusing = new TempRoot(RealFaults.ExdevParent);
        using var harness = new WriterHarness();
        var target = await ReadOnlyDocument("{\"v\":1}", refusing);
        try
        {
            var error = await Assert.ThrowsAsync<StorageWriteException>(() =>
                harness.Writer.WriteAsync(target, Bodies.Of("{\"v\":2}"), WriterHarness.Limits, default));

            Assert.Contains("marked read-only", error.Message, StringComparison.Ordinal);
            Assert.False(error.TemporaryFileKept);
            Assert.Equal("{\"v\":1}", await File.ReadAllTextAsync(target));
            Assert.Equal(["a.json"], refusing.Files());
        }
        finally
        {
            File.SetAttributes(target, FileAttributes.Normal);
        }
    }

    [Fact]
    public async Task A_read_only_document_cannot_be_deleted_through_the_store_and_says_why()
    {
        using var harness = new WriterHarness();
        await ReadOnlyDocument("{\"v\":1}");
        using var store = harness.CreateStore(root.Path);
        await store.OpenAsync(default);

        var error = await Assert.ThrowsAsync<SessionStoreException>(() => store.DeleteAsync(Id("a"), Precondition.None, default));

        Assert.Equal(StoreErrorCode.StorageUnavailable, error.Code);
        Assert.Contains("marked read-only", error.Message, StringComparison.Ordinal);
        Assert.NotNull(store.Find(Id("a")));
        Assert.True(File.Exists(root.File("a.json")));
    }

    [Fact]
    public async Task Recovery_that_cannot_promote_over_a_read_only_document_still_starts_and_keeps_every_file()
    {
        using var harness = new WriterHarness();
        await ReadOnlyDocument("{\"v\":1}");
        File.SetLastWriteTimeUtc(root.File("a.json"), DateTime.UtcNow.AddMinutes(-5));
        await File.WriteAllTextAsync(root.File("a.json.tmp"), "{\"v\":2}");
        using var store = harness.CreateStore(root.Path);

        var report = await store.OpenAsync(default);

        var deferred = Assert.Single(report.Deferred);
        Assert.Equal("a.json.tmp", deferred.Temp);
        Assert.Contains("read-only", deferred.Reason, StringComparison.Ordinal);
        Assert.Equal(7, store.Find(Id("a"))!.Size); // still serving the valid document
        Assert.Equal(["a.json", "a.json.tmp"], root.Files());
    }

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(root.Path))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        root.Dispose();
    }

    private async Task<string> ReadOnlyDocument(string json, TempRoot? where = null)
    {
        var target = (where ?? root).File("a.json");
        await File.WriteAllTextAsync(target, json);
        File.SetAttributes(target, FileAttributes.ReadOnly);
        Assert.True((File.GetAttributes(target) & FileAttributes.ReadOnly) != 0);
        return target;
    }
}
