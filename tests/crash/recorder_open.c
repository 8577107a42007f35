/* recorder (see recorder.h): the interposed opens and creates (C and T lines). */
#include "recorder.h"

#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

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
