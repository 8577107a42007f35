/* Self-test for faultshim: run by selftest.sh with the shim preloaded. Each check compares the
 * return value and errno of one real libc call against what the shim must produce. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int passed, failed;

static void check(const char *what, int rc, int want_errno)
{
    int err = rc == 0 ? 0 : errno;
    if (err == want_errno) passed++;
    else { failed++; fprintf(stderr, "FAIL %s: got %s, want %s\n", what, err ? strerror(err) : "success",
                             want_errno ? strerror(want_errno) : "success"); }
}

static void touch(const char *p)
{
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "{}", 2) != 2) { perror(p); exit(2); }
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: %s <exdev-dir> <ok-dir> <symptom-dir>\n", argv[0]); return 2; }
    const char *bad = argv[1], *ok = argv[2];   /* bad = FAULTSHIM_EXDEV_DIR = FAULTSHIM_FSYNC_EIO_DIR */
    const char *sym = argv[3];                  /* sym = FAULTSHIM_EEXIST_DIR = FAULTSHIM_ENOENT_DIR */
    char a[4096], b[4096];

    /* rename inside the EXDEV dir: refused, and the source is left untouched */
    snprintf(a, sizeof a, "%s/s.json.tmp", bad); snprintf(b, sizeof b, "%s/s.json", bad);
    touch(a); touch(b);
    check("rename abs in exdev dir", rename(a, b), EXDEV);
    check("temp still there", access(a, F_OK), 0);
    /* a destination in a subfolder counts as inside */
    snprintf(b, sizeof b, "%s/sub/x.json", bad);
    check("rename into subdir of exdev dir", rename(a, b), EXDEV);
    /* renameat with a dirfd and a relative name */
    int dfd = open(bad, O_RDONLY | O_DIRECTORY);
    check("renameat dirfd", renameat(dfd, "s.json.tmp", dfd, "s.json"), EXDEV);
    check("renameat2 dirfd", renameat2(dfd, "s.json.tmp", dfd, "s.json", 0), EXDEV);
    check("linkat dirfd", linkat(dfd, "s.json.tmp", dfd, "l.json", 0), EXDEV);
    /* relative to cwd, and spelled with ./ and .. */
    if (chdir(bad) != 0) { perror("chdir"); return 2; }
    check("rename relative to cwd", rename("s.json.tmp", "s.json"), EXDEV);
    check("rename via ../", rename("s.json.tmp", "../exdev/./s.json"), EXDEV);
    check("link relative", link("s.json.tmp", "l.json"), EXDEV);
    /* moving OUT of the dir is allowed (only the destination counts) */
    snprintf(b, sizeof b, "%s/moved.json", ok);
    check("rename out of exdev dir", rename("s.json.tmp", b), 0);
    check("rename back into exdev dir", rename(b, "s.json"), EXDEV);

    /* outside the dir everything works */
    snprintf(a, sizeof a, "%s/t.json.tmp", ok); snprintf(b, sizeof b, "%s/t.json", ok);
    touch(a);
    check("rename in ok dir", rename(a, b), 0);
    touch(a);
    check("renameat2 in ok dir", renameat2(AT_FDCWD, a, AT_FDCWD, b, 0), 0);
    /* a sibling whose name merely starts with the dir's name is NOT inside it */
    snprintf(a, sizeof a, "%s-sibling", bad);
    check("mkdir sibling", mkdir(a, 0755) == 0 || errno == EEXIST ? 0 : -1, 0);
    snprintf(b, sizeof b, "%s-sibling/y.json", bad);
    touch(b);
    snprintf(a, sizeof a, "%s-sibling/z.json", bad);
    check("rename in prefix sibling", rename(b, a), 0);

    /* fsync / fdatasync: EIO for files and the directory itself inside the dir, fine elsewhere */
    int fd = open("s.json", O_RDWR);
    check("fsync file in eio dir", fsync(fd), EIO);
    check("fdatasync file in eio dir", fdatasync(fd), EIO);
    close(fd);
    check("fsync eio dir itself", fsync(dfd), EIO);
    close(dfd);
    snprintf(b, sizeof b, "%s/t.json", ok);
    fd = open(b, O_RDWR);
    check("fsync file in ok dir", fsync(fd), 0);
    check("fdatasync file in ok dir", fdatasync(fd), 0);
    close(fd);

    /* FAULTSHIM_EXDEV_DIR naming a symlink is resolved on every call, so repointing the link
     * switches faults on and off in a process whose environment is frozen (e.g. wineserver) */
    char lnk[4096];
    snprintf(lnk, sizeof lnk, "%s/../toggle", ok);
    if (symlink(ok, lnk) != 0) { perror("symlink"); return 2; }
    setenv("FAULTSHIM_EXDEV_DIR", lnk, 1);
    snprintf(a, sizeof a, "%s/u.tmp", ok); snprintf(b, sizeof b, "%s/u.json", ok);
    touch(a);
    check("rename under symlinked exdev dir", rename(a, b), EXDEV);
    if (unlink(lnk) != 0 || symlink(bad, lnk) != 0) { perror("relink"); return 2; }
    check("rename after repointing the symlink", rename(a, b), 0);
    setenv("FAULTSHIM_EXDEV_DIR", bad, 1);

    /* false EEXIST: an exclusive create of a fresh "*.tmp" name in the symptom dir is refused and
     * creates nothing; without O_EXCL, or for other names, or elsewhere, opens work */
    snprintf(a, sizeof a, "%s/s.json.1a2b3c.tmp", sym);
    check("open O_CREAT|O_EXCL *.tmp in eexist dir", open(a, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 ? -1 : 0, EEXIST);
    check("nothing was created", access(a, F_OK), ENOENT);
    check("open64 O_CREAT|O_EXCL *.tmp in eexist dir", open64(a, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 ? -1 : 0, EEXIST);
    int sfd = open(sym, O_RDONLY | O_DIRECTORY);
    check("openat dirfd O_EXCL *.tmp", openat(sfd, "r.json.tmp", O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 ? -1 : 0, EEXIST);
    snprintf(b, sizeof b, "%s/sub", sym);
    check("mkdir sub of eexist dir", mkdir(b, 0755), 0);
    snprintf(b, sizeof b, "%s/sub/y.tmp", sym);
    check("O_EXCL *.tmp in a subdir", open(b, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 ? -1 : 0, EEXIST);
    fd = open(a, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    check("open O_CREAT without O_EXCL works", fd < 0 ? -1 : 0, 0);
    if (fd >= 0) close(fd);
    snprintf(b, sizeof b, "%s/s.json", sym);
    fd = open(b, O_CREAT | O_EXCL | O_WRONLY, 0644);
    check("O_EXCL of a non-.tmp name works", fd < 0 ? -1 : 0, 0);
    if (fd >= 0) close(fd);
    snprintf(b, sizeof b, "%s/v.json.tmp", ok);
    fd = open(b, O_CREAT | O_EXCL | O_WRONLY, 0644);
    check("O_EXCL *.tmp outside the dir works", fd < 0 ? -1 : 0, 0);
    if (fd >= 0) close(fd);

    /* ENOENT on rename into the symptom dir while the source is there; links are untouched */
    snprintf(b, sizeof b, "%s/s.json", sym);
    check("rename present temp in enoent dir", rename(a, b), ENOENT);
    check("source still there", access(a, F_OK), 0);
    check("renameat in enoent dir", renameat(sfd, "s.json.1a2b3c.tmp", sfd, "s.json"), ENOENT);
    check("renameat2 in enoent dir", renameat2(sfd, "s.json.1a2b3c.tmp", sfd, "s.json", 0), ENOENT);
    snprintf(b, sizeof b, "%s/l.json", sym);
    check("link in enoent dir works", link(a, b), 0);
    snprintf(b, sizeof b, "%s/w.json", ok);
    check("rename out of enoent dir works", rename(a, b), 0);
    /* combined with EXDEV on the same dir: renames get ENOENT, links EXDEV */
    setenv("FAULTSHIM_EXDEV_DIR", sym, 1);
    snprintf(a, sizeof a, "%s/s.json", sym);
    check("combined: rename gets ENOENT", rename(b, a), ENOENT);
    snprintf(a, sizeof a, "%s/l2.json", sym);
    check("combined: link gets EXDEV", link(b, a), EXDEV);
    setenv("FAULTSHIM_EXDEV_DIR", bad, 1);
    close(sfd);

    /* the variables are read at call time: unsetting them stops the faults */
    unsetenv("FAULTSHIM_EXDEV_DIR"); unsetenv("FAULTSHIM_FSYNC_EIO_DIR");
    unsetenv("FAULTSHIM_EEXIST_DIR"); unsetenv("FAULTSHIM_ENOENT_DIR");
    check("rename after unsetenv", rename("s.json", "s2.json"), 0);
    snprintf(a, sizeof a, "%s/z.json.tmp", sym);
    fd = open(a, O_CREAT | O_EXCL | O_WRONLY, 0644);
    check("O_EXCL *.tmp after unsetenv", fd < 0 ? -1 : 0, 0);
    if (fd >= 0) close(fd);
    snprintf(b, sizeof b, "%s/z.json", sym);
    check("rename in symptom dir after unsetenv", rename(a, b), 0);
    fd = open("s2.json", O_RDWR);
    check("fsync after unsetenv", fsync(fd), 0);
    close(fd);

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
