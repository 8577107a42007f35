/*
 * faultshim: an LD_PRELOAD library that injects real OS failures into file operations, so
 * SessionApi's durable writer can be tested against the errors it must survive (see DESIGN.md,
 * "The durable writer" and "Testing").
 *
 * Environment (read on EVERY call, so a test may change it while the process runs):
 *   FAULTSHIM_EXDEV_DIR=<abs dir>      rename/renameat/renameat2/link/linkat fail with EXDEV when
 *                                      the DESTINATION is inside <dir> (or is <dir>). This
 *                                      emulates Windows MSIX AppData virtualization, where a
 *                                      rename inside one directory is refused as cross-device
 *                                      (Win32 ERROR_NOT_SAME_DEVICE, 17). link is included
 *                                      because a real cross-device link fails the same way, and
 *                                      .NET's File.Move(overwrite:false) uses link() as its
 *                                      fallback path.
 *   FAULTSHIM_FSYNC_EIO_DIR=<abs dir>  fsync/fdatasync fail with EIO when the fd's path
 *                                      (readlink /proc/self/fd/N) is inside <dir> (or is <dir>,
 *                                      so a directory fsync after rename fails too).
 *   FAULTSHIM_EEXIST_DIR=<abs dir>     open/open64/openat/openat64 with O_CREAT|O_EXCL of a name
 *                                      ending in ".tmp" inside <dir> fail with EEXIST and create
 *                                      nothing, although no such file exists: the MSIX symptom of
 *                                      an exclusive create (Windows CREATE_NEW, Node's 'wx') refused
 *                                      under an AppData that holds a junction (claude-code #83584,
 *                                      #91409). Opens without O_EXCL, and other names, run as usual.
 *   FAULTSHIM_ENOENT_DIR=<abs dir>     rename/renameat/renameat2 whose destination is inside <dir>
 *                                      fail with ENOENT although the source is there: the MSIX
 *                                      symptom of claude-code #95112. Checked before the EXDEV
 *                                      switch, so with both set renames get ENOENT and links EXDEV.
 *   FAULTSHIM_LOG=1                    one line on stderr per injected fault.
 * Unset or empty variables inject nothing: the real libc function runs.
 *
 * Which symbols: `nm -D libSystem.Native.so` (.NET 10.0.12) imports rename@GLIBC_2.2.5,
 * link, fsync, open64 (no renameat*, no fdatasync, no open/openat); a Native AOT binary links
 * libSystem.Native.a and imports the same symbols from libc itself, so they are interposed too; Wine 8's wineserver renames in server/fd.c with
 * rename(). renameat/renameat2/linkat/fdatasync are covered for C programs and future callers.
 * Raw syscall(SYS_rename...) calls are NOT intercepted; neither .NET nor Wine make them.
 *
 * "Inside <dir>" is decided on canonical paths: the destination is made absolute (cwd or the
 * dirfd's /proc/self/fd link), its PARENT is resolved with realpath() (the destination itself
 * need not exist), and compared component-wise with realpath(<dir>). So symlinked spellings
 * (e.g. Wine's $WINEPREFIX/dosdevices/z: -> /) still match.
 *
 * IMPORTANT for .NET callers (verified on .NET 10.0.12, see tests/wine/FINDINGS.md):
 *   - [DllImport("libc")] / [LibraryImport("libc")] BYPASSES this shim: the runtime dlopen()s
 *     libc.so.6 and calls dlsym(libc_handle, "rename"), which looks only in libc and its
 *     dependencies, never in preloaded objects.
 *   - A DllImportResolver that maps "libc" to NativeLibrary.GetMainProgramHandle() (the
 *     dlopen(NULL) handle: global scope, preloaded libraries first) IS intercepted.
 *   - The runtime's own I/O (File.Move, FileStream.Flush(true), ...) goes through
 *     libSystem.Native.so, whose imports are bound by the dynamic linker, so it IS intercepted.
 *
 * Under Wine (tests/wine/FINDINGS.md): file renames/links happen in the WINESERVER process
 * (server/fd.c set_fd_name -> rename()), fsync (FlushFileBuffers) in the client process. So the
 * shim must be in LD_PRELOAD when the prefix's wineserver STARTS; an already running server
 * without it silently injects nothing (run `wineserver -k` first). The server's environment is
 * frozen at its start: to switch faults on/off within one server, point FAULTSHIM_EXDEV_DIR at
 * a symlink and repoint the link (the dir is realpath()ed on every call).
 *
 * Safe to preload into any process: no allocation, no stdio, thread-safe (only stack buffers).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canonical_path.h"

/* Look the real function up lazily (RTLD_NEXT = the next object after us, normally libc). */
#define REAL(ret, name, params)                                              \
    static ret (*real_fn) params;                                            \
    if (!real_fn) real_fn = (ret (*) params)dlsym(RTLD_NEXT, name);          \
    if (!real_fn) { errno = ENOSYS; return -1; }

