/* practice_log: one JSON object per session, appended with a single write and read back by a
 * strict reader of exactly the format written here (keys in this order, any spacing):
 *   {"start": UNIX, "end": UNIX, "played_s": S, "notes": N, "hands_used": BITS,
 *    "notes_per_finger": {"right": [5 counts], "left": [5 counts]},
 *    "map": {"right": {METRICS}, "left": {METRICS}}, "warnings_count": N, "warnings": [TEXT, ...]}
 * METRICS holds every MapMetrics field under its C name (arrays flattened row by row). Lines
 * written before model v2 end their METRICS before "patches" and "order_index"; they read
 * back with 0 for both (docs/practice.md). */
#include "practice_log.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "files.h"

#define LOG_MAX_SIZE ((size_t)256 << 20)
#define PATH_MAX_LOG 4096

/* The MapMetrics fields in the order a line holds them: floats (count of them), one int or
 * ints (count of them); optional fields may be missing from the end of an older line. */
typedef struct {
    const char *name;
    size_t offset;
    int count; /* floats; 0: one int */
    int ints;  /* ints, when count is 0 and this is > 0 */
    int optional;
} MetricField;

#define FLOATS(field, n) {#field, offsetof(MapMetrics, field), n, 0, 0}
#define INT(field) {#field, offsetof(MapMetrics, field), 0, 0, 0}
#define NEWER_INTS(field, n) {#field, offsetof(MapMetrics, field), 0, n, 1}
#define NEWER_FLOATS(field, n) {#field, offsetof(MapMetrics, field), n, 0, 1}
static const MetricField METRIC_FIELDS[] = {
    INT(valid),
    FLOATS(area_fraction, METRICS_DIGITS),
    FLOATS(area_mm2, METRICS_DIGITS),
    FLOATS(unresponsive_fraction, 1),
    FLOATS(rf_points, METRICS_DIGITS),
    FLOATS(rf_digits, METRICS_DIGITS),
    FLOATS(rf_points_mean, 1),
    FLOATS(rf_digits_mean, 1),
    FLOATS(multi_digit_fraction, 1),
    FLOATS(overlap, METRICS_DIGITS * METRICS_DIGITS),
    FLOATS(centroid_mm, METRICS_DIGITS * 2),
    FLOATS(largest_patch_fraction, METRICS_DIGITS),
    FLOATS(d1_d5_distance_mm, 1),
    FLOATS(neighbour_distance_mm, METRICS_PAIRS),
    FLOATS(border_sharpness, METRICS_PAIRS),
    FLOATS(pair_risk, METRICS_PAIRS),
    FLOATS(overlap_risk, 1),
    INT(risk_pair),
    NEWER_INTS(patches, METRICS_DIGITS), /* model v2 */
    NEWER_FLOATS(order_index, 1),
};
#define METRIC_FIELD_COUNT (sizeof METRIC_FIELDS / sizeof *METRIC_FIELDS)

/* ---- Building a record ---- */

void practice_log_begin(PracticeSessionRecord *record, int64_t start_unix, const EngineSnapshot *start)
{
    memset(record, 0, sizeof *record);
    record->start_unix = record->end_unix = start_unix;
    if (!start)
        return;
    practice_log_note_start(record, start);
    record->notes = start->notes; /* baselines until practice_log_finish */
    memcpy(record->notes_per_finger, start->load.notes_per_finger, sizeof record->notes_per_finger);
}

void practice_log_reference(MapReference *reference, const MapMetrics *map)
{
    memset(reference, 0, sizeof *reference);
    if (!map->valid)
        return;
    reference->known = 1;
    memcpy(reference->area_fraction, map->area_fraction, sizeof reference->area_fraction);
    for (int p = 0; p < METRICS_PAIRS; p++)
        reference->pair_overlap[p] = map->overlap[p][p + 1];
    reference->overlap_risk = map->overlap_risk;
}

