/* fingering: which finger of which hand played each MIDI note — an ergonomic estimator for
 * keyboard playing (auto), a note table (fixed), fingers coded in the MIDI channel (channel)
 * and the one-finger-per-fret rule for a MIDI guitar (fret). All memory is allocated by
 * fingering_create; the per-note functions never allocate, lock, print or loop unboundedly. */
#ifndef HM_FINGERING_H
#define HM_FINGERING_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

#ifndef HM_REALTIME
#define HM_REALTIME /* marks functions safe to call from an audio thread */
#endif

/* A hand, as stored in FingerAssignment.hand (-1 there means no hand). */
typedef enum { HAND_RIGHT = 0, HAND_LEFT = 1 } Hand;

/* Which hands the auto mode may assign notes to. */
typedef enum { HANDS_RIGHT = 0, HANDS_LEFT = 1, HANDS_BOTH = 2 } HandChoice;

typedef enum {
    FINGERING_AUTO,    /* keyboard: hand split + online Viterbi over ergonomic costs */
    FINGERING_FIXED,   /* a note -> (hand, finger) table */
    FINGERING_CHANNEL, /* channels 1-5: right thumb..little, 6-10: left thumb..little */
    FINGERING_FRET     /* MIDI guitar in mono mode, one channel per string */
} FingeringMode;

/* Fingers are counted 0 = thumb, 1 = index, 2 = middle, 3 = ring, 4 = little. */
#define FINGER_THUMB 0
#define FINGER_LITTLE 4
#define FINGER_COUNT 5

#define FINGERING_MAX_LAG_MS 1500     /* auto: most music a decision waits for */
#define FINGERING_DEFAULT_LAG_MS 1000
#define FINGERING_MAX_PENDING 24      /* auto: most notes (chord groups) of a hand waiting for a decision */
#define FINGERING_MAX_STRINGS 12   /* fret: most strings */
#define FINGERING_OUTPUT_CAPACITY 512 /* final assignments waiting to be taken */

/* One note's finger: hand -1 and/or finger -1 when the note touches no finger (an open
 * string, a note the fixed table leaves out, a channel outside 1-10). */
typedef struct {
    uint32_t id;     /* the caller's note id */
    double onset_s;  /* the note's onset as given to fingering_note_on */
    uint8_t note;    /* MIDI note number */
    uint8_t velocity;
    int8_t hand;     /* HAND_RIGHT, HAND_LEFT or -1 */
    int8_t finger;   /* 0 thumb .. 4 little, or -1 */
} FingerAssignment;

/* A note -> (hand, finger) table for the fixed mode; -1 entries touch no finger. */
typedef struct {
    int8_t hand[128];
    int8_t finger[128];
} FingeringTable;

typedef struct {
    FingeringMode mode;
    /* auto: the hands that play (HANDS_BOTH: split by a moving split point);
     * fret: the fretting hand (HANDS_LEFT by default; HANDS_BOTH is refused). */
    HandChoice hands;
    double lag_ms;          /* auto: music heard after a note before its final, 0..FINGERING_MAX_LAG_MS,
                             * default FINGERING_DEFAULT_LAG_MS (and at most FINGERING_MAX_PENDING
                             * notes); the provisional finger comes at once */
    double chord_window_ms; /* auto: onsets within this of a group's first onset form a chord, default 35
                             * (a hand moving slowly: up to 40 % of its last step, at most 45 ms) */
    int split_hysteresis;   /* auto, both hands: semitones a note must lie nearer the other hand's
                             * last note to leave the hand that played last, default 3 */
    FingeringTable table;   /* fixed */
    int fret_first_channel; /* fret: 0-based channel of string 1 (the highest), default 0 */
    int fret_string_count;  /* fret: 1..FINGERING_MAX_STRINGS, default 6 */
    uint8_t fret_open_note[FINGERING_MAX_STRINGS]; /* fret: open note of string 1, 2, ...
                             * default E4 B3 G3 D3 A2 E2 (64 59 55 50 45 40) */
} FingeringConfig;

typedef struct Fingering Fingering;

/* A complete default configuration for a mode: both hands, a lag of 1 s, 35 ms chords, the fixed
 * table of fingering_table_five_finger(60, HANDS_BOTH), standard guitar tuning on channels
 * 1-6 fretted by the left hand. */
void fingering_config_default(FingeringConfig *config, FingeringMode mode);

/* Fills a table with a major five-finger position: the right hand's thumb on root and
 * fingers 1-5 on root, +2, +4, +5, +7 (C D E F G); the left hand the same pentachord one
 * octave lower, little finger on root-12 up to the thumb on root-5. Chromatic notes
 * inside a position take the finger of the nearer position note (the lower on a tie);
 * every other note touches no finger. hands chooses which hands get a position. */
