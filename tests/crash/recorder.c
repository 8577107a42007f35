/*
 * recorder: an LD_PRELOAD library that logs every file-system MUTATION a process makes under one
 * directory tree, in the order the calls completed, so the crash-state checker (tests/crash) can
 * rebuild what a power cut at any point could have left on the disk.
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
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../native/canonical_path.h"

#define REAL(ret, name, params)                                              \
    static ret (*real_fn) params;                                            \
    if (!real_fn) real_fn = (ret (*) params)dlsym(RTLD_NEXT, name);          \
    if (!real_fn) { errno = ENOSYS; return -1; }

static pthread_mutex_t order = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static int log_fd = -1;

/* ---------- where: is a path or fd inside the recorded root? ---------- */

static int root_path(char out[PATH_MAX])
{
    const char *r = getenv("CRASHREC_ROOT");
    if (!r || !*r) return 0;
    if (!realpath(r, out)) { snprintf(out, PATH_MAX, "%s", r); }
    return 1;
}

/* Canonical path of `path` if it lies under the root; 0 otherwise. */
static int watched_path(int dirfd, const char *path, char out[PATH_MAX])
{
    char root[PATH_MAX];
    int saved = errno;
    int hit = root_path(root) && canonical_dest(dirfd, path, out) == 0 && under(out, root);
    errno = saved;
    return hit;
}

/* Path of an open fd if it lies under the root; 0 otherwise. */
static int watched_fd(int fd, char out[PATH_MAX])
{
    char root[PATH_MAX], link[64];
    int saved = errno;
    if (fd < 0 || fd == log_fd || !root_path(root)) { errno = saved; return 0; }
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, out, PATH_MAX - 1);
    int hit = 0;
    if (len > 0) { out[len] = '\0'; hit = under(out, root); }
    errno = saved;
    return hit;
}

/* ---------- the log ---------- */

