/* profile: where a player's profile lives, opening it with the time since its saving applied
 * as rest and sleep, and saving it atomically. */
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine_file.h"
#include "files.h"

#define SECONDS_PER_HOUR 3600

/* 1..63 of [A-Za-z0-9_.-], not starting with '.'. */
int profile_check_name(const char *name, char *err, size_t err_size)
{
    size_t length = strlen(name);
    const char *bad = NULL;
    if (length == 0 || length > 63)
        bad = "1 to 63 characters";
    else if (name[0] == '.')
        bad = "not starting with '.'";
    for (size_t i = 0; !bad && i < length; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            bad = "letters, digits, '_', '.' and '-' only";
    }
    if (bad) {
        snprintf(err, err_size, "profile name '%s' is not valid: expected %s", name, bad);
        return -1;
    }
    return 0;
}

/* Formats a path into a PROFILE_PATH_MAX buffer; -1 with err when it does not fit. */
__attribute__((format(printf, 5, 6))) static int compose(char *out, const char *what, char *err, size_t err_size,
                                                         const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(out, PROFILE_PATH_MAX, format, args);
    va_end(args);
    if (n < 0 || n >= PROFILE_PATH_MAX) {
        snprintf(err, err_size, "the profile's %s path is too long", what);
        return -1;
    }
    return 0;
}

int profile_paths(const char *name, ProfilePaths *paths, char *err, size_t err_size)
{
    memset(paths, 0, sizeof *paths);
    if (profile_check_name(name, err, err_size) != 0)
        return -1;
    snprintf(paths->name, sizeof paths->name, "%s", name);
    /* XDG Base Directory: XDG_DATA_HOME only counts when absolute. */
    const char *data_home = getenv("XDG_DATA_HOME");
    int status;
    if (data_home && data_home[0] == '/')
        status = compose(paths->directory, "directory", err, err_size, "%s/homunculus", data_home);
    else {
        const char *home = getenv("HOME");
        if (!home || home[0] != '/') {
            snprintf(err, err_size, "cannot find the profile directory: neither XDG_DATA_HOME nor HOME is an "
                                    "absolute path");
            return -1;
        }
        status = compose(paths->directory, "directory", err, err_size, "%s/.local/share/homunculus", home);
    }
    if (status == 0)
        status = compose(paths->state_path, "state", err, err_size, "%s/%s.profile", paths->directory, name);
    if (status == 0)
        status = compose(paths->log_path, "log", err, err_size, "%s/%s.log.jsonl", paths->directory, name);
    return status;
}

/* An hour 0..23 of one or two digits at *text; advances *text. -1 if there is none. */
static int parse_hour(const char **text)
{
    const char *p = *text;
    int hour = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 2)
        hour = 10 * hour + (*p++ - '0'), digits++;
    *text = p;
    return digits > 0 && hour <= 23 ? hour : -1;
}

int profile_parse_sleep_window(const char *text, SleepWindow *window)
{
    const char *p = text;
    int start = parse_hour(&p);
    if (start < 0 || *p++ != '-')
        return -1;
    int end = parse_hour(&p);
    if (end < 0 || *p != '\0')
        return -1;
    *window = (SleepWindow){start, end};
    return 0;
}

static int hour_in_window(int hour, SleepWindow window)
{
    if (window.start_hour <= window.end_hour)
        return hour >= window.start_hour && hour < window.end_hour;
    return hour >= window.start_hour || hour < window.end_hour; /* wraps midnight */
}

/* Walks local-time hour boundaries: each stretch up to the next boundary is classified by
 * its local hour, so a DST change shortens or lengthens the night as the clock says. Gaps
 * longer than PROFILE_WALK_LIMIT_S (years away, or a clock far off) are walked that far and
 * the rest counted at the window's share of a day. */
#define PROFILE_WALK_LIMIT_S ((int64_t)4 * 366 * 86400)
double profile_sleep_seconds(int64_t from_unix, int64_t to_unix, SleepWindow window)
{
    if (to_unix <= from_unix || window.start_hour == window.end_hour)
        return 0.0;
    double asleep = 0.0;
    uint64_t span = (uint64_t)to_unix - (uint64_t)from_unix; /* exact: int64_t overflows for far times */
    if (span > (uint64_t)PROFILE_WALK_LIMIT_S) {
        int window_hours = (window.end_hour - window.start_hour + 24) % 24;
        asleep = (double)(span - (uint64_t)PROFILE_WALK_LIMIT_S) * window_hours / 24.0;
        to_unix = from_unix + PROFILE_WALK_LIMIT_S;
    }
    int64_t t = from_unix;
    while (t < to_unix) {
        time_t now = (time_t)t;
        struct tm local;
        int64_t next;
        if (!localtime_r(&now, &local))
            next = t + SECONDS_PER_HOUR; /* out of the C library's range: count as awake */
        else {
            int into_hour = local.tm_min * 60 + (local.tm_sec < 60 ? local.tm_sec : 59);
            next = t + (SECONDS_PER_HOUR - into_hour);
            if (next > to_unix)
                next = to_unix;
            if (hour_in_window(local.tm_hour, window))
                asleep += (double)(next - t);
        }
        t = next;
    }
    return asleep;
}

