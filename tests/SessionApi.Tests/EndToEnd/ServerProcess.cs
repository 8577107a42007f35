using System.Diagnostics;
using System.Text.Json;
using SessionApi.Tests.Api;

namespace SessionApi.Tests.EndToEnd;

/// <summary>
/// The built SessionApi started as the Electron main process starts it: `dotnet SessionApi.dll`,
/// port 0, the token in the environment, stdin a pipe, the ready line read from stdout.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> stdoutLines = [];
    private readonly List<string> stderrLines = [];
    private readonly TaskCompletionSource<string?> firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> stderrWaiters = [];
    private bool stderrEnded;

    private ServerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                firstLine.TrySetResult(null);
                return;
            }

            lock (stdoutLines)
            {
                stdoutLines.Add(e.Data);
            }

            firstLine.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> done;
            lock (stderrLines)
            {
                if (e.Data is null)
                {
                    stderrEnded = true;
                    done = [.. stderrWaiters];
                    stderrWaiters.Clear();
                }
                else
                {
                    stderrLines.Add(e.Data);
                    done = stderrWaiters.FindAll(w => w.Match(e.Data));
                    stderrWaiters.RemoveAll(done.Contains);
                }
            }

            foreach (var (_, found) in done)
            {
                if (e.Data is null)
                {
                    found.TrySetException(new InvalidOperationException("the server's stderr ended"));
                }
                else
                {
                    found.TrySetResult(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Dll
    {
        get
        {
            // tests/SessionApi.Tests/bin/<Configuration>/net10.0/ -> src/SessionApi/bin/<Configuration>/net10.0/SessionApi.dll
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(OpenApiDocumentTests.RepoRoot(), "src", "SessionApi", "bin", configuration, "net10.0", "SessionApi.dll");
        }
    }

    public int Pid => process.Id;

    public JsonElement Ready { get; private set; }

    public Uri Url => new(Ready.GetProperty("url").GetString()!);

    public string[] Stdout { get { lock (stdoutLines) { return [.. stdoutLines]; } } }

    public string Stderr { get { lock (stderrLines) { return string.Join('\n', stderrLines); } } }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public StreamWriter StandardInput => process.StandardInput;

    /// <param name="token">SESSIONAPI_TOKEN, or null to leave it out of the environment.</param>
    /// <param name="args">Command-line arguments after the dll.</param>
    /// <param name="stdinNull">Start with stdin on /dev/null (through sh) instead of a pipe.</param>
    /// <param name="workingDirectory">The directory to start in (Electron starts it from anywhere), or the test's own.</param>
    /// <param name="executable">A published SessionApi executable to start instead of <c>dotnet SessionApi.dll</c>.</param>
    /// <param name="environment">Variables to set (or, with a null value, remove) in the server's environment.</param>
    public static ServerProcess Start(
        string? token,
        IEnumerable<string> args,
        bool stdinNull = false,
        string? workingDirectory = null,
        string? executable = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            FileName = stdinNull ? "/bin/sh" : executable ?? "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = !stdinNull,
            UseShellExecute = false,
        };
        if (stdinNull)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec dotnet \"$@\" < /dev/null");
            info.ArgumentList.Add("sh");
        }

        if (executable is null)
        {
            info.ArgumentList.Add(Dll);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("SESSIONAPI_TOKEN");
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (token is not null)
        {
            info.Environment["SESSIONAPI_TOKEN"] = token;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return new ServerProcess(Process.Start(info)!);
    }

    /// <summary>Waits for the ready line; fails with stderr when the process exits first.</summary>
    public async Task<ServerProcess> WaitReadyAsync()
    {
        var line = await firstLine.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(line is not null, "exited before the ready line: " + Stderr);
        Ready = JsonDocument.Parse(line).RootElement.Clone();
        return this;
    }

    /// <summary>The first line of stderr (so far or to come) that <paramref name="match"/> accepts; fails when stderr ends first or after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForStderrAsync(Func<string, bool> match, TimeSpan timeout)
    {
        TaskCompletionSource<string> found = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (stderrLines)
        {
            if (stderrLines.Find(line => match(line)) is { } line)
            {
                return line;
            }

            if (stderrEnded)
            {
                Assert.Fail("the line was not on the server's stderr: " + string.Join('\n', stderrLines));
            }

            stderrWaiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"the line was not on the server's stderr ({e.Message}): {Stderr}");
            throw;
        }
    }

    public Task<string> WaitForStderrAsync(string text, TimeSpan timeout) =>
        WaitForStderrAsync(line => line.Contains(text, StringComparison.Ordinal), timeout);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        process.WaitForExit(); // drains the redirected output
        return process.ExitCode;
    }

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
