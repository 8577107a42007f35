/*
 * The physical floor of a durable save: what the disk and kernel cost with no runtime, no library
 * and no HTTP in the way. Each save of <size> bytes to <dir>/<file> is
 *   open(tmp, O_CREAT|O_TRUNC|O_WRONLY) -> write -> fsync -> close -> rename(tmp, file)
 *   -> open(dir) -> fsync(dir) -> close
 * the same steps (and the same durability) as SessionApi's atomic-rename path.
 *
 * usage: floor <dir> <bytes> <saves-per-thread> <threads> [warmup]
 * Prints one JSON object: {"latenciesUs":[...],"wallMs":...,"saves":...}. With threads > 1 every
 * thread writes its own file (different sessions), as the concurrent benchmark does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *dir;
static char *payload;
static size_t size;
static int per_thread, threads, warmup;
static double *latencies;

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what, const char *path)
{
    fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void save(int thread)
{
    char tmp[4096], target[4096];
    snprintf(target, sizeof target, "%s/floor-%d.json", dir, thread);
    snprintf(tmp, sizeof tmp, "%s/floor-%d.json.tmp", dir, thread);
    int fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) die("open", tmp);
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, payload + done, size - done);
        if (n < 0) die("write", tmp);
        done += (size_t)n;
    }
    if (fsync(fd) != 0) die("fsync", tmp);
    if (close(fd) != 0) die("close", tmp);
    if (rename(tmp, target) != 0) die("rename", target);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) die("open", dir);
    if (fsync(dfd) != 0) die("fsync", dir);
    close(dfd);
}

static void *run(void *arg)
{
    int thread = (int)(long)arg;
    for (int i = 0; i < warmup; i++) save(thread);
    for (int i = 0; i < per_thread; i++) {
        double start = now_us();
        save(thread);
        latencies[thread * per_thread + i] = now_us() - start;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: floor <dir> <bytes> <saves-per-thread> <threads> [warmup]\n");
        return 2;
    }
    dir = argv[1];
    size = strtoul(argv[2], NULL, 10);
    per_thread = atoi(argv[3]);
    threads = atoi(argv[4]);
    warmup = argc > 5 ? atoi(argv[5]) : 0;
    payload = malloc(size);
    /* A JSON object of the requested size: {"d":"xxxx...x"} */
    memset(payload, 'x', size);
    memcpy(payload, "{\"d\":\"", 6);
    memcpy(payload + size - 2, "\"}", 2);
    latencies = calloc((size_t)per_thread * threads, sizeof(double));
    pthread_t *ids = calloc(threads, sizeof(pthread_t));
    double start = now_us();
    for (long t = 0; t < threads; t++) pthread_create(&ids[t], NULL, run, (void *)t);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    double wall = now_us() - start;
    printf("{\"saves\":%d,\"wallMs\":%.3f,\"latenciesUs\":[", per_thread * threads, wall / 1e3);
    for (int i = 0; i < per_thread * threads; i++) printf(i ? ",%.1f" : "%.1f", latencies[i]);
    printf("]}\n");
    return 0;
}
