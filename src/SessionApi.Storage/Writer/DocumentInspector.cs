namespace SessionApi.Storage.Writer;

/// <summary>What a file on disk holds, as far as recovery cares: a complete JSON object or not, its length, hash and age.</summary>
internal sealed record InspectedFile(string Path, bool IsCompleteObject, long Length, byte[] Hash, DateTime LastWriteUtc)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}

internal static class DocumentInspector
{
    /// <summary>
    /// Deep enough for anything a client could ever have saved: recovery must never quarantine a
    /// valid document because today's depth limit is lower than yesterday's.
    /// </summary>
    private const int RecoveryMaxDepth = 1000;

    public static InspectedFile Inspect(string path)
    {
        var lastWrite = File.GetLastWriteTimeUtc(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var hash = ContentHash.CreateHasher();
        using var json = new ValidatingJsonBuffer(RecoveryMaxDepth);
        var valid = true;
        long offset = 0;
        while (true)
        {
            var space = json.FreeSpace.Span;
            var read = RandomAccess.Read(handle, space, offset);
            hash.Append(space[..read]);
            offset += read;
            if (valid)
            {
                try
                {
                    json.Accept(read);
                }
                catch (InvalidDocumentException)
                {
                    valid = false; // keep reading: the hash still tells duplicates apart
                    json.Discard();
                }
            }

            if (read == 0)
            {
                return new InspectedFile(path, valid, offset, hash.GetCurrentHash(), lastWrite);
            }
        }
    }

    /// <summary>Whether <paramref name="candidate"/>'s bytes are a prefix of <paramref name="complete"/>'s: a torn copy of it.</summary>
    public static bool IsPrefixOf(string candidate, string complete)
    {
        using var a = File.OpenHandle(candidate, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var b = File.OpenHandle(complete, FileMode.Open, FileAccess.Read, FileShare.Read);
        var lengthA = RandomAccess.GetLength(a);
        if (lengthA > RandomAccess.GetLength(b))
        {
            return false;
        }

        var bufferA = new byte[64 * 1024];
        var bufferB = new byte[64 * 1024];
        long offset = 0;
        while (offset < lengthA)
        {
            var read = RandomAccess.Read(a, bufferA, offset);
            if (read == 0 || RandomAccess.Read(b, bufferB.AsSpan(0, read), offset) != read || !bufferA.AsSpan(0, read).SequenceEqual(bufferB.AsSpan(0, read)))
            {
                return false;
            }

            offset += read;
        }

        return true;
    }
}
