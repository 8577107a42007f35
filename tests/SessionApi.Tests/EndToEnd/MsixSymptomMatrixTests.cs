using System.Net;
using System.Text;
using System.Text.Json;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.EndToEnd;

/// <summary>
/// Every reported MSIX symptom, alone and combined with EXDEV, against the published server (the
/// binary Electron ships, SESSIONAPI_EXE) over HTTP and across restarts. The fault shim makes the
/// symptoms real syscall failures in the server's root only:
/// <list type="bullet">
/// <item><c>eexist</c>: an exclusive create of a fresh <c>*.tmp</c> fails with EEXIST (claude-code #83584, #91409);</item>
/// <item><c>enoent</c>: a rename of a temp that is there fails with ENOENT (#95112);</item>
/// <item><c>exdev</c>: a rename fails with EXDEV (#54883, #46881, #57633).</item>
/// </list>
/// Each case starts on a root that an earlier writer left as the MSIX bug leaves it (stranded
/// temps, a torn one), so startup's lock, pid note, rename probe, promotions and quarantine moves
/// run under the symptom too. Then: byte-exact documents on disk and over HTTP, no temp left, the
/// expected writeMode/tempCreateMode and counters, through a graceful restart under the same
/// symptoms and a last one without them.
/// </summary>
[Collection(nameof(EndToEndProcesses))]
public sealed class MsixSymptomMatrixTests
{
    private const string Token = "msix-matrix-token-0123456789";

    public static TheoryData<string> Symptoms() =>
    [
        "none", // the control: proves each assertion below can tell a symptom from its absence
        "exdev",
        "eexist",
        "enoent",
        "eexist+exdev",
        "enoent+exdev",
        "eexist+enoent+exdev",
    ];

