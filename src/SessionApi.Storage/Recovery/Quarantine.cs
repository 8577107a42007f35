using System.Globalization;
using System.Text.Json;
using SessionApi.Storage.Store;
using SessionApi.Storage.Writer;

namespace SessionApi.Storage.Recovery;

/// <summary>
/// <c>&lt;root&gt;/.quarantine/</c>: where recovery moves what it cannot serve (torn temps,
/// unparseable documents, superseded copies) instead of deleting it. Each move is recorded in
/// <c>manifest.jsonl</c> with its reason, so diagnostics can list the folder across restarts and a
/// support engineer can hand any file back.
/// </summary>
internal sealed class Quarantine(string root, TimeProvider timeProvider)
{
    public const string FolderName = ".quarantine";
    private const string ManifestName = "manifest.jsonl";

    private readonly Lock gate = new();
    private readonly string folder = Path.Combine(root, FolderName);
    private List<QuarantinedFile>? entries;

    public QuarantinedFile Move(string path, string reason)
    {
        lock (gate)
        {
            var known = Load(); // before the move, so the moved file is not listed twice
            Directory.CreateDirectory(folder);
            var now = timeProvider.GetUtcNow();
            var originalName = Path.GetFileName(path);
            var name = string.Create(
                CultureInfo.InvariantCulture,
                $"{originalName}.{now:yyyyMMddTHHmmssfff}-{Random.Shared.GetHexString(6, lowercase: true)}");

            DurableWriter.MoveAside(path, Path.Combine(folder, name));

            var entry = new QuarantinedFile(name, originalName, reason, now);
            File.AppendAllText(Path.Combine(folder, ManifestName), JsonSerializer.Serialize(entry, QuarantineJsonContext.Default.QuarantinedFile) + "\n");
            known.Add(entry);
            return entry;
        }
    }

    /// <summary>Every quarantined file still in the folder, from the manifest (files moved there by hand are listed as such).</summary>
    public IReadOnlyList<QuarantinedFile> List()
    {
        lock (gate)
        {
            return [.. Load()];
        }
    }

    private List<QuarantinedFile> Load()
    {
        if (entries is not null)
        {
            return entries;
        }

        var recorded = new Dictionary<string, QuarantinedFile>(StringComparer.Ordinal);
        var manifest = Path.Combine(folder, ManifestName);
        if (File.Exists(manifest))
        {
            foreach (var line in File.ReadLines(manifest))
            {
                try
                {
                    if (JsonSerializer.Deserialize(line, QuarantineJsonContext.Default.QuarantinedFile) is { } entry)
                    {
                        recorded[entry.Name] = entry;
                    }
                }
                catch (JsonException)
                {
                    // A torn last line after a crash: the file itself is still listed below.
                }
            }
        }

        entries = [];
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (name != ManifestName)
                {
                    entries.Add(recorded.TryGetValue(name, out var entry)
                        ? entry
                        : new QuarantinedFile(name, name, "placed in the quarantine folder outside SessionApi", File.GetLastWriteTimeUtc(file)));
                }
            }
        }

        return entries;
    }
}
