using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace SessionApi.Storage.Writer;

/// <summary>
/// The path the OS itself resolves for an open file: where its bytes really are once junctions,
/// symlinks and MSIX AppData virtualization (which sends new files to the package's LocalCache,
/// possibly on another volume) have been followed. Windows: GetFinalPathNameByHandleW; Linux: the
/// /proc/self/fd link of the handle. Null where the OS cannot tell.
/// </summary>
internal static partial class FinalPath
{
    public static string? Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (OperatingSystem.IsWindows())
        {
            return OfWindowsHandle(handle);
        }

        if (OperatingSystem.IsLinux())
        {
            var link = string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{handle.DangerousGetHandle()}");
            return new FileInfo(link).LinkTarget;
        }

        return null;
    }

    /// <summary>The DOS form of a final path: <c>\\?\C:\x</c> becomes <c>C:\x</c>, <c>\\?\UNC\s\x</c> becomes <c>\\s\x</c>.</summary>
    internal static string WithoutExtendedPrefix(string path) =>
        path.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase) ? @"\\" + path[8..]
        : path.StartsWith(@"\\?\", StringComparison.Ordinal) ? path[4..]
        : path;

    [SupportedOSPlatform("windows")]
    private static unsafe string? OfWindowsHandle(SafeFileHandle handle)
    {
        const uint FileNameNormalizedVolumeNameDos = 0;
        var buffer = new char[1024];
        while (true)
        {
            uint length;
            fixed (char* chars = buffer)
            {
                length = GetFinalPathNameByHandleW(handle, chars, (uint)buffer.Length, FileNameNormalizedVolumeNameDos);
            }

            if (length == 0)
            {
                return null;
            }

            if (length < buffer.Length)
            {
                return WithoutExtendedPrefix(new string(buffer, 0, (int)length));
            }

            buffer = new char[length + 1]; // too small: length is the size needed
        }
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [SupportedOSPlatform("windows")]
    private static unsafe partial uint GetFinalPathNameByHandleW(SafeFileHandle file, char* path, uint pathLength, uint flags);
}