void practice_log_note_start(PracticeSessionRecord *record, const EngineSnapshot *start)
{
    for (int h = 0; h < ENGINE_HANDS; h++)
        practice_log_reference(&record->at_start[h], &start->map[h]);
}

#define WEEK_S (7 * 86400)
void practice_log_note_week_ago(PracticeSessionRecord *record, const PracticeSessionRecord *log, size_t count)
{
    const PracticeSessionRecord *then = NULL;
    for (size_t i = 0; i < count; i++)
        if (log[i].end_unix <= record->start_unix - WEEK_S && (!then || log[i].end_unix >= then->end_unix))
            then = &log[i];
    for (int h = 0; h < ENGINE_HANDS; h++) {
        if (then)
            practice_log_reference(&record->week_ago[h], &then->map[h]);
        else
            memset(&record->week_ago[h], 0, sizeof record->week_ago[h]);
    }
}

void practice_log_add_warning(PracticeSessionRecord *record, const char *text)
{
    unsigned kept = record->warnings_count < PRACTICE_LOG_WARNINGS ? record->warnings_count : PRACTICE_LOG_WARNINGS;
    for (unsigned i = 0; i < kept; i++)
        if (strncmp(record->warnings[i], text, sizeof record->warnings[i] - 1) == 0)
            return; /* the same warning again */
    if (kept < PRACTICE_LOG_WARNINGS)
        snprintf(record->warnings[kept], sizeof record->warnings[kept], "%s", text);
    record->warnings_count++;
}

void practice_log_observe_warning(PracticeSessionRecord *record, const Warning *w, Warning *last)
{
    if (w->level != WARNING_LEVEL_NONE &&
        (last->level == WARNING_LEVEL_NONE || w->level != last->level || w->reason != last->reason ||
         w->pair != last->pair || w->hand != last->hand)) {
        char text[sizeof record->warnings[0]];
        load_warning_text(w, text, sizeof text);
        practice_log_add_warning(record, text);
    }
    *last = *w;
}

void practice_log_finish(PracticeSessionRecord *record, int64_t end_unix, double played_s, const EngineSnapshot *end)
{
    record->end_unix = end_unix;
    record->played_s = played_s > 0.0 ? played_s : 0.0;
    record->notes = end->notes - record->notes;
    record->hands_used = 0;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        for (int f = 0; f < 5; f++) {
            record->notes_per_finger[h][f] = end->load.notes_per_finger[h][f] - record->notes_per_finger[h][f];
            if (record->notes_per_finger[h][f])
                record->hands_used |= 1 << h;
        }
        record->map[h] = end->map[h];
    }
}

static long parse_log(const char *path, char *text, size_t size, PracticeSessionRecord *out, char *err,
                      size_t err_size);
static int load_log(const char *path, char **data, size_t *size, char *err, size_t err_size);

/* ---- Writing ---- */

typedef struct {
    char *text;
    size_t used, size;
    int overflow;
} LineBuffer;

__attribute__((format(printf, 2, 3))) static void put(LineBuffer *b, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(b->text + b->used, b->size - b->used, format, args);
    va_end(args);
    if (n < 0 || (size_t)n >= b->size - b->used)
        b->overflow = 1;
    else
        b->used += (size_t)n;
}

/* A float that survives the round trip exactly; JSON has no NaN or Inf, they become 0. */
static void put_float(LineBuffer *b, float value)
{
    put(b, "%.9g", isfinite(value) ? (double)value : 0.0);
}

static void put_string(LineBuffer *b, const char *text)
{
    put(b, "\"");
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            put(b, "\\%c", *c);
        else if (*c == '\n')
            put(b, "\\n");
        else if (*c < 0x20 || *c == 0x7f)
            put(b, "\\u%04x", *c);
        else
            put(b, "%c", *c);
    }
    put(b, "\"");
}