    [SkippableTheory]
    [MemberData(nameof(Symptoms))]
    public async Task Every_save_survives_the_symptom_across_restarts(string symptoms)
    {
        var exe = RealFaults.PublishedExecutable();
        RealFaults.RequireShim();
        using var root = new TempRoot();
        var faults = Faults(symptoms, root.Path);
        var renameRefused = symptoms.Contains("exdev", StringComparison.Ordinal) || symptoms.Contains("enoent", StringComparison.Ordinal);
        var createRefused = symptoms.Contains("eexist", StringComparison.Ordinal);
        var expectedWriteMode = renameRefused ? "verified-copy" : "atomic-rename";
        var expectedTempCreateMode = createRefused ? "non-exclusive" : "exclusive";

        // What the MSIX bug leaves behind: complete temps holding the only copy, a torn one, and a
        // document older than its complete temp.
        var strandedA = Document("local_a", 1, 40_000);
        var strandedC = Document("local_c", 2, 900_000);
        await File.WriteAllBytesAsync(root.File("local_a.json.tmp"), strandedA);
        await File.WriteAllBytesAsync(root.File("local_b.json.tmp"), Document("local_b", 1, 5_000)[..3_000]);
        await File.WriteAllBytesAsync(root.File("local_c.json"), Document("local_c", 1, 10_000));
        File.SetLastWriteTimeUtc(root.File("local_c.json"), DateTime.UtcNow.AddMinutes(-10));
        await File.WriteAllBytesAsync(root.File("local_c.json.tmp"), strandedC);

        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["local_a"] = strandedA, ["local_c"] = strandedC };
        int saves;
        await using (var first = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path], executable: exe, environment: faults).WaitReadyAsync())
        {
            using var client = first.Client(Token);
            Assert.Equal(first.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", await File.ReadAllTextAsync(root.File(".sessionapi.pid")));

            var startup = await DiagnosticsAsync(client);
            Assert.Equal(expectedWriteMode, startup.GetProperty("writeMode").GetString()); // the rename probe saw the symptom
            Assert.Equal("exclusive", startup.GetProperty("tempCreateMode").GetString()); // nothing created a temp yet
            Assert.Equal(2, Counter(startup, "recoveredTemps"));
            Assert.Equal(1, Counter(startup, "quarantinedFiles"));
            Assert.Equal(renameRefused ? 2 : 0, Counter(startup, "crossDeviceFallbacks"));
            Assert.Equal("local_b.json.tmp", Assert.Single(startup.GetProperty("quarantined").EnumerateArray()).GetProperty("originalName").GetString());
            await AssertServedAsync(client, root, expected);

            // Creates, replaces (growing and shrinking) and a replace of a promoted document.
            saves = 0;
            foreach (var (id, sequence, size) in new[] { ("s1", 1, 2_000), ("s2", 1, 1_200_000), ("s1", 2, 300_000), ("s2", 2, 700), ("local_a", 2, 60_000), ("s3", 1, 50) })
            {
                var body = Document(id, sequence, size);
                using var response = await client.PutAsync($"/sessions/{id}", Http.JsonBytes(body));
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{symptoms}: PUT {id} #{sequence} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                expected[id] = body;
                saves++;
            }

            using (var deleted = await client.DeleteAsync("/sessions/s3"))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            expected.Remove("s3");
            await AssertServedAsync(client, root, expected);

            var after = await DiagnosticsAsync(client);
            Assert.Equal(expectedWriteMode, after.GetProperty("writeMode").GetString());
            Assert.Equal(expectedTempCreateMode, after.GetProperty("tempCreateMode").GetString());
            Assert.Equal(saves, Counter(after, "saves"));
            Assert.Equal(0, Counter(after, "saveFailures"));
            Assert.Equal(1, Counter(after, "deletes"));
            Assert.Equal(renameRefused ? 2 + saves : 0, Counter(after, "crossDeviceFallbacks"));

            // The first save tried a few fresh names, then the root was remembered as refusing them.
            Assert.Equal(createRefused ? 3 : 0, Counter(after, "exclusiveCreateRefusals"));

            // The lock holds under the symptom: a second instance on the root is refused.
            await using var second = ServerProcess.Start(Token, ["--Storage:Root=" + root.Path], executable: exe, environment: faults);
            Assert.Equal(3, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("already in use", second.Stderr, StringComparison.Ordinal);

            first.Signal("TERM");
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // Restart under the same symptoms: everything is there, nothing is recovered twice.
        await using (var again = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path], executable: exe, environment: faults).WaitReadyAsync())
        {
            using var client = again.Client(Token);
            await AssertServedAsync(client, root, expected);
            var restarted = await DiagnosticsAsync(client);
            Assert.Equal(expectedWriteMode, restarted.GetProperty("writeMode").GetString());
            Assert.Equal(0, Counter(restarted, "recoveredTemps"));
            Assert.Equal(0, Counter(restarted, "quarantinedFiles"));
            Assert.Single(restarted.GetProperty("quarantined").EnumerateArray()); // still listed from the manifest

            var body = Document("s1", 3, 80_000);
            using (var response = await client.PutAsync("/sessions/s1", Http.JsonBytes(body)))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            expected["s1"] = body;
            Assert.Equal(expectedTempCreateMode, (await DiagnosticsAsync(client)).GetProperty("tempCreateMode").GetString());
            again.Signal("TERM");
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // The same folder once the symptoms are gone (the app moved out of the package): the normal modes.
        await using (var healed = await ServerProcess.Start(Token, ["--Storage:Root=" + root.Path], executable: exe, environment: Faults("none", root.Path)).WaitReadyAsync())
        {
            using var client = healed.Client(Token);
            await AssertServedAsync(client, root, expected);
            using (var response = await client.PutAsync("/sessions/s2", Http.JsonBytes(Document("s2", 3, 1_000))))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var healedDiagnostics = await DiagnosticsAsync(client);
            Assert.Equal("atomic-rename", healedDiagnostics.GetProperty("writeMode").GetString());
            Assert.Equal("exclusive", healedDiagnostics.GetProperty("tempCreateMode").GetString());
            Assert.Equal(0, Counter(healedDiagnostics, "exclusiveCreateRefusals"));
        }
    }

    [SkippableFact]
    public async Task A_symlinked_root_shows_redirected_and_the_real_path()
    {
        var exe = RealFaults.PublishedExecutable();
        using var real = new TempRoot();
        using var links = new TempRoot();
        var link = Path.Combine(links.Path, "sessions-link");
        Directory.CreateSymbolicLink(link, real.Path);

        await using (var server = await ServerProcess.Start(Token, ["--Storage:Root=" + link], executable: exe).WaitReadyAsync())
        {
            using var client = server.Client(Token);
            var diagnostics = await DiagnosticsAsync(client);
            Assert.Equal(link, diagnostics.GetProperty("root").GetString());
            Assert.Equal(real.Path, diagnostics.GetProperty("physicalRoot").GetString());
            Assert.True(diagnostics.GetProperty("redirected").GetBoolean());

            // Saves work through the link and land in the real folder.
            using var response = await client.PutAsync("/sessions/linked", Http.Json("{\"through\":\"a link\"}"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("{\"through\":\"a link\"}", await File.ReadAllTextAsync(real.File("linked.json")));
        }

        // The control: a plain root is where it says.
        await using var plain = await ServerProcess.Start(Token, ["--Storage:Root=" + real.Path], executable: exe).WaitReadyAsync();
        using var plainClient = plain.Client(Token);
        var plainDiagnostics = await DiagnosticsAsync(plainClient);
        Assert.Equal(real.Path, plainDiagnostics.GetProperty("physicalRoot").GetString());
        Assert.False(plainDiagnostics.GetProperty("redirected").GetBoolean());
    }

    [SkippableTheory]
    [InlineData("loop", "symbolic link loop")]
    [InlineData("file", "is a file")]
    [InlineData("under-a-file", "cannot be created")]
    public async Task A_root_that_cannot_work_exits_2_with_one_line_before_the_ready_line(string kind, string reason)
    {
        var exe = RealFaults.PublishedExecutable();
        using var parent = new TempRoot();
        var root = kind switch
        {
            "loop" => Path.Combine(parent.Path, "a"),
            "file" => parent.File("sessions"),
            _ => Path.Combine(parent.File("sessions"), "inner"),
        };
        if (kind == "loop")
        {
            File.CreateSymbolicLink(parent.File("a"), parent.File("b"));
            File.CreateSymbolicLink(parent.File("b"), parent.File("a"));
        }
        else
        {
            await File.WriteAllTextAsync(parent.File("sessions"), "not a folder");
        }

        await using var server = ServerProcess.Start(Token, ["--Storage:Root=" + root], executable: exe);
        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(server.Stdout);
        var line = Assert.Single(server.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SessionApi: configuration error: Storage root '", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    /// <summary>The shim's switches for one case, aimed at the root only (and cleared of the lane's defaults).</summary>
    private static Dictionary<string, string?> Faults(string symptoms, string root)
    {
        string? Dir(string symptom) => symptoms.Split('+').Contains(symptom) ? root : null;
        return new()
        {
            ["FAULTSHIM_EXDEV_DIR"] = Dir("exdev"),
            ["FAULTSHIM_EEXIST_DIR"] = Dir("eexist"),
            ["FAULTSHIM_ENOENT_DIR"] = Dir("enoent"),
            ["FAULTSHIM_FSYNC_EIO_DIR"] = null,
        };
    }

    private static async Task<JsonElement> DiagnosticsAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/diagnostics")).RootElement.Clone();

    private static long Counter(JsonElement diagnostics, string name) => diagnostics.GetProperty("counters").GetProperty(name).GetInt64();

    private static async Task AssertServedAsync(HttpClient client, TempRoot root, Dictionary<string, byte[]> expected)
    {
        var listed = JsonDocument.Parse(await client.GetStringAsync("/sessions")).RootElement.GetProperty("items")
            .EnumerateArray().Select(item => item.GetProperty("id").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), listed);
        foreach (var (id, bytes) in expected)
        {
            Assert.Equal(bytes, await client.GetByteArrayAsync($"/sessions/{id}"));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(root.File(id + ".json")));
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(root.Path), path => path.EndsWith(".tmp", StringComparison.Ordinal));
    }

    /// <summary>A deterministic JSON object of about <paramref name="size"/> bytes, with non-ASCII text and CRLFs.</summary>
    private static byte[] Document(string id, int sequence, int size)
    {
        var text = new StringBuilder(size + 100).Append("{\r\n  \"id\": \"").Append(id).Append("\", \"seq\": ").Append(sequence).Append(",\r\n  \"messages\": [");
        for (var n = 0; text.Length < size; n++)
        {
            text.Append(n == 0 ? "" : ",").Append("{\"n\":").Append(n).Append(",\"text\":\"").Append(id).Append(" Grüße ✓ ").Append(sequence).Append("\"}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]\r\n}").ToString());
    }
}
