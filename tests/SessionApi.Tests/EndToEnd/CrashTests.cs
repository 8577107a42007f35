using System.Net;
using System.Text;
using System.Text.Json;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.EndToEnd;

/// <summary>
/// kill -9 of the real server at random moments while several clients save large documents, over
/// many cycles, with rename working, with rename refused (the MSIX case, via the fault shim) and with
/// exclusive temp creates refused (the other MSIX case).
/// After every restart each acknowledged save is there (or a later one), and every served document
/// is exactly one that a client sent: nothing torn, nothing lost, no temp file left behind.
/// </summary>
[Collection(nameof(EndToEndProcesses))]
public sealed class CrashTests
{
    private const string Token = "crash-token-0123456789abcdef";
    private const int Writers = 6;
    private const int Cycles = 8;

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
        var kills = 0;
        var strandedTemps = 0;
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            await using var server = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path]).WaitReadyAsync();
            using var client = server.Client(Token);
            await VerifyAsync(client, root, acknowledged);

            using var stop = new CancellationTokenSource();
            var before = Acknowledged(acknowledged);
            var writers = Enumerable.Range(0, Writers)
                .Select(w => Task.Run(() => WriteUntilStoppedAsync(client, $"crash-{w}", acknowledged, stop.Token)))
                .ToArray();

            // On a loaded machine (CI, parallel builds) the first saves of a cycle can take longer than
            // the random delay; kill only once this cycle has something acknowledged to lose.
            for (var waited = 0; Acknowledged(acknowledged) == before && waited < 30_000; waited += 20)
            {
                await Task.Delay(20);
            }

            await Task.Delay(random.Next(200, 700));
            server.Signal("KILL");
            kills++;
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
            strandedTemps += root.Files().Count(name => name.EndsWith(".tmp", StringComparison.Ordinal));
        }

        await using var last = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path]).WaitReadyAsync();
        using var lastClient = last.Client(Token);
        await VerifyAsync(lastClient, root, acknowledged);

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
    }

    private static int Acknowledged(Dictionary<string, int> acknowledged)
    {
        lock (acknowledged)
        {
            return acknowledged.Values.Sum();
        }
    }

    private static async Task WriteUntilStoppedAsync(HttpClient client, string id, Dictionary<string, int> acknowledged, CancellationToken stop)
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
                    }
                }
            }
            catch (HttpRequestException)
            {
                return; // the server died under us: this save was never acknowledged
            }

            sequence++;
        }
    }

    private static async Task VerifyAsync(HttpClient client, TempRoot root, Dictionary<string, int> acknowledged)
    {
        foreach (var (id, sequence) in acknowledged)
        {
            using var response = await client.GetAsync($"/sessions/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: acknowledged save {sequence} is gone ({response.StatusCode})");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var served = JsonDocument.Parse(bytes).RootElement.GetProperty("seq").GetInt32();
            Assert.True(served >= sequence, $"{id}: serves save {served}, older than acknowledged save {sequence}");
            Assert.Equal(Document(id, served), bytes); // byte for byte one of the documents a client sent
        }

        Assert.DoesNotContain(root.Files(), name => name.EndsWith(".tmp", StringComparison.Ordinal));
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
