/* fingering_conventions: the fingerings printed in scale books (scales in every major,
 * harmonic and melodic minor key, triad arpeggios in every position, dominant and diminished sevenths,
 * the chromatic scale, the outer fingers of a hand position), as data, and the reading of a
 * hand's recent notes that decides which of them applies to each note. The auto estimator
 * (fingering.c) weighs these fingers against its ergonomic costs. Real-time: bounded by
 * FINGERING_CONVENTION_MAX_NOTES, no allocation. */
#ifndef HM_FINGERING_CONVENTIONS_H
#define HM_FINGERING_CONVENTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "fingering.h"

#define FINGERING_CONVENTION_MAX_NOTES 64
#define FINGERING_CONVENTION_CHORD 255 /* a pitch that stands for a chord (no convention) */

/* What a note's conventional finger comes from. */
typedef enum {
    CONVENTION_NONE = 0,
    CONVENTION_SCALE,     /* a run of steps over more than a fifth, in the key heard */
    CONVENTION_ARPEGGIO,  /* a run of a triad's or a seventh chord's notes over an octave */
    CONVENTION_CHROMATIC, /* a run of semitones */
    CONVENTION_POSITION,  /* the lowest or highest note of a figure that turns inside a hand position */
    CONVENTION_SEQUENCE,  /* a note of a figure repeated a step higher or lower (fingering_sequence) */
    CONVENTION_SLURRED_PAIR, /* a note of a slurred pair of a step, one of a chain between rests */
    CONVENTION_STROKES       /* a stroke of three or four of one key in a row: 4 3 2 1, 3 2 1 */
} ConventionKind;

/* A hand's recent notes, oldest first, as the estimator holds them. */
typedef struct {
    int count;                                             /* 0..FINGERING_CONVENTION_MAX_NOTES */
    uint8_t pitch[FINGERING_CONVENTION_MAX_NOTES];         /* MIDI note, or FINGERING_CONVENTION_CHORD */
    bool starts_passage[FINGERING_CONVENTION_MAX_NOTES];   /* first note after a pause */
    bool ends_passage[FINGERING_CONVENTION_MAX_NOTES];     /* last note before a pause (or the end) */
    bool group_start[FINGERING_CONVENTION_MAX_NOTES];      /* fingering_position_group_add said so */
    int passage_index[FINGERING_CONVENTION_MAX_NOTES];     /* notes since the passage's first (0 there) */
    bool with_other_hand[FINGERING_CONVENTION_MAX_NOTES];  /* struck together with the other hand */
    /* every key of the note before was up a while before this onset (a rest or a staccato:
     * the estimator's after_rest), so the player's articulation shows in the notes */
    bool after_rest[FINGERING_CONVENTION_MAX_NOTES];
    bool slurred[FINGERING_CONVENTION_MAX_NOTES]; /* joined legato to the note before (keys overlap) */
    bool quick[FINGERING_CONVENTION_MAX_NOTES];   /* struck within a fast repetition's time of the note before */
    float interval_s[FINGERING_CONVENTION_MAX_NOTES]; /* from the onset of the note before (0 for the first) */
    /* the finger (0 thumb .. 4 little) a note has been given for good, or -1 not yet: a
     * plan that these fingers contradict can no longer be followed */
    int8_t decided_finger[FINGERING_CONVENTION_MAX_NOTES];
    /* the passage index where the figures of the note's passage begin, as an earlier reading
     * found it (fingering_conventions' figure_origin), or -1 not known */
    int figure_origin[FINGERING_CONVENTION_MAX_NOTES];
} ConventionNotes;

#define FINGERING_GROUP_NOTES 8     /* notes of a group (two beats of semiquavers) */
#define FINGERING_GROUP_KEYS 5      /* distinct keys of a group: one per finger */

/* The notes of one hand position as they come: a group ends after FINGERING_GROUP_NOTES
 * notes, or before a sixth distinct key, a key that widens it beyond an octave, or a pause. */
typedef struct {
    int notes, keys;
    uint8_t key[FINGERING_GROUP_KEYS];
    int lowest, highest;
} PositionGroup;

/* Adds a hand's next single note to its group; restart: a pause or a chord came before.
 * Returns whether the note begins a new group. */
HM_REALTIME bool fingering_position_group_add(PositionGroup *group, int note, bool restart);

/* Writes the conventional finger (0 thumb .. 4 little, or -1) of each note of a hand
 * (HAND_RIGHT or HAND_LEFT), where it comes from, and where the figures of its passage begin
 * (fingering_sequences; -1 not known): the caller keeps that with the note and gives it back
 * in notes->figure_origin when it reads the hand again. */
HM_REALTIME void fingering_conventions(int hand, const ConventionNotes *notes, int8_t *finger, uint8_t *kind,
                                       int *figure_origin);

#endif