int profile_open(const ProfilePaths *paths, Engine *engine, int64_t now_unix, SleepWindow window,
                 ProfileOpening *opening, char *err, size_t err_size)
{
    *opening = (ProfileOpening){0};
    struct stat info;
    if (stat(paths->state_path, &info) != 0) {
        if (errno == ENOENT) {
            opening->saved_unix = now_unix; /* a new profile: no gap */
            return 0;
        }
        snprintf(err, err_size, "cannot open profile '%s': %s: %s", paths->name, paths->state_path, strerror(errno));
        return -1;
    }
    uint8_t *data = NULL;
    size_t size = 0;
    if (files_read(paths->state_path, ENGINE_FILE_MAX_SIZE, &data, &size, err, err_size) != 0)
        return -1;
    int status = profile_restore(paths->state_path, engine, data, size, now_unix, window, opening, err, err_size);
    free(data);
    return status;
}

int profile_restore(const char *path, Engine *engine, const uint8_t *data, size_t size, int64_t now_unix,
                    SleepWindow window, ProfileOpening *opening, char *err, size_t err_size)
{
    *opening = (ProfileOpening){0};
    int64_t saved_unix = 0;
    if (engine_file_parse(engine, path, data, size, &saved_unix, err, err_size) != 0)
        return -1;
    opening->existed = 1;
    opening->saved_unix = saved_unix;
    /* a clock set back: no gap; the difference in unsigned is exact where int64_t overflows */
    double gap = now_unix > saved_unix ? (double)((uint64_t)now_unix - (uint64_t)saved_unix) : 0.0;
    opening->asleep_s = profile_sleep_seconds(saved_unix, now_unix, window);
    opening->awake_s = gap - opening->asleep_s;
    if (gap > 0.0)
        engine_apply_gap(engine, opening->awake_s, opening->asleep_s);
    return 0;
}

/* mkdir -p for path (mode 0700, as the XDG spec asks of the directories it creates). */
static int make_directories(const char *path, char *err, size_t err_size)
{
    char partial[PROFILE_PATH_MAX];
    snprintf(partial, sizeof partial, "%s", path);
    for (char *slash = partial + 1;; slash++) {
        char saved = *slash;
        if (saved != '/' && saved != '\0')
            continue;
        *slash = '\0';
        if (mkdir(partial, 0700) != 0 && errno != EEXIST) {
            snprintf(err, err_size, "cannot create the profile directory '%s': %s", partial, strerror(errno));
            return -1;
        }
        *slash = saved;
        if (saved == '\0')
            break;
    }
    struct stat info;
    if (stat(path, &info) != 0 || !S_ISDIR(info.st_mode)) {
        snprintf(err, err_size, "the profile directory '%s' is not a directory", path);
        return -1;
    }
    return 0;
}

int profile_lock(const ProfilePaths *paths, char *err, size_t err_size)
{
    if (make_directories(paths->directory, err, err_size) != 0)
        return -1;
    long holder;
    char why[PROFILE_PATH_MAX + 256];
    int lock = files_lock(paths->state_path, &holder, why, sizeof why);
    if (lock < 0 && holder > 0)
        snprintf(err, err_size,
                 "profile '%s' is in use by another homunculus session (pid %ld); one session at a time "
                 "learns into a profile",
                 paths->name, holder);
    else if (lock < 0)
        snprintf(err, err_size, "cannot lock profile '%s': %s", paths->name, why);
    return lock;
}

void profile_unlock(int lock) { files_unlock(lock); }

int profile_make_directory(const ProfilePaths *paths, char *err, size_t err_size)
{
    return make_directories(paths->directory, err, err_size);
}

int profile_save(const ProfilePaths *paths, const uint8_t *state, size_t size, char *err, size_t err_size)
{
    if (make_directories(paths->directory, err, err_size) != 0)
        return -1;
    return files_write_atomic(paths->state_path, state, size, err, err_size);
}
