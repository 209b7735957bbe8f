/* exercises: generated and recorded practice as timed finger events. */
#include "exercises.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pig.h"
#include "smf.h"

static const char *const KIND_NAMES[EXERCISE_KIND_COUNT] = {
    "scale", "arpeggio", "five_finger", "trill", "chord", "repeated", "random", "passive", "recording"};

int exercise_kind_from_name(const char *name)
{
    for (int k = 0; k < EXERCISE_KIND_COUNT; k++)
        if (strcmp(name, KIND_NAMES[k]) == 0)
            return k;
    return -1;
}

const char *exercise_kind_name(ExerciseKind kind)
{
    return kind >= 0 && kind < EXERCISE_KIND_COUNT ? KIND_NAMES[kind] : "?";
}

/* A figure: fingers (0 thumb) and pitches of one hand, one per step, looped. */
typedef struct {
    int length;
    int8_t finger[14];
    uint8_t note[14];
} Figure;

/* C major, C4 (right) and C3 (left), fingerings as taught. */
static const Figure SCALE[2] = {
    {14, {0, 1, 2, 0, 1, 2, 3, 4, 3, 2, 1, 0, 2, 1}, {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62}},
    {14, {4, 3, 2, 1, 0, 2, 1, 0, 1, 2, 0, 1, 2, 3}, {48, 50, 52, 53, 55, 57, 59, 60, 59, 57, 55, 53, 52, 50}}};
static const Figure ARPEGGIO[2] = {{6, {0, 1, 2, 4, 2, 1}, {60, 64, 67, 72, 67, 64}},
                                   {6, {4, 3, 1, 0, 1, 3}, {48, 52, 55, 60, 55, 52}}};
static const Figure FIVE_FINGER[2] = {{8, {0, 1, 2, 3, 4, 3, 2, 1}, {60, 62, 64, 65, 67, 65, 64, 62}},
                                      {8, {4, 3, 2, 1, 0, 1, 2, 3}, {48, 50, 52, 53, 55, 53, 52, 50}}};

/* The key under a finger in the five-finger position C..G (right: thumb on C4; left:
 * little finger on C3). */
static uint8_t position_note(int hand, int finger)
{
    static const uint8_t offset[5] = {0, 2, 4, 5, 7};
    return hand == HAND_RIGHT ? (uint8_t)(60 + offset[finger]) : (uint8_t)(48 + offset[4 - finger]);
}

void exercise_spec_default(ExerciseSpec *s, ExerciseKind kind)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->hands = HANDS_RIGHT;
    s->step_s = (kind == EXERCISE_CHORD || kind == EXERCISE_PASSIVE) ? 0.6 : 0.15;
    s->duration_s = 60.0;
    s->velocity = 80;
    s->velocity_spread = 10;
    s->legato = 0.9;
    static const int8_t trill[] = {1, 2}, chord[] = {0, 2, 4}, repeated[] = {2}, passive[] = {1, 2};
    const int8_t *fingers = NULL;
    int count = 0;
    if (kind == EXERCISE_TRILL)
        fingers = trill, count = 2;
    else if (kind == EXERCISE_CHORD)
        fingers = chord, count = 3;
    else if (kind == EXERCISE_REPEATED)
        fingers = repeated, count = 1;
    else if (kind == EXERCISE_PASSIVE)
        fingers = passive, count = 2;
    if (fingers)
        memcpy(s->fingers, fingers, (size_t)count);
    s->finger_count = count;
}

