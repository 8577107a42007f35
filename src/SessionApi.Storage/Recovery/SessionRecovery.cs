using Microsoft.Extensions.Logging;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Recovery;

/// <summary>
/// Brings a storage root back to "one good document per session" after a crash, an earlier writer,
/// or the MSIX bug (a folder of stranded <c>*.json.tmp</c> files holding the only good copies):
/// <list type="bullet">
/// <item>a temp file holding a complete JSON object is promoted when its document is missing,
/// invalid or older (through the durable writer, so a virtualized root gets the verified copy);</item>
/// <item>a temp holding exactly the document's bytes is a leftover of a finished save and is removed;</item>
/// <item>anything else — torn temps, unparseable documents, superseded temps — goes to quarantine.</item>
/// </list>
/// Nothing is deleted silently: every action is logged and reported. A complete document that a
/// promotion replaces is first handed to <paramref name="keepReplaced"/> (the store keeps it as a version).
/// </summary>
internal sealed partial class SessionRecovery(string root, DurableWriter writer, Quarantine quarantine, ILogger logger, Func<SessionId, InspectedFile, Task>? keepReplaced = null)
{
    /// <summary>Recovers every session in the root and returns all that are served afterwards.</summary>
    public async Task<(RecoveryReport Report, List<(SessionId Id, SessionInfo Session)> Sessions)> RecoverAllAsync(CancellationToken cancellationToken)
    {
        var groups = new Dictionary<SessionId, List<string>>();
        foreach (var path in Directory.EnumerateFiles(root))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.'))
            {
                continue; // our own lock, probe and quarantine files
            }

            var documentName = DurableWriter.TargetOfTemp(name, SessionId.FileExtension) ?? name;
            if (!SessionId.TryParseFileName(documentName, out var id))
            {
                LogIgnored(logger, name);
                continue;
            }

            if (!groups.TryGetValue(id, out var files))
            {
                groups[id] = files = [];
            }

            files.Add(path);
        }

        var report = new RecoveryReport();
        var sessions = new List<(SessionId, SessionInfo)>(groups.Count);
        await Parallel.ForEachAsync(groups, cancellationToken, async (group, _) =>
        {
            var session = await RecoverAsync(group.Key, group.Value, report).ConfigureAwait(false);
            if (session is not null)
            {
                lock (sessions)
                {
                    sessions.Add((group.Key, session));
                }
            }
        }).ConfigureAwait(false);

        report.Sessions = sessions.Count;
        return (report, sessions);
    }

    /// <summary>Recovers one session (after an interrupted verified copy); the caller holds its lock.</summary>
    public Task<SessionInfo?> RecoverOneAsync(SessionId id, RecoveryReport report)
    {
        var files = Directory.EnumerateFiles(root, id.FileName + "*")
            .Where(path => Path.GetFileName(path) == id.FileName || DurableWriter.TargetOfTemp(Path.GetFileName(path), SessionId.FileExtension) == id.FileName)
            .ToList();
        return RecoverAsync(id, files, report);
    }

    private async Task<SessionInfo?> RecoverAsync(SessionId id, List<string> files, RecoveryReport report)
    {
        var documentPath = Path.Combine(root, id.FileName);
        var document = files.Contains(documentPath) ? DurableWriter.Inspect(documentPath) : null;
        var temps = files.Where(path => path != documentPath).Select(DurableWriter.Inspect).ToList();

        var newest = temps.Where(t => t.IsCompleteObject).OrderByDescending(t => t.LastWriteUtc).FirstOrDefault();
        var promote = newest is not null
            && (document is null || !document.IsCompleteObject || newest.LastWriteUtc > document.LastWriteUtc)
            && !(document is { IsCompleteObject: true } && document.Hash.AsSpan().SequenceEqual(newest.Hash));
        if (promote)
        {
            var candidate = newest!;
            if (document is { IsCompleteObject: false } && !DurableWriter.IsPrefixOf(documentPath, candidate.Path))
            {
                // Not a torn copy of the temp: something else broke it. Keep it for a human.
                Record(report, quarantine.Move(documentPath, "unparseable document, replaced by a complete temp file"));
            }

            try
            {
                if (keepReplaced is not null && document is { IsCompleteObject: true })
                {
                    await keepReplaced(id, document).ConfigureAwait(false);
                }

                await writer.PromoteAsync(candidate, documentPath).ConfigureAwait(false);
            }
            catch (StorageWriteException e)
            {
                // One session that cannot be repaired now (read-only document, storage failing) must
                // not keep the server from starting: serve what is valid, leave every file where it
                // is, and try again at the next start.
                LogPromotionFailed(logger, candidate.FileName, e.Message);
                lock (report)
                {
                    report.Deferred.Add((candidate.FileName, e.Message));
                }

                return document is { IsCompleteObject: true } ? ToSessionInfo(id, document) : null;
            }

            writer.Counters.RecoveredTemp();
            LogPromoted(logger, candidate.FileName, id.FileName);
            lock (report)
            {
                report.Promoted.Add((candidate.FileName, id.FileName));
            }

            temps.Remove(candidate);
            document = candidate with { Path = documentPath, LastWriteUtc = File.GetLastWriteTimeUtc(documentPath) };
        }
        else if (document is { IsCompleteObject: false })
        {
            Record(report, quarantine.Move(documentPath, "unparseable document and no complete temp file to restore it from"));
            document = null;
        }

        foreach (var temp in temps)
        {
            // The hash finds the candidate; the bytes decide, because the temp is deleted.
            if (document is not null && temp.IsCompleteObject && temp.Hash.AsSpan().SequenceEqual(document.Hash)
                && temp.Length == document.Length && DurableWriter.IsPrefixOf(temp.Path, document.Path))
            {
                File.Delete(temp.Path);
                LogRemovedDuplicate(logger, temp.FileName);
                lock (report)
                {
                    report.RemovedDuplicates.Add(temp.FileName);
                }
            }
            else
            {
                Record(report, quarantine.Move(temp.Path, temp.IsCompleteObject ? "complete temp file older than its document" : "incomplete temp file (torn write)"));
            }
        }

        return document is null ? null : ToSessionInfo(id, document);
    }

    private static SessionInfo ToSessionInfo(SessionId id, InspectedFile document) =>
        new(id.Value, document.Length, new DateTimeOffset(document.LastWriteUtc, TimeSpan.Zero), ETags.FromHash(document.Hash));

    private void Record(RecoveryReport report, QuarantinedFile file)
    {
        writer.Counters.QuarantinedFile();
        LogQuarantined(logger, file.OriginalName, file.Reason, file.Name);
        lock (report)
        {
            report.Quarantined.Add(file);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery promoted {Temp} to {Document}")]
    private static partial void LogPromoted(ILogger logger, string temp, string document);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery could not promote {Temp} now ({Reason}); it stays in place for the next start")]
    private static partial void LogPromotionFailed(ILogger logger, string temp, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery quarantined {File}: {Reason} (now .quarantine/{QuarantineName})")]
    private static partial void LogQuarantined(ILogger logger, string file, string reason, string quarantineName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery removed {Temp}: it holds exactly the bytes of its document")]
    private static partial void LogRemovedDuplicate(ILogger logger, string temp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage root holds {File}, which is not a session file name; left untouched")]
    private static partial void LogIgnored(ILogger logger, string file);
}
