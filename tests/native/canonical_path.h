/*
 * Path rules shared by the LD_PRELOAD libraries of the tests (tests/native/faultshim.c and
 * tests/crash/recorder_path.c): which folder a call's path lies in, decided on canonical paths, so a
 * symlinked spelling of a folder matches too. No allocation, no stdio: safe inside interposed calls.
 */
#ifndef SESSIONAPI_CANONICAL_PATH_H
#define SESSIONAPI_CANONICAL_PATH_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* True when canonical path `p` equals `dir` or lies below it (component boundary). */
static int under(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;          /* "/a/b/" == "/a/b"; "/" stays "/" */
    if (n == 1 && dir[0] == '/') return p[0] == '/';
    return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* Canonical absolute path of `path` relative to `dirfd`; the last component is kept as is
 * (it may not exist, or be a symlink that rename would replace rather than follow). */
static int canonical_dest(int dirfd, const char *path, char out[PATH_MAX])
{
    char abs[PATH_MAX * 2];
    if (!path) return -1;
    if (path[0] == '/') {
        snprintf(abs, sizeof abs, "%s", path);
    } else {
        char base[PATH_MAX];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base)) return -1;
        } else {
            char link[64];
            snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
            ssize_t len = readlink(link, base, sizeof base - 1);
            if (len < 0) return -1;
            base[len] = '\0';
        }
        snprintf(abs, sizeof abs, "%s/%s", base, path);
    }
    size_t len = strlen(abs);
    while (len > 1 && abs[len - 1] == '/') abs[--len] = '\0';   /* "dir/" names dir */
    char *slash = strrchr(abs, '/');
    const char *leaf = slash + 1;
    char parent[PATH_MAX];
    if (slash == abs) strcpy(parent, "/");
    else { *slash = '\0'; if (!realpath(abs, parent)) snprintf(parent, sizeof parent, "%s", abs); }
    if (strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0 || *leaf == '\0') {
        /* rename onto "." or ".." : resolve the whole thing */
        char whole[PATH_MAX * 2];
        snprintf(whole, sizeof whole, "%s/%s", parent, leaf);
        if (!realpath(whole, out)) snprintf(out, PATH_MAX, "%s", parent);
        return 0;
    }
    snprintf(out, PATH_MAX, "%s%s%s", parent, strcmp(parent, "/") == 0 ? "" : "/", leaf);
    return 0;
}

#endif