static void put_metrics(LineBuffer *b, const MapMetrics *m)
{
    put(b, "{");
    for (size_t i = 0; i < METRIC_FIELD_COUNT; i++) {
        const MetricField *f = &METRIC_FIELDS[i];
        const char *at = (const char *)m + f->offset;
        put(b, "%s\"%s\": ", i ? ", " : "", f->name);
        if (f->count == 0) {
            const int ints = f->ints > 0 ? f->ints : 1;
            put(b, f->ints > 0 ? "[" : "");
            for (int k = 0; k < ints; k++) {
                int value;
                memcpy(&value, at + (size_t)k * sizeof(int), sizeof value);
                put(b, "%s%d", k ? ", " : "", value);
            }
            put(b, f->ints > 0 ? "]" : "");
            continue;
        }
        if (f->count > 1)
            put(b, "[");
        for (int k = 0; k < f->count; k++) {
            float value;
            memcpy(&value, at + (size_t)k * sizeof(float), sizeof value);
            put(b, k ? ", " : "");
            put_float(b, value);
        }
        if (f->count > 1)
            put(b, "]");
    }
    put(b, "}");
}

/* null, or {"area": [5], "overlap": [4], "risk": x} */
static void put_reference(LineBuffer *b, const MapReference *m)
{
    if (!m->known) {
        put(b, "null");
        return;
    }
    put(b, "{\"area\": [");
    for (int d = 0; d < METRICS_DIGITS; d++) {
        put(b, d ? ", " : "");
        put_float(b, m->area_fraction[d]);
    }
    put(b, "], \"overlap\": [");
    for (int p = 0; p < METRICS_PAIRS; p++) {
        put(b, p ? ", " : "");
        put_float(b, m->pair_overlap[p]);
    }
    put(b, "], \"risk\": ");
    put_float(b, m->overlap_risk);
    put(b, "}");
}

static void format_record(LineBuffer *b, const PracticeSessionRecord *r)
{
    put(b, "{\"start\": %lld, \"end\": %lld, \"played_s\": %.17g, \"notes\": %llu, \"hands_used\": %d",
        (long long)r->start_unix, (long long)r->end_unix, isfinite(r->played_s) ? r->played_s : 0.0,
        (unsigned long long)r->notes, r->hands_used & 3);
    put(b, ", \"notes_per_finger\": {");
    for (int h = 0; h < ENGINE_HANDS; h++) {
        put(b, "%s\"%s\": [", h ? ", " : "", CLI_HAND_NAMES[h]);
        for (int f = 0; f < 5; f++)
            put(b, "%s%llu", f ? ", " : "", (unsigned long long)r->notes_per_finger[h][f]);
        put(b, "]");
    }
    put(b, "}, \"map\": {");
    for (int h = 0; h < ENGINE_HANDS; h++) {
        put(b, "%s\"%s\": ", h ? ", " : "", CLI_HAND_NAMES[h]);
        put_metrics(b, &r->map[h]);
    }
    put(b, "}, \"warnings_count\": %u, \"warnings\": [", r->warnings_count);
    int written = 0;
    for (unsigned i = 0; i < PRACTICE_LOG_WARNINGS && i < r->warnings_count; i++) {
        char text[sizeof r->warnings[i]]; /* at most 159 bytes: what the reader takes back */
        snprintf(text, sizeof text, "%.*s", (int)sizeof text - 1, r->warnings[i]);
        if (!text[0])
            continue;
        put(b, written++ ? ", " : "");
        put_string(b, text);
    }
    put(b, "], \"changes\": {");
    for (int which = 0; which < 2; which++) {
        const MapReference *references = which ? r->week_ago : r->at_start;
        put(b, "%s\"%s\": {", which ? ", " : "", which ? "week_ago" : "start");
        for (int h = 0; h < ENGINE_HANDS; h++) {
            put(b, "%s\"%s\": ", h ? ", " : "", CLI_HAND_NAMES[h]);
            put_reference(b, &references[h]);
        }
        put(b, "}");
    }
    put(b, "}}\n");
}

