using Microsoft.Extensions.Logging;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.History;

/// <summary>
/// The start of the history: rebuilds the index of both folders from the file names, so listing
/// reads no document, after finishing the writes a crash interrupted there.
/// </summary>
internal sealed class HistoryStartupScan(HistoryIndex index, ILogger logger)
{
    /// <summary>
    /// Finishes or quarantines the writes a crash interrupted in both folders (only files that have a
    /// temp beside them are read), then indexes every kept file by its name.
    /// </summary>
    public async Task RunAsync(DurableWriter writer, Quarantine quarantine, RecoveryReport report)
    {
        foreach (var shelf in new[] { index.Versions, index.Trash })
        {
            // The files are the truth; whatever recovery recorded before this point is on disk too.
            shelf.Clear();
            if (!Directory.Exists(shelf.Folder))
            {
                continue;
            }

            foreach (var folder in Directory.EnumerateDirectories(shelf.Folder))
            {
                if (!SessionId.TryParse(Path.GetFileName(folder), out var id))
                {
                    continue; // not ours
                }

                await FinishInterruptedWritesAsync(folder, writer, quarantine, report).ConfigureAwait(false);
                foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*" + SessionId.FileExtension))
                {
                    var name = file.Name[..^SessionId.FileExtension.Length];
                    if (VersionName.TryParse(name, out var at, out var etag))
                    {
                        shelf.Add(new KeptFile(id, name, at, etag, file.Length, file.FullName) { MergeAnchor = at });
                    }
                }
            }

            shelf.SortAll();
        }
    }

    private async Task FinishInterruptedWritesAsync(string folder, DurableWriter writer, Quarantine quarantine, RecoveryReport report)
    {
        List<SessionId>? interrupted = null;
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (DurableWriter.TargetOfTemp(Path.GetFileName(path), SessionId.FileExtension) is { } target
                && SessionId.TryParseFileName(target, out var version))
            {
                (interrupted ??= []).Add(version);
            }
        }

        if (interrupted is null)
        {
            return;
        }

        // A version's interrupted write is recovered exactly like a session's: a complete temp is
        // promoted, a torn one quarantined. Only these few files are read.
        var recovery = new SessionRecovery(folder, writer, quarantine, logger);
        foreach (var version in interrupted.Distinct())
        {
            await recovery.RecoverOneAsync(version, report).ConfigureAwait(false);
        }
    }
}