int exercise_spec_check(const ExerciseSpec *s, char *err, size_t err_size)
{
    if (s->kind < 0 || s->kind >= EXERCISE_KIND_COUNT) {
        snprintf(err, err_size, "unknown exercise kind %d", (int)s->kind);
        return -1;
    }
    if (s->hands != HANDS_RIGHT && s->hands != HANDS_LEFT && s->hands != HANDS_BOTH) {
        snprintf(err, err_size, "hand must be right, left or both");
        return -1;
    }
    if (!(s->step_s >= 0.02 && s->step_s <= 60.0)) {
        snprintf(err, err_size, "a step of %g s is outside 0.02..60 s (at most 50 notes per second)", s->step_s);
        return -1;
    }
    if (!(s->duration_s > 0.0 && s->duration_s <= 86400.0)) {
        snprintf(err, err_size, "duration %g s is outside (0, 24 h]", s->duration_s);
        return -1;
    }
    if (s->velocity < 1 || s->velocity > 127 || s->velocity_spread < 0 || s->velocity_spread > 63) {
        snprintf(err, err_size, "velocity %d +- %d: expected 1..127 and a spread of 0..63", s->velocity,
                 s->velocity_spread);
        return -1;
    }
    if (!(s->legato > 0.0 && s->legato <= 1.0)) {
        snprintf(err, err_size, "legato %g is outside (0, 1]", s->legato);
        return -1;
    }
    int needs_fingers = s->kind == EXERCISE_TRILL || s->kind == EXERCISE_CHORD || s->kind == EXERCISE_REPEATED ||
                        s->kind == EXERCISE_PASSIVE;
    if (needs_fingers && (s->finger_count < 1 || s->finger_count > EXERCISE_MAX_FINGERS)) {
        snprintf(err, err_size, "a %s needs 1..5 fingers", KIND_NAMES[s->kind]);
        return -1;
    }
    if (s->kind == EXERCISE_TRILL && (s->finger_count != 2 || s->fingers[0] == s->fingers[1])) {
        snprintf(err, err_size, "a trill needs two different fingers");
        return -1;
    }
    for (int i = 0; i < s->finger_count; i++)
        if (s->fingers[i] < 0 || s->fingers[i] > FINGER_LITTLE) {
            snprintf(err, err_size, "finger %d is outside 1..5", s->fingers[i] + 1);
            return -1;
        }
    if (s->kind == EXERCISE_RECORDING &&
        (!s->recording || s->recording->count == 0 || !(s->recording->length_s > 0.0))) {
        snprintf(err, err_size, "a recording needs fingered notes and a length");
        return -1;
    }
    return 0;
}

uint64_t exercise_onset_count(const ExerciseSpec *s)
{
    if (s->kind == EXERCISE_RECORDING) {
        uint64_t onsets = 0;
        for (size_t i = 0; i < s->recording->count; i++) {
            const ExerciseEvent *e = &s->recording->events[i];
            if (e->velocity == 0)
                continue;
            double passes = ceil((s->duration_s - e->time_s) / s->recording->length_s);
            onsets += passes > 0 ? (uint64_t)passes : 0;
        }
        return onsets;
    }
    uint64_t steps = (uint64_t)ceil(s->duration_s / s->step_s - 1e-9);
    int per_hand = (s->kind == EXERCISE_CHORD || s->kind == EXERCISE_PASSIVE) ? s->finger_count : 1;
    return steps * (uint64_t)per_hand * (s->hands == HANDS_BOTH ? 2u : 1u);
}

void exercise_start(ExercisePlayer *p, const ExerciseSpec *spec, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    p->spec = *spec;
    rng_seed(&p->rng, seed);
    p->steps = (uint64_t)ceil(spec->duration_s / spec->step_s - 1e-9);
}

static uint8_t draw_velocity(ExercisePlayer *p)
{
    int spread = p->spec.velocity_spread;
    int v = p->spec.velocity + (spread ? (int)rng_below(&p->rng, (uint32_t)(2 * spread + 1)) - spread : 0);
    return (uint8_t)(v < 1 ? 1 : (v > 127 ? 127 : v));
}

/* One hand's touches of a step: fingers and pitches into out; returns how many. */
static int step_touches(ExercisePlayer *p, int hand, uint64_t step, int8_t *finger, uint8_t *note)
{
    const ExerciseSpec *s = &p->spec;
    const Figure *figure = NULL;
    switch (s->kind) {
    case EXERCISE_SCALE:
        figure = &SCALE[hand];
        break;
    case EXERCISE_ARPEGGIO:
        figure = &ARPEGGIO[hand];
        break;
    case EXERCISE_FIVE_FINGER:
        figure = &FIVE_FINGER[hand];
        break;
    case EXERCISE_TRILL:
        finger[0] = s->fingers[step % 2];
        note[0] = position_note(hand, finger[0]);
        return 1;
    case EXERCISE_REPEATED:
        finger[0] = s->fingers[step % (uint64_t)s->finger_count];
        note[0] = position_note(hand, s->fingers[0]); /* one key, fingers taking turns */
        return 1;
    case EXERCISE_RANDOM:
        finger[0] = (int8_t)rng_below(&p->rng, FINGER_COUNT);
        note[0] = position_note(hand, finger[0]);
        return 1;
    case EXERCISE_CHORD:
    case EXERCISE_PASSIVE:
        for (int i = 0; i < s->finger_count; i++) {
            finger[i] = s->fingers[i];
            note[i] = s->kind == EXERCISE_PASSIVE ? 0 : position_note(hand, finger[i]);
        }
        return s->finger_count;
    default:
        return 0;
    }
    int at = (int)(step % (uint64_t)figure->length);
    finger[0] = figure->finger[at];
    note[0] = figure->note[at];
    return 1;
}