/* Cuts an incomplete last line (a write torn by a crash) so the next line starts clean.
 * Returns the file's size afterwards, or -1. */
static off_t drop_torn_tail(int fd)
{
    struct stat info;
    if (fstat(fd, &info) != 0)
        return -1;
    off_t end = info.st_size;
    char c;
    if (end == 0 || (pread(fd, &c, 1, end - 1) == 1 && c == '\n'))
        return end;
    off_t keep = end - 1;
    while (keep > 0 && !(pread(fd, &c, 1, keep - 1) == 1 && c == '\n'))
        keep--;
    return ftruncate(fd, keep) == 0 ? keep : -1;
}

int practice_log_format(const PracticeSessionRecord *record, char *line, size_t size)
{
    LineBuffer buffer = {line, 0, size, 0};
    format_record(&buffer, record);
    return buffer.overflow || buffer.used > INT32_MAX ? -1 : (int)buffer.used;
}

/* Renames an unreadable log out of the way (never over another file): path.unreadable-STAMP,
 * or with -2, -3 ... after it. Returns 0 with its new name in aside, or -1 with err. */
static int set_aside(const char *path, int64_t stamp, char *aside, size_t aside_size, char *err, size_t err_size)
{
    for (int attempt = 1; attempt <= 100; attempt++) {
        if (attempt == 1)
            snprintf(aside, aside_size, "%s.unreadable-%lld", path, (long long)stamp);
        else
            snprintf(aside, aside_size, "%s.unreadable-%lld-%d", path, (long long)stamp, attempt);
        struct stat info;
        if (lstat(aside, &info) == 0)
            continue;
        if (rename(path, aside) == 0)
            return 0;
        break;
    }
    snprintf(err, err_size, "cannot set the unreadable log '%s' aside: %s", path, strerror(errno));
    return -1;
}

/* A log that the reader refuses is set aside (whole, under a new name) before a line is
 * appended, so that history reads the new log and nothing of the old is lost. Returns 0 (note
 * says what was done, or is empty), or -1 with err when the log cannot be read or moved. */
static int keep_log_readable(const char *path, int64_t stamp, char *note, size_t note_size, char *err,
                             size_t err_size)
{
    struct stat info;
    if (stat(path, &info) != 0 || !S_ISREG(info.st_mode))
        return 0; /* none yet, or a device: appended to as it is */
    char *text, why[512];
    size_t size;
    int loaded = load_log(path, &text, &size, why, sizeof why);
    if (loaded < 0) {
        snprintf(err, err_size, "%s", why);
        return -1;
    }
    int readable = loaded == 0 && (!text || parse_log(path, text, size, NULL, why, sizeof why) >= 0);
    free(text);
    if (readable)
        return 0;
    char aside[PATH_MAX_LOG];
    if (set_aside(path, stamp, aside, sizeof aside, err, err_size) != 0)
        return -1;
    snprintf(note, note_size, "the practice log did not read (%s); it is kept whole as '%s' and a new log begins",
             why, aside);
    return 0;
}

