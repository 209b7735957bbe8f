/* profile_files: listing, removing, exporting and importing whole profiles. */
#include "profile_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine_file.h"
#include "files.h"
#include "player_settings.h"
#include "practice_log.h"

#define STATE_SUFFIX ".profile"
#define LOG_SUFFIX ".log.jsonl"
#define EXPORT_MAGIC "homunculus-profile-export 1\n"
#define LOG_MAX_BYTES ((size_t)256 << 20) /* as practice_log reads */
#define EXPORT_HEADER_MAX 256             /* the text around the two payloads */
#define EXPORT_MAX_SIZE (ENGINE_FILE_MAX_SIZE + LOG_MAX_BYTES + EXPORT_HEADER_MAX)

/* The profile name that file_name is the state or log of, into name; -1 if it is neither. */
static int profile_of_file(const char *file_name, char name[64], int *is_state)
{
    size_t length = strlen(file_name);
    static const char *const suffixes[2] = {STATE_SUFFIX, LOG_SUFFIX};
    for (int kind = 0; kind < 2; kind++) {
        size_t suffix = strlen(suffixes[kind]);
        if (length <= suffix || length - suffix > 63 || strcmp(file_name + length - suffix, suffixes[kind]) != 0)
            continue;
        memcpy(name, file_name, length - suffix);
        name[length - suffix] = '\0';
        char why[160];
        if (profile_check_name(name, why, sizeof why) != 0)
            return -1;
        *is_state = kind == 0;
        return 0;
    }
    return -1;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const ProfileEntry *)a)->name, ((const ProfileEntry *)b)->name);
}

int profile_files_list(const char *directory, ProfileEntry **entries, size_t *count, char *err, size_t err_size)
{
    *entries = NULL;
    *count = 0;
    DIR *folder = opendir(directory);
    if (!folder) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, err_size, "cannot list the profiles in '%s': %s", directory, strerror(errno));
        return -1;
    }
    ProfileEntry *list = NULL;
    size_t used = 0, capacity = 0;
    int status = 0;
    struct dirent *item;
    while ((item = readdir(folder)) != NULL) {
        char name[64], path[PROFILE_PATH_MAX + 256];
        int is_state;
        struct stat info;
        if (profile_of_file(item->d_name, name, &is_state) != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", directory, item->d_name);
        if (stat(path, &info) != 0 || !S_ISREG(info.st_mode))
            continue;
        size_t i = 0;
        while (i < used && strcmp(list[i].name, name) != 0)
            i++;
        if (i == used) {
            if (used == capacity) {
                size_t grown = capacity ? 2 * capacity : 16;
                ProfileEntry *bigger = realloc(list, grown * sizeof *bigger);
                if (!bigger) {
                    snprintf(err, err_size, "cannot list the profiles in '%s': out of memory", directory);
                    status = -1;
                    break;
                }
                list = bigger, capacity = grown;
            }
            list[used] = (ProfileEntry){0};
            snprintf(list[used].name, sizeof list[used].name, "%s", name);
            used++;
        }
        if (is_state) {
            list[i].has_state = 1;
            list[i].state_bytes = (int64_t)info.st_size;
            list[i].saved_unix = (int64_t)info.st_mtime;
        } else {
            list[i].has_log = 1;
            list[i].log_bytes = (int64_t)info.st_size;
        }
    }
    closedir(folder);
    if (status != 0) {
        free(list);
        return -1;
    }
    if (used > 1)
        qsort(list, used, sizeof *list, compare_entries);
    *entries = list;
    *count = used;
    return 0;
}

int profile_files_exist(const ProfilePaths *paths)
{
    struct stat info;
    return lstat(paths->state_path, &info) == 0 || lstat(paths->log_path, &info) == 0;
}

