/* recorder (see recorder.h): the log. The ordering mutex, the log file (opened on the first line,
 * written with raw syscalls so that the recorder never records itself) and the line writers. */
#include "recorder.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

pthread_mutex_t order = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
int log_fd = -1;

/* ---------- the log ---------- */

void emit(const char *line, size_t n)
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

void emitf(const char *fmt, ...)
{
    char line[PATH_MAX * 2 + 128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0 && n < (int)sizeof line) emit(line, (size_t)n);
}

unsigned long long ino_of_fd(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

unsigned long long ino_of_path(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* W line for the `n` bytes now at `offset` of fd (read back, so every writer looks the same). */
void log_written(int fd, long long offset, size_t n)
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