static void emit(const char *line, size_t n)
{
    if (log_fd < 0) {
        const char *p = getenv("CRASHREC_LOG");
        if (!p || !*p) return;
        int fd = (int)syscall(SYS_openat, AT_FDCWD, p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return;
        /* Out of the way of the fds the process itself numbers from 0 up. */
        int high = fcntl(fd, F_DUPFD_CLOEXEC, 900);
        if (high >= 0) { syscall(SYS_close, fd); fd = high; }
        log_fd = fd;
    }
    while (n > 0) {
        ssize_t w = syscall(SYS_write, log_fd, line, n);
        if (w <= 0) return;
        line += w; n -= (size_t)w;
    }
}

static void emitf(const char *fmt, ...)
{
    char line[PATH_MAX * 2 + 128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0 && n < (int)sizeof line) emit(line, (size_t)n);
}

static unsigned long long ino_of_fd(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

static unsigned long long ino_of_path(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* W line for the `n` bytes now at `offset` of fd (read back, so every writer looks the same). */
static void log_written(int fd, long long offset, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (n == 0) return;
    unsigned char *data = malloc(n);
    char *line = malloc(n * 2 + 96);
    if (!data || !line) { free(data); free(line); emitf("W? %d\n", fd); return; }
    /* The fd may be write-only: read through a fresh read-only open of the same file. */
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int rfd = (int)syscall(SYS_openat, AT_FDCWD, link, O_RDONLY | O_CLOEXEC);
    ssize_t got = rfd >= 0 ? pread(rfd, data, n, offset) : -1;
    if (rfd >= 0) syscall(SYS_close, rfd);
    if (got < (ssize_t)n) { free(data); free(line); emitf("W? %d\n", fd); return; }
    int head = snprintf(line, 96, "W %llu %lld ", ino_of_fd(fd), offset);
    char *p = line + head;
    for (ssize_t i = 0; i < got; i++) { *p++ = hex[data[i] >> 4]; *p++ = hex[data[i] & 15]; }
    *p++ = '\n';
    emit(line, (size_t)(p - line));
    free(data);
    free(line);
}

/* ---------- opening ---------- */

static int record_open(int dirfd, const char *path, int flags, mode_t mode, int (*open_fn)(int, const char *, int, mode_t))
{
    char where[PATH_MAX];
    if (!(flags & (O_CREAT | O_TRUNC)) || !watched_path(dirfd, path, where)) {
        return open_fn(dirfd, path, flags, mode);
    }
    pthread_mutex_lock(&order);
    struct stat before;
    int existed = lstat(where, &before) == 0;
    int fd = open_fn(dirfd, path, flags, mode);
    if (fd >= 0) {
        int saved = errno;
        if (!existed && (flags & O_CREAT)) emitf("C %llu %s\n", ino_of_fd(fd), where);
        if ((flags & O_TRUNC) && existed && (flags & O_ACCMODE) != O_RDONLY) emitf("T %llu 0\n", ino_of_fd(fd));
        errno = saved;
    }
    pthread_mutex_unlock(&order);
    return fd;
}

/* Each entry point calls the NEXT definition of its own name, so a library preloaded after this
 * one (the fault shim) sees exactly the call the process made. */
static int call_open(int dirfd, const char *path, int flags, mode_t mode)
{
    (void)dirfd;
    REAL(int, "open", (const char *, int, ...));
    return real_fn(path, flags, mode);
}

static int call_open64(int dirfd, const char *path, int flags, mode_t mode)
{
    (void)dirfd;
    REAL(int, "open64", (const char *, int, ...));
    return real_fn(path, flags, mode);
}

static int call_openat(int dirfd, const char *path, int flags, mode_t mode)
{
    REAL(int, "openat", (int, const char *, int, ...));
    return real_fn(dirfd, path, flags, mode);
}

static int call_openat64(int dirfd, const char *path, int flags, mode_t mode)
{
    REAL(int, "openat64", (int, const char *, int, ...));
    return real_fn(dirfd, path, flags, mode);
}

static int call_creat(int dirfd, const char *path, int flags, mode_t mode)
{
    (void)dirfd; (void)flags;
    REAL(int, "creat", (const char *, mode_t));
    return real_fn(path, mode);
}

static int call_creat64(int dirfd, const char *path, int flags, mode_t mode)
{
    (void)dirfd; (void)flags;
    REAL(int, "creat64", (const char *, mode_t));
    return real_fn(path, mode);
}

#define MODE_ARG(flags) \
    mode_t mode = 0; \
    if ((flags) & (O_CREAT | __O_TMPFILE)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }

int open(const char *path, int flags, ...) { MODE_ARG(flags); return record_open(AT_FDCWD, path, flags, mode, call_open); }
int open64(const char *path, int flags, ...) { MODE_ARG(flags); return record_open(AT_FDCWD, path, flags, mode, call_open64); }
int openat(int dirfd, const char *path, int flags, ...) { MODE_ARG(flags); return record_open(dirfd, path, flags, mode, call_openat); }
int openat64(int dirfd, const char *path, int flags, ...) { MODE_ARG(flags); return record_open(dirfd, path, flags, mode, call_openat64); }
int creat(const char *path, mode_t mode) { return record_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, call_creat); }
int creat64(const char *path, mode_t mode) { return record_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, call_creat64); }

/* ---------- data ---------- */

/* Runs `call`, then logs the bytes it wrote at `offset` (-1: the fd's position after the call, minus what was written). */
#define RECORD_WRITE(fd, offset_expr, call)                                   \
    char where[PATH_MAX];                                                     \
    if (!watched_fd(fd, where)) return call;                                  \
    pthread_mutex_lock(&order);                                               \
    ssize_t n = call;                                                         \
    if (n > 0) {                                                              \
        int saved = errno;                                                    \
        long long off = (offset_expr);                                        \
        if (off < 0) off = (long long)lseek(fd, 0, SEEK_CUR) - n;             \
        log_written(fd, off, (size_t)n);                                      \
        errno = saved;                                                        \
    }                                                                         \
    pthread_mutex_unlock(&order);                                             \
    return n;

ssize_t write(int fd, const void *buf, size_t count)
{
    REAL(ssize_t, "write", (int, const void *, size_t));
    RECORD_WRITE(fd, -1, real_fn(fd, buf, count));
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    REAL(ssize_t, "pwrite", (int, const void *, size_t, off_t));
    RECORD_WRITE(fd, offset, real_fn(fd, buf, count, offset));
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
{
    REAL(ssize_t, "pwrite64", (int, const void *, size_t, off_t));
    RECORD_WRITE(fd, offset, real_fn(fd, buf, count, offset));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    REAL(ssize_t, "writev", (int, const struct iovec *, int));
    RECORD_WRITE(fd, -1, real_fn(fd, iov, iovcnt));
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
    REAL(ssize_t, "pwritev", (int, const struct iovec *, int, off_t));
    RECORD_WRITE(fd, offset, real_fn(fd, iov, iovcnt, offset));
}

ssize_t pwritev64(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
    REAL(ssize_t, "pwritev64", (int, const struct iovec *, int, off_t));
    RECORD_WRITE(fd, offset, real_fn(fd, iov, iovcnt, offset));
}

ssize_t copy_file_range(int fd_in, off_t *off_in, int fd_out, off_t *off_out, size_t len, unsigned int flags)
{
    REAL(ssize_t, "copy_file_range", (int, off_t *, int, off_t *, size_t, unsigned int));
    long long start = off_out ? (long long)*off_out : -1;
    RECORD_WRITE(fd_out, start, real_fn(fd_in, off_in, fd_out, off_out, len, flags));
}

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
    REAL(ssize_t, "sendfile", (int, int, off_t *, size_t));
    RECORD_WRITE(out_fd, -1, real_fn(out_fd, in_fd, offset, count));
}

ssize_t sendfile64(int out_fd, int in_fd, off_t *offset, size_t count)
{
    REAL(ssize_t, "sendfile64", (int, int, off_t *, size_t));
    RECORD_WRITE(out_fd, -1, real_fn(out_fd, in_fd, offset, count));
}

/* .NET's File.Copy calls copy_file_range through syscall(2) (glibc's wrapper is not imported);
 * every other number goes straight through. Six long arguments is the kernel ABI's maximum. */
long syscall(long number, ...)
{
    va_list ap;
    va_start(ap, number);
    long a1 = va_arg(ap, long), a2 = va_arg(ap, long), a3 = va_arg(ap, long);
    long a4 = va_arg(ap, long), a5 = va_arg(ap, long), a6 = va_arg(ap, long);
    va_end(ap);
    REAL(long, "syscall", (long, ...));
    if (number == SYS_copy_file_range) {
        int fd_out = (int)a3;
        off_t *off_out = (off_t *)a4;
        long long start = off_out ? (long long)*off_out : -1;
        RECORD_WRITE(fd_out, start, real_fn(number, a1, a2, a3, a4, a5, a6));
    }
    return real_fn(number, a1, a2, a3, a4, a5, a6);
}

/* fallocate without FALLOC_FL_KEEP_SIZE grows the file (zeros until written): a length change. */
static int record_fallocate(int fd, int mode, off_t offset, off_t len, int (*fn)(int, int, off_t, off_t))
{
    char where[PATH_MAX];
    if (!watched_fd(fd, where)) return fn(fd, mode, offset, len);
    pthread_mutex_lock(&order);
    struct stat before, after;
    int had = fstat(fd, &before) == 0;
    int rc = fn(fd, mode, offset, len);
    if (rc == 0 && had && fstat(fd, &after) == 0 && after.st_size != before.st_size) {
        int saved = errno;
        emitf("T %llu %lld\n", (unsigned long long)after.st_ino, (long long)after.st_size);
        errno = saved;
    }
    pthread_mutex_unlock(&order);
    return rc;
}

int fallocate(int fd, int mode, off_t offset, off_t len)
{
    REAL(int, "fallocate", (int, int, off_t, off_t));
    return record_fallocate(fd, mode, offset, len, real_fn);
}

int fallocate64(int fd, int mode, off_t offset, off_t len)
{
    REAL(int, "fallocate64", (int, int, off_t, off_t));
    return record_fallocate(fd, mode, offset, len, real_fn);
}

/* A reflink shares blocks without writing bytes the log could show: refuse it inside the root
 * (callers such as File.Copy then copy the bytes, which is recorded). */
int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    REAL(int, "ioctl", (int, unsigned long, ...));
    char where[PATH_MAX];
    if ((request == FICLONE || request == FICLONERANGE) && watched_fd(fd, where)) {
        errno = EOPNOTSUPP;
        return -1;
    }
    return real_fn(fd, request, arg);
}