int practice_log_append(const char *path, const PracticeSessionRecord *record, char *note, size_t note_size,
                        char *err, size_t err_size)
{
    if (note_size)
        note[0] = '\0';
    char *text = malloc(2 * PRACTICE_LOG_LINE_MAX);
    if (!text) {
        snprintf(err, err_size, "cannot append to '%s': out of memory", path);
        return -1;
    }
    int length = practice_log_format(record, text, PRACTICE_LOG_LINE_MAX);
    if (length < 0) {
        snprintf(err, err_size, "cannot append to '%s': the record is longer than %d bytes", path, PRACTICE_LOG_LINE_MAX);
        free(text);
        return -1;
    }
    /* what is written must read back: the line goes through the reader first */
    char *copy = text + PRACTICE_LOG_LINE_MAX, why[512];
    memcpy(copy, text, (size_t)length + 1);
    if (parse_log(path, copy, (size_t)length, NULL, why, sizeof why) != 1) {
        snprintf(err, err_size, "cannot append to '%s': the record would not read back: %s", path, why);
        free(text);
        return -1;
    }
    if (keep_log_readable(path, record->end_unix, note, note_size, err, err_size) != 0) {
        free(text);
        return -1;
    }
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, err_size, "cannot append to '%s': %s", path, strerror(errno));
        free(text);
        return -1;
    }
    const char *step = NULL;
    off_t before = drop_torn_tail(fd);
    if (before < 0)
        step = "repairing its last line";
    else {
        ssize_t n;
        do
            n = write(fd, text, (size_t)length); /* one write: the line goes in whole */
        while (n < 0 && errno == EINTR);
        if (n != (ssize_t)length) {
            int saved = n < 0 ? errno : ENOSPC;
            (void)!ftruncate(fd, before); /* take back a partial line */
            errno = saved;
            step = "writing";
        } else if (fsync(fd) != 0)
            step = "flushing";
    }
    if (step)
        snprintf(err, err_size, "cannot append to '%s': %s failed: %s", path, step, strerror(errno));
    close(fd);
    free(text);
    return step ? -1 : 0;
}

/* ---- Reading ---- */

typedef struct {
    const char *p;
    const char *at;    /* where the first problem was found (NULL: none yet) */
    char problem[96];
} Cursor;

static void skip_spaces(Cursor *c)
{
    while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r')
        c->p++;
}

/* Records the first problem (what was expected) at the cursor; returns -1. */
__attribute__((format(printf, 2, 3))) static int fail(Cursor *c, const char *format, ...)
{
    if (!c->at) {
        va_list args;
        va_start(args, format);
        vsnprintf(c->problem, sizeof c->problem, format, args);
        va_end(args);
        c->at = c->p;
    }
    return -1;
}

/* The next character after spaces, not consumed. */
static char peek(Cursor *c)
{
    skip_spaces(c);
    return *c->p;
}

static int expect(Cursor *c, char token)
{
    skip_spaces(c);
    if (*c->p != token)
        return fail(c, "expected '%c'", token);
    c->p++;
    return 0;
}

/* A JSON string into out (at most out_size - 1 bytes); escapes as JSON defines them. */
static int read_string(Cursor *c, char *out, size_t out_size)
{
    if (expect(c, '"') != 0)
        return fail(c, "expected a string");
    size_t n = 0;
    while (*c->p != '"') {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '\0' || ch < 0x20)
            return fail(c, "unterminated string");
        c->p++;
        if (ch == '\\') {
            char e = *c->p++;
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple)
                ch = (unsigned char)"\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            else if (e == 'u') {
                unsigned code;
                int used = 0;
                if (sscanf(c->p, "%4x%n", &code, &used) != 1 || used != 4 || code > 0x7f)
                    return fail(c, "expected \\u00XX (an ASCII character)");
                c->p += 4;
                ch = (unsigned char)code;
            } else
                return fail(c, "unknown escape in string");
        }
        if (n + 1 >= out_size)
            return fail(c, "string too long");
        out[n++] = (char)ch;
    }
    c->p++;
    out[n] = '\0';
    return 0;
}

/* "name": */
static int expect_key(Cursor *c, const char *name)
{
    skip_spaces(c);
    const char *start = c->p;
    size_t length = strlen(name);
    if (*c->p != '"' || strncmp(c->p + 1, name, length) != 0 || c->p[length + 1] != '"') {
        c->p = start;
        return fail(c, "expected the key \"%s\"", name);
    }
    c->p += length + 2;
    return expect(c, ':');
}

/* A JSON number (no hexadecimal, infinity or NaN, which strtod would take). */
static int read_double(Cursor *c, double *out)
{
    skip_spaces(c);
    char *end;
    errno = 0;
    double value = strtod(c->p, &end);
    int json_number = end > c->p && (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) &&
                      strcspn(c->p, "xXnNiI") >= (size_t)(end - c->p);
    if (!json_number || errno == ERANGE || !isfinite(value))
        return fail(c, "expected a number");
    c->p = end;
    *out = value;
    return 0;
}

