using System.Text.Json;
using Microsoft.Extensions.Logging;
using SessionApi.Docs;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Roots;
using SessionApi.Storage.Setup;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Hosting;

/// <summary>
/// <c>SessionApi recover --root &lt;dir&gt;</c>: runs startup recovery once, prints what it promoted,
/// quarantined and removed, and exits. For support engineers fixing a broken install (for example
/// a folder left holding only the <c>*.json.tmp</c> files of the MSIX bug) without starting the server.
/// </summary>
public static class RecoverCommand
{
    public const string Name = "recover";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = ParseRoot(args);
        if (root is null)
        {
            await stderr.WriteLineAsync("usage: SessionApi recover --root <dir>").ConfigureAwait(false);
            return ExitCodes.ConfigurationError;
        }

        if (!Directory.Exists(root))
        {
            await stderr.WriteLineAsync($"SessionApi recover: storage root '{root}' does not exist.").ConfigureAwait(false);
            return ExitCodes.ConfigurationError;
        }

        try
        {
            var (report, diagnostics) = await OfflineRecovery.RunAsync(
                root,
                logging => logging.AddSimpleConsole().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning),
                CancellationToken.None).ConfigureAwait(false);
            await PrintAsync(stdout, root, report, diagnostics).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (StorageRootInUseException e)
        {
            await stderr.WriteLineAsync($"SessionApi recover: {e.Message}").ConfigureAwait(false);
            return ExitCodes.RootInUse;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageWriteException)
        {
            await stderr.WriteLineAsync($"SessionApi recover: recovery stopped: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static async Task PrintAsync(TextWriter stdout, string root, RecoveryReport report, StoreDiagnostics diagnostics)
    {
        await stdout.WriteLineAsync($"SessionApi recover: {root}").ConfigureAwait(false);
        foreach (var (temp, document) in report.Promoted.OrderBy(p => p.Document, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync($"promoted     {temp} -> {document}").ConfigureAwait(false);
        }

        foreach (var file in report.Quarantined.OrderBy(q => q.OriginalName, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync($"quarantined  {file.OriginalName} -> {RecoveryReport.QuarantineFolderName}/{file.Name}: {file.Reason}").ConfigureAwait(false);
        }

        foreach (var (temp, reason) in report.Deferred.OrderBy(d => d.Temp, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync($"not promoted {temp}: {reason}").ConfigureAwait(false);
        }

        foreach (var temp in report.RemovedDuplicates.Order(StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync($"removed      {temp}: same bytes as its document").ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(
            $"{report.Sessions} sessions; {report.Promoted.Count} promoted, {report.Quarantined.Count} quarantined, {report.RemovedDuplicates.Count} duplicates removed; write mode {JsonSerializer.Serialize(diagnostics.WriteMode, ApiJsonContext.Default.WriteMode).Trim('"')}").ConfigureAwait(false);
    }

    private static string? ParseRoot(string[] args)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] is "--root" or "--Storage:Root")
            {
                return Path.GetFullPath(args[i + 1]);
            }
        }

        return args.Select(a => a.StartsWith("--root=", StringComparison.Ordinal) ? a["--root=".Length..] : null).FirstOrDefault(a => a is not null) is { } inline
            ? Path.GetFullPath(inline)
            : null;
    }
}
