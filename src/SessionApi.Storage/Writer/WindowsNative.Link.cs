using System.Runtime.InteropServices;

namespace SessionApi.Storage.Writer;

internal static partial class WindowsNative
{
    /// <summary>CreateHardLink: a second name for the same file (NTFS); refused across volumes and by MSIX's virtualized folders.</summary>
    public static void CreateHardLink(string existing, string newPath)
    {
        if (!CreateHardLinkW(Win32Paths.ExtendedIfNeeded(newPath), Win32Paths.ExtendedIfNeeded(existing), IntPtr.Zero))
        {
            throw Error("CreateHardLink", newPath);
        }
    }

    [LibraryImport("kernel32.dll", EntryPoint = "CreateHardLinkW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string fileName, string existingFileName, IntPtr securityAttributes);
}