static void log_fault(const char *fn, const char *path, int err)
{
    const char *on = getenv("FAULTSHIM_LOG");
    if (!on || strcmp(on, "1") != 0) return;
    char line[PATH_MAX + 128];
    int n = snprintf(line, sizeof line, "faultshim[%d]: %s(%s) -> %s\n", (int)getpid(), fn,
                     path, err == EXDEV ? "EXDEV" : err == EEXIST ? "EEXIST" : err == ENOENT ? "ENOENT" : "EIO");
    if (n > 0) {
        ssize_t ignored = write(STDERR_FILENO, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
        (void)ignored;
    }
}

/* Canonical form of `envvar`'s directory into out; 0 when unset/empty. An unresolvable dir is
 * used as written, so a test naming a not-yet-created dir still gets faults later. */
static int fault_dir(const char *envvar, char out[PATH_MAX])
{
    const char *d = getenv(envvar);
    if (!d || !*d) return 0;
    if (!realpath(d, out)) { strncpy(out, d, PATH_MAX - 1); out[PATH_MAX - 1] = '\0'; }
    return 1;
}


/* Should an operation on (dirfd, path) fail with `err` because the path lies inside the folder
 * named by `envvar`? One rule for every path-based switch. */
static int path_fault(const char *fn, const char *envvar, int dirfd, const char *path, int err)
{
    if (!path) return 0;
    int saved = errno;
    char dir[PATH_MAX], dest[PATH_MAX];
    int hit = fault_dir(envvar, dir) && canonical_dest(dirfd, path, dest) == 0 && under(dest, dir);
    errno = saved;
    if (hit) log_fault(fn, dest, err);
    return hit;
}

/* Should an operation whose destination is (dirfd, path) fail with EXDEV? */
static int exdev_for(const char *fn, int dirfd, const char *path)
{
    return path_fault(fn, "FAULTSHIM_EXDEV_DIR", dirfd, path, EXDEV);
}

/* Should a rename whose destination is (dirfd, path) fail with ENOENT? */
static int enoent_for(const char *fn, int dirfd, const char *path)
{
    return path_fault(fn, "FAULTSHIM_ENOENT_DIR", dirfd, path, ENOENT);
}

/* Should an open of (dirfd, path) with these flags fail with EEXIST? Only exclusive creates of
 * "*.tmp" names: the writer's temps, never its documents, lock or probe files. */
static int eexist_for(const char *fn, int dirfd, const char *path, int flags)
{
    if (!path || (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL)) return 0;
    size_t len = strlen(path);
    if (len < 4 || strcmp(path + len - 4, ".tmp") != 0) return 0;
    return path_fault(fn, "FAULTSHIM_EEXIST_DIR", dirfd, path, EEXIST);
}

/* Should fsync-like calls on fd fail with EIO? */
static int eio_for(const char *fn, int fd)
{
    int saved = errno;
    char dir[PATH_MAX], link[64], path[PATH_MAX];
    int hit = 0;
    if (fault_dir("FAULTSHIM_FSYNC_EIO_DIR", dir)) {
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t len = readlink(link, path, sizeof path - 1);
        if (len > 0) { path[len] = '\0'; hit = under(path, dir); }
    }
    errno = saved;
    if (hit) log_fault(fn, path, EIO);
    return hit;
}

int rename(const char *oldpath, const char *newpath)
{
    REAL(int, "rename", (const char *, const char *));
    if (enoent_for("rename", AT_FDCWD, newpath)) { errno = ENOENT; return -1; }
    if (exdev_for("rename", AT_FDCWD, newpath)) { errno = EXDEV; return -1; }
    return real_fn(oldpath, newpath);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
    REAL(int, "renameat", (int, const char *, int, const char *));
    if (enoent_for("renameat", newdirfd, newpath)) { errno = ENOENT; return -1; }
    if (exdev_for("renameat", newdirfd, newpath)) { errno = EXDEV; return -1; }
    return real_fn(olddirfd, oldpath, newdirfd, newpath);
}

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)
{
    REAL(int, "renameat2", (int, const char *, int, const char *, unsigned int));
    if (enoent_for("renameat2", newdirfd, newpath)) { errno = ENOENT; return -1; }
    if (exdev_for("renameat2", newdirfd, newpath)) { errno = EXDEV; return -1; }
    return real_fn(olddirfd, oldpath, newdirfd, newpath, flags);
}

