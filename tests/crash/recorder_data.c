/* recorder (see recorder.h): the interposed writes, length changes and flushes (W, T, S, D lines),
 * and the ioctl that refuses reflinks inside the root. */
#include "recorder.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

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
