/* session_recorder: a live session's notes, each on its finger's channel. */
#include "session_recorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "profile_files.h"
#include "recording_limits.h"
#include "smf_write.h"

#define DRAIN_BATCH 256
#define REST_CAP_S (RECORDING_MAX_REST_S - 1.0) /* a little under the reader's cap */

struct SessionRecorder {
    double rate;
    TapItem *notes;           /* note messages, in time order */
    size_t note_count, note_capacity;
    EngineFinal *finals;      /* the fingers given, in the order decided */
    size_t final_count, final_capacity;
    uint64_t not_kept;
};

SessionRecorder *session_recorder_create(double sample_rate)
{
    SessionRecorder *r = calloc(1, sizeof *r);
    if (r)
        r->rate = sample_rate;
    return r;
}

void session_recorder_free(SessionRecorder *r)
{
    if (!r)
        return;
    free(r->notes);
    free(r->finals);
    free(r);
}

/* Room for one more element in a growing array (at most RECORDING_MAX_EVENTS); 0 or -1. */
static int grow(void **array, size_t *capacity, size_t count, size_t element)
{
    if (count < *capacity)
        return 0;
    if (*capacity >= RECORDING_MAX_EVENTS)
        return -1;
    size_t bigger = *capacity ? 2 * *capacity : 1024;
    if (bigger > RECORDING_MAX_EVENTS)
        bigger = RECORDING_MAX_EVENTS;
    void *grown = realloc(*array, bigger * element);
    if (!grown)
        return -1;
    *array = grown;
    *capacity = bigger;
    return 0;
}

static void keep(SessionRecorder *r, const TapItem *item)
{
    if (item->kind == TAP_FINAL) {
        if (grow((void **)&r->finals, &r->final_capacity, r->final_count, sizeof *r->finals) != 0) {
            r->not_kept++;
            return;
        }
        r->finals[r->final_count++] = item->final;
        return;
    }
    double length_s = r->note_count ? (double)(item->frame - r->notes[0].frame) / r->rate : 0.0;
    if (length_s > RECORDING_MAX_DURATION_S ||
        grow((void **)&r->notes, &r->note_capacity, r->note_count, sizeof *r->notes) != 0) {
        r->not_kept++;
        return;
    }
    r->notes[r->note_count++] = *item;
}

void session_recorder_take(SessionRecorder *r, RecordingTap *tap)
{
    TapItem batch[DRAIN_BATCH];
    size_t n;
    while ((n = recording_tap_drain(tap, batch, DRAIN_BATCH)) > 0)
        for (size_t i = 0; r && i < n; i++)
            keep(r, &batch[i]);
}

size_t session_recorder_notes(const SessionRecorder *r)
{
    size_t ons = 0;
    for (size_t i = 0; i < r->note_count; i++)
        ons += (r->notes[i].bytes[0] & 0xf0) == 0x90 && r->notes[i].bytes[2] > 0;
    return ons;
}

uint64_t session_recorder_not_kept(const SessionRecorder *r) { return r->not_kept; }

static int compare_finals(const void *a, const void *b)
{
    const EngineFinal *x = a, *y = b;
    if (x->onset_frame != y->onset_frame)
        return x->onset_frame < y->onset_frame ? -1 : 1;
    return (int)x->note - (int)y->note;
}