int link(const char *oldpath, const char *newpath)
{
    REAL(int, "link", (const char *, const char *));
    if (exdev_for("link", AT_FDCWD, newpath)) { errno = EXDEV; return -1; }
    return real_fn(oldpath, newpath);
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
    REAL(int, "linkat", (int, const char *, int, const char *, int));
    if (exdev_for("linkat", newdirfd, newpath)) { errno = EXDEV; return -1; }
    return real_fn(olddirfd, oldpath, newdirfd, newpath, flags);
}

int fsync(int fd)
{
    REAL(int, "fsync", (int));
    if (eio_for("fsync", fd)) { errno = EIO; return -1; }
    return real_fn(fd);
}

int fdatasync(int fd)
{
    REAL(int, "fdatasync", (int));
    if (eio_for("fdatasync", fd)) { errno = EIO; return -1; }
    return real_fn(fd);
}

/* open's mode argument is only present with O_CREAT or O_TMPFILE; reading it otherwise is still
 * harmless on the ABIs we run on, but only pass it on when it was given. */
#define OPEN_MODE(flags, mode)                                                   \
    mode_t mode = 0;                                                             \
    if ((flags) & (O_CREAT | O_TMPFILE)) {                                       \
        va_list ap; va_start(ap, flags); mode = (mode_t)va_arg(ap, int); va_end(ap); \
    }

int open(const char *path, int flags, ...)
{
    OPEN_MODE(flags, mode);
    REAL(int, "open", (const char *, int, ...));
    if (eexist_for("open", AT_FDCWD, path, flags)) { errno = EEXIST; return -1; }
    return real_fn(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    OPEN_MODE(flags, mode);
    REAL(int, "open64", (const char *, int, ...));
    if (eexist_for("open64", AT_FDCWD, path, flags)) { errno = EEXIST; return -1; }
    return real_fn(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    OPEN_MODE(flags, mode);
    REAL(int, "openat", (int, const char *, int, ...));
    if (eexist_for("openat", dirfd, path, flags)) { errno = EEXIST; return -1; }
    return real_fn(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    OPEN_MODE(flags, mode);
    REAL(int, "openat64", (int, const char *, int, ...));
    if (eexist_for("openat64", dirfd, path, flags)) { errno = EEXIST; return -1; }
    return real_fn(dirfd, path, flags, mode);
}
