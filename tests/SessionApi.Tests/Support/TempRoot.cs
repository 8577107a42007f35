namespace SessionApi.Tests.Support;

/// <summary>A fresh storage root under the system temp folder (or under a given parent folder), removed afterwards.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot(string? parent = null)
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), "sessionapi-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Names of the files directly in the root (not the quarantine), sorted, without our dot-files.</summary>
    public string[] Files() => [.. Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal)!];

    public string[] QuarantinedFiles()
    {
        var folder = System.IO.Path.Combine(Path, ".quarantine");
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder).Select(System.IO.Path.GetFileName).Where(n => n != "manifest.jsonl").Order(StringComparer.Ordinal)!]
            : [];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
