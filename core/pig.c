/* PIG fingering files: parsing and scoring the auto estimator against the annotation. */
#include "pig.h"

#include "recording_limits.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIG_FIELDS 8
#define PIG_MAX_NOTES (RECORDING_MAX_EVENTS / 2)

static const char *const FIELD_NAME[PIG_FIELDS] = { "id",     "onset",   "offset",  "pitch",
                                                    "onvel",  "offvel",  "channel", "finger" };

typedef struct {
    const char *start;
    size_t length;
} Word;

static int field_error(char *err, size_t err_size, int line, int field, const char *expected, Word w)
{
    char got[41]; /* the word as it can be shown: a control character would reach the terminal */
    size_t n = w.length > 40 ? 40 : w.length;
    for (size_t i = 0; i < n; i++)
        got[i] = (unsigned char)w.start[i] < 0x20 || w.start[i] == 0x7F ? '?' : w.start[i];
    got[n] = '\0';
    snprintf(err, err_size, "line %d, field %d (%s): expected %s, got '%s'", line, field + 1, FIELD_NAME[field],
             expected, got);
    return -1;
}

/* Copies a word into buffer as a C string; false when it is empty or does not fit. */
static bool word_string(Word w, char *buffer, size_t size)
{
    if (w.length == 0 || w.length >= size)
        return false;
    memcpy(buffer, w.start, w.length);
    buffer[w.length] = '\0';
    return true;
}

/* Parses a whole word as a decimal integer. */
static bool parse_int(Word w, long *value)
{
    char buffer[32], *end = NULL;
    if (!word_string(w, buffer, sizeof buffer))
        return false;
    errno = 0;
    long v = strtol(buffer, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *value = v;
    return true;
}

/* Parses a whole word as a finite number. */
static bool parse_number(Word w, double *value)
{
    char buffer[64], *end = NULL;
    if (!word_string(w, buffer, sizeof buffer))
        return false;
    errno = 0;
    double v = strtod(buffer, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v))
        return false;
    *value = v;
    return true;
}

static bool parse_finger(Word w, int *onset_finger, int *release_finger)
{
    size_t split = 0;
    while (split < w.length && w.start[split] != '_')
        split++;
    long first, second;
    Word a = { w.start, split };
    if (!parse_int(a, &first) || first == 0 || first < -5 || first > 5)
        return false;
    second = first;
    if (split < w.length) {
        Word b = { w.start + split + 1, w.length - split - 1 };
        if (!parse_int(b, &second) || second == 0 || second < -5 || second > 5)
            return false;
    }
    *onset_finger = (int)first;
    *release_finger = (int)(second < 0 ? -second : second);
    return true;
}