static int read_float(Cursor *c, float *out)
{
    double value;
    if (read_double(c, &value) != 0)
        return -1;
    if (fabs(value) > 3.4e38)
        return fail(c, "number out of range");
    *out = (float)value;
    return 0;
}

/* A whole number in [min, max]. */
static int read_whole(Cursor *c, long long min, unsigned long long max, long long *as_signed,
                      unsigned long long *as_unsigned)
{
    skip_spaces(c);
    if (!(*c->p == '-' || (*c->p >= '0' && *c->p <= '9')))
        return fail(c, "expected a whole number");
    char *end;
    errno = 0;
    int negative = *c->p == '-';
    long long s = negative ? strtoll(c->p, &end, 10) : 0;
    unsigned long long u = negative ? 0 : strtoull(c->p, &end, 10);
    if (errno == ERANGE || (negative && s < min) || (!negative && u > max) || *end == '.' || *end == 'e' ||
        *end == 'E')
        return fail(c, "expected a whole number in range");
    c->p = end;
    if (as_signed)
        *as_signed = negative ? s : (long long)u;
    if (as_unsigned)
        *as_unsigned = u;
    return 0;
}

/* A separator: ',' before every item but the first. */
static int next_item(Cursor *c, int index)
{
    return index ? expect(c, ',') : 0;
}

static int read_metrics(Cursor *c, MapMetrics *m)
{
    if (expect(c, '{') != 0)
        return -1;
    for (size_t i = 0; i < METRIC_FIELD_COUNT; i++) {
        const MetricField *f = &METRIC_FIELDS[i];
        char *at = (char *)m + f->offset;
        if (f->optional && peek(c) == '}')
            break; /* a line from before this field: it reads as 0 */
        if (next_item(c, (int)i) != 0 || expect_key(c, f->name) != 0)
            return -1;
        if (f->count == 0) {
            const int ints = f->ints > 0 ? f->ints : 1;
            if (f->ints > 0 && expect(c, '[') != 0)
                return -1;
            for (int k = 0; k < ints; k++) {
                long long value = 0;
                if (next_item(c, k) != 0 || read_whole(c, -1000, 1000000, &value, NULL) != 0)
                    return -1;
                int v = (int)value;
                memcpy(at + (size_t)k * sizeof(int), &v, sizeof v);
            }
            if (f->ints > 0 && expect(c, ']') != 0)
                return -1;
            continue;
        }
        if (f->count > 1 && expect(c, '[') != 0)
            return -1;
        for (int k = 0; k < f->count; k++) {
            float value = 0.0f;
            if (next_item(c, k) != 0 || read_float(c, &value) != 0)
                return -1;
            memcpy(at + (size_t)k * sizeof(float), &value, sizeof value);
        }
        if (f->count > 1 && expect(c, ']') != 0)
            return -1;
    }
    return expect(c, '}');
}

/* Opens "name": { "right": ..., "left": ... } hand by hand: call with hand 0, then 1. */
static int expect_hand(Cursor *c, int hand)
{
    return (next_item(c, hand) != 0 || expect_key(c, CLI_HAND_NAMES[hand]) != 0) ? -1 : 0;
}

/* "[x, ...]" of n floats into out. */
static int read_floats(Cursor *c, float *out, int n)
{
    if (expect(c, '['))
        return -1;
    for (int k = 0; k < n; k++)
        if (next_item(c, k) || read_float(c, &out[k]))
            return -1;
    return expect(c, ']');
}

