using System.Runtime.InteropServices;

namespace SessionApi.Storage.Writer;

internal static partial class UnixNative
{
    /// <summary>
    /// link(2): a second name for the same file, atomically, without copying a byte. EXDEV (and, under
    /// the test shim or a file system without links, EPERM/ENOTSUP) when the OS refuses.
    /// </summary>
    public static void Link(string existing, string newPath)
    {
        if (LinkNative(existing, newPath) != 0)
        {
            throw Error("link", newPath);
        }
    }

    [LibraryImport(LibC, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string existing, string newPath);
}