static int record_ftruncate(int fd, off_t length, int (*fn)(int, off_t))
{
    char where[PATH_MAX];
    if (!watched_fd(fd, where)) return fn(fd, length);
    pthread_mutex_lock(&order);
    int rc = fn(fd, length);
    if (rc == 0) { int saved = errno; emitf("T %llu %lld\n", ino_of_fd(fd), (long long)length); errno = saved; }
    pthread_mutex_unlock(&order);
    return rc;
}

int ftruncate(int fd, off_t length)
{
    REAL(int, "ftruncate", (int, off_t));
    return record_ftruncate(fd, length, real_fn);
}

int ftruncate64(int fd, off_t length)
{
    REAL(int, "ftruncate64", (int, off_t));
    return record_ftruncate(fd, length, real_fn);
}

int truncate(const char *path, off_t length)
{
    REAL(int, "truncate", (const char *, off_t));
    char where[PATH_MAX];
    if (!watched_path(AT_FDCWD, path, where)) return real_fn(path, length);
    pthread_mutex_lock(&order);
    int rc = real_fn(path, length);
    if (rc == 0) { int saved = errno; emitf("T %llu %lld\n", ino_of_path(where), (long long)length); errno = saved; }
    pthread_mutex_unlock(&order);
    return rc;
}

