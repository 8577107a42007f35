/*
 * recorder: an LD_PRELOAD library that logs every file-system MUTATION a process makes under one
 * directory tree, in the order the calls completed, so the crash-state checker (tests/crash) can
 * rebuild what a power cut at any point could have left on the disk.
 *
 * The library is compiled from these files together (tests/crash/run.sh):
 *   recorder_log.c     the log: the ordering mutex, opening CRASHREC_LOG, writing its lines
 *   recorder_path.c    where: is a path or fd inside CRASHREC_ROOT (tests/native/canonical_path.h)
 *   recorder_open.c    the interposed opens and creates (C and T lines)
 *   recorder_data.c    the interposed writes, length changes and flushes (W, T, S, D lines)
 *   recorder_names.c   the interposed renames, links, unlinks, mkdir and rmdir (R, L, U, M, X lines)
 *
 * It injects nothing: every call runs the next definition (dlsym(RTLD_NEXT)), so it can be
 * preloaded together with the fault shim (tests/native/faultshim.c), in either order.
 *
 * Environment:
 *   CRASHREC_ROOT=<abs dir>   only paths (and fds whose path, via /proc/self/fd) lie under this
 *                             directory are recorded. Unset: the library records nothing.
 *   CRASHREC_LOG=<file>       the log, opened O_APPEND; the checker's workload driver appends its
 *                             own acknowledgement lines to the same file, so "acknowledged before
 *                             event N" is simply the order of lines.
 *
 * Log lines (one write(2) each; paths are absolute with a canonical parent; <ino> is st_ino):
 *   C <ino> <path>            a regular file was created (open/openat/creat with O_CREAT)
 *   T <ino> <length>          the file's length was set (O_TRUNC, ftruncate, truncate, fallocate)
 *   W <ino> <offset> <hex>    bytes written at offset (write, pwrite, writev, pwritev,
 *                             copy_file_range and sendfile: the bytes are read back from the
 *                             destination after the call)
 *   S <ino>                   fsync/fdatasync of a regular file
 *   D <path>                  fsync/fdatasync of a directory
 *   R <ino> <src> <dst>       rename (rename, renameat, renameat2)
 *   L <ino> <src> <dst>       hard link (link, linkat)
 *   U <ino> <path>            unlink (unlink, unlinkat without AT_REMOVEDIR)
 *   M <path> / X <path>       mkdir / rmdir
 * Paths never contain spaces or newlines here (session ids are [a-z0-9_-]); the checker rejects
 * a line it cannot parse rather than guessing.
 *
 * A global mutex is held from just before each recorded call until its line is written, so two
 * threads' calls appear in the order they took effect (the server's fsyncs are serialized while
 * recording; the recording is for correctness, not speed). Calls on paths outside the root take
 * no lock.
 *
 * What .NET calls (Native AOT links System.Native statically; its libc imports are bound by the
 * dynamic linker, so a preloaded library sees them): open64/openat64 (or open/openat), write,
 * pwrite64, writev, ftruncate64, fallocate64, fsync, rename, link, unlink, mkdir, and inside
 * File.Copy syscall(SYS_copy_file_range) or sendfile64 (after an ioctl(FICLONE), which this
 * library refuses with EOPNOTSUPP inside the root
 * so that a reflink, which it could not see the bytes of, never happens). SessionApi's own
 * P/Invokes resolve "libc" through the global scope (see UnixNative), so they are seen too.
 */
#ifndef SESSIONAPI_CRASH_RECORDER_H
#define SESSIONAPI_CRASH_RECORDER_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

/* Shared between the files of the library only: hidden, so nothing here interposes on (or is
 * interposed by) a same-named symbol of the process it is preloaded into. The libc entry points
 * in recorder_open.c, recorder_data.c and recorder_names.c are the only exported symbols. */
#define CRASHREC_INTERNAL __attribute__((visibility("hidden")))

#define REAL(ret, name, params)                                              \
    static ret (*real_fn) params;                                            \
    if (!real_fn) real_fn = (ret (*) params)dlsym(RTLD_NEXT, name);          \
    if (!real_fn) { errno = ENOSYS; return -1; }

/* ---------- the log (recorder_log.c) ---------- */

/* Held from just before each recorded call until its line is written (see above). */
extern CRASHREC_INTERNAL pthread_mutex_t order;
/* The log's fd once opened (-1 before): never itself recorded. */
extern CRASHREC_INTERNAL int log_fd;

CRASHREC_INTERNAL void emit(const char *line, size_t n);
CRASHREC_INTERNAL void emitf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
CRASHREC_INTERNAL unsigned long long ino_of_fd(int fd);
CRASHREC_INTERNAL unsigned long long ino_of_path(const char *path);
CRASHREC_INTERNAL void log_written(int fd, long long offset, size_t n);

/* ---------- where (recorder_path.c) ---------- */

CRASHREC_INTERNAL int watched_path(int dirfd, const char *path, char out[PATH_MAX]);
CRASHREC_INTERNAL int watched_fd(int fd, char out[PATH_MAX]);
/* canonical_dest of tests/native/canonical_path.h, for a path that need not be under the root. */
CRASHREC_INTERNAL int canonical(int dirfd, const char *path, char out[PATH_MAX]);

#endif
