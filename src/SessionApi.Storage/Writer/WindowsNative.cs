using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace SessionApi.Storage.Writer;

/// <summary>
/// Win32 calls with their error codes kept. MoveFileEx without MOVEFILE_COPY_ALLOWED never degrades
/// into a copy: under MSIX virtualization it fails with ERROR_NOT_SAME_DEVICE, which is what the
/// writer needs to see.
/// </summary>
[SupportedOSPlatform("windows")]
internal static partial class WindowsNative
{
    private const uint MoveFileReplaceExisting = 0x1;
    private const uint MoveFileWriteThrough = 0x8;

    public static void ReplaceByMove(string source, string destination)
    {
        if (!MoveFileExW(Win32Paths.ExtendedIfNeeded(source), Win32Paths.ExtendedIfNeeded(destination), MoveFileReplaceExisting | MoveFileWriteThrough))
        {
            throw Error("MoveFileEx", destination);
        }
    }

    /// <summary>FlushFileBuffers: on Windows .NET reports its failure too, but one path for both is clearer.</summary>
    public static void FlushFileBuffers(SafeFileHandle handle, string path)
    {
        if (!FlushFileBuffersNative(handle))
        {
            throw Error("FlushFileBuffers", path);
        }
    }

    private static IOException Error(string operation, string path)
    {
        var error = Marshal.GetLastPInvokeError();
        return new IOException(
            $"{operation} '{path}' failed: {Marshal.GetPInvokeErrorMessage(error)} (Win32 error {error}).",
            OsErrorCodes.ToWin32HResult(error));
    }

    [LibraryImport("kernel32.dll", EntryPoint = "MoveFileExW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool MoveFileExW(string existingFileName, string newFileName, uint flags);

    [LibraryImport("kernel32.dll", EntryPoint = "FlushFileBuffers", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool FlushFileBuffersNative(SafeFileHandle handle);
}
