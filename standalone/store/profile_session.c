/* profile_session: a session's state and log record, saved as one unit. */
#include "profile_session.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine_file.h"
#include "files.h"

#define PENDING_MAGIC "homunculus-pending-session 1"
#define PENDING_MAX_SIZE (PRACTICE_LOG_LINE_MAX + 128)

/* FNV-1a, 64 bits: which state a pending record belongs to. */
static uint64_t checksum(const uint8_t *data, size_t size)
{
    uint64_t hash = 14695981039346656037u;
    for (size_t i = 0; i < size; i++)
        hash = (hash ^ data[i]) * 1099511628211u;
    return hash;
}

static void pending_path(const ProfilePaths *paths, char *out, size_t size)
{
    snprintf(out, size, "%s.pending", paths->state_path);
}

/* The record's maps of a week ago, from the log (left unknown when the log does not read:
 * the save goes on, and the log's own reader will say what is wrong with it). */
static void note_week_ago(const ProfilePaths *paths, PracticeSessionRecord *record)
{
    PracticeSessionRecord *log = NULL;
    size_t count = 0;
    char why[512];
    if (practice_log_read(paths->log_path, &log, &count, why, sizeof why) == 0)
        practice_log_note_week_ago(record, log, count);
    free(log);
}

int profile_session_save(const ProfilePaths *paths, const uint8_t *state, size_t size,
                         const PracticeSessionRecord *record, char *note, size_t note_size, char *err,
                         size_t err_size)
{
    if (note_size)
        note[0] = '\0';
    char pending[PROFILE_PATH_MAX + 16];
    pending_path(paths, pending, sizeof pending);
    char *text = malloc(PENDING_MAX_SIZE);
    PracticeSessionRecord *full = malloc(sizeof *full);
    if (!text || !full) {
        snprintf(err, err_size, "cannot save profile '%s': out of memory", paths->name);
        free(text);
        free(full);
        return -1;
    }
    *full = *record;
    note_week_ago(paths, full);
    record = full;
    int head = snprintf(text, PENDING_MAX_SIZE, PENDING_MAGIC " %016" PRIx64 " %zu\n", checksum(state, size), size);
    int line = practice_log_format(record, text + head, PENDING_MAX_SIZE - (size_t)head);
    int status = -1;
    if (line < 0)
        snprintf(err, err_size, "cannot log the session of profile '%s': the record is too long", paths->name);
    /* the record first (whole, beside the profile), then the state, then the log */
    else if (profile_make_directory(paths, err, err_size) == 0 &&
             files_write_atomic(pending, (const uint8_t *)text, (size_t)(head + line), err, err_size) == 0) {
        if (profile_save(paths, state, size, err, err_size) != 0)
            unlink(pending); /* the session is not saved: nothing to log */
        else if (practice_log_append(paths->log_path, record, note, note_size, err, err_size) == 0) {
            unlink(pending);
            status = 0;
        } else
            status = -2; /* the record stays pending: the next settle logs it */
    }
    free(text);
    free(full);
    return status;
}

/* Whether the log's last record is the one in line (a kill came after the append). */
static int logged_last(const char *log_path, const char *line, size_t length)
{
    PracticeSessionRecord *records = NULL;
    size_t count = 0;
    char err[512], *last = malloc(PRACTICE_LOG_LINE_MAX);
    int same = 0;
    if (last && practice_log_read(log_path, &records, &count, err, sizeof err) == 0 && count > 0) {
        int n = practice_log_format(&records[count - 1], last, PRACTICE_LOG_LINE_MAX);
        same = n >= 0 && (size_t)n == length && memcmp(last, line, length) == 0;
    }
    free(records);
    free(last);
    return same;
}

int profile_session_settle(const ProfilePaths *paths, char *note, size_t note_size, char *err, size_t err_size)
{
    if (note_size)
        note[0] = '\0';
    char pending[PROFILE_PATH_MAX + 16];
    pending_path(paths, pending, sizeof pending);
    struct stat info;
    if (lstat(pending, &info) != 0 && errno == ENOENT)
        return 0;
    uint8_t *text = NULL, *state = NULL;
    size_t size = 0, state_size = 0;
    char why[512];
    if (files_read(pending, PENDING_MAX_SIZE, &text, &size, why, sizeof why) != 0) {
        snprintf(err, err_size, "profile '%s': %s", paths->name, why);
        return -1;
    }
    uint64_t expected = 0;
    size_t expected_size = 0;
    int offset = 0;
    char *copy = realloc(text, size + 1);
    if (!copy) {
        free(text);
        snprintf(err, err_size, "profile '%s': out of memory", paths->name);
        return -1;
    }
    copy[size] = '\0';
    int well_formed = sscanf(copy, PENDING_MAGIC " %" SCNx64 " %zu\n%n", &expected, &expected_size, &offset) == 2 &&
                      offset > 0 && copy[size - 1] == '\n';
    const char *line = copy + offset;
    size_t length = size - (size_t)offset;
    int status = 0;
    /* the state the record belongs to is the profile's: its session was saved, so log it */
    if (well_formed && files_read(paths->state_path, ENGINE_FILE_MAX_SIZE, &state, &state_size, why, sizeof why) == 0 &&
        state_size == expected_size && checksum(state, state_size) == expected) {
        PracticeSessionRecord *record = malloc(sizeof *record);
        char *parse = malloc(length + 1);
        if (!record || !parse)
            status = -1, snprintf(err, err_size, "profile '%s': out of memory", paths->name);
        else if (!logged_last(paths->log_path, line, length)) {
            memcpy(parse, line, length + 1);
            parse[length - 1] = '\0'; /* without its newline */
            if (practice_log_parse_line(parse, record, why, sizeof why) != 0)
                snprintf(note, note_size, "a cut save's log record did not read (%s): dropped", why);
            else if (practice_log_append(paths->log_path, record, why, sizeof why, err, err_size) != 0)
                status = -1; /* stays pending */
            else
                snprintf(note, note_size, "the last session's record, cut off from the log by a stop, is logged now%s%s",
                         why[0] ? "; " : "", why);
        }
        free(record);
        free(parse);
    }
    if (status == 0)
        unlink(pending);
    free(state);
    free(copy);
    return status;
}

int profile_session_open(const ProfilePaths *paths, Engine *engine, int64_t now_unix, SleepWindow window,
                         ProfileOpening *opening, char *err, size_t err_size)
{
    char note[sizeof opening->settled];
    if (profile_session_settle(paths, note, sizeof note, err, err_size) != 0)
        return -1;
    if (profile_open(paths, engine, now_unix, window, opening, err, err_size) != 0)
        return -1;
    snprintf(opening->settled, sizeof opening->settled, "%s", note);
    return 0;
}

int profile_session_settle_if_free(const ProfilePaths *paths, char *note, size_t note_size, char *err,
                                   size_t err_size)
{
    if (note_size)
        note[0] = '\0';
    char pending[PROFILE_PATH_MAX + 16];
    pending_path(paths, pending, sizeof pending);
    struct stat info;
    if (lstat(pending, &info) != 0)
        return 0; /* no save was cut: nothing to settle, and no lock file made by a reader */
    char busy[512];
    int lock = profile_lock(paths, busy, sizeof busy);
    if (lock < 0)
        return 0;
    int status = profile_session_settle(paths, note, note_size, err, err_size);
    profile_unlock(lock);
    return status;
}