/* The finger channel of the note starting at frame: the first unused decision for it. */
static int finger_channel(EngineFinal *finals, size_t count, uint64_t frame, uint8_t note, uint8_t *used)
{
    EngineFinal key = {.onset_frame = frame, .note = note};
    size_t low = 0, high = count;
    while (low < high) { /* the first final not before key */
        size_t mid = (low + high) / 2;
        if (compare_finals(&finals[mid], &key) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    for (size_t i = low; i < count && compare_finals(&finals[i], &key) == 0; i++)
        if (!used[i]) {
            used[i] = 1;
            if (finals[i].hand < 0 || finals[i].finger < 0)
                return SESSION_RECORDER_UNFINGERED_CHANNEL;
            return finals[i].hand * 5 + finals[i].finger;
        }
    return SESSION_RECORDER_UNFINGERED_CHANNEL; /* still undecided at the end, or lost */
}

int session_recorder_smf(const SessionRecorder *r, uint8_t **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    if (session_recorder_notes(r) == 0)
        return 1;
    EngineFinal *finals = malloc((r->final_count ? r->final_count : 1) * sizeof *finals);
    uint8_t *used = calloc(r->final_count ? r->final_count : 1, 1);
    /* every note message and a note off for each note still held at the end */
    SmfWriteEvent *events = malloc((3 * r->note_count + 1) * sizeof *events);
    int16_t(*open)[128] = malloc(16 * sizeof *open); /* [input channel][note] -> output channel, -1 none */
    int status = -1;
    if (finals && used && events && open) {
        memcpy(finals, r->finals, r->final_count * sizeof *finals);
        qsort(finals, r->final_count, sizeof *finals, compare_finals);
        memset(open, 0xff, 16 * sizeof *open);
        size_t count = 0;
        double time_s = 0.0;
        for (size_t i = 0; i < r->note_count; i++) {
            const TapItem *m = &r->notes[i];
            if (i > 0) { /* rests beyond the reader's cap are shortened to it */
                double rest = (double)(m->frame - r->notes[i - 1].frame) / r->rate;
                time_s += rest < REST_CAP_S ? rest : REST_CAP_S;
            }
            int channel = m->bytes[0] & 0x0f, note = m->bytes[1] & 0x7f;
            int on = (m->bytes[0] & 0xf0) == 0x90 && m->bytes[2] > 0;
            int out = open[channel][note];
            if (on) {
                if (out >= 0) /* the key struck again while held: end the held note first */
                    events[count++] = (SmfWriteEvent){time_s, {(uint8_t)(0x80 | out), (uint8_t)note, 0}, 3};
                out = finger_channel(finals, r->final_count, m->frame, (uint8_t)note, used);
                open[channel][note] = (int16_t)out;
                events[count++] = (SmfWriteEvent){time_s, {(uint8_t)(0x90 | out), (uint8_t)note, m->bytes[2]}, 3};
            } else if (out >= 0) {
                open[channel][note] = -1;
                events[count++] = (SmfWriteEvent){time_s, {(uint8_t)(0x80 | out), (uint8_t)note, 0}, 3};
            }
        }
        for (int channel = 0; channel < 16; channel++)
            for (int note = 0; note < 128; note++)
                if (open[channel][note] >= 0)
                    events[count++] = (SmfWriteEvent){time_s, {(uint8_t)(0x80 | open[channel][note]), (uint8_t)note, 0}, 3};
        status = smf_write(events, count, time_s, data, size);
    }
    free(finals);
    free(used);
    free(events);
    free(open);
    return status;
}

int session_recorder_save(const SessionRecorder *r, const ProfilePaths *paths, int64_t start_unix, char *said,
                          size_t said_size, char *err, size_t err_size)
{
    if (said_size)
        said[0] = '\0';
    uint8_t *data = NULL;
    size_t size = 0;
    int made = session_recorder_smf(r, &data, &size);
    if (made == 1)
        return 1;
    char path[PROFILE_PATH_MAX + 64];
    if (made != 0)
        snprintf(err, err_size, "cannot make the session's recording: out of memory");
    else if (profile_recording_path(paths, start_unix, path, sizeof path, err, err_size) == 0 &&
             files_write_atomic(path, data, size, err, err_size) == 0) {
        snprintf(said, said_size, "recording: %s (%zu notes, each on its finger's channel: 1-5 right, 6-10 left%s)",
                 path, session_recorder_notes(r), r->not_kept ? "; some not kept: beyond the recording caps" : "");
        free(data);
        return 0;
    }
    free(data);
    return -1;
}
