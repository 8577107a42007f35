using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.EndToEnd;

/// <summary>The process contract (docs/DESIGN.md), against the built binary.</summary>
[Collection(nameof(EndToEndProcesses))]
public sealed class ProcessContractTests : IDisposable
{
    private const string Token = "e2e-token-abcdefghijklmnop";
    private readonly TempRoot root = new();

    private string[] Args(params string[] more) => ["--Storage:Root=" + root.Path, .. more];

    [Fact]
    public async Task Ready_line_is_the_only_stdout_line_and_the_server_works()
    {
        await using var server = await ServerProcess.Start(Token, Args()).WaitReadyAsync();
        var ready = server.Ready;
        Assert.Equal("ready", ready.GetProperty("event").GetString());
        Assert.Equal(server.Pid, ready.GetProperty("pid").GetInt32());
        Assert.Equal("0.1.0", ready.GetProperty("version").GetString());
        Assert.False(ready.TryGetProperty("token", out _));
        Assert.Equal("127.0.0.1", server.Url.Host);
        Assert.True(server.Url.Port > 0);

        using var client = server.Client(Token);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/e2e", Http.Json("{\"a\":1}"))).StatusCode);
        Assert.Equal("{\"a\":1}", await client.GetStringAsync("/sessions/e2e"));
        await Http.AssertProblem(await client.GetAsync("/sessions/CON"), 400, "invalid_id");

        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(server.Stdout);
        Assert.Contains("Now listening", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_appsettings_beside_the_executable_apply_whatever_the_working_directory()
    {
        // Electron spawns the server from its own working directory. The content root (where
        // appsettings.json is read) must be the app's folder, not that directory: here a folder
        // with a decoy appsettings.json that would refuse every body over 10 bytes.
        using var cwd = new TempRoot();
        await File.WriteAllTextAsync(cwd.File("appsettings.json"), "{\"Storage\":{\"MaxSessionBytes\":10}}");
        await using var server = await ServerProcess.Start(Token, Args(), workingDirectory: cwd.Path).WaitReadyAsync();

        using var client = server.Client(Token);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/sessions/cwd", Http.Json("{\"longer\":\"than ten bytes\"}"))).StatusCode);

        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var appFolder = Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(ServerProcess.Dll)!);
        Assert.Contains("Content root path: " + appFolder, server.Stderr, StringComparison.Ordinal);

        // The shipped appsettings.json sets Microsoft.AspNetCore to Warning: no per-request logs.
        Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_in_the_environment_one_is_generated_and_announced()
    {
        await using var server = await ServerProcess.Start(null, Args()).WaitReadyAsync();
        var token = server.Ready.GetProperty("token").GetString();
        Assert.False(string.IsNullOrWhiteSpace(token));
        Assert.True(token!.Length >= 32);

        using var authorized = server.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await authorized.GetAsync("/sessions")).StatusCode);
        using var anonymous = server.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/sessions")).StatusCode);
    }

    [Theory]
    [InlineData("--Storage:MaxSessionBytes=1")]
    [InlineData("--Storage:MaxSessionBytes=lots")]
    [InlineData("--Storage:MaxJsonDepth=0")]
    [InlineData("--History:MaxVersions=0")]
    [InlineData("--History:MergeWindow=-00:00:01")]
    [InlineData("--History:MaxBytesPerSession=-1")]
    [InlineData("--History:MaxTotalBytes=-1")]
    [InlineData("--History:Enabled=maybe")]
    [InlineData("--Trash:Retention=00:00:00")]
    [InlineData("--parent-pid=abc")]
    [InlineData("--Hosting:ParentPollInterval=00:00:00")]
    [InlineData("--Security:AllowedOrigins:0=not a url")]
    [InlineData("--Events:HeartbeatInterval=00:00:00")]
    [InlineData("--Events:WatcherCapacity=0")]
    [InlineData("--Events:ReplayCapacity=0")]
    [InlineData("--urls=http://0.0.0.0:0")]
    [InlineData("--urls=http://192.0.2.1:0")]
    [InlineData("--urls=http://*:0")]
    [InlineData("--urls=http://example.com:0")]
    public async Task A_configuration_error_exits_2_with_one_line_on_stderr(string arg)
    {
        await using var server = ServerProcess.Start(Token, Args(arg));
        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(server.Stdout);
        var lines = server.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("SessionApi: configuration error: ", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_listening_needs_the_container_opt_in()
    {
        await using var server = await ServerProcess.Start(Token, Args("--urls=http://0.0.0.0:0", "--Hosting:AllowRemote=true")).WaitReadyAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Url.Port}") };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_second_instance_on_the_same_root_exits_3_with_a_clear_message()
    {
        await using var first = await ServerProcess.Start(Token, Args()).WaitReadyAsync();
        await using var second = ServerProcess.Start(Token, Args());
        Assert.Equal(3, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(second.Stdout);
        Assert.Contains("SessionApi: cannot start: Storage root", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("already in use", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_exits_soon_after_the_parent_process_ends()
    {
        using var parent = Process.Start("sleep", "3")!;
        await using var server = await ServerProcess.Start(Token, Args($"--parent-pid={parent.Id}", "--Hosting:ParentPollInterval=00:00:00.200")).WaitReadyAsync();
        Assert.False(server.HasExited);
        await parent.WaitForExitAsync();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Parent process", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parent_that_is_already_gone_stops_it_at_once()
    {
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        await using var server = ServerProcess.Start(Token, Args($"--parent-pid={gone.Id}"));
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Closing_stdin_shuts_it_down_gracefully()
    {
        await using var server = await ServerProcess.Start(Token, Args()).WaitReadyAsync();
        server.StandardInput.Close();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Standard input was closed", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdin_on_dev_null_does_not_stop_it()
    {
        // The watcher's decision, logged at start: /dev/null is not watched (end of input there means nothing).
        await using var server = await ServerProcess.Start(Token, Args(StdinWatcherDebug), stdinNull: true).WaitReadyAsync();
        Assert.Contains("Standard input not watched (stdin is not a pipe)", await StdinWatcherDecisionAsync(server), StringComparison.Ordinal);
        using var client = server.Client(Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.False(server.HasExited, server.Stderr);
    }

    [Fact]
    public async Task Stdin_watch_can_be_switched_off()
    {
        // Off: nothing reads stdin, so closing it cannot be noticed; the watcher says so at start.
        await using var server = await ServerProcess.Start(Token, Args("--Hosting:ShutdownOnStdinClose=Off", StdinWatcherDebug)).WaitReadyAsync();
        Assert.Contains("Standard input not watched (disabled by configuration)", await StdinWatcherDecisionAsync(server), StringComparison.Ordinal);
        server.StandardInput.Close();
        using var client = server.Client(Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.False(server.HasExited, server.Stderr);
    }

    /// <summary>The stdin watcher logs whether it watches at Debug level.</summary>
    private const string StdinWatcherDebug = "--Logging:LogLevel:SessionApi.Hosting.StdinWatcher=Debug";

    /// <summary>The line in which the stdin watcher says, at start, whether it watches.</summary>
    private static Task<string> StdinWatcherDecisionAsync(ServerProcess server) =>
        server.WaitForStderrAsync(
            line => line.Contains("Standard input not watched", StringComparison.Ordinal) || line.Contains("Watching standard input", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Sigterm_while_a_slow_save_streams_lets_the_save_complete()
    {
        await using var server = await ServerProcess.Start(Token, Args()).WaitReadyAsync();
        using var client = server.Client(Token);
        var body = new HeldJsonContent(chunks: 12);
        var save = client.PutAsync("/sessions/in-flight", body);
        await body.FirstChunkSent.WaitAsync(TimeSpan.FromSeconds(30));

        // The request is in the handler once the store has taken the session's lock and created the
        // save's temp file, which the first chunk streams into: a request Kestrel has not begun is not
        // "in flight" and may be refused at shutdown, which is not what this test is about.
        await Eventually.HoldsAsync(() => Directory.EnumerateFiles(root.Path, "in-flight.json.*.tmp").Any(), "the save never reached the store");

        // SIGTERM, and the rest of the body only once the server says it is shutting down.
        server.Signal("TERM");
        await server.WaitForStderrAsync("Application is shutting down", TimeSpan.FromSeconds(30));
        body.SendTheRest();
        var response = await save;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var saved = await File.ReadAllTextAsync(Path.Combine(root.Path, "in-flight.json"));
        Assert.Equal(body.Text, saved);
        Assert.Equal(12, JsonDocument.Parse(saved).RootElement.GetProperty("chunks").GetArrayLength());
    }

    [Fact]
    public async Task Kestrel_itself_refuses_what_the_test_server_cannot_send()
    {
        await using var server = await ServerProcess.Start(Token, Args()).WaitReadyAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Url.Port);
        var stream = tcp.GetStream();
        var request = $"GET /sessions/a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {Token}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        var answer = await new StreamReader(stream).ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);

        using var client = server.Client(Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    public void Dispose() => root.Dispose();

    /// <summary>
    /// A JSON body sent in chunks: the first one, then nothing until <see cref="SendTheRest"/>, so the
    /// save is still streaming when SIGTERM arrives.
    /// </summary>
    private sealed class HeldJsonContent : HttpContent
    {
        private readonly int chunks;
        private readonly TaskCompletionSource firstChunkSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldJsonContent(int chunks)
        {
            this.chunks = chunks;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            Text = "{\"chunks\":[" + string.Join(',', Enumerable.Range(0, chunks).Select(i => $"{{\"n\":{i},\"pad\":\"{new string('x', 100)}\"}}")) + "]}";
        }

        public string Text { get; }

        public Task FirstChunkSent => firstChunkSent.Task;

        public void SendTheRest() => rest.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(Text);
            var size = (bytes.Length + chunks - 1) / chunks;
            for (var offset = 0; offset < bytes.Length; offset += size)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
                await stream.FlushAsync();
                firstChunkSent.TrySetResult();
                await rest.Task;
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>End-to-end tests start real processes: one at a time on a 2-core machine.</summary>
[CollectionDefinition(nameof(EndToEndProcesses), DisableParallelization = true)]
public sealed class EndToEndProcesses;
