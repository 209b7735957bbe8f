/* replay: runs a fuzz target's LLVMFuzzerTestOneInput on files without libFuzzer, so that
 * `make check` replays the seed and regression corpora with gcc (and under SANITIZE=1 with
 * ASan and UBSan). Arguments are files or folders (their files, not recursively). An input
 * that breaks the target aborts the program. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "fuzz.h"

#define REPLAY_MAX_INPUT ((size_t)1 << 20)

static int replay_file(const char *path)
{
    uint8_t *data = NULL;
    size_t size = 0;
    char err[600];
    if (files_read(path, REPLAY_MAX_INPUT, &data, &size, err, sizeof err) != 0) {
        fprintf(stderr, "replay: %s\n", err);
        return -1;
    }
    /* a copy of exactly size bytes, so that ASan sees a read past the input as libFuzzer would */
    uint8_t *exact = malloc(size ? size : 1);
    if (!exact) {
        free(data);
        fprintf(stderr, "replay: %s: out of memory\n", path);
        return -1;
    }
    if (size)
        memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Replays every regular file of a folder, in name order; returns the count or -1. */
static int replay_folder(const char *path)
{
    DIR *folder = opendir(path);
    if (!folder) {
        fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0;
    int status = 0;
    struct dirent *entry;
    while (status == 0 && (entry = readdir(folder))) {
        if (entry->d_name[0] == '.')
            continue;
        char *name = malloc(strlen(path) + strlen(entry->d_name) + 2);
        char **grown = name ? realloc(names, (count + 1) * sizeof *names) : NULL;
        if (!grown) {
            free(name);
            fprintf(stderr, "replay: out of memory\n");
            status = -1;
            break;
        }
        names = grown;
        sprintf(name, "%s/%s", path, entry->d_name);
        names[count++] = name;
    }
    closedir(folder);
    if (status == 0 && count > 1)
        qsort(names, count, sizeof *names, compare_names);
    int replayed = 0;
    for (size_t i = 0; i < count; i++) {
        struct stat info;
        if (status == 0 && stat(names[i], &info) == 0 && S_ISREG(info.st_mode)) {
            if (replay_file(names[i]) != 0)
                status = -1;
            replayed++;
        }
        free(names[i]);
    }
    free(names);
    return status == 0 ? replayed : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
        return 2;
    }
    int total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat info;
        if (stat(argv[i], &info) != 0) {
            fprintf(stderr, "replay: cannot read '%s': %s\n", argv[i], strerror(errno));
            return 1;
        }
        int replayed = S_ISDIR(info.st_mode) ? replay_folder(argv[i]) : (replay_file(argv[i]) == 0 ? 1 : -1);
        if (replayed < 0)
            return 1;
        total += replayed;
    }
    printf("%s: %d inputs replayed\n", argv[0], total);
    return 0;
}
