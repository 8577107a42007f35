using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.EndToEnd;

/// <summary>
/// kill -9 of the real server at random moments while several clients save large documents, over
/// many cycles, with rename working, with rename refused (the MSIX case, via the fault shim) and with
/// exclusive temp creates refused (the other MSIX case).
/// After every restart each acknowledged save is there (or a later one), and every served document
/// is exactly one that a client sent: nothing torn, nothing lost, no temp file left behind. With
/// history on (every save kept, no merge window), every acknowledged document that a later save
/// replaced is listed as a version and every listed version is byte-exact; a session that is
/// deleted, restored from the trash and restored from a version in a loop is never lost.
/// </summary>
[Collection(nameof(EndToEndProcesses))]
public sealed class CrashTests
{
    private const string Token = "crash-token-0123456789abcdef";
    private const int Writers = 6;
    private const int Cycles = 8;
    private const string ChurnId = "crash-churn";

    /// <summary>Keep every replace (no merge window) and few enough versions that the check can predict them.</summary>
    private const int MaxVersions = 12;

    private static readonly string[] HistoryArgs = ["--History:MergeWindow=00:00:00", $"--History:MaxVersions={MaxVersions}"];

    [Fact]
    public Task Kill_9_during_concurrent_saves_loses_nothing_acknowledged() => RunCycles(new TempRoot(), seed: 1, expectedWriteMode: "atomic-rename");

    [SkippableFact]
    public Task Kill_9_during_concurrent_verified_copies_loses_nothing_acknowledged() =>
        RunCycles(new TempRoot(RealFaults.ExdevParent), seed: 2, expectedWriteMode: "verified-copy");

    /// <summary>Exclusive creates of fresh temps refused with EEXIST (the MSIX junction symptom): temps are created non-exclusively.</summary>
    [SkippableFact]
    public Task Kill_9_during_concurrent_saves_with_exclusive_creates_refused_loses_nothing_acknowledged() =>
        RunCycles(new TempRoot(RealFaults.EexistParent), seed: 3, expectedWriteMode: "atomic-rename", expectedTempCreateMode: "non-exclusive");