/* ---------- flushes ---------- */

static int record_sync(int fd, int (*fn)(int))
{
    char where[PATH_MAX];
    if (!watched_fd(fd, where)) return fn(fd);
    pthread_mutex_lock(&order);
    int rc = fn(fd);
    if (rc == 0) {
        int saved = errno;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) emitf("D %s\n", where);
        else emitf("S %llu\n", (unsigned long long)st.st_ino);
        errno = saved;
    }
    pthread_mutex_unlock(&order);
    return rc;
}

int fsync(int fd)
{
    REAL(int, "fsync", (int));
    return record_sync(fd, real_fn);
}

int fdatasync(int fd)
{
    REAL(int, "fdatasync", (int));
    return record_sync(fd, real_fn);
}

/* ---------- names ---------- */

/* Runs a two-path call (rename/link) and logs it when either side is under the root. */
#define RECORD_PAIR(kind, olddirfd, oldpath, newdirfd, newpath, call)          \
    char src[PATH_MAX], dst[PATH_MAX];                                        \
    int a = watched_path(olddirfd, oldpath, src);                             \
    int b = watched_path(newdirfd, newpath, dst);                             \
    if (!a && !b) return call;                                                \
    if (!a) canonical_dest(olddirfd, oldpath, src);                           \
    if (!b) canonical_dest(newdirfd, newpath, dst);                           \
    pthread_mutex_lock(&order);                                               \
    unsigned long long ino = ino_of_path(src);                                \
    int rc = call;                                                            \
    if (rc == 0) { int saved = errno; emitf("%s %llu %s %s\n", kind, ino, src, dst); errno = saved; } \
    pthread_mutex_unlock(&order);                                             \
    return rc;