/* Removes path when it is there, adding its name to removed. Returns 0, or -1 with err. */
static int remove_file(const char *path, char *removed, size_t removed_size, char *err, size_t err_size)
{
    if (unlink(path) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, err_size, "cannot remove '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t used = strlen(removed);
    if (used < removed_size)
        snprintf(removed + used, removed_size - used, "%s\n", path);
    return 0;
}

/* Removes the logs practice_log set aside as unreadable: NAME.log.jsonl.unreadable-*. */
static int remove_unreadable_logs(const ProfilePaths *paths, char *removed, size_t removed_size, char *err,
                                  size_t err_size)
{
    DIR *folder = opendir(paths->directory);
    if (!folder)
        return 0;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s" LOG_SUFFIX ".unreadable-", paths->name);
    int status = 0;
    struct dirent *item;
    while (status == 0 && (item = readdir(folder)) != NULL) {
        if (strncmp(item->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char path[PROFILE_PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", paths->directory, item->d_name);
        status = remove_file(path, removed, removed_size, err, err_size);
    }
    closedir(folder);
    return status;
}

static void sessions_directory(const ProfilePaths *paths, char *out, size_t size)
{
    snprintf(out, size, "%s/%s.sessions", paths->directory, paths->name);
}

/* Removes the recordings folder: its .mid files (and their leftover .tmp), then itself. */
static int remove_recordings(const ProfilePaths *paths, char *removed, size_t removed_size, char *err,
                             size_t err_size)
{
    char folder_path[PROFILE_PATH_MAX + 96];
    sessions_directory(paths, folder_path, sizeof folder_path);
    DIR *folder = opendir(folder_path);
    if (!folder)
        return 0;
    int status = 0;
    struct dirent *item;
    while (status == 0 && (item = readdir(folder)) != NULL) {
        size_t length = strlen(item->d_name);
        if (!(length > 4 && strcmp(item->d_name + length - 4, ".mid") == 0) &&
            !(length > 8 && strcmp(item->d_name + length - 8, ".mid.tmp") == 0))
            continue;
        char path[PROFILE_PATH_MAX + 512];
        snprintf(path, sizeof path, "%s/%s", folder_path, item->d_name);
        status = remove_file(path, removed, removed_size, err, err_size);
    }
    closedir(folder);
    if (status == 0 && rmdir(folder_path) != 0) {
        snprintf(err, err_size, "cannot remove '%s': %s (files other than recordings in it are left)", folder_path,
                 strerror(errno));
        return -1;
    }
    if (status == 0) {
        size_t used = strlen(removed);
        if (used < removed_size)
            snprintf(removed + used, removed_size - used, "%s/\n", folder_path);
    }
    return status;
}

int profile_recording_path(const ProfilePaths *paths, int64_t start_unix, char *path, size_t size, char *err,
                           size_t err_size)
{
    char folder[PROFILE_PATH_MAX + 96];
    sessions_directory(paths, folder, sizeof folder);
    if (profile_make_directory(paths, err, err_size) != 0)
        return -1;
    if (mkdir(folder, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "cannot create the recordings folder '%s': %s", folder, strerror(errno));
        return -1;
    }
    time_t start = (time_t)start_unix;
    struct tm local;
    char stamp[32] = "session";
    if (localtime_r(&start, &local))
        strftime(stamp, sizeof stamp, "%Y-%m-%d_%H-%M-%S", &local);
    struct stat info;
    for (int attempt = 1; attempt < 100; attempt++) {
        int n = attempt == 1 ? snprintf(path, size, "%s/%s.mid", folder, stamp)
                             : snprintf(path, size, "%s/%s-%d.mid", folder, stamp, attempt);
        if (n < 0 || (size_t)n >= size) {
            snprintf(err, err_size, "the recording's path in '%s' is too long", folder);
            return -1;
        }
        if (lstat(path, &info) != 0 && errno == ENOENT)
            return 0;
    }
    snprintf(err, err_size, "cannot name the recording: '%s/%s-*.mid' are taken", folder, stamp);
    return -1;
}

int profile_files_remove(const ProfilePaths *paths, int whole, char *removed, size_t removed_size, char *err,
                         size_t err_size)
{
    if (removed_size)
        removed[0] = '\0';
    char pending[PROFILE_PATH_MAX + 16], lock[PROFILE_PATH_MAX + 16];
    snprintf(pending, sizeof pending, "%s.pending", paths->state_path);
    snprintf(lock, sizeof lock, "%s.lock", paths->state_path);
    if (remove_file(paths->state_path, removed, removed_size, err, err_size) != 0)
        return -1;
    if (!whole)
        return 0;
    /* a save cut by a kill leaves its temporary file (files_write_atomic's path.tmp) */
    char temporary[4][PROFILE_PATH_MAX + 96], settings[PROFILE_PATH_MAX + 80];
    player_settings_path(paths, settings, sizeof settings);
    snprintf(temporary[0], sizeof temporary[0], "%s.tmp", paths->state_path);
    snprintf(temporary[1], sizeof temporary[1], "%s.tmp", pending);
    snprintf(temporary[2], sizeof temporary[2], "%s.tmp", paths->log_path);
    snprintf(temporary[3], sizeof temporary[3], "%s.tmp", settings);
    for (int i = 0; i < 4; i++)
        if (remove_file(temporary[i], removed, removed_size, err, err_size) != 0)
            return -1;
    if (remove_file(settings, removed, removed_size, err, err_size) != 0) /* the player's controls */
        return -1;
    if (remove_file(pending, removed, removed_size, err, err_size) != 0 ||
        remove_file(paths->log_path, removed, removed_size, err, err_size) != 0 ||
        remove_unreadable_logs(paths, removed, removed_size, err, err_size) != 0 ||
        remove_recordings(paths, removed, removed_size, err, err_size) != 0)
        return -1;
    /* the lock file last: while it is there (and held by the caller) no session starts */
    return remove_file(lock, removed, removed_size, err, err_size);
}

void profile_export_clear(ProfileExport *export)
{
    free(export->state);
    free(export->log);
    *export = (ProfileExport){0};
}

/* Checks state bytes as a profile's (a state the program loads); origin names them. */
static int check_state(const char *origin, const uint8_t *state, size_t size, char *err, size_t err_size)
{
    EngineConfig config;
    engine_config_default(&config, 48000.0, 256);
    Engine *engine = engine_create(&config, err, err_size);
    if (!engine)
        return -1;
    int status = engine_file_parse(engine, origin, state, size, NULL, err, err_size);
    engine_free(engine);
    return status;
}

/* Checks log bytes (NUL after them) as the practice log's reader would; sets *sessions. */
static int check_log(const char *origin, const char *log, size_t size, size_t *sessions, char *err,
                     size_t err_size)
{
    char *copy = malloc(size + 1);
    if (!copy) {
        snprintf(err, err_size, "%s: out of memory", origin);
        return -1;
    }
    memcpy(copy, log, size + 1);
    long records = practice_log_check(origin, copy, size, err, err_size);
    free(copy);
    if (records < 0)
        return -1;
    *sessions = (size_t)records;
    return 0;
}

int profile_export_load(const ProfilePaths *paths, ProfileExport *export, char *err, size_t err_size)
{
    *export = (ProfileExport){0};
    snprintf(export->name, sizeof export->name, "%s", paths->name);
    struct stat info;
    if (lstat(paths->state_path, &info) == 0) {
        if (files_read(paths->state_path, ENGINE_FILE_MAX_SIZE, &export->state, &export->state_size, err,
                       err_size) != 0 ||
            check_state(paths->state_path, export->state, export->state_size, err, err_size) != 0)
            goto fail;
    }
    if (lstat(paths->log_path, &info) == 0) {
        uint8_t *bytes = NULL;
        size_t size = 0;
        if (files_read(paths->log_path, LOG_MAX_BYTES, &bytes, &size, err, err_size) != 0)
            goto fail;
        char *text = realloc(bytes, size + 1);
        if (!text) {
            free(bytes);
            snprintf(err, err_size, "cannot read '%s': out of memory", paths->log_path);
            goto fail;
        }
        text[size] = '\0';
        export->log = text;
        export->log_size = size;
        if (check_log(paths->log_path, text, size, &export->sessions, err, err_size) != 0)
            goto fail;
    }
    if (!export->state && !export->log) {
        snprintf(err, err_size, "profile '%s' does not exist (no '%s')", paths->name, paths->state_path);
        goto fail;
    }
    return 0;
fail:
    profile_export_clear(export);
    return -1;
}

int profile_export_write(const ProfileExport *export, const char *path, char *err, size_t err_size)
{
    char head[EXPORT_HEADER_MAX / 2], middle[64];
    int head_size = snprintf(head, sizeof head, EXPORT_MAGIC "name %s\nstate %zu\n", export->name,
                             export->state_size);
    int middle_size = snprintf(middle, sizeof middle, "\nlog %zu\n", export->log_size);
    static const char tail[] = "\nend\n";
    size_t total = (size_t)head_size + export->state_size + (size_t)middle_size + export->log_size + strlen(tail);
    uint8_t *file = malloc(total);
    if (!file) {
        snprintf(err, err_size, "cannot write '%s': out of memory", path);
        return -1;
    }
    uint8_t *p = file;
    memcpy(p, head, (size_t)head_size), p += head_size;
    if (export->state_size)
        memcpy(p, export->state, export->state_size), p += export->state_size;
    memcpy(p, middle, (size_t)middle_size), p += middle_size;
    if (export->log_size)
        memcpy(p, export->log, export->log_size), p += export->log_size;
    memcpy(p, tail, strlen(tail));
    int status = files_check_directory(path, err, err_size) == 0 ? files_write_atomic(path, file, total, err, err_size)
                                                                   : -1;
    free(file);
    return status;
}

/* Reads "KEY VALUE\n" at *at (within end): the value's text into value. -1 if it is not there. */
static int read_header_line(const uint8_t **at, const uint8_t *end, const char *key, char *value, size_t size)
{
    size_t key_length = strlen(key);
    const uint8_t *newline = memchr(*at, '\n', (size_t)(end - *at));
    if (!newline || (size_t)(newline - *at) <= key_length + 1 || memcmp(*at, key, key_length) != 0 ||
        (*at)[key_length] != ' ' || (size_t)(newline - *at) - key_length - 1 >= size)
        return -1;
    size_t length = (size_t)(newline - *at) - key_length - 1;
    memcpy(value, *at + key_length + 1, length);
    value[length] = '\0';
    *at = newline + 1;
    return 0;
}

/* A payload's size line ("state N" / "log N"): N at most max and within the file. */
static int read_size(const uint8_t **at, const uint8_t *end, const char *key, size_t max, size_t *size)
{
    char value[32];
    if (read_header_line(at, end, key, value, sizeof value) != 0)
        return -1;
    char *stop;
    errno = 0;
    unsigned long long n = strtoull(value, &stop, 10);
    if (errno || *stop || value[0] < '0' || value[0] > '9' || n > max || n > (size_t)(end - *at))
        return -1;
    *size = (size_t)n;
    return 0;
}

int profile_export_read(const char *path, ProfileExport *export, char *err, size_t err_size)
{
    *export = (ProfileExport){0};
    uint8_t *file = NULL;
    size_t size = 0;
    if (files_read(path, EXPORT_MAX_SIZE, &file, &size, err, err_size) != 0)
        return -1;
    const uint8_t *at = file, *end = file + size;
    const char *problem = NULL;
    char name[64], why[160];
    size_t magic = strlen(EXPORT_MAGIC);
    if (size < magic || memcmp(file, EXPORT_MAGIC, magic) != 0)
        problem = "not a homunculus profile export (expected it to begin 'homunculus-profile-export 1')";
    else if ((at += magic, read_header_line(&at, end, "name", name, sizeof name) != 0))
        problem = "the 'name NAME' line is missing or too long";
    else if (profile_check_name(name, why, sizeof why) != 0)
        problem = "the name inside is not a valid profile name";
    else if (read_size(&at, end, "state", ENGINE_FILE_MAX_SIZE, &export->state_size) != 0)
        problem = "the 'state SIZE' line is missing or its size is larger than the file or 64 MiB";
    if (!problem) {
        export->state = malloc(export->state_size ? export->state_size : 1);
        if (!export->state)
            problem = "out of memory";
        else {
            memcpy(export->state, at, export->state_size);
            at += export->state_size;
        }
    }
    if (!problem && (at == end || *at++ != '\n'))
        problem = "the state is cut short";
    if (!problem && read_size(&at, end, "log", LOG_MAX_BYTES, &export->log_size) != 0)
        problem = "the 'log SIZE' line is missing or its size is larger than the file or 256 MiB";
    if (!problem) {
        export->log = malloc(export->log_size + 1);
        if (!export->log)
            problem = "out of memory";
        else {
            memcpy(export->log, at, export->log_size);
            export->log[export->log_size] = '\0';
            at += export->log_size;
        }
    }
    if (!problem && ((size_t)(end - at) != 5 || memcmp(at, "\nend\n", 5) != 0))
        problem = "it does not end with the 'end' line (cut short, or text after it)";
    free(file);
    if (problem) {
        snprintf(err, err_size, "cannot import '%s': %s", path, problem);
        profile_export_clear(export);
        return -1;
    }
    snprintf(export->name, sizeof export->name, "%s", name);
    if (export->state_size == 0 && export->log_size == 0) {
        snprintf(err, err_size, "cannot import '%s': it holds neither a state nor a practice log", path);
        goto refused;
    }
    char origin[PROFILE_PATH_MAX + 32];
    if (export->state_size == 0) { /* a profile with a log only */
        free(export->state);
        export->state = NULL;
    } else {
        snprintf(origin, sizeof origin, "%s (its state)", path);
        if (check_state(origin, export->state, export->state_size, err, err_size) != 0)
            goto refused;
    }
    snprintf(origin, sizeof origin, "%s (its log)", path);
    if (check_log(origin, export->log, export->log_size, &export->sessions, err, err_size) != 0)
        goto refused;
    if (export->log_size == 0) {
        free(export->log);
        export->log = NULL;
    }
    return 0;
refused:
    profile_export_clear(export);
    return -1;
}

int profile_export_install(const ProfileExport *export, const ProfilePaths *paths, char *err, size_t err_size)
{
    if (profile_files_exist(paths)) {
        snprintf(err, err_size,
                 "profile '%s' exists already: give another NAME, or remove it first (homunculus profile rm %s)",
                 paths->name, paths->name);
        return -1;
    }
    if (profile_make_directory(paths, err, err_size) != 0)
        return -1;
    if (export->log &&
        files_write_atomic(paths->log_path, (const uint8_t *)export->log, export->log_size, err, err_size) != 0)
        return -1;
    if (export->state && profile_save(paths, export->state, export->state_size, err, err_size) != 0) {
        unlink(paths->log_path); /* not half a profile */
        return -1;
    }
    return 0;
}
