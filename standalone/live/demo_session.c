/* demo_session: the demo's exercises as channel-coded MIDI events. */
#include "demo_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"

typedef struct {
    ExerciseKind kind;
    HandChoice hands;
    double step_s, length_s;
    int finger_count;
    int8_t fingers[EXERCISE_MAX_FINGERS];
    const char *what;
} DemoExercise;

/* About 100 s: varied use first, then D3 and D4 struck together over and over. */
static const DemoExercise PROGRAMME[] = {
    {EXERCISE_FIVE_FINGER, HANDS_BOTH, 0.15, 20.0, 0, {0}, "five-finger pattern, both hands"},
    {EXERCISE_SCALE, HANDS_RIGHT, 0.12, 15.0, 0, {0}, "C major scale, right hand"},
    {EXERCISE_ARPEGGIO, HANDS_LEFT, 0.15, 15.0, 0, {0}, "C major arpeggio, left hand"},
    {EXERCISE_TRILL, HANDS_RIGHT, 0.10, 15.0, 2, {1, 2}, "trill D2-D3, right hand"},
    {EXERCISE_CHORD, HANDS_BOTH, 0.25, 35.0, 2, {2, 3}, "D3+D4 struck together, both hands (repetitive)"},
};
#define PARTS (sizeof PROGRAMME / sizeof PROGRAMME[0])

const DemoPart *demo_session_parts(size_t *count)
{
    static DemoPart parts[PARTS];
    double start = 0.0;
    for (size_t i = 0; i < PARTS; i++) {
        parts[i] = (DemoPart){PROGRAMME[i].what, start, PROGRAMME[i].length_s};
        start += PROGRAMME[i].length_s;
    }
    *count = PARTS;
    return parts;
}

static void spec_of(const DemoExercise *x, ExerciseSpec *spec)
{
    exercise_spec_default(spec, x->kind);
    spec->hands = x->hands;
    spec->step_s = x->step_s;
    spec->duration_s = x->length_s;
    if (x->finger_count) {
        spec->finger_count = x->finger_count;
        memcpy(spec->fingers, x->fingers, sizeof spec->fingers);
    }
}

/* A finger event as a note on or off on the finger's channel (0-based: right 0..4, left 5..9). */
static SmfEvent to_midi(const ExerciseEvent *e, double offset_s)
{
    uint8_t channel = (uint8_t)(e->hand * 5 + e->finger);
    SmfEvent m = {.time_s = offset_s + e->time_s, .size = 3};
    m.bytes[0] = (uint8_t)((e->velocity ? 0x90 : 0x80) | channel);
    m.bytes[1] = e->note;
    m.bytes[2] = e->velocity;
    return m;
}

int demo_session_events(uint64_t seed, SmfEvent **events, size_t *count, char *err, size_t err_size)
{
    size_t capacity = 0;
    for (size_t i = 0; i < PARTS; i++) {
        ExerciseSpec spec;
        spec_of(&PROGRAMME[i], &spec);
        if (exercise_spec_check(&spec, err, err_size) != 0)
            return -1;
        capacity += 2 * exercise_onset_count(&spec);
    }
    *events = malloc((capacity ? capacity : 1) * sizeof **events);
    if (!*events) {
        snprintf(err, err_size, "out of memory for the demo's %zu events", capacity);
        return -1;
    }
    *count = 0;
    double offset = 0.0;
    for (size_t i = 0; i < PARTS; i++) {
        ExerciseSpec spec;
        spec_of(&PROGRAMME[i], &spec);
        ExercisePlayer player;
        exercise_start(&player, &spec, seed + i);
        ExerciseEvent e;
        while (*count < capacity && exercise_next(&player, &e))
            (*events)[(*count)++] = to_midi(&e, offset);
        offset += PROGRAMME[i].length_s;
    }
    return 0;
}
