/* recorder (see recorder.h): where. Whether a call's path or fd lies inside CRASHREC_ROOT, decided
 * on canonical paths (tests/native/canonical_path.h, shared with the fault shim). */
#include "recorder.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../native/canonical_path.h"

/* ---------- where: is a path or fd inside the recorded root? ---------- */

static int root_path(char out[PATH_MAX])
{
    const char *r = getenv("CRASHREC_ROOT");
    if (!r || !*r) return 0;
    if (!realpath(r, out)) { snprintf(out, PATH_MAX, "%s", r); }
    return 1;
}

/* Canonical path of `path` if it lies under the root; 0 otherwise. */
int watched_path(int dirfd, const char *path, char out[PATH_MAX])
{
    char root[PATH_MAX];
    int saved = errno;
    int hit = root_path(root) && canonical_dest(dirfd, path, out) == 0 && under(out, root);
    errno = saved;
    return hit;
}

/* Path of an open fd if it lies under the root; 0 otherwise. */
int watched_fd(int fd, char out[PATH_MAX])
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

int canonical(int dirfd, const char *path, char out[PATH_MAX])
{
    return canonical_dest(dirfd, path, out);
}