/* null, or a reference as put_reference writes it. */
static int read_reference(Cursor *c, MapReference *m)
{
    memset(m, 0, sizeof *m);
    if (peek(c) == 'n') {
        if (strncmp(c->p, "null", 4) != 0)
            return fail(c, "expected null or a map's reference");
        c->p += 4;
        return 0;
    }
    m->known = 1;
    if (expect(c, '{') || expect_key(c, "area") || read_floats(c, m->area_fraction, METRICS_DIGITS) ||
        expect(c, ',') || expect_key(c, "overlap") || read_floats(c, m->pair_overlap, METRICS_PAIRS) ||
        expect(c, ',') || expect_key(c, "risk") || read_float(c, &m->overlap_risk))
        return -1;
    return expect(c, '}');
}

static int parse_record(Cursor *c, PracticeSessionRecord *r)
{
    memset(r, 0, sizeof *r);
    long long whole;
    unsigned long long count;
    if (expect(c, '{') != 0 || expect_key(c, "start") != 0 || read_whole(c, -(1LL << 40), 1ULL << 40, &whole, NULL))
        return -1;
    r->start_unix = whole;
    if (expect(c, ',') || expect_key(c, "end") || read_whole(c, -(1LL << 40), 1ULL << 40, &whole, NULL))
        return -1;
    r->end_unix = whole;
    if (expect(c, ',') || expect_key(c, "played_s") || read_double(c, &r->played_s))
        return -1;
    if (r->played_s < 0)
        return fail(c, "played_s is negative");
    if (expect(c, ',') || expect_key(c, "notes") || read_whole(c, 0, UINT64_MAX, NULL, &count))
        return -1;
    r->notes = count;
    if (expect(c, ',') || expect_key(c, "hands_used") || read_whole(c, 0, 3, &whole, NULL))
        return -1;
    r->hands_used = (int)whole;
    if (expect(c, ',') || expect_key(c, "notes_per_finger") || expect(c, '{'))
        return -1;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        if (expect_hand(c, h) || expect(c, '['))
            return -1;
        for (int f = 0; f < 5; f++) {
            if (next_item(c, f) || read_whole(c, 0, UINT64_MAX, NULL, &count))
                return -1;
            r->notes_per_finger[h][f] = count;
        }
        if (expect(c, ']'))
            return -1;
    }
    if (expect(c, '}') || expect(c, ',') || expect_key(c, "map") || expect(c, '{'))
        return -1;
    for (int h = 0; h < ENGINE_HANDS; h++)
        if (expect_hand(c, h) || read_metrics(c, &r->map[h]))
            return -1;
    if (expect(c, '}') || expect(c, ',') || expect_key(c, "warnings_count") || read_whole(c, 0, UINT32_MAX, NULL, &count))
        return -1;
    r->warnings_count = (unsigned)count;
    if (expect(c, ',') || expect_key(c, "warnings") || expect(c, '['))
        return -1;
    skip_spaces(c);
    for (int i = 0; *c->p != ']'; i++) {
        if (i >= PRACTICE_LOG_WARNINGS)
            return fail(c, "more than %d warning texts", PRACTICE_LOG_WARNINGS);
        if (next_item(c, i) || read_string(c, r->warnings[i], sizeof r->warnings[i]))
            return -1;
        skip_spaces(c);
    }
    if (expect(c, ']'))
        return -1;
    if (peek(c) == ',') { /* "what changed today": lines written before it have none */
        if (expect(c, ',') || expect_key(c, "changes") || expect(c, '{'))
            return -1;
        for (int which = 0; which < 2; which++) {
            MapReference *references = which ? r->week_ago : r->at_start;
            if (next_item(c, which) || expect_key(c, which ? "week_ago" : "start") || expect(c, '{'))
                return -1;
            for (int h = 0; h < ENGINE_HANDS; h++)
                if (expect_hand(c, h) || read_reference(c, &references[h]))
                    return -1;
            if (expect(c, '}'))
                return -1;
        }
        if (expect(c, '}'))
            return -1;
    }
    if (expect(c, '}'))
        return -1;
    skip_spaces(c);
    return *c->p == '\0' ? 0 : fail(c, "unexpected text after the record");
}

