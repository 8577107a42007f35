using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace SessionApi.Storage.Writer;

/// <summary>
/// The few libc calls the writer needs with their errors visible. .NET hides exactly the ones that
/// matter: <c>FileStream.Flush(true)</c> ignores a failed fsync on Linux, and <c>File.Move</c>
/// silently turns EXDEV into a non-atomic copy + delete.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static partial class UnixNative
{
    private const string LibC = "libc";
    private const int ORdOnly = 0x0000;
    private const int ODirectory = 0x10000; // Linux value (x86-64 and arm64).
    private const int OCloExec = 0x80000;

#pragma warning disable CA1810 // The resolver must be installed before the first P/Invoke; a static constructor guarantees it.
    static UnixNative()
#pragma warning restore CA1810
    {
        // Resolve "libc" through the process's global symbol scope rather than libc's own handle, so
        // an LD_PRELOAD library (the fault-injection shim of the tests, or any interposer the
        // platform uses) sees our calls exactly as it sees .NET's own. In production the global
        // scope resolves to libc itself.
        NativeLibrary.SetDllImportResolver(typeof(UnixNative).Assembly, ResolveLibC);
    }

    private static IntPtr ResolveLibC(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibC ? NativeLibrary.GetMainProgramHandle() : IntPtr.Zero;

    /// <summary>rename(2): atomic replace within one file system; EXDEV when the OS refuses to cross devices.</summary>
    public static void Rename(string source, string destination)
    {
        if (RenameNative(source, destination) != 0)
        {
            throw Error("rename", destination);
        }
    }

    /// <summary>fsync(2) whose failure is reported, not swallowed.</summary>
    public static void Fsync(SafeFileHandle handle, string path)
    {
        int result;
        do
        {
            result = FsyncNative(handle);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == OsErrorCodes.EINTR);

        if (result != 0)
        {
            throw Error("fsync", path);
        }
    }

    /// <summary>
    /// fsync on the directory, so the rename (a directory entry change) survives a power cut too.
    /// </summary>
    public static void FsyncDirectory(string directory)
    {
        var fd = OpenNative(directory, ORdOnly | ODirectory | OCloExec, 0);
        if (fd < 0)
        {
            throw Error("open directory", directory);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Fsync(handle, directory);
    }

    private static IOException Error(string operation, string path)
    {
        var errno = Marshal.GetLastPInvokeError();

        // HResult carries the raw errno, as .NET's own IOExceptions do on Unix, so one classifier reads both.
        return new IOException($"{operation} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    [LibraryImport(LibC, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string oldPath, string newPath);

    [LibraryImport(LibC, EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(SafeFileHandle fd);

    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, int mode);
}