/* Queues a generated step: every onset, then every release. */
static void queue_step(ExercisePlayer *p)
{
    const ExerciseSpec *s = &p->spec;
    double onset = (double)p->step * s->step_s, release = onset + s->legato * s->step_s;
    int first = s->hands == HANDS_LEFT ? HAND_LEFT : HAND_RIGHT;
    int last = s->hands == HANDS_RIGHT ? HAND_RIGHT : HAND_LEFT;
    int count = 0;
    for (int hand = first; hand <= last; hand++) {
        int8_t finger[EXERCISE_MAX_FINGERS];
        uint8_t note[EXERCISE_MAX_FINGERS];
        int touches = step_touches(p, hand, p->step, finger, note);
        for (int i = 0; i < touches; i++)
            p->pending[count++] = (ExerciseEvent){onset, (int8_t)hand, finger[i], note[i], draw_velocity(p)};
    }
    int onsets = count;
    for (int i = 0; i < onsets; i++) {
        p->pending[count] = p->pending[i];
        p->pending[count].time_s = release;
        p->pending[count++].velocity = 0;
    }
    p->pending_count = count;
    p->pending_next = 0;
    p->step++;
}

static int next_recorded(ExercisePlayer *p, ExerciseEvent *out)
{
    const ExerciseRecording *r = p->spec.recording;
    for (;;) {
        if (p->recording_index == r->count) {
            p->recording_index = 0;
            p->pass++;
        }
        const ExerciseEvent *e = &r->events[p->recording_index++];
        double time_s = e->time_s + (double)p->pass * r->length_s;
        if (time_s >= p->spec.duration_s)
            return 0;
        *out = *e;
        out->time_s = time_s;
        if (e->velocity > 0 && p->spec.velocity_spread > 0) { /* the file's dynamics plus the spread */
            int v = (int)e->velocity + (int)draw_velocity(p) - p->spec.velocity;
            out->velocity = (uint8_t)(v < 1 ? 1 : (v > 127 ? 127 : v));
        }
        return 1;
    }
}

int exercise_next(ExercisePlayer *p, ExerciseEvent *out)
{
    if (p->spec.kind == EXERCISE_RECORDING)
        return next_recorded(p, out);
    if (p->pending_next == p->pending_count) {
        if (p->step >= p->steps)
            return 0;
        queue_step(p);
    }
    *out = p->pending[p->pending_next++];
    return 1;
}

void exercise_recording_free(ExerciseRecording *r)
{
    free(r->events);
    memset(r, 0, sizeof *r);
}

static int by_time(const void *a, const void *b)
{
    const ExerciseEvent *x = a, *y = b;
    if (x->time_s != y->time_s)
        return x->time_s < y->time_s ? -1 : 1;
    return (x->velocity > 0) - (y->velocity > 0); /* releases first */
}

/* Sorts the events, sets the pass length (the last event, or length_s if later) and
 * refuses a recording without fingered notes. */
static int finish_recording(const char *path, ExerciseRecording *r, double length_s, char *err, size_t err_size)
{
    size_t onsets = 0;
    for (size_t i = 0; i < r->count; i++)
        onsets += r->events[i].velocity > 0;
    if (onsets == 0) {
        snprintf(err, err_size, "%s: no note has a finger", path);
        exercise_recording_free(r);
        return -1;
    }
    qsort(r->events, r->count, sizeof *r->events, by_time);
    double last = r->events[r->count - 1].time_s;
    r->length_s = fmax(length_s, last) + 0.1; /* a short pause before the next pass */
    return 0;
}

int exercise_recording_from_pig(const char *path, ExerciseRecording *r, char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    PigNote *notes = NULL;
    size_t count = 0;
    if (pig_read_file(path, &notes, &count, err, err_size) != 0)
        return -1;
    r->events = malloc((2 * count + 1) * sizeof *r->events);
    if (!r->events) {
        snprintf(err, err_size, "%s: out of memory", path);
        pig_free(notes);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const PigNote *n = &notes[i];
        uint8_t velocity = n->velocity ? n->velocity : 64;
        r->events[r->count++] = (ExerciseEvent){n->onset_s, n->hand, n->finger, n->pitch, velocity};
        /* a substitution ("3_1") is simplified to the onset finger holding the key to its end */
        r->events[r->count++] = (ExerciseEvent){n->offset_s, n->hand, n->finger, n->pitch, 0};
    }
    pig_free(notes);
    return finish_recording(path, r, 0.0, err, err_size);
}