int practice_log_parse_line(const char *line, PracticeSessionRecord *record, char *err, size_t err_size)
{
    Cursor c = {line, NULL, ""};
    skip_spaces(&c);
    if (parse_record(&c, record) == 0)
        return 0;
    snprintf(err, err_size, "column %zu: %s", (size_t)(c.at - line) + 1, c.problem);
    return -1;
}

/* Parses the complete lines of text (size bytes, text[size] == '\0'; the lines are cut in
 * place) into out (room for every line), or only checks them when out is NULL. Returns the
 * records, or -1 with err naming path, line and column. An incomplete last line (a session
 * cut short by a crash) and blank lines are skipped. */
static long parse_log(const char *path, char *text, size_t size, PracticeSessionRecord *out, char *err,
                      size_t err_size)
{
    PracticeSessionRecord *scratch = out ? NULL : malloc(sizeof *scratch);
    if (!out && !scratch) {
        snprintf(err, err_size, "cannot read '%s': out of memory", path);
        return -1;
    }
    long used = 0;
    size_t line_number = 0;
    for (char *line = text; line < text + size;) {
        char *newline = memchr(line, '\n', (size_t)(text + size - line));
        line_number++;
        if (!newline)
            break;
        *newline = '\0';
        Cursor c = {line, NULL, ""};
        skip_spaces(&c);
        if (strlen(line) != (size_t)(newline - line))
            fail(&c, "a NUL byte in the line");
        else if (*c.p != '\0' && parse_record(&c, out ? &out[used] : scratch) == 0)
            used++;
        if (c.at) {
            snprintf(err, err_size, "%s:%zu: column %zu: %s (not a practice-log record)", path, line_number,
                     (size_t)(c.at - line) + 1, c.problem);
            used = -1;
            break;
        }
        line = newline + 1;
    }
    free(scratch);
    return used;
}

long practice_log_check(const char *origin, char *text, size_t size, char *err, size_t err_size)
{
    return parse_log(origin, text, size, NULL, err, err_size);
}

/* The log's bytes with a NUL after them (free()). A missing log is *data NULL. Returns 0, 1
 * when the log is larger than the reader takes, or -1 with err. */
static int load_log(const char *path, char **data, size_t *size, char *err, size_t err_size)
{
    *data = NULL;
    *size = 0;
    struct stat info;
    if (stat(path, &info) != 0 && errno == ENOENT)
        return 0; /* no sessions yet */
    if (!S_ISREG(info.st_mode)) { /* a FIFO would block, a device never end */
        snprintf(err, err_size, "cannot read '%s': not a regular file", path);
        return -1;
    }
    if ((uint64_t)info.st_size > LOG_MAX_SIZE) {
        snprintf(err, err_size, "cannot read '%s': larger than %zu MiB", path, LOG_MAX_SIZE >> 20);
        return 1;
    }
    uint8_t *bytes = NULL;
    if (files_read(path, LOG_MAX_SIZE, &bytes, size, err, err_size) != 0)
        return -1;
    char *text = realloc(bytes, *size + 1);
    if (!text) {
        snprintf(err, err_size, "cannot read '%s': out of memory", path);
        free(bytes);
        return -1;
    }
    text[*size] = '\0';
    *data = text;
    return 0;
}

int practice_log_read(const char *path, PracticeSessionRecord **records, size_t *count, char *err, size_t err_size)
{
    *records = NULL;
    *count = 0;
    char *text;
    size_t size;
    if (load_log(path, &text, &size, err, err_size) != 0)
        return -1;
    if (!text)
        return 0;
    size_t lines = 0;
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n';
    PracticeSessionRecord *out = malloc((lines ? lines : 1) * sizeof *out);
    if (!out) {
        snprintf(err, err_size, "cannot read '%s': out of memory", path);
        free(text);
        return -1;
    }
    long used = parse_log(path, text, size, out, err, err_size);
    free(text);
    if (used < 0) {
        free(out);
        return -1;
    }
    *records = out;
    *count = (size_t)used;
    return 0;
}