    private static async Task RunCycles(TempRoot root, int seed, string expectedWriteMode, string expectedTempCreateMode = "exclusive")
    {
        using var _ = root;
        var random = new Random(seed);
        var acknowledged = new Dictionary<string, int>(StringComparer.Ordinal);
        var history = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var churnAcknowledged = new StrongBox<bool>();
        var kills = 0;
        var strandedTemps = 0;
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            await using var server = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path, .. HistoryArgs]).WaitReadyAsync();
            using var client = server.Client(Token);
            await VerifyAsync(client, root, acknowledged, history, churnAcknowledged.Value);

            using var stop = new CancellationTokenSource();
            var firstAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, Writers)
                .Select(w => Task.Run(() => WriteUntilStoppedAsync(client, $"crash-{w}", acknowledged, history, firstAcknowledged, stop.Token)))
                .Append(Task.Run(() => ChurnUntilStoppedAsync(client, churnAcknowledged, stop.Token)))
                .ToArray();

            // On a loaded machine (CI, parallel builds) the first saves of a cycle can take longer than
            // the random delay; kill only once this cycle has something acknowledged to lose (or after
            // 30 s without, as before: the assertions at the end say whether enough was acknowledged).
            await firstAcknowledged.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            await Task.Delay(random.Next(200, 700)); // real time on purpose: kill -9 lands at a random moment of the server process's work
            server.Signal("KILL");
            kills++;
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
            strandedTemps += Directory.EnumerateFiles(root.Path, "*.tmp", SearchOption.AllDirectories).Count();
        }

        await using var last = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path, .. HistoryArgs]).WaitReadyAsync();
        using var lastClient = last.Client(Token);
        await VerifyAsync(lastClient, root, acknowledged, history, churnAcknowledged.Value);

        // The root really renamed, or really refused renames (the shim took effect): not a plain run twice.
        var diagnostics = JsonDocument.Parse(await lastClient.GetStringAsync("/diagnostics")).RootElement;
        Assert.Equal(expectedWriteMode, diagnostics.GetProperty("writeMode").GetString());
        if (expectedTempCreateMode != "exclusive")
        {
            // The mode shows after a save; the last server has only read so far.
            using var save = await lastClient.PutAsync("/sessions/crash-last", Http.Json("{\"last\":true}"));
            Assert.Equal(HttpStatusCode.Created, save.StatusCode);
            diagnostics = JsonDocument.Parse(await lastClient.GetStringAsync("/diagnostics")).RootElement;
        }

        Assert.Equal(expectedTempCreateMode, diagnostics.GetProperty("tempCreateMode").GetString());
        Assert.Equal(Cycles, kills);
        Assert.True(strandedTemps > 0, "no kill landed in the middle of a save; the test proved nothing about recovery");
        Assert.True(acknowledged.Values.Sum() >= Writers, $"too few saves were acknowledged to prove anything: {acknowledged.Values.Sum()}");
        Assert.True(churnAcknowledged.Value, "the delete/restore loop never got an answer");
    }

    /// <summary>Saves, deletes, restores from the trash and restores the newest version of one session, round and round.</summary>
    private static async Task ChurnUntilStoppedAsync(HttpClient client, StrongBox<bool> acknowledged, CancellationToken stop)
    {
        var sequence = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                sequence++;
                using (var saved = await client.PutAsync($"/sessions/{ChurnId}", Http.JsonBytes(Document(ChurnId, sequence)), CancellationToken.None))
                {
                    acknowledged.Value |= saved.IsSuccessStatusCode;
                }

                using (await client.DeleteAsync($"/sessions/{ChurnId}", CancellationToken.None))
                {
                }

                using (await client.PostAsync($"/trash/{ChurnId}/restore", null, CancellationToken.None))
                {
                }

                using var versions = await client.GetAsync($"/sessions/{ChurnId}/versions", CancellationToken.None);
                if (versions.IsSuccessStatusCode)
                {
                    var items = JsonDocument.Parse(await versions.Content.ReadAsStringAsync(CancellationToken.None)).RootElement.GetProperty("items");
                    if (items.GetArrayLength() > 0)
                    {
                        using (await client.PostAsync($"/sessions/{ChurnId}/versions/{items[0].GetProperty("version").GetString()}/restore", null, CancellationToken.None))
                        {
                        }
                    }
                }
            }
        }
        catch (HttpRequestException)
        {
            // the server died under us
        }
    }

    private static async Task WriteUntilStoppedAsync(
        HttpClient client, string id, Dictionary<string, int> acknowledged, Dictionary<string, List<int>> history, TaskCompletionSource firstAcknowledged, CancellationToken stop)
    {
        int sequence;
        lock (acknowledged)
        {
            sequence = acknowledged.GetValueOrDefault(id) + 1;
        }

        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.PutAsync($"/sessions/{id}", Http.JsonBytes(Document(id, sequence)), CancellationToken.None);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
                {
                    lock (acknowledged)
                    {
                        acknowledged[id] = sequence;
                        if (!history.TryGetValue(id, out var saves))
                        {
                            history[id] = saves = [];
                        }

                        saves.Add(sequence);
                    }

                    firstAcknowledged.TrySetResult();
                }
            }
            catch (HttpRequestException)
            {
                return; // the server died under us: this save was never acknowledged
            }

            sequence++;
        }
    }

    private static async Task VerifyAsync(HttpClient client, TempRoot root, Dictionary<string, int> acknowledged, Dictionary<string, List<int>> history, bool churnAcknowledged)
    {
        foreach (var (id, sequence) in acknowledged)
        {
            using var response = await client.GetAsync($"/sessions/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: acknowledged save {sequence} is gone ({response.StatusCode})");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var served = JsonDocument.Parse(bytes).RootElement.GetProperty("seq").GetInt32();
            Assert.True(served >= sequence, $"{id}: serves save {served}, older than acknowledged save {sequence}");
            Assert.Equal(Document(id, served), bytes); // byte for byte one of the documents a client sent

            // Every listed version is byte for byte a document a client sent, under the ETag listed.
            var listed = new HashSet<int>();
            foreach (var version in (await ListVersionsAsync(client, id)).EnumerateArray())
            {
                using var read = await client.GetAsync($"/sessions/{id}/versions/{version.GetProperty("version").GetString()}");
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                var versionBytes = await read.Content.ReadAsByteArrayAsync();
                var seq = JsonDocument.Parse(versionBytes).RootElement.GetProperty("seq").GetInt32();
                Assert.Equal(Document(id, seq), versionBytes);
                Assert.Equal(version.GetProperty("etag").GetString(), read.Headers.ETag?.ToString());
                Assert.Equal(versionBytes.Length, version.GetProperty("size").GetInt64());
                listed.Add(seq);
            }

            // Every acknowledged document a later save replaced is a version (the newest ones: older
            // ones may have been pruned by MaxVersions).
            var replaced = history[id].Where(seq => seq < served).TakeLast(MaxVersions / 2).ToList();
            Assert.True(replaced.All(listed.Contains), $"{id}: acknowledged saves {string.Join(",", replaced.Where(r => !listed.Contains(r)))} were replaced but are not listed as versions (listed {string.Join(",", listed)}; served {served}; on disk {string.Join(",", Directory.Exists(Path.Combine(root.Path, ".history", id)) ? Directory.GetFiles(Path.Combine(root.Path, ".history", id)).Select(Path.GetFileName) : [])})");
        }

        if (churnAcknowledged)
        {
            // Deleted, restored and restored again at every moment: it is a session or in the trash, never neither.
            using var session = await client.GetAsync($"/sessions/{ChurnId}");
            var trash = JsonDocument.Parse(await client.GetStringAsync("/trash")).RootElement.GetProperty("items");
            var trashed = trash.EnumerateArray().Any(t => t.GetProperty("id").GetString() == ChurnId);
            Assert.True(session.StatusCode == HttpStatusCode.OK || trashed, $"{ChurnId} is neither a session ({session.StatusCode}) nor in the trash");
            if (session.StatusCode == HttpStatusCode.OK)
            {
                var bytes = await session.Content.ReadAsByteArrayAsync();
                Assert.Equal(Document(ChurnId, JsonDocument.Parse(bytes).RootElement.GetProperty("seq").GetInt32()), bytes);
            }
        }

        Assert.Empty(Directory.EnumerateFiles(root.Path, "*.tmp", SearchOption.AllDirectories));
    }

    private static async Task<JsonElement> ListVersionsAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/sessions/{id}/versions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").Clone();
    }

    /// <summary>A deterministic document of 300 KB to 1.3 MB for (id, sequence), so any served bytes can be checked exactly.</summary>
    private static byte[] Document(string id, int sequence)
    {
        var size = 300_000 + (Math.Abs(HashCode.Combine(id.Length, sequence)) % 1_000_000);
        var text = new StringBuilder(size + 200).Append("{\"id\":\"").Append(id).Append("\",\"seq\":").Append(sequence).Append(",\"messages\":[");
        var n = 0;
        while (text.Length < size)
        {
            text.Append(n == 0 ? "" : ",").Append("{\"n\":").Append(n++).Append(",\"text\":\"").Append(id).Append(" save ").Append(sequence).Append(" lorem ipsum\"}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }
}
