/* recorder (see recorder.h): the interposed renames, links, unlinks, mkdir and rmdir
 * (R, L, U, M, X lines). */
#include "recorder.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* ---------- names ---------- */

/* Runs a two-path call (rename/link) and logs it when either side is under the root. */
#define RECORD_PAIR(kind, olddirfd, oldpath, newdirfd, newpath, call)          \
    char src[PATH_MAX], dst[PATH_MAX];                                        \
    int a = watched_path(olddirfd, oldpath, src);                             \
    int b = watched_path(newdirfd, newpath, dst);                             \
    if (!a && !b) return call;                                                \
    if (!a) canonical(olddirfd, oldpath, src);                                \
    if (!b) canonical(newdirfd, newpath, dst);                                \
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