/* Takes the fingering estimator's finals: each decided note's onset event gets its finger. */
static void take_finals(Fingering *f, ExerciseRecording *r, const size_t *onset_event_of_id)
{
    FingerAssignment a;
    while (fingering_take_final(f, &a)) {
        ExerciseEvent *onset = &r->events[onset_event_of_id[a.id]];
        onset->hand = a.hand;
        onset->finger = a.finger;
    }
}

int exercise_recording_from_midi(const char *path, const FingeringConfig *config, ExerciseRecording *r, char *err,
                                 size_t err_size)
{
    memset(r, 0, sizeof *r);
    SmfSong *song = NULL;
    if (smf_read_file(path, &song, err, err_size) != 0)
        return -1;
    char inner[256];
    Fingering *f = fingering_create(config, inner, sizeof inner);
    size_t count = smf_event_count(song);
    const SmfEvent *events = smf_events(song);
    r->events = malloc((count + 1) * sizeof *r->events);
    size_t *onset_event_of_id = malloc((count + 1) * sizeof *onset_event_of_id);
    uint32_t *note_id = calloc(16 * 128, sizeof *note_id); /* id + 1 of the sounding note */
    int status = 0;
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, inner);
        status = -1;
    } else if (!r->events || !onset_event_of_id || !note_id) {
        snprintf(err, err_size, "%s: out of memory", path);
        status = -1;
    }
    uint32_t next_id = 0;
    for (size_t i = 0; i < count && status == 0; i++) {
        const SmfEvent *e = &events[i];
        int kind = e->bytes[0] & 0xF0, channel = e->bytes[0] & 0x0F;
        if (e->size != 3 || (kind != 0x90 && kind != 0x80))
            continue;
        int note = e->bytes[1] & 0x7F, velocity = e->bytes[2] & 0x7F;
        uint32_t *sounding = &note_id[channel * 128 + note];
        if (kind == 0x90 && velocity > 0) {
            onset_event_of_id[next_id] = r->count;
            r->events[r->count++] = (ExerciseEvent){e->time_s, -1, -1, (uint8_t)note, (uint8_t)velocity};
            fingering_note_on(f, next_id, e->time_s, (uint8_t)channel, (uint8_t)note, (uint8_t)velocity, NULL);
            *sounding = ++next_id;
        } else if (*sounding) {
            /* hand and finger are filled in from the onset once every finger is decided */
            r->events[r->count++] = (ExerciseEvent){e->time_s, -1, -1, (uint8_t)note, 0};
            fingering_note_off(f, e->time_s, (uint8_t)channel, (uint8_t)note);
            *sounding = 0;
        }
        take_finals(f, r, onset_event_of_id);
    }
    if (status == 0) {
        fingering_flush(f);
        take_finals(f, r, onset_event_of_id);
        /* each release takes the finger of the latest earlier onset of its pitch */
        size_t *onset_of_pitch = calloc(128, sizeof(size_t));
        if (!onset_of_pitch) {
            snprintf(err, err_size, "%s: out of memory", path);
            status = -1;
        }
        for (size_t i = 0; i < r->count && status == 0; i++) {
            ExerciseEvent *e = &r->events[i];
            if (e->velocity > 0)
                onset_of_pitch[e->note] = i + 1;
            else if (onset_of_pitch[e->note]) {
                const ExerciseEvent *onset = &r->events[onset_of_pitch[e->note] - 1];
                e->hand = onset->hand;
                e->finger = onset->finger;
                onset_of_pitch[e->note] = 0;
            }
        }
        free(onset_of_pitch);
        /* drop notes without a finger (and their releases) */
        size_t kept = 0;
        for (size_t i = 0; i < r->count && status == 0; i++)
            if (r->events[i].hand >= 0 && r->events[i].finger >= 0)
                r->events[kept++] = r->events[i];
        r->count = kept;
    }
    double length_s = smf_duration_s(song);
    fingering_free(f);
    smf_free(song);
    free(onset_event_of_id);
    free(note_id);
    if (status != 0) {
        exercise_recording_free(r);
        return -1;
    }
    return finish_recording(path, r, length_s, err, err_size);
}