static int parse_line(const char *text, size_t end, size_t pos, int line, PigNote *note, bool *empty,
                      char *err, size_t err_size)
{
    Word words[PIG_FIELDS + 1];
    int count = 0;
    *empty = false;
    while (pos < end) {
        while (pos < end && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r'))
            pos++;
        if (pos >= end)
            break;
        if (count == 0 && end - pos >= 2 && text[pos] == '/' && text[pos + 1] == '/') {
            *empty = true;
            return 0;
        }
        size_t start = pos;
        while (pos < end && text[pos] != ' ' && text[pos] != '\t' && text[pos] != '\r')
            pos++;
        if (count <= PIG_FIELDS)
            words[count] = (Word){ text + start, pos - start };
        count++;
    }
    if (count == 0) {
        *empty = true;
        return 0;
    }
    if (count != PIG_FIELDS) {
        snprintf(err, err_size,
                 "line %d: expected %d fields (id onset offset pitch onvel offvel channel finger), got %d", line,
                 PIG_FIELDS, count);
        return -1;
    }
    long id, velocity, release_velocity, channel;
    double onset, offset;
    int pitch, onset_finger, release_finger;
    if (!parse_int(words[0], &id) || id < 0)
        return field_error(err, err_size, line, 0, "a note number", words[0]);
    if (!parse_number(words[1], &onset) || onset < 0.0)
        return field_error(err, err_size, line, 1, "a time in seconds", words[1]);
    if (!parse_number(words[2], &offset) || offset < 0.0)
        return field_error(err, err_size, line, 2, "a time in seconds", words[2]);
    if (offset < onset)
        return field_error(err, err_size, line, 2, "a time not before the onset", words[2]);
    if (fingering_parse_pitch_name(words[3].start, words[3].length, &pitch) != 0)
        return field_error(err, err_size, line, 3, "a pitch name like C4, F#3 or Bb2", words[3]);
    if (!parse_int(words[4], &velocity) || velocity < 0 || velocity > 127)
        return field_error(err, err_size, line, 4, "a velocity 0..127", words[4]);
    if (!parse_int(words[5], &release_velocity) || release_velocity < 0 || release_velocity > 127)
        return field_error(err, err_size, line, 5, "a velocity 0..127", words[5]);
    if (!parse_int(words[6], &channel) || (channel != 0 && channel != 1))
        return field_error(err, err_size, line, 6, "0 (right hand) or 1 (left hand)", words[6]);
    if (!parse_finger(words[7], &onset_finger, &release_finger))
        return field_error(err, err_size, line, 7, "a finger 1..5 or -1..-5, or a substitution like 3_1", words[7]);
    note->onset_s = onset;
    note->offset_s = offset;
    note->pitch = (uint8_t)pitch;
    note->velocity = (uint8_t)velocity;
    note->release_velocity = (uint8_t)release_velocity;
    note->hand = (int8_t)(onset_finger < 0 ? HAND_LEFT : HAND_RIGHT);
    note->finger = (int8_t)((onset_finger < 0 ? -onset_finger : onset_finger) - 1);
    note->release_finger = (int8_t)(release_finger - 1);
    return 0;
}

static int compare_times(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The notes' onsets and offsets in time order against the rest and length caps. */
static int check_times(const PigNote *notes, size_t count, char *err, size_t err_size)
{
    double *times = malloc((2 * count + 1) * sizeof *times);
    if (!times) {
        snprintf(err, err_size, "out of memory for %zu notes", count);
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        times[2 * i] = notes[i].onset_s, times[2 * i + 1] = notes[i].offset_s;
    qsort(times, 2 * count, sizeof *times, compare_times);
    int status = recording_check_times(times, sizeof *times, 2 * count, count ? times[2 * count - 1] : 0.0, err,
                                       err_size);
    free(times);
    return status;
}

int pig_read_memory(const char *text, size_t length, PigNote **notes, size_t *count, char *err,
                    size_t err_size)
{
    if (!err)
        err_size = 0;
    *notes = NULL;
    *count = 0;
    if (length > RECORDING_MAX_FILE_BYTES) {
        snprintf(err, err_size, "file of %zu bytes is larger than the limit of %u MiB", length,
                 RECORDING_MAX_FILE_BYTES >> 20u);
        return -1;
    }
    /* at most PIG_MAX_NOTES notes: with the times sorted below, well within RECORDING_MAX_MEMORY_BYTES */
    size_t lines = 1;
    for (size_t i = 0; i < length; i++)
        lines += text[i] == '\n';
    if (lines > PIG_MAX_NOTES)
        lines = PIG_MAX_NOTES;
    PigNote *array = malloc(lines * sizeof *array);
    if (!array) {
        snprintf(err, err_size, "out of memory for %zu lines", lines);
        return -1;
    }
    size_t n = 0, line_start = 0;
    int line = 0;
    while (line_start < length) {
        line++;
        size_t line_end = line_start;
        while (line_end < length && text[line_end] != '\n')
            line_end++;
        bool empty;
        PigNote spare; /* a note past the cap is parsed (its errors come first), then refused */
        if (parse_line(text, line_end, line_start, line, n < lines ? &array[n] : &spare, &empty, err, err_size) != 0) {
            free(array);
            return -1;
        }
        if (!empty && n == PIG_MAX_NOTES) {
            snprintf(err, err_size, "line %d: more than %u notes (the limit of %u events a file, two a note)", line,
                     PIG_MAX_NOTES, RECORDING_MAX_EVENTS);
            free(array);
            return -1;
        }
        if (!empty)
            n++;
        line_start = line_end + 1;
    }
    if (check_times(array, n, err, err_size) != 0) {
        free(array);
        return -1;
    }
    *notes = array;
    *count = n;
    return 0;
}

int pig_read_file(const char *path, PigNote **notes, size_t *count, char *err, size_t err_size)
{
    if (!err)
        err_size = 0;
    *notes = NULL;
    *count = 0;
    uint8_t *bytes;
    size_t length;
    if (recording_read_file(path, &bytes, &length, err, err_size) != 0)
        return -1;
    char *text = (char *)bytes;
    char message[256] = "";
    int status = pig_read_memory(text, length, notes, count, message, sizeof message);
    free(text);
    if (status != 0)
        snprintf(err, err_size, "%s: %s", path, message);
    return status;
}

void pig_free(PigNote *notes)
{
    free(notes);
}

typedef struct {
    double time_s;
    int is_on;   /* releases (0) sort before onsets (1) at the same time */
    size_t index;
} PigEvent;

static int compare_events(const void *pa, const void *pb)
{
    const PigEvent *a = pa, *b = pb;
    if (a->time_s != b->time_s)
        return a->time_s < b->time_s ? -1 : 1;
    if (a->index == b->index) /* a note of zero length: onset first */
        return b->is_on - a->is_on;
    if (a->is_on != b->is_on)
        return a->is_on - b->is_on;
    return a->index < b->index ? -1 : a->index > b->index ? 1 : 0;
}

static void collect_finals(Fingering *f, const PigNote *notes, size_t count, size_t *matches, uint8_t *correct)
{
    FingerAssignment a;
    while (fingering_take_final(f, &a))
        if (a.id < count && a.hand == notes[a.id].hand && a.finger == notes[a.id].finger) {
            (*matches)++;
            if (correct)
                correct[a.id] = 1;
        }
}

int fingering_score_pig(const FingeringConfig *config, const PigNote *notes, size_t count, size_t *matches,
                        size_t *total, uint8_t *correct, char *err, size_t err_size)
{
    if (!err)
        err_size = 0;
    *matches = 0;
    *total = 0;
    if (correct)
        memset(correct, 0, count);
    if (count > UINT32_MAX) {
        snprintf(err, err_size, "too many notes (%zu)", count);
        return -1;
    }
    FingeringConfig auto_config = *config;
    auto_config.mode = FINGERING_AUTO;
    Fingering *f = fingering_create(&auto_config, err, err_size);
    if (!f)
        return -1;
    PigEvent *events = malloc((count ? 2 * count : 1) * sizeof *events);
    if (!events) {
        fingering_free(f);
        snprintf(err, err_size, "out of memory for %zu notes", count);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        events[2 * i] = (PigEvent){ notes[i].onset_s, 1, i };
        events[2 * i + 1] = (PigEvent){ notes[i].offset_s, 0, i };
    }
    qsort(events, 2 * count, sizeof *events, compare_events);
    for (size_t k = 0; k < 2 * count; k++) {
        const PigNote *note = &notes[events[k].index];
        if (events[k].is_on) {
            FingerAssignment provisional;
            fingering_note_on(f, (uint32_t)events[k].index, note->onset_s, 0, note->pitch, note->velocity,
                              &provisional);
        } else {
            fingering_note_off(f, note->offset_s, 0, note->pitch);
        }
        collect_finals(f, notes, count, matches, correct);
    }
    fingering_flush(f);
    collect_finals(f, notes, count, matches, correct);
    free(events);
    fingering_free(f);
    *total = count;
    return 0;
}

static int by_time_offs_first(const void *a, const void *b)
{
    const SmfEvent *x = a, *y = b;
    if (x->time_s != y->time_s)
        return x->time_s < y->time_s ? -1 : 1;
    int x_on = (x->bytes[0] & 0xF0) == 0x90, y_on = (y->bytes[0] & 0xF0) == 0x90;
    if (x_on != y_on)
        return x_on - y_on;
    return x->tick < y->tick ? -1 : (x->tick > y->tick ? 1 : 0); /* file order */
}

int pig_to_channel_events(const PigNote *notes, size_t count, SmfEvent **events, char *err, size_t err_size)
{
    SmfEvent *out = calloc(count ? 2 * count : 1, sizeof *out);
    if (!out) {
        snprintf(err, err_size, "out of memory for %zu notes", count);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const PigNote *n = &notes[i];
        uint8_t channel = (uint8_t)(n->hand * FINGER_COUNT + n->finger);
        uint8_t velocity = n->velocity ? n->velocity : 1; /* velocity 0 would be a note-off */
        out[2 * i] = (SmfEvent){n->onset_s, 2 * i, 3, {(uint8_t)(0x90 | channel), n->pitch, velocity}, 0};
        out[2 * i + 1] = (SmfEvent){n->offset_s, 2 * i + 1, 3, {(uint8_t)(0x80 | channel), n->pitch, 0}, 0};
    }
    qsort(out, 2 * count, sizeof *out, by_time_offs_first);
    *events = out;
    return 0;
}
