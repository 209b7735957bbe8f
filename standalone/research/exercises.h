/* exercises: built-in practice exercises (scales, arpeggios, five-finger patterns, trills,
 * chords, repeated notes, random single-finger touches, passive stimulation) and recorded
 * ones (a MIDI or PIG file with its fingers) as one stream of timed finger events for one
 * or both hands: onsets with velocity and a pitch to sound, and releases. The simulator
 * feeds them to the models; a demo or a test can play them as MIDI. */
#ifndef HM_EXERCISES_H
#define HM_EXERCISES_H

#include <stddef.h>
#include <stdint.h>

#include "fingering.h"
#include "rng.h"

typedef enum {
    EXERCISE_SCALE,       /* C major, one octave up and down, thumb under */
    EXERCISE_ARPEGGIO,    /* C major broken chord up and down */
    EXERCISE_FIVE_FINGER, /* C D E F G F E D in a five-finger position */
    EXERCISE_TRILL,       /* two fingers alternating (fingers = 2,3 by default) */
    EXERCISE_CHORD,       /* fingers together on every step (1,3,5 by default) */
    EXERCISE_REPEATED,    /* one key repeated, fingers taking turns (3 by default) */
    EXERCISE_RANDOM,      /* one finger at a time, chosen at random */
    EXERCISE_PASSIVE,     /* passive stimulation: the fingers touched together, not played */
    EXERCISE_RECORDING,   /* a MIDI or PIG file with its fingers, looped to the duration */
    EXERCISE_KIND_COUNT
} ExerciseKind;

#define EXERCISE_MAX_FINGERS 5
#define EXERCISE_MAX_TOUCHES 10 /* per step: five fingers of two hands */

/* One finger event. Fingers count 0 thumb .. 4 little; hands as fingering.h (0 right). */
typedef struct {
    double time_s;    /* from the start of the exercise */
    int8_t hand;
    int8_t finger;
    uint8_t note;     /* MIDI pitch the finger plays (for sound), 0 for passive touches */
    uint8_t velocity; /* 1..127 for an onset, 0 for a release */
} ExerciseEvent;

/* A recorded exercise: fingered events of one pass, sorted by time (releases before
 * onsets at equal times), and the length of one pass. */
typedef struct {
    ExerciseEvent *events;
    size_t count;
    double length_s;
} ExerciseRecording;

typedef struct {
    ExerciseKind kind;
    HandChoice hands;        /* one hand or both in parallel (the left an octave lower, mirrored) */
    double step_s;           /* time between two steps (notes, chords) */
    double duration_s;       /* the exercise stops at this time */
    int velocity;            /* mean onset velocity, 1..127 */
    int velocity_spread;     /* uniform +- spread around the mean, 0..63 */
    double legato;           /* note length as a share of the step, (0, 1] */
    int finger_count;        /* trill, chord, repeated, passive: the fingers used */
    int8_t fingers[EXERCISE_MAX_FINGERS];
    const ExerciseRecording *recording; /* EXERCISE_RECORDING only (not owned) */
} ExerciseSpec;

/* Walks an exercise's events in time order without storing them (a career is millions). */
typedef struct {
    ExerciseSpec spec;
    Rng rng;
    uint64_t step, steps;    /* generated: the next step and how many there are */
    size_t recording_index;  /* recorded: the next event of the pass */
    uint64_t pass;
    ExerciseEvent pending[2 * EXERCISE_MAX_TOUCHES];
    int pending_count, pending_next;
} ExercisePlayer;

/* "scale", "arpeggio", ... -> kind, or -1; and back. */
int exercise_kind_from_name(const char *name);
const char *exercise_kind_name(ExerciseKind kind);

/* A spec with the defaults of kind: right hand, 100 bpm in sixteenths (0.15 s steps;
 * chords and passive touches 0.6 s), 60 s long, velocity 80 +- 10, legato 0.9, and the
 * kind's default fingers. */
void exercise_spec_default(ExerciseSpec *spec, ExerciseKind kind);

/* Checks a spec; returns 0, or -1 with what was expected in err. */
int exercise_spec_check(const ExerciseSpec *spec, char *err, size_t err_size);

/* Starts playing spec (checked) from time 0; seed drives the velocities and random fingers. */
void exercise_start(ExercisePlayer *player, const ExerciseSpec *spec, uint64_t seed);

/* The next event: returns 1 and fills *event, or 0 when the exercise is over. Events come
 * in time order; every onset's release comes before the same finger's next onset. */
int exercise_next(ExercisePlayer *player, ExerciseEvent *event);

/* Onsets the exercise plays in all (steps x fingers, or the recording's onsets looped). */
uint64_t exercise_onset_count(const ExerciseSpec *spec);

/* Reads a Standard MIDI File and fingers its notes with config (auto, fixed, channel or
 * fret). Returns 0 and fills *recording (free with exercise_recording_free), or -1 with
 * the path and reason in err (unreadable, no fingered note). */
int exercise_recording_from_midi(const char *path, const FingeringConfig *config, ExerciseRecording *recording,
                                 char *err, size_t err_size);

/* Reads a PIG fingering file (fingers as annotated). Same contract. */
int exercise_recording_from_pig(const char *path, ExerciseRecording *recording, char *err, size_t err_size);

/* Frees a recording's events; a zeroed recording is fine. */
void exercise_recording_free(ExerciseRecording *recording);

#endif