void fingering_table_five_finger(FingeringTable *table, int root_note, HandChoice hands);

/* The configuration a player's controls choose (the plugin's hand, fingering and root-note
 * ports, the program's --hand, --fingering and --root): mode's defaults played by hands, a
 * fret mode's "both" meaning the fretting (left) hand, and the fixed table a five-finger
 * position on root_note (12..115). Real-time safe. */
HM_REALTIME void fingering_config_for_player(FingeringConfig *config, FingeringMode mode, HandChoice hands,
                                             int root_note);

/* Parses a fixed-mode table from text. Format, one entry a line:
 *     <note> <hand> <finger>      e.g.  "60 R 1", "C4 right 1", "F#3 L 2", "Bb2 left 5"
 * note: MIDI number 0..127 or a spelled name (letter, accidentals # b x ## bb, octave with
 * C4 = 60); hand: R, L, right or left (any case); finger: 1 thumb .. 5 little, or - for none.
 * '#' at the start of a word begins a comment to the end of the line; blank lines are
 * skipped; a later line for the same note wins; notes not listed touch no finger.
 * Returns 0, or -1 with "line N: ..." naming what was expected in err. */
int fingering_table_parse(const char *text, size_t length, FingeringTable *table, char *err,
                          size_t err_size);

/* Parses a spelled pitch (C4 = 60, letters A-G in either case, accidentals #, b, x, ##, bb,
 * octave -1..9) of exactly length characters into a MIDI note. Returns 0, or -1 when it
 * is not a pitch name or lies outside 0..127. */
int fingering_parse_pitch_name(const char *text, size_t length, int *midi_note);

/* Checks a configuration; returns 0, or -1 with the reason in err. */
int fingering_config_check(const FingeringConfig *config, char *err, size_t err_size);

/* Creates a fingering estimator (all memory sized here). Returns NULL with the reason in
 * err on an invalid configuration or no memory. */
Fingering *fingering_create(const FingeringConfig *config, char *err, size_t err_size);

/* Frees an estimator; NULL is allowed. */
void fingering_free(Fingering *fingering);

/* Forgets every pending note, held key, hand position and final not yet taken. */
HM_REALTIME void fingering_reset(Fingering *fingering);

/* Takes a new configuration (mode, hands, table, ...) that passed fingering_config_check,
 * and forgets everything as fingering_reset does: decide pending notes and take the finals
 * first (fingering_flush) so that nothing played is lost. */
HM_REALTIME void fingering_reconfigure(Fingering *fingering, const FingeringConfig *config);

/* A note starts. Writes the provisional assignment at once to *provisional (may be NULL).
 * The final assignment of every note becomes available with fingering_take_final: at once
 * in the fixed, channel and fret modes, in auto once lag_ms of music followed it (or
 * FINGERING_MAX_PENDING notes of its hand, or a flush). */
HM_REALTIME void fingering_note_on(Fingering *fingering, uint32_t id, double time_s,
                                   uint8_t channel, uint8_t note, uint8_t velocity,
                                   FingerAssignment *provisional);

/* A note ends (the auto mode uses held keys: a finger still holding a key cannot play
 * another one). */
HM_REALTIME void fingering_note_off(Fingering *fingering, double time_s, uint8_t channel,
                                    uint8_t note);

/* Takes the oldest final assignment not yet taken: returns 1 and fills *out, or 0 when
 * there is none. Finals of one hand come in note order; the auto mode decides a hand's
 * notes when later notes of either hand show that lag_ms has passed, so after the last
 * note of a passage they wait for the next note or fingering_flush. */
HM_REALTIME int fingering_take_final(Fingering *fingering, FingerAssignment *out);

/* End of input or a long silence: decides every pending note now. */
HM_REALTIME void fingering_flush(Fingering *fingering);

/* Copies the memory fingering_state_write saves (hand tracks, guitar hand position, finals
 * not yet taken) from src to dst: a consistent copy for saving later, in constant time. */
HM_REALTIME void fingering_copy_memory(Fingering *dst, const Fingering *src);

/* Writes the estimator's memory (hand tracks, guitar hand position, finals not yet taken)
 * for the engine's saved state. */
void fingering_state_write(const Fingering *fingering, StateWriter *writer);

/* Reads memory written by fingering_state_write, times shifted by shift_s seconds. With
 * fingering NULL it only checks. Returns 0, or -1 with the reason in err (nothing
 * changed). Not real-time (allocates scratch). */
int fingering_state_read(Fingering *fingering, StateReader *reader, double shift_s, char *err, size_t err_size);

/* Finals lost because nobody took them before FINGERING_OUTPUT_CAPACITY piled up. */
uint64_t fingering_dropped(const Fingering *fingering);

#endif