int rename(const char *oldpath, const char *newpath)
{
    REAL(int, "rename", (const char *, const char *));
    RECORD_PAIR("R", AT_FDCWD, oldpath, AT_FDCWD, newpath, real_fn(oldpath, newpath));
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
    REAL(int, "renameat", (int, const char *, int, const char *));
    RECORD_PAIR("R", olddirfd, oldpath, newdirfd, newpath, real_fn(olddirfd, oldpath, newdirfd, newpath));
}

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)
{
    REAL(int, "renameat2", (int, const char *, int, const char *, unsigned int));
    RECORD_PAIR("R", olddirfd, oldpath, newdirfd, newpath, real_fn(olddirfd, oldpath, newdirfd, newpath, flags));
}

int link(const char *oldpath, const char *newpath)
{
    REAL(int, "link", (const char *, const char *));
    RECORD_PAIR("L", AT_FDCWD, oldpath, AT_FDCWD, newpath, real_fn(oldpath, newpath));
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
    REAL(int, "linkat", (int, const char *, int, const char *, int));
    RECORD_PAIR("L", olddirfd, oldpath, newdirfd, newpath, real_fn(olddirfd, oldpath, newdirfd, newpath, flags));
}

static int record_remove(int dirfd, const char *path, int is_dir, int (*call)(int, const char *, int), int flags)
{
    char where[PATH_MAX];
    if (!watched_path(dirfd, path, where)) return call(dirfd, path, flags);
    pthread_mutex_lock(&order);
    unsigned long long ino = ino_of_path(where);
    int rc = call(dirfd, path, flags);
    if (rc == 0) {
        int saved = errno;
        if (is_dir) emitf("X %s\n", where); else emitf("U %llu %s\n", ino, where);
        errno = saved;
    }
    pthread_mutex_unlock(&order);
    return rc;
}

static int call_unlink(int dirfd, const char *path, int flags)
{
    (void)dirfd; (void)flags;
    REAL(int, "unlink", (const char *));
    return real_fn(path);
}

static int call_rmdir(int dirfd, const char *path, int flags)
{
    (void)dirfd; (void)flags;
    REAL(int, "rmdir", (const char *));
    return real_fn(path);
}

static int call_unlinkat(int dirfd, const char *path, int flags)
{
    REAL(int, "unlinkat", (int, const char *, int));
    return real_fn(dirfd, path, flags);
}

int unlink(const char *path) { return record_remove(AT_FDCWD, path, 0, call_unlink, 0); }
int rmdir(const char *path) { return record_remove(AT_FDCWD, path, 1, call_rmdir, AT_REMOVEDIR); }
int unlinkat(int dirfd, const char *path, int flags)
{
    return record_remove(dirfd, path, (flags & AT_REMOVEDIR) != 0, call_unlinkat, flags);
}

static int call_mkdir(int dirfd, const char *path, mode_t mode)
{
    (void)dirfd;
    REAL(int, "mkdir", (const char *, mode_t));
    return real_fn(path, mode);
}

static int call_mkdirat(int dirfd, const char *path, mode_t mode)
{
    REAL(int, "mkdirat", (int, const char *, mode_t));
    return real_fn(dirfd, path, mode);
}

static int record_mkdir(int dirfd, const char *path, mode_t mode, int (*call)(int, const char *, mode_t))
{
    char where[PATH_MAX];
    if (!watched_path(dirfd, path, where)) return call(dirfd, path, mode);
    pthread_mutex_lock(&order);
    int rc = call(dirfd, path, mode);
    if (rc == 0) { int saved = errno; emitf("M %s\n", where); errno = saved; }
    pthread_mutex_unlock(&order);
    return rc;
}

int mkdir(const char *path, mode_t mode) { return record_mkdir(AT_FDCWD, path, mode, call_mkdir); }
int mkdirat(int dirfd, const char *path, mode_t mode) { return record_mkdir(dirfd, path, mode, call_mkdirat); }
