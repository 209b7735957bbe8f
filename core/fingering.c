/* Fingering modes, the fixed-table text format and the auto estimator.
 *
 * The auto estimator follows the ergonomic model of Parncutt, Sloboda, Clarke, Raekallio &
 * Desain (1997), "An ergonomic model of keyboard fingering for melodic fragments", Music
 * Perception 14(4):341-382: a table of practical / comfortable / relaxed spans per finger
 * pair and rules that score a fingering (stretch, small and large span, position change
 * count and size, weak finger, 3-to-4, thumb on black, 5 on black, thumb passing;
 * not 4-on-black nor 3-4-5: fingering_costs.c). Chords use the same span table on the notes sounding together, in the
 * spirit of the extensions by Jacobs (2001, Music Perception 18(4)) and Al Kasimi, Nichols
 * & Raphael (2007, ISMIR). Our additions are marked "ours" where they appear. On top of the
 * costs, the fingerings of the scale books (fingering_conventions.c: scales in the key heard,
 * arpeggios, the chromatic scale, the outer fingers of a hand position) cost nothing and any
 * other finger for such a note a fixed penalty, so that a convention wins unless the hand
 * cannot play it. The best fingering is found by a second-order Viterbi search (the
 * position-change rules look at three notes) over the notes not yet decided, from the
 * decided ones, with a fixed lag in time (Nakamura et al. 2020 decode a whole piece; a lag
 * of a second or so sees most of a scale or arpeggio run, which is what the conventions
 * need). Pitches of the left hand are mirrored (x = -pitch) so that one table serves both
 * hands. With both hands the notes are split by following each hand's last note (hand
 * split, below). */
#include "fingering.h"

#include "fingering_conventions.h"
#include "fingering_costs.h"
#include "state.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHORD 5                                 /* notes per hand per chord group */
#define MAX_STATES 10                               /* C(5, k) at most */
#define CONTEXT_EVENTS 16 /* decided groups kept: the conventions read runs and keys from them */
#define MAX_EVENTS (CONTEXT_EVENTS + FINGERING_MAX_PENDING + 1) /* context + pending + the open group */
/* the notes of a passage are counted modulo every figure length at once (lcm of 2..12), so
 * that the count stays bounded and a figure's beat is still the count modulo its length */
#define PASSAGE_INDEX_WRAP 27720
#define PASSAGE_GAP_S 1.0 /* a pause this long ends a passage (runs and hand positions start anew) */
#define HAND_REST_S 2.0   /* a hand silent this long is resting: its position no longer counts */
#define PASSAGE_START_PULL 0.75 /* ours: how far a passage's first note moves the hand's mean (starting_centre) */
/* with both hands resting, a note from middle C up goes to the right hand: where they last
 * were says little after a pause (a right-hand piece after a left-hand one that ended high) */
#define SPLIT_AT_REST 60
#define SPLIT_GUESS_SPAN 12 /* semitones: so near middle C, the split at rest is a guess */
#define LONE_LINE_REACH 24 /* semitones past middle C a hand alone goes onto the other's side */
#define HAND_RANGE_EVENTS 4 /* a hand's recent keys: its last groups */
#define PARALLEL_MIN_SPAN 7 /* semitones: two notes struck together this far apart are two hands */
/* semitones: the farthest the other hand leaps to take a note of a wide double note: two
 * hands leaping in parallel move alike, within an octave; a double note whose split would
 * send the other hand further while this one stays is this hand's (Czerny op. 821 No. 12:
 * the left hand's F3-C4, 5 2, while the right hand plays around F5) */
#define PARALLEL_LEAP_MAX 12
#define PARALLEL_SIXTH_SPAN 8 /* semitones: double notes this far apart moving by step are two hands */
/* double notes a third apart moving by step one way this many times are a scale in thirds:
 * as many notes as a scale run (fingering_conventions), more than a five-finger position */
#define THIRDS_SCALE_PAIRS 6
/* A player's two hands striking "together" are 10-30 ms apart, either one first, and the
 * notes of one hand's chord spread as much (its melody note leads the others by some 20-30
 * ms: the melody lead, Goebl 2001). Ours: the two hands' notes this close are struck
 * together (the hand split, with_other_hand, hands in parallel), at least the chord window.
 * Onsets off the beat by 12 ms (one standard deviation) put two notes meant together more
 * than 35 ms apart one time in 25, more than 50 ms one in 300, more than 60 ms one in
 * 2,400. Not wider: chords 16 a second (62.5 ms apart) would be struck together. */
#define HANDS_TOGETHER_S 0.05
/* ours: the latest the other hand's note of a wide pair (parallel_split) comes after the
 * first; the split asks more of the two (PARALLEL_MIN_SPAN apart, the other hand silent
 * since before the first) than striking together does */
#define PAIR_LATEST_S 0.06
/* ours: a hand moving slowly takes a note into its open chord up to this share of its last
 * step (the time from its group before to the open one) after the chord's first onset, at
 * most CHORD_WINDOW_WIDEST_S; a hand moving fast keeps the chord window (a run's next note
 * is no chord note however early it comes) */
#define CHORD_STEP_SHARE 0.4
#define CHORD_WINDOW_WIDEST_S 0.045
#define HAND_REACH 9      /* semitones from the playing hand's recent keys beyond which a note
                           * on the resting hand's side goes to the resting hand */
/* ours: what another finger than the convention's costs (scale, arpeggio and chromatic
 * runs; the outer notes of a hand position) */
#define COST_AGAINST_RUN_CONVENTION 100.0
#define COST_AGAINST_POSITION 12.0
#define COST_AGAINST_SEQUENCE 12.0
#define REST_MIN_S 0.05
#define REST_MIN_SHARE (1.0 / 3.0)
#define REST_FACTOR 0.5
/* a key released this shortly before the next onset still joins the two notes legato: players
 * on a digital piano overlap or nearly overlap the keys of a legato (Repp 1995); a staccato
 * scale played fast leaves 40 ms or more */
#define SLUR_MAX_GAP_S 0.02
#define LAG_MIN_GROUPS 6   /* groups of its passage heard after a note before it is decided ... */
#define LAG_LONGEST_S 4.0  /* ... unless this long has passed (group_due) */
#define LONG_GAP_S 1.0 /* onsets this far apart: the hand may move freely */
/* ours: a key struck again this soon (five or more times a second) is a fast repetition
 * (fingering_repetition_cost) */
#define FAST_REPEAT_S 0.2

/* ---------------------------------------------------------------- span table */

/* The states of a chord group of k notes: k distinct fingers as a bit mask, given to the
 * notes in ascending x (ascending pitch on the right hand, descending on the left). */
static const uint8_t STATE_MASKS[MAX_CHORD + 1][MAX_STATES] = {
    { 0 },
    { 0x01, 0x02, 0x04, 0x08, 0x10 },
    { 0x03, 0x05, 0x09, 0x11, 0x06, 0x0a, 0x12, 0x0c, 0x14, 0x18 },
    { 0x07, 0x0b, 0x13, 0x0d, 0x15, 0x19, 0x0e, 0x16, 0x1a, 0x1c },
    { 0x0f, 0x17, 0x1b, 0x1d, 0x1e },
    { 0x1f },
};
static const int STATE_COUNT[MAX_CHORD + 1] = { 0, 5, 10, 10, 5, 1 };

/* ---------------------------------------------------------------- data */

typedef struct {
    int count;                 /* notes, 1..MAX_CHORD */
    int x[MAX_CHORD];          /* +pitch (right hand) or -pitch (left), ascending */
    bool black[MAX_CHORD];
    uint8_t note[MAX_CHORD];
    uint8_t velocity[MAX_CHORD];
    uint32_t id[MAX_CHORD];
    double onset_s;            /* first onset of the group */
    bool legato;               /* a key of the previous group was still held at this onset */
    bool after_rest;           /* every key of the previous group was up a while before this onset */
    bool slurred;              /* every key of the previous group was held, or up under SLUR_MAX_GAP_S */
    bool after_pause;          /* ... and up for PASSAGE_GAP_S: a new passage begins here */
    bool with_other_hand;      /* the other hand struck a group within HANDS_TOGETHER_S of it */
    bool group_start;          /* begins a group of notes in one hand position (PositionGroup) */
    int passage_index;         /* groups since its passage's first (0 there): where figures begin */
    int figure_origin;         /* passage index where its passage's figures begin (fingering_sequences), -1 not known */
    int state;                 /* index into STATE_MASKS[count] once decided, else -1 */
} ChordEvent;

typedef struct {
    ChordEvent event[MAX_EVENTS]; /* [0, decided): decided (at most 2 kept), then pending */
    int event_count;
    int decided;
    /* [decided, chosen): pending groups whose fingers are chosen (state set) but that wait
     * to be given out while the hand's identity is uncertain (hand_identity_uncertain) */
    int chosen;
    bool open;                 /* the last event still gathers chord notes */
    double centre;             /* running mean pitch of the hand */
    int last_note;             /* -1 before the first */
    double last_onset_s;
    /* costs that depend only on an event and its predecessor, kept between notes (only
     * the last event changes while it gathers chord notes) */
    bool cached[MAX_EVENTS];   /* fingers, unary and into of event i are up to date */
    int fingers[MAX_EVENTS][MAX_STATES][MAX_CHORD]; /* finger of each note, per state */
    double unary[MAX_EVENTS][MAX_STATES];
    double into[MAX_EVENTS][MAX_STATES][MAX_STATES]; /* event i-1 in state a -> i in state b */
    int path[MAX_EVENTS];      /* the state of each event on the hand's last best path */
    bool trimmed;              /* older events were dropped: event 0 does not start the hand's playing */
    int passage_first_note;    /* the first note of the hand's current passage, -1 not known */
    int passage_low, passage_high; /* its passage's lowest and highest notes so far */
    PositionGroup group;       /* the group of notes in one hand position being played */
    /* the hand as it was before its last event opened (undone when parallel_split moves
     * that event's note to the other hand) */
    PositionGroup group_before;
    int last_note_before;
    double last_onset_before_s, centre_before;
    int8_t convention[MAX_EVENTS];      /* conventional finger of a single-note event, or -1 */
    uint8_t convention_kind[MAX_EVENTS]; /* ConventionKind */
} HandTrack;

struct Fingering {
    FingeringConfig config;
    HandTrack hand[2];
    uint8_t held[128];         /* keys down (any channel), saturating */
    double released_s[128];    /* when each key last came up */
    int fret_position;         /* fret under the index finger, 0 = hand not placed yet */
    FingerAssignment output[FINGERING_OUTPUT_CAPACITY];
    int output_head, output_count;
    uint64_t dropped;
    /* Viterbi scratch */
    double cost[MAX_EVENTS][MAX_STATES][MAX_STATES];
    int8_t back[MAX_EVENTS][MAX_STATES][MAX_STATES];
};

/* ---------------------------------------------------------------- config */

HM_REALTIME void fingering_config_for_player(FingeringConfig *config, FingeringMode mode, HandChoice hands,
                                             int root_note)
{
    fingering_config_default(config, mode);
    config->hands = hands;
    if (mode == FINGERING_FRET && hands == HANDS_BOTH)
        config->hands = HANDS_LEFT; /* "auto" for a guitar: the fretting hand */
    fingering_table_five_finger(&config->table, root_note, config->hands);
}

void fingering_table_five_finger(FingeringTable *table, int root_note, HandChoice hands)
{
    static const int PENTACHORD[FINGER_COUNT] = { 0, 2, 4, 5, 7 };
    memset(table->hand, -1, sizeof table->hand);
    memset(table->finger, -1, sizeof table->finger);
    for (int h = 0; h < 2; h++) {
        if (!(hands == HANDS_BOTH || (int)hands == h))
            continue;
        int base = h == HAND_RIGHT ? root_note : root_note - 12;
        for (int offset = 0; offset <= 7; offset++) {
            int note = base + offset;
            if (note < 0 || note > 127)
                continue;
            int nearest = 0; /* position index 0..4 from the lowest note */
            for (int i = 1; i < FINGER_COUNT; i++)
                if (abs(PENTACHORD[i] - offset) < abs(PENTACHORD[nearest] - offset))
                    nearest = i;
            table->hand[note] = (int8_t)h;
            table->finger[note] = (int8_t)(h == HAND_RIGHT ? nearest : FINGER_LITTLE - nearest);
        }
    }
}

void fingering_config_default(FingeringConfig *config, FingeringMode mode)
{
    static const uint8_t STANDARD_TUNING[6] = { 64, 59, 55, 50, 45, 40 };
    memset(config, 0, sizeof *config);
    config->mode = mode;
    config->hands = mode == FINGERING_FRET ? HANDS_LEFT : HANDS_BOTH;
    config->lag_ms = FINGERING_DEFAULT_LAG_MS;
    config->chord_window_ms = 35.0;
    config->split_hysteresis = 3;
    fingering_table_five_finger(&config->table, 60, HANDS_BOTH);
    config->fret_first_channel = 0;
    config->fret_string_count = 6;
    memcpy(config->fret_open_note, STANDARD_TUNING, sizeof STANDARD_TUNING);
}

int fingering_config_check(const FingeringConfig *c, char *err, size_t err_size)
{
    if (!err)
        err_size = 0;
    if (c->mode < FINGERING_AUTO || c->mode > FINGERING_FRET) {
        snprintf(err, err_size, "unknown fingering mode %d", (int)c->mode);
        return -1;
    }
    if (c->hands < HANDS_RIGHT || c->hands > HANDS_BOTH) {
        snprintf(err, err_size, "hands must be right, left or both, got %d", (int)c->hands);
        return -1;
    }
    if (c->mode == FINGERING_AUTO) {
        if (!(c->lag_ms >= 0.0 && c->lag_ms <= FINGERING_MAX_LAG_MS)) {
            snprintf(err, err_size, "lag_ms must be 0..%d, got %g", FINGERING_MAX_LAG_MS, c->lag_ms);
            return -1;
        }
        if (!(c->chord_window_ms >= 0.0 && c->chord_window_ms <= 200.0)) {
            snprintf(err, err_size, "chord_window_ms must be 0..200, got %g", c->chord_window_ms);
            return -1;
        }
        if (c->split_hysteresis < 0 || c->split_hysteresis > 24) {
            snprintf(err, err_size, "split_hysteresis must be 0..24 semitones, got %d", c->split_hysteresis);
            return -1;
        }
    }
    if (c->mode == FINGERING_FIXED) {
        for (int n = 0; n < 128; n++) {
            bool none = c->table.hand[n] < 0 || c->table.finger[n] < 0;
            if (!none && (c->table.hand[n] > HAND_LEFT || c->table.finger[n] > FINGER_LITTLE)) {
                snprintf(err, err_size, "table entry for note %d has hand %d finger %d", n,
                         c->table.hand[n], c->table.finger[n]);
                return -1;
            }
        }
    }
    if (c->mode == FINGERING_FRET) {
        if (c->hands == HANDS_BOTH) {
            snprintf(err, err_size, "fret mode needs one fretting hand, not both");
            return -1;
        }
        if (c->fret_string_count < 1 || c->fret_string_count > FINGERING_MAX_STRINGS) {
            snprintf(err, err_size, "fret_string_count must be 1..%d, got %d", FINGERING_MAX_STRINGS,
                     c->fret_string_count);
            return -1;
        }
        if (c->fret_first_channel < 0 || c->fret_first_channel + c->fret_string_count > 16) {
            snprintf(err, err_size, "strings on channels %d..%d do not fit in 0..15", c->fret_first_channel,
                     c->fret_first_channel + c->fret_string_count - 1);
            return -1;
        }
        for (int s = 0; s < c->fret_string_count; s++)
            if (c->fret_open_note[s] > 127) {
                snprintf(err, err_size, "open note of string %d is %d, must be 0..127", s + 1,
                         c->fret_open_note[s]);
                return -1;
            }
    }
    return 0;
}

/* ---------------------------------------------------------------- text table */

int fingering_parse_pitch_name(const char *text, size_t length, int *midi_note)
{
    static const int LETTER_PC[7] = { 9, 11, 0, 2, 4, 5, 7 }; /* A B C D E F G */
    size_t i = 0;
    if (length == 0)
        return -1;
    char letter = text[0];
    if (letter >= 'a' && letter <= 'g')
        letter = (char)(letter - 'a' + 'A');
    if (letter < 'A' || letter > 'G')
        return -1;
    int pitch_class = LETTER_PC[letter - 'A'];
    i = 1;
    int accidental = 0;
    while (i < length && (text[i] == '#' || text[i] == 'b' || text[i] == 'x')) {
        accidental += text[i] == '#' ? 1 : text[i] == 'x' ? 2 : -1;
        i++;
        if (accidental > 2 || accidental < -2)
            return -1;
    }
    bool negative = false;
    if (i < length && text[i] == '-') {
        negative = true;
        i++;
    }
    if (i >= length || text[i] < '0' || text[i] > '9')
        return -1;
    int octave = 0;
    while (i < length && text[i] >= '0' && text[i] <= '9') {
        octave = octave * 10 + (text[i] - '0');
        i++;
        if (octave > 10)
            return -1;
    }
    if (i != length)
        return -1;
    if (negative)
        octave = -octave;
    int note = (octave + 1) * 12 + pitch_class + accidental;
    if (note < 0 || note > 127)
        return -1;
    *midi_note = note;
    return 0;
}

/* Splits the next whitespace-separated word of [*pos, end); stops at '#' comments. */
static bool next_word(const char *text, size_t end, size_t *pos, size_t *word_start, size_t *word_length)
{
    size_t p = *pos;
    while (p < end && (text[p] == ' ' || text[p] == '\t' || text[p] == '\r'))
        p++;
    if (p >= end || text[p] == '#') {
        *pos = end;
        return false;
    }
    *word_start = p;
    while (p < end && text[p] != ' ' && text[p] != '\t' && text[p] != '\r')
        p++;
    *word_length = p - *word_start;
    *pos = p;
    return true;
}

static bool word_is(const char *word, size_t length, const char *expected)
{
    if (strlen(expected) != length)
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = word[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != expected[i])
            return false;
    }
    return true;
}

/* A word of length digits (the text need not end after it; strtol would read on) as a
 * number, which stops growing once above 127. */
static bool parse_digits(const char *word, size_t length, long *number)
{
    long value = 0;
    for (size_t i = 0; i < length; i++) {
        if (word[i] < '0' || word[i] > '9')
            return false;
        if (value <= 127)
            value = value * 10 + (word[i] - '0');
    }
    *number = value;
    return length > 0;
}

int fingering_table_parse(const char *text, size_t length, FingeringTable *table, char *err,
                          size_t err_size)
{
    if (!err)
        err_size = 0;
    FingeringTable parsed;
    memset(parsed.hand, -1, sizeof parsed.hand);
    memset(parsed.finger, -1, sizeof parsed.finger);
    size_t line_start = 0;
    int line = 0;
    while (line_start < length) {
        line++;
        size_t line_end = line_start;
        while (line_end < length && text[line_end] != '\n')
            line_end++;
        size_t pos = line_start, ws, wl;
        if (next_word(text, line_end, &pos, &ws, &wl)) {
            int note = -1;
            long number;
            if (parse_digits(text + ws, wl, &number)) {
                if (number > 127) {
                    snprintf(err, err_size, "line %d: note %.*s is outside 0..127", line, (int)(wl > 32 ? 32 : wl),
                             text + ws);
                    return -1;
                }
                note = (int)number;
            } else if (fingering_parse_pitch_name(text + ws, wl, &note) != 0) {
                snprintf(err, err_size, "line %d: expected a note (0..127 or a name like C4, F#3, Bb2), got '%.*s'",
                         line, (int)(wl > 32 ? 32 : wl), text + ws);
                return -1;
            }
            if (!next_word(text, line_end, &pos, &ws, &wl)) {
                snprintf(err, err_size, "line %d: expected a hand (R, L, right or left) after the note", line);
                return -1;
            }
            int hand;
            if (word_is(text + ws, wl, "r") || word_is(text + ws, wl, "right"))
                hand = HAND_RIGHT;
            else if (word_is(text + ws, wl, "l") || word_is(text + ws, wl, "left"))
                hand = HAND_LEFT;
            else {
                snprintf(err, err_size, "line %d: expected a hand (R, L, right or left), got '%.*s'", line,
                         (int)(wl > 32 ? 32 : wl), text + ws);
                return -1;
            }
            if (!next_word(text, line_end, &pos, &ws, &wl)) {
                snprintf(err, err_size, "line %d: expected a finger (1 thumb .. 5 little, or -) after the hand", line);
                return -1;
            }
            int finger;
            if (wl == 1 && text[ws] >= '1' && text[ws] <= '5')
                finger = text[ws] - '1';
            else if (wl == 1 && text[ws] == '-')
                finger = -1;
            else {
                snprintf(err, err_size, "line %d: expected a finger (1 thumb .. 5 little, or -), got '%.*s'", line,
                         (int)(wl > 32 ? 32 : wl), text + ws);
                return -1;
            }
            if (next_word(text, line_end, &pos, &ws, &wl)) {
                snprintf(err, err_size, "line %d: expected the end of the line after the finger, got '%.*s'", line,
                         (int)(wl > 32 ? 32 : wl), text + ws);
                return -1;
            }
            parsed.hand[note] = (int8_t)(finger < 0 ? -1 : hand);
            parsed.finger[note] = (int8_t)finger;
        }
        line_start = line_end + 1;
    }
    *table = parsed;
    return 0;
}

/* ---------------------------------------------------------------- lifecycle */

Fingering *fingering_create(const FingeringConfig *config, char *err, size_t err_size)
{
    if (!config) {
        if (err && err_size)
            snprintf(err, err_size, "no configuration");
        return NULL;
    }
    if (fingering_config_check(config, err, err_size) != 0)
        return NULL;
    Fingering *f = calloc(1, sizeof *f);
    if (!f) {
        if (err && err_size)
            snprintf(err, err_size, "out of memory");
        return NULL;
    }
    f->config = *config;
    fingering_reset(f);
    return f;
}

void fingering_free(Fingering *fingering)
{
    free(fingering);
}

HM_REALTIME void fingering_reconfigure(Fingering *f, const FingeringConfig *config)
{
    f->config = *config;
    fingering_reset(f);
}

/* Every key as released long ago (a group after them follows a rest). */
static void forget_releases(Fingering *f)
{
    for (int note = 0; note < 128; note++)
        f->released_s[note] = -1e9;
}

/* Where a hand's running mean position starts, and starts again with each passage: after a
 * pause where the hand played before says nothing (a piece high up, then one low down). The
 * passage's first note pulls it PASSAGE_START_PULL of the way there at once (and then
 * follow_hand as every note): a hand starting far from its usual register (the books'
 * arpeggio hands together from C3 and C2) is where it plays, while the usual register still
 * tips a note lying between two hands that struck together (C3 G3 with C4 E4 G4: G3 left). */
static double starting_centre(int hand)
{
    return hand == HAND_RIGHT ? 67.0 : 53.0;
}

HM_REALTIME void fingering_reset(Fingering *f)
{
    memset(f->hand, 0, sizeof f->hand);
    for (int h = 0; h < 2; h++) {
        f->hand[h].centre = starting_centre(h);
        f->hand[h].last_note = -1;
        f->hand[h].last_onset_s = -1e9;
        f->hand[h].passage_first_note = -1;
    }
    memset(f->held, 0, sizeof f->held);
    forget_releases(f);
    f->fret_position = 0;
    f->output_head = 0;
    f->output_count = 0;
    f->dropped = 0;
}

uint64_t fingering_dropped(const Fingering *f)
{
    return f->dropped;
}

/* ---------------------------------------------------------------- output */

static void push_final(Fingering *f, const FingerAssignment *a)
{
    if (f->output_count == FINGERING_OUTPUT_CAPACITY) {
        f->output_head = (f->output_head + 1) % FINGERING_OUTPUT_CAPACITY;
        f->output_count--;
        f->dropped++;
    }
    f->output[(f->output_head + f->output_count) % FINGERING_OUTPUT_CAPACITY] = *a;
    f->output_count++;
}

HM_REALTIME int fingering_take_final(Fingering *f, FingerAssignment *out)
{
    if (f->output_count == 0)
        return 0;
    *out = f->output[f->output_head];
    f->output_head = (f->output_head + 1) % FINGERING_OUTPUT_CAPACITY;
    f->output_count--;
    return 1;
}

/* ---------------------------------------------------------------- table modes */

static void assign_fixed(const Fingering *f, uint8_t note, FingerAssignment *a)
{
    a->hand = f->config.table.hand[note];
    a->finger = f->config.table.finger[note];
    if (a->hand < 0 || a->finger < 0)
        a->hand = a->finger = -1;
}

static void assign_channel(uint8_t channel, FingerAssignment *a)
{
    if (channel < 5) {
        a->hand = HAND_RIGHT;
        a->finger = (int8_t)channel;
    } else if (channel < 10) {
        a->hand = HAND_LEFT;
        a->finger = (int8_t)(channel - 5);
    } else {
        a->hand = a->finger = -1;
    }
}

/* One finger per fret inside a hand position of four frets: the index finger on the
 * position's first fret, the little finger on its fourth; a fret outside the position
 * moves the hand just far enough (index or little finger onto that fret). */
static void assign_fret(Fingering *f, uint8_t channel, uint8_t note, FingerAssignment *a)
{
    const FingeringConfig *c = &f->config;
    int string = (int)channel - c->fret_first_channel;
    a->hand = a->finger = -1;
    if (string < 0 || string >= c->fret_string_count)
        return;
    int fret = (int)note - (int)c->fret_open_note[string];
    if (fret <= 0)
        return; /* open string (or a note below it): no finger of the fretting hand */
    if (f->fret_position == 0 || fret < f->fret_position)
        f->fret_position = fret;
    else if (fret > f->fret_position + 3)
        f->fret_position = fret - 3;
    a->hand = (int8_t)c->hands;
    a->finger = (int8_t)(1 + fret - f->fret_position);
}

/* ---------------------------------------------------------------- costs */

static void state_fingers(const ChordEvent *e, int state, int *fingers)
{
    unsigned mask = STATE_MASKS[e->count][state];
    int i = 0;
    for (int finger = 0; finger < FINGER_COUNT && i < e->count; finger++)
        if (mask & (1u << finger))
            fingers[i++] = finger;
}

/* Cost of a chord group by itself: spans between its notes, thumbs on black keys, and the
 * weak-finger rule for each note (Parncutt's rule counts every use of 4 or 5: a double
 * third on 2-4 or 3-5 costs more than on 1-3, Czerny op. 821 No. 3). */
static double event_cost(const ChordEvent *e, const int *fingers)
{
    double c = 0.0;
    for (int i = 0; i < e->count; i++) {
        c += fingering_note_cost(fingers[i], e->black[i]);
        for (int j = i + 1; j < e->count; j++)
            c += fingering_span_cost(fingers[i], e->x[i], fingers[j], e->x[j], false);
        /* ours, a tie-breaker: neighbouring chord notes about a whole tone per finger
         * apart (C E G: 1 3 5 rather than 1 2 4) */
        if (i + 1 < e->count)
            c += 0.25 * fabs(0.5 * (e->x[i + 1] - e->x[i]) - (fingers[i + 1] - fingers[i]));
    }
    /* ours: a chord spanning a fifth or more takes it between thumb and little finger */
    if (e->count > 1 && e->x[e->count - 1] - e->x[0] >= 7 &&
        (fingers[0] != FINGER_THUMB || fingers[e->count - 1] != FINGER_LITTLE))
        c += 0.5;
    return c;
}

/* Ours: costs linking notes more than LONG_GAP_S apart count a quarter (a long note held:
 * the hand may move freely), and nothing when the hand was silent in between (it has all
 * the time it needs to take any position: Czerny op. 821 No. 17's repeated notes 4 3 2 1
 * after each pause were fingered to suit the notes after the pause). After a shorter rest
 * (every key of the group before up for REST_MIN_S and a third of the time between the
 * onsets: a staccato, a rest in the score) they count half (transition_cost): Parncutt's
 * rules are for legato playing, and the edition shifts the hand at a rest where legato
 * would keep it (Czerny op. 821 No. 3: each group of thirds from 1-3). */
static double long_gap_factor(double gap_s, bool silent)
{
    return gap_s <= LONG_GAP_S ? 1.0 : silent ? 0.0 : 0.25;
}

/* A single key struck again within FAST_REPEAT_S: fingering_repetition_cost. */
static double fast_repetition_cost(const ChordEvent *a, int fa, const ChordEvent *b, int fb)
{
    if (a->count != 1 || b->count != 1 || a->x[0] != b->x[0] || b->onset_s - a->onset_s > FAST_REPEAT_S)
        return 0.0;
    return fingering_repetition_cost(fa, fb);
}

/* Cost of going from one chord group to the next: the mean two-note cost over all pairs. */
static double transition_cost(const ChordEvent *a, const int *fa, const ChordEvent *b, const int *fb)
{
    double sum = fast_repetition_cost(a, fa[0], b, fb[0]);
    for (int i = 0; i < a->count; i++)
        for (int j = 0; j < b->count; j++)
            sum += b->after_rest ? fingering_step_cost_after_rest(fa[i], a->x[i], a->black[i], fb[j], b->x[j], b->black[j])
                                 : fingering_step_cost(fa[i], a->x[i], a->black[i], fb[j], b->x[j], b->black[j], b->legato);
    return sum / (a->count * b->count) * long_gap_factor(b->onset_s - a->onset_s, b->after_rest) *
           (b->after_rest ? REST_FACTOR : 1.0);
}

/* Parncutt's three-note rules for three single-note events (fingering_costs), less after a
 * long gap (long_gap_factor). */
static double triple_cost(const ChordEvent *a, int f1, const ChordEvent *b, int f2, const ChordEvent *e, int f3)
{
    if (a->count != 1 || b->count != 1 || e->count != 1)
        return 0.0;
    return fingering_triple_cost(f1, a->x[0], f2, b->x[0], f3, e->x[0]) *
           long_gap_factor(e->onset_s - a->onset_s, b->after_rest || e->after_rest);
}

/* ---------------------------------------------------------------- Viterbi */

/* Brings the cached costs of a hand's events up to date. */
static void update_costs(HandTrack *t)
{
    for (int i = 0; i < t->event_count; i++) {
        if (t->cached[i])
            continue;
        const ChordEvent *e = &t->event[i];
        for (int k = 0; k < STATE_COUNT[e->count]; k++) {
            state_fingers(e, k, t->fingers[i][k]);
            t->unary[i][k] = event_cost(e, t->fingers[i][k]);
        }
        if (i > 0)
            for (int a = 0; a < STATE_COUNT[t->event[i - 1].count]; a++)
                for (int b = 0; b < STATE_COUNT[e->count]; b++)
                    t->into[i][a][b] = transition_cost(&t->event[i - 1], t->fingers[i - 1][a], e, t->fingers[i][b]);
        t->cached[i] = true;
    }
}

/* Reads the conventional fingers of a hand's single-note events (fingering_conventions)
 * into t->convention; final: the last event ends the passage (a flush). */
static void update_conventions(HandTrack *t, int hand, bool final)
{
    ConventionNotes notes;
    notes.count = t->event_count;
    for (int i = 0; i < t->event_count; i++) {
        const ChordEvent *e = &t->event[i];
        notes.pitch[i] = e->count == 1 ? e->note[0] : FINGERING_CONVENTION_CHORD;
        notes.group_start[i] = e->group_start;
        notes.passage_index[i] = e->passage_index;
        notes.with_other_hand[i] = e->with_other_hand;
        notes.after_rest[i] = e->after_rest;
        notes.slurred[i] = e->slurred;
        notes.interval_s[i] = i > 0 ? (float)(e->onset_s - t->event[i - 1].onset_s) : 0.0f;
        notes.quick[i] = i > 0 && notes.interval_s[i] <= FAST_REPEAT_S;
        notes.decided_finger[i] = e->state >= 0 && e->count == 1 ? (int8_t)t->fingers[i][e->state][0] : -1;
        notes.figure_origin[i] = e->figure_origin;
        notes.starts_passage[i] = i == 0 ? !t->trimmed : e->after_pause;
        notes.ends_passage[i] = i == t->event_count - 1 ? final : t->event[i + 1].after_pause;
    }
    int figure_origin[FINGERING_CONVENTION_MAX_NOTES];
    fingering_conventions(hand, &notes, t->convention, t->convention_kind, figure_origin);
    for (int i = 0; i < t->event_count; i++)
        t->event[i].figure_origin = figure_origin[i];
}

/* What a state of event i costs besides its own ergonomics: going against the event's
 * conventional finger. */
static double convention_cost(const HandTrack *t, int i, int state)
{
    if (t->convention[i] < 0 || t->event[i].count != 1 || t->fingers[i][state][0] == t->convention[i])
        return 0.0;
    switch (t->convention_kind[i]) {
    case CONVENTION_POSITION:
        return COST_AGAINST_POSITION;
    case CONVENTION_SEQUENCE:
        return COST_AGAINST_SEQUENCE;
    case CONVENTION_SLURRED_PAIR:
        return COST_AGAINST_POSITION;
    case CONVENTION_STROKES: /* always playable: it wins like a run's convention */
    default:
        return COST_AGAINST_RUN_CONVENTION;
    }
}

/* Second-order Viterbi over all events of a hand (decided events keep their state):
 * writes the cheapest state of each event to t->path. At most MAX_EVENTS x 10^3 steps,
 * plus the costs of the events that changed since the last call and the conventions
 * (a few passes over the events). final: no note follows the last one. */
static void viterbi(Fingering *f, int hand, bool final)
{
    HandTrack *t = &f->hand[hand];
    update_costs(t);
    update_conventions(t, hand, final);
    int n = t->event_count;
    const ChordEvent *ev = t->event;
    int states[MAX_EVENTS] = { 0 };
    for (int i = 0; i < n; i++)
        states[i] = STATE_COUNT[ev[i].count];
#define ALLOWED(i, k) (ev[i].state < 0 || ev[i].state == (k))
    for (int b = 0; b < states[0]; b++)
        f->cost[0][0][b] = ALLOWED(0, b) ? t->unary[0][b] + convention_cost(t, 0, b) : INFINITY;
    if (n == 1) {
        int best = 0;
        for (int b = 1; b < states[0]; b++)
            if (f->cost[0][0][b] < f->cost[0][0][best])
                best = b;
        t->path[0] = best;
        return;
    }
    for (int a = 0; a < states[0]; a++)
        for (int b = 0; b < states[1]; b++) {
            f->cost[1][a][b] = ALLOWED(1, b) ? f->cost[0][0][a] + t->unary[1][b] + convention_cost(t, 1, b) +
                                                   t->into[1][a][b]
                                             : INFINITY;
            f->back[1][a][b] = 0;
        }
    for (int i = 2; i < n; i++) {
        bool single = ev[i - 2].count == 1 && ev[i - 1].count == 1 && ev[i].count == 1;
        for (int b = 0; b < states[i - 1]; b++) {
            for (int c = 0; c < states[i]; c++) {
                f->back[i][b][c] = 0;
                if (!ALLOWED(i - 1, b) || !ALLOWED(i, c)) {
                    f->cost[i][b][c] = INFINITY;
                    continue;
                }
                double best = INFINITY;
                int best_a = 0;
                for (int a = 0; a < states[i - 2]; a++) {
                    double total = f->cost[i - 1][a][b];
                    if (single && total < INFINITY)
                        total += triple_cost(&ev[i - 2], t->fingers[i - 2][a][0], &ev[i - 1], t->fingers[i - 1][b][0],
                                             &ev[i], t->fingers[i][c][0]);
                    if (total < best) {
                        best = total;
                        best_a = a;
                    }
                }
                f->cost[i][b][c] = best + t->unary[i][c] + convention_cost(t, i, c) + t->into[i][b][c];
                f->back[i][b][c] = (int8_t)best_a;
            }
        }
    }
#undef ALLOWED
    int best_a = 0, best_b = 0;
    for (int a = 0; a < states[n - 2]; a++)
        for (int b = 0; b < states[n - 1]; b++)
            if (f->cost[n - 1][a][b] < f->cost[n - 1][best_a][best_b]) {
                best_a = a;
                best_b = b;
            }
    t->path[n - 1] = best_b;
    t->path[n - 2] = best_a;
    for (int i = n - 1; i >= 2; i--)
        t->path[i - 2] = f->back[i][t->path[i - 1]][t->path[i]];
}

/* The cheapest state of a hand's last event given the previous event's state on the
 * hand's last path (written by its last search or by this function), into t->path. */
static void provisional_state(HandTrack *t)
{
    update_costs(t);
    int i = t->event_count - 1, best = -1;
    const ChordEvent *e = &t->event[i];
    double best_cost = INFINITY;
    for (int b = 0; b < STATE_COUNT[e->count]; b++) {
        if (e->state >= 0 && e->state != b)
            continue;
        double cost = t->unary[i][b] + (i > 0 ? t->into[i][t->path[i - 1]][b] : 0.0);
        if (best < 0 || cost < best_cost) {
            best = b;
            best_cost = cost;
        }
    }
    t->path[i] = best < 0 ? 0 : best;
}

/* ---------------------------------------------------------------- auto mode */

/* Decides the oldest pending event of a hand from its best path t->path (which stays
 * the best path after the decision) and emits its notes' finals; keeps at most
 * CONTEXT_EVENTS decided events as context. */
static void decide_oldest(Fingering *f, int hand)
{
    HandTrack *t = &f->hand[hand];
    ChordEvent *e = &t->event[t->decided];
    if (e->state < 0)
        e->state = t->path[t->decided];
    if (t->decided == t->event_count - 1)
        t->open = false;
    int fingers[MAX_CHORD];
    state_fingers(e, e->state, fingers);
    for (int i = 0; i < e->count; i++) {
        FingerAssignment a = { .id = e->id[i], .onset_s = e->onset_s, .note = e->note[i],
                               .velocity = e->velocity[i], .hand = (int8_t)hand, .finger = (int8_t)fingers[i] };
        push_final(f, &a);
    }
    t->decided++;
    t->chosen = t->chosen > t->decided ? t->chosen : t->decided;
    if (t->decided > CONTEXT_EVENTS) {
        memmove(&t->event[0], &t->event[1], (size_t)(t->event_count - 1) * sizeof t->event[0]);
        size_t keep = (size_t)(t->event_count - 1);
        memmove(&t->path[0], &t->path[1], keep * sizeof t->path[0]);
        memmove(&t->cached[0], &t->cached[1], keep * sizeof t->cached[0]);
        memmove(&t->fingers[0], &t->fingers[1], keep * sizeof t->fingers[0]);
        memmove(&t->unary[0], &t->unary[1], keep * sizeof t->unary[0]);
        memmove(&t->into[0], &t->into[1], keep * sizeof t->into[0]);
        memmove(&t->convention[0], &t->convention[1], keep * sizeof t->convention[0]);
        memmove(&t->convention_kind[0], &t->convention_kind[1], keep * sizeof t->convention_kind[0]);
        t->event_count--;
        t->decided--;
        t->chosen--;
        t->trimmed = true;
    }
}

/* How far a note lies outside the keys a hand played in its last HAND_RANGE_EVENTS groups
 * of its current passage (0 inside them): groups before a pause of PASSAGE_GAP_S belong to
 * music the hand has left. */
static int range_distance(const HandTrack *t, int note)
{
    int lo = 128, hi = -1;
    for (int i = t->event_count - 1; i >= 0 && i >= t->event_count - HAND_RANGE_EVENTS; i--) {
        if (i < t->event_count - 1 && t->event[i + 1].after_pause)
            break;
        for (int k = 0; k < t->event[i].count; k++) {
            int p = t->event[i].note[k];
            lo = p < lo ? p : lo;
            hi = p > hi ? p : hi;
        }
    }
    if (hi < 0)
        return abs(note - t->last_note);
    return note < lo ? lo - note : note > hi ? note - hi : 0;
}

/* The window within which notes of the two hands are struck together: HANDS_TOGETHER_S,
 * or the chord window if wider. */
static double hands_window_s(const FingeringConfig *c)
{
    return fmax(c->chord_window_ms * 0.001, HANDS_TOGETHER_S);
}

/* A hand's chord window: how long after its open group's first onset a note still joins it.
 * The configured chord window, widened for a hand moving slowly up to CHORD_STEP_SHARE of
 * its last step (at most CHORD_WINDOW_WIDEST_S): a player's double notes come up to 40 ms
 * apart, while a fast run's next note may come 40 ms after the one before. */
static double chord_window_s(const Fingering *f, const HandTrack *t)
{
    double configured_s = f->config.chord_window_ms * 0.001;
    int n = t->event_count;
    if (n < 2 || t->event[n - 1].after_pause)
        return configured_s;
    double step_s = t->event[n - 1].onset_s - t->event[n - 2].onset_s;
    return fmax(configured_s, fmin(CHORD_STEP_SHARE * step_s, CHORD_WINDOW_WIDEST_S));
}

/* Hand split: picks the hand for a note when both hands play. While both hands play, the
 * note goes to the hand whose last note is nearer (equally near: whose recent keys, its
 * last HAND_RANGE_EVENTS groups, are nearer), and stays with the hand that played last
 * unless it lies split_hysteresis semitones nearer the other (hands that struck together,
 * or a note struck with the last one, within HANDS_TOGETHER_S: the nearer one). While one
 * hand plays and the other rests (silent for HAND_REST_S), the
 * playing hand keeps every note within HAND_REACH of the keys of its last HAND_RANGE_EVENTS
 * groups (range_distance); beyond, on the resting hand's side, the resting hand takes it.
 * With neither playing, middle C (SPLIT_AT_REST). */
static int choose_hand(const Fingering *f, int note, double time_s)
{
    if (f->config.hands != HANDS_BOTH)
        return (int)f->config.hands;
    const HandTrack *r = &f->hand[HAND_RIGHT], *l = &f->hand[HAND_LEFT];
    double window_s = f->config.chord_window_ms * 0.001;
    /* a hand whose chord is full cannot take another note of it */
    bool right_full = r->open && r->event[r->event_count - 1].count == MAX_CHORD &&
                      time_s - r->event[r->event_count - 1].onset_s <= window_s;
    bool left_full = l->open && l->event[l->event_count - 1].count == MAX_CHORD &&
                     time_s - l->event[l->event_count - 1].onset_s <= window_s;
    if (right_full != left_full)
        return right_full ? HAND_LEFT : HAND_RIGHT;
    bool right_playing = r->last_note >= 0 && time_s - r->last_onset_s < HAND_REST_S;
    bool left_playing = l->last_note >= 0 && time_s - l->last_onset_s < HAND_REST_S;
    if (right_playing && left_playing) {
        double hands_s = hands_window_s(&f->config);
        bool together = fabs(r->last_onset_s - l->last_onset_s) <= hands_s;
        double to_right = abs(note - r->last_note), to_left = abs(note - l->last_note);
        if (together) {
            /* hands that struck together: neither played last, and the note is compared
             * with where each hand has been (its running mean) */
            to_right = fabs(note - r->centre);
            to_left = fabs(note - l->centre);
        } else if (to_right == to_left) {
            to_right = range_distance(r, note);
            to_left = range_distance(l, note);
        }
        /* the hysteresis keeps a line in the hand that played last; a note struck with that
         * hand's last note is no step of its line (Czerny op. 821 No. 10 bar 7: the right
         * hand's slurred pairs over the left hand's broken chords) */
        bool struck_with_last = time_s - fmax(r->last_onset_s, l->last_onset_s) <= hands_s;
        double h = together || struck_with_last ? 0.0 : f->config.split_hysteresis;
        if (r->last_onset_s >= l->last_onset_s)
            return to_left + h < to_right ? HAND_LEFT : HAND_RIGHT;
        return to_right + h < to_left ? HAND_RIGHT : HAND_LEFT;
    }
    /* the reach counts from every key of the hand's last groups, not its last note alone:
     * a leap back to where the hand just was (Czerny op. 821 No. 15's right hand, a figure
     * on B5-D6 and then one a seventh lower) stays with it */
    if (right_playing)
        return note < r->last_note && range_distance(r, note) > HAND_REACH ? HAND_LEFT : HAND_RIGHT;
    if (left_playing)
        return note > l->last_note && range_distance(l, note) > HAND_REACH ? HAND_RIGHT : HAND_LEFT;
    return note >= SPLIT_AT_REST ? HAND_RIGHT : HAND_LEFT;
}

/* Whether a hand rests at time_s: silent for HAND_REST_S (or never played), nothing of it
 * pending but groups whose fingers are chosen. */
static bool hand_rests(const HandTrack *t, double time_s)
{
    return t->chosen == t->event_count && (t->last_note < 0 || time_s - t->last_onset_s >= HAND_REST_S);
}

/* A hand's passage begins at note: its first note and the register it has covered so far. */
static void start_passage_register(HandTrack *t, int note)
{
    t->passage_first_note = t->passage_low = t->passage_high = note;
}

/* Whether a hand playing alone holds a line whose hand is not known yet: both hands rested,
 * so middle C gave the passage's first note, within an octave of it, to this hand (a guess:
 * give_line_beyond_reach moves the line to the other hand if it runs LONE_LINE_REACH onto
 * that hand's side), the other hand still rests, and no note of the passage has gone
 * further than that octave on this hand's own side (a left hand below C3, a right hand
 * above C5: the register the guess gave it). A passage the other hand took from it, or
 * that began on the other side of middle C, is known. */
static bool hand_identity_uncertain(const Fingering *f, int hand, double now_s)
{
    const HandTrack *t = &f->hand[hand];
    int first = t->passage_first_note;
    if (f->config.hands != HANDS_BOTH || first < 0 || abs(first - SPLIT_AT_REST) > SPLIT_GUESS_SPAN ||
        !hand_rests(&f->hand[1 - hand], now_s))
        return false;
    if (hand == HAND_LEFT)
        return first < SPLIT_AT_REST && t->passage_low >= SPLIT_AT_REST - SPLIT_GUESS_SPAN;
    return first >= SPLIT_AT_REST && t->passage_high <= SPLIT_AT_REST + SPLIT_GUESS_SPAN;
}

/* Whether a hand's pending group from (its oldest one whose fingers are not chosen) is due:
 * lag_ms of music has followed it and so have LAG_MIN_GROUPS groups of its passage (its
 * passage ended, or LAG_LONGEST_S passed), or more than FINGERING_MAX_PENDING groups wait.
 * Played slowly (a note a second), lag_ms alone would decide each note before the next one
 * is heard, and the run, key and chord that the conventions read would be unknown (the
 * corpus at a sixth of its tempo: 86 %). */
static bool group_due(const HandTrack *t, int from, double now_s, double lag_s)
{
    if (from >= t->event_count)
        return false;
    int waiting = t->event_count - from;
    double waited_s = now_s - t->event[from].onset_s;
    if (waiting > FINGERING_MAX_PENDING)
        return true;
    if (waited_s <= lag_s)
        return false;
    return waiting > LAG_MIN_GROUPS || waited_s > LAG_LONGEST_S;
}

/* Whether a hand's oldest chosen group may be given out: its hand is known, or it has
 * waited LAG_LONGEST_S, or the pending groups fill FINGERING_MAX_PENDING. */
static bool chosen_due(const HandTrack *t, bool uncertain, double now_s)
{
    if (t->decided >= t->chosen)
        return false;
    return !uncertain || t->event_count - t->decided > FINGERING_MAX_PENDING ||
           now_s - t->event[t->decided].onset_s > LAG_LONGEST_S;
}

/* Fixes the fingers of a hand's oldest pending group not chosen yet from its best path
 * t->path, without giving them out (decide_oldest does); a chosen chord takes no more notes. */
static void choose_oldest(HandTrack *t)
{
    t->event[t->chosen].state = t->path[t->chosen];
    if (t->chosen == t->event_count - 1)
        t->open = false;
    t->chosen++;
}

/* Decides every pending group of a hand, its passage being over (a flush, or a pause). */
static void decide_passage(Fingering *f, int hand)
{
    HandTrack *t = &f->hand[hand];
    if (t->decided < t->event_count)
        viterbi(f, hand, true);
    while (t->decided < t->event_count)
        decide_oldest(f, hand);
}

/* Whether every key of a hand's last group has been up for PASSAGE_GAP_S at now_s: its
 * passage is over (the key and chord of the next one are read apart from it). */
static bool hand_paused(const Fingering *f, const HandTrack *t, double now_s)
{
    if (t->event_count == 0)
        return false;
    const ChordEvent *last = &t->event[t->event_count - 1];
    for (int i = 0; i < last->count; i++) {
        double released_s = f->released_s[last->note[i]];
        /* a key struck this instant is not counted held yet: it came up before the group */
        if (f->held[last->note[i]] || released_s < last->onset_s || now_s - released_s < PASSAGE_GAP_S)
            return false;
    }
    return true;
}

/* Decides a hand's oldest pending events while they are due (group_due, chosen_due), searching first
 * unless searched; all of them when its passage is over (hand_paused). */
static void decide_due(Fingering *f, int hand, double now_s, bool searched)
{
    HandTrack *t = &f->hand[hand];
    double lag_s = f->config.lag_ms * 0.001;
    if (t->decided < t->event_count && hand_paused(f, t, now_s)) {
        decide_passage(f, hand);
        return;
    }
    bool uncertain = hand_identity_uncertain(f, hand, now_s);
    if (!group_due(t, t->chosen, now_s, lag_s) && !chosen_due(t, uncertain, now_s))
        return;
    if (!searched)
        viterbi(f, hand, false);
    while (group_due(t, t->chosen, now_s, lag_s))
        choose_oldest(t);
    while (chosen_due(t, uncertain, now_s))
        decide_oldest(f, hand);
}

/* Moves a hand's running mean to a new note and keeps the other hand at least a fifth
 * away on its own side. */
static void follow_hand(Fingering *f, int hand, int note, double time_s)
{
    HandTrack *t = &f->hand[hand];
    HandTrack *other = &f->hand[1 - hand];
    t->centre += 0.3 * (note - t->centre);
    t->passage_low = note < t->passage_low ? note : t->passage_low;
    t->passage_high = note > t->passage_high ? note : t->passage_high;
    t->last_note = note;
    t->last_onset_s = time_s;
    if (hand == HAND_RIGHT && other->centre > t->centre - 7.0)
        other->centre = t->centre - 7.0;
    if (hand == HAND_LEFT && other->centre < t->centre + 7.0)
        other->centre = t->centre + 7.0;
}

/* Places a note in a hand's track (a new group, or joining the open chord), searches and
 * decides what is due; writes the note's provisional hand and finger. */
static void place_note(Fingering *f, int hand, uint32_t id, double time_s, uint8_t note, uint8_t velocity,
                       FingerAssignment *provisional)
{
    HandTrack *t = &f->hand[hand];
    if (t->open) {
        const ChordEvent *last = &t->event[t->event_count - 1];
        bool joins = time_s - last->onset_s <= chord_window_s(f, t) && last->count < MAX_CHORD;
        for (int i = 0; i < last->count && joins; i++)
            joins = last->note[i] != note;
        if (!joins)
            t->open = false;
    }
    int x = hand == HAND_RIGHT ? note : -(int)note;
    bool joined = t->open;
    ChordEvent *e;
    if (t->open) {
        e = &t->event[t->event_count - 1];
        t->cached[t->event_count - 1] = false;
    } else {
        /* after a pause the passage before is complete: decide it before the next one's
         * notes join the search (the key and chord are read from the last passage) */
        bool after_pause = hand_paused(f, t, time_s);
        if (after_pause)
            decide_passage(f, hand);
        t->group_before = t->group;
        t->last_note_before = t->last_note;
        t->last_onset_before_s = t->last_onset_s;
        t->centre_before = t->centre;
        t->cached[t->event_count] = false;
        t->convention[t->event_count] = -1;
        e = &t->event[t->event_count];
        memset(e, 0, sizeof *e);
        e->state = -1;
        e->onset_s = time_s;
        if (t->event_count > 0) {
            const ChordEvent *previous = &t->event[t->event_count - 1];
            e->after_rest = true;
            e->slurred = true;
            for (int i = 0; i < previous->count; i++) {
                if (f->held[previous->note[i]] && previous->note[i] != note)
                    e->legato = true;
                double rest_s = time_s - f->released_s[previous->note[i]];
                if (f->held[previous->note[i]] || rest_s < REST_MIN_S ||
                    rest_s < REST_MIN_SHARE * (time_s - previous->onset_s))
                    e->after_rest = false;
                if (!f->held[previous->note[i]] && rest_s > SLUR_MAX_GAP_S)
                    e->slurred = false;
            }
        }
        e->after_pause = after_pause;
        HandTrack *other = &f->hand[1 - hand];
        if (other->event_count > 0 &&
            time_s - other->event[other->event_count - 1].onset_s <= hands_window_s(&f->config))
            e->with_other_hand = other->event[other->event_count - 1].with_other_hand = true;
        bool passage_start = t->event_count == 0 ? !t->trimmed : after_pause;
        if (passage_start) {
            start_passage_register(t, note);
            t->centre = starting_centre(hand) + PASSAGE_START_PULL * (note - starting_centre(hand));
        }
        bool after_chord = t->event_count > 0 && t->event[t->event_count - 1].count > 1;
        e->group_start = fingering_position_group_add(&t->group, note, passage_start || after_chord);
        e->passage_index =
            passage_start || t->event_count == 0 ? 0 : (t->event[t->event_count - 1].passage_index + 1) % PASSAGE_INDEX_WRAP;
        e->figure_origin = -1;
        t->event_count++;
        t->open = true;
    }
    int slot = e->count;
    while (slot > 0 && e->x[slot - 1] > x) {
        e->x[slot] = e->x[slot - 1];
        e->black[slot] = e->black[slot - 1];
        e->note[slot] = e->note[slot - 1];
        e->velocity[slot] = e->velocity[slot - 1];
        e->id[slot] = e->id[slot - 1];
        slot--;
    }
    e->x[slot] = x;
    e->black[slot] = fingering_is_black_key(note);
    e->note[slot] = note;
    e->velocity[slot] = velocity;
    e->id[slot] = id;
    e->count++;
    follow_hand(f, hand, note, time_s);

    if (joined) {
        /* A note joining a chord changes no decision (they wait for the next group, which
         * runs the search over the whole chord): its provisional finger comes from the
         * chord's best state after the previous group's state on the last path. This
         * keeps a chord's cost at one search, not one per note. */
        provisional_state(t);
    } else {
        /* pending groups of either hand are decided once lag_ms of music follows them */
        viterbi(f, hand, false);
        decide_due(f, hand, time_s, true);
        decide_due(f, 1 - hand, time_s, false);
    }
    e = &t->event[t->event_count - 1];
    int fingers[MAX_CHORD];
    state_fingers(e, t->path[t->event_count - 1], fingers);
    provisional->hand = (int8_t)hand;
    provisional->finger = (int8_t)fingers[slot];
}

/* A hand's open group when it is a single pending note struck within window_s before
 * time_s (a note struck with it may move it to the other hand), else NULL. */
static const ChordEvent *open_single_note(const Fingering *f, int hand, double time_s, double window_s)
{
    const HandTrack *t = &f->hand[hand];
    if (f->config.hands != HANDS_BOTH || !t->open || t->chosen >= t->event_count)
        return NULL;
    const ChordEvent *e = &t->event[t->event_count - 1];
    return e->count == 1 && time_s - e->onset_s <= window_s ? e : NULL;
}

/* The lower and higher note of a two-note group. */
static void pair_notes(const ChordEvent *e, int *lo, int *hi)
{
    *lo = e->note[0] < e->note[1] ? e->note[0] : e->note[1];
    *hi = e->note[0] + e->note[1] - *lo;
}

/* Whether the pair (lo, hi) moved by step from (before_lo, before_hi): each note 1 or 2
 * semitones (one of them 3: the harmonic minor's augmented second), both the same way;
 * returns that way (+1 up, -1 down) or 0. */
static int parallel_step(int before_lo, int before_hi, int lo, int hi)
{
    int step_lo = lo - before_lo, step_hi = hi - before_hi;
    if (step_lo * step_hi <= 0 || abs(step_lo) > 3 || abs(step_hi) > 3 || abs(step_lo) + abs(step_hi) > 5)
        return 0;
    return step_lo > 0 ? 1 : -1;
}

/* Whether a note joining a hand's open one-note group makes a double note a minor sixth or
 * wider that moved by step (each of its notes 1 or 2 semitones, both the same way) from the
 * hand's group just before, itself a double note: a scale in sixths, octaves or tenths.
 * One hand cannot play that legato (the same two fingers on every pair); the scale books'
 * scales a sixth apart are two hands, though both start on one side of middle C (the hand
 * split at rest gives both notes to one hand, and the resting hand's side is not reached). */
static bool parallel_double_notes(const HandTrack *t, int note)
{
    if (t->event_count < 2)
        return false;
    const ChordEvent *before = &t->event[t->event_count - 2], *e = &t->event[t->event_count - 1];
    int lo = note < e->note[0] ? note : e->note[0], hi = note + e->note[0] - lo;
    if (before->count != 2 || hi - lo < PARALLEL_SIXTH_SPAN || e->after_pause)
        return false;
    int before_lo, before_hi;
    pair_notes(before, &before_lo, &before_hi);
    return parallel_step(before_lo, before_hi, lo, hi) != 0;
}

/* Whether a note joining a hand's open one-note group continues two hands moving in
 * parallel: the hand's group before it and the other hand's last group were single notes
 * struck together, and the new two notes moved by step from them, both the same way (the
 * books' scales a third apart once split, split_scale_in_thirds: at a third each note lies
 * as near the other hand's last note as its own). */
static bool hands_in_parallel(const Fingering *f, int hand, int note)
{
    const HandTrack *t = &f->hand[hand], *o = &f->hand[1 - hand];
    if (t->event_count < 2 || o->event_count < 1)
        return false;
    const ChordEvent *before = &t->event[t->event_count - 2], *e = &t->event[t->event_count - 1];
    const ChordEvent *other = &o->event[o->event_count - 1];
    if (before->count != 1 || other->count != 1 || e->after_pause ||
        fabs(before->onset_s - other->onset_s) > hands_window_s(&f->config))
        return false;
    int before_lo = before->note[0] < other->note[0] ? before->note[0] : other->note[0];
    int before_hi = before->note[0] + other->note[0] - before_lo;
    int lo = note < e->note[0] ? note : e->note[0], hi = note + e->note[0] - lo;
    return parallel_step(before_lo, before_hi, lo, hi) != 0;
}

static bool a_third(int lo, int hi)
{
    return hi - lo == 3 || hi - lo == 4;
}

/* The first of a hand's groups that, with a note joining its open one-note group, make a
 * scale in thirds: THIRDS_SCALE_PAIRS or more double notes a third apart (3 or 4
 * semitones), each moving by step from the one before, all the same way, in one passage
 * (decided ones count: played slowly, the first pairs are decided before the sixth comes);
 * -1 when they do not. */
static int scale_in_thirds(const HandTrack *t, int note)
{
    const ChordEvent *e = &t->event[t->event_count - 1];
    int lo = note < e->note[0] ? note : e->note[0], hi = note + e->note[0] - lo;
    if (!a_third(lo, hi))
        return -1;
    int first = t->event_count - 1, way = 0;
    while (first - 1 >= 0 && !t->event[first].after_pause && t->event[first - 1].count == 2) {
        int before_lo, before_hi;
        pair_notes(&t->event[first - 1], &before_lo, &before_hi);
        int step = parallel_step(before_lo, before_hi, lo, hi);
        if (!a_third(before_lo, before_hi) || step == 0 || (way != 0 && step != way))
            break;
        way = step;
        lo = before_lo;
        hi = before_hi;
        first--;
    }
    return t->event_count - first >= THIRDS_SCALE_PAIRS ? first : -1;
}

/* Appends the first count notes (by x) of another hand's group to a hand's track as one group,
 * struck with_other_hand or not; starts: the first group moved, which begins a passage. */
static void append_moved_notes(Fingering *f, int hand, const ChordEvent *from, int count, bool starts,
                               bool with_other_hand)
{
    HandTrack *t = &f->hand[hand];
    int i = t->event_count;
    ChordEvent *e = &t->event[i];
    memset(e, 0, sizeof *e);
    e->count = count;
    for (int n = 0; n < count; n++) {
        int k = count - 1 - n; /* x runs the other way in the other hand */
        e->note[n] = from->note[k];
        e->x[n] = hand == HAND_RIGHT ? from->note[k] : -(int)from->note[k];
        e->black[n] = from->black[k];
        e->velocity[n] = from->velocity[k];
        e->id[n] = from->id[k];
    }
    e->onset_s = from->onset_s;
    e->legato = !starts && from->legato;
    e->after_rest = starts || from->after_rest;
    e->slurred = !starts && from->slurred;
    e->after_pause = starts && i > 0;
    e->with_other_hand = with_other_hand;
    if (starts)
        start_passage_register(t, e->note[0]);
    bool after_chord = !starts && i > 0 && t->event[i - 1].count > 1;
    e->group_start = fingering_position_group_add(&t->group, e->note[0], starts || after_chord);
    e->passage_index = starts ? 0 : (t->event[i - 1].passage_index + 1) % PASSAGE_INDEX_WRAP;
    e->figure_origin = -1;
    e->state = -1;
    t->cached[i] = false;
    t->convention[i] = -1;
    t->event_count++;
    t->open = false;
    for (int n = 0; n < count; n++)
        follow_hand(f, hand, e->note[n], e->onset_s);
}

/* Moves the other hand's note of a hand's pending double note k (its lowest x: the left
 * hand's higher note, the right hand's lower one) to the other hand's track, as a group of
 * its own struck with it; starts: the first moved, which begins the other hand's passage. */
static void move_other_hands_note(Fingering *f, int hand, int k, bool starts)
{
    ChordEvent *e = &f->hand[hand].event[k];
    append_moved_notes(f, 1 - hand, e, 1, starts, true);
    e->count = 1;
    e->x[0] = e->x[1];
    e->black[0] = e->black[1];
    e->note[0] = e->note[1];
    e->velocity[0] = e->velocity[1];
    e->id[0] = e->id[1];
    e->with_other_hand = true;
    f->hand[hand].cached[k] = false;
}

/* A hand playing alone (the other resting) whose passage began within an octave of middle C
 * and whose line now runs LONE_LINE_REACH past middle C onto the other hand's side (the left
 * hand up to C6, the right hand down to C2) is the other hand. After both hands rested, middle
 * C gave the line's first note to the hand on its side, a guess so near it, and the playing
 * hand keeps a line that moves by step; but a line that climbs from near middle C that far is
 * the right hand's (Czerny op. 821 No. 1 bar 5: A3 up to E6), one that falls that far the
 * left's. A hand alone playing the books' two-octave scales from the octave next to middle C
 * stays short of it, and a four-octave scale begins far from middle C. The hand's pending
 * passage (its notes not decided yet: about the last second) goes to the other hand with the
 * note; the notes decided stay. Returns the hand for the note. */
static int give_line_beyond_reach(Fingering *f, int hand, int note, double time_s)
{
    HandTrack *t = &f->hand[hand], *o = &f->hand[1 - hand];
    bool beyond = hand == HAND_LEFT ? note >= SPLIT_AT_REST + LONE_LINE_REACH
                                    : note <= SPLIT_AT_REST - LONE_LINE_REACH;
    bool began_near_middle_c =
        t->passage_first_note >= 0 && abs(t->passage_first_note - SPLIT_AT_REST) <= SPLIT_GUESS_SPAN;
    if (f->config.hands != HANDS_BOTH || !beyond || !began_near_middle_c || !hand_rests(o, time_s))
        return hand;
    for (int k = t->decided; k < t->event_count; k++)
        append_moved_notes(f, 1 - hand, &t->event[k], t->event[k].count, k == t->decided,
                           t->event[k].with_other_hand);
    t->event_count = t->chosen = t->decided;
    t->open = false;
    memset(&t->group, 0, sizeof t->group);
    const ChordEvent *last = t->event_count > 0 ? &t->event[t->event_count - 1] : NULL;
    t->last_note = last ? last->note[last->count - 1] : -1;
    t->last_onset_s = last ? last->onset_s : -1e9;
    if (last)
        t->centre = t->last_note;
    return 1 - hand;
}

/* A scale in thirds (scale_in_thirds) played while the other hand rests is the books' scale
 * a third apart, both hands, not one hand in double thirds: ABRSM's grades ask for scales a
 * third apart in similar motion, while a double-third scale in one hand is virtuoso
 * technique outside the scale books (Czerny's double thirds, op. 821 No. 3, turn inside a
 * fourth). The run's pending double notes are split, the lower notes to the left hand and
 * the higher to the right, and so is the new pair. Returns the hand for the new note. */
static int split_scale_in_thirds(Fingering *f, int hand, int note, double time_s)
{
    HandTrack *t = &f->hand[hand], *o = &f->hand[1 - hand];
    const ChordEvent *open = open_single_note(f, hand, time_s, chord_window_s(f, t));
    int first = open && hand_rests(o, time_s) ? scale_in_thirds(t, note) : -1;
    if (first < 0)
        return hand;
    /* the pairs decided already stay as they were given */
    first = first > t->chosen ? first : t->chosen;
    int last = t->event_count - 1;
    for (int k = first; k < last; k++)
        move_other_hands_note(f, hand, k, k == first);
    bool open_is_other = hand == HAND_RIGHT ? open->note[0] < note : open->note[0] > note;
    if (open_is_other) {
        append_moved_notes(f, 1 - hand, open, 1, first == last, true);
        t->event_count--;
    }
    /* the hand plays one voice from the run on: its position groups and costs anew */
    memset(&t->group, 0, sizeof t->group);
    for (int k = first; k < t->event_count; k++) {
        t->event[k].group_start = fingering_position_group_add(&t->group, t->event[k].note[0], k == first);
        t->event[k].figure_origin = -1;
        t->cached[k] = false;
    }
    t->open = !open_is_other;
    const ChordEvent *latest = &t->event[t->event_count - 1];
    t->last_note = t->last_note_before = latest->note[0];
    t->last_onset_s = t->last_onset_before_s = latest->onset_s;
    t->centre = t->centre_before = latest->note[0];
    t->group_before = t->group;
    return open_is_other ? hand : 1 - hand;
}

/* Both hands striking together in parallel motion (an octave apart, say) after a leap can
 * send the first of the two notes to the wrong hand: it lands nearer the other hand's last
 * note. When a note comes to a one-note group of the hand struck within PAIR_LATEST_S
 * (the other hand's note of the two may come after the chord window, and joins no chord
 * then, but is still struck with it), while the other hand plays but struck
 * nothing then (or the two make the next double note of a scale in sixths or wider,
 * parallel_double_notes), and the two lie PARALLEL_MIN_SPAN or more apart, the lower note
 * goes to the left hand and the higher to the right (moving the earlier note if needed).
 * Returns the hand for the new note. */
static int parallel_split(Fingering *f, int hand, int note, double time_s)
{
    HandTrack *t = &f->hand[hand], *o = &f->hand[1 - hand];
    const ChordEvent *e = open_single_note(f, hand, time_s, fmax(hands_window_s(&f->config), PAIR_LATEST_S));
    if (!e)
        return hand;
    bool other_playing = o->last_note >= 0 && time_s - o->last_onset_s < HAND_REST_S;
    bool other_struck_nothing = other_playing && o->last_onset_s < e->onset_s - f->config.chord_window_ms * 0.001;
    bool sixths = parallel_double_notes(t, note);
    bool new_is_outer = hand == HAND_RIGHT ? note > e->note[0] : note < e->note[0];
    int inner = new_is_outer ? e->note[0] : note; /* the note a split gives the other hand */
    bool wide = abs(note - e->note[0]) >= PARALLEL_MIN_SPAN &&
                (sixths || (other_struck_nothing && abs(inner - o->last_note) <= PARALLEL_LEAP_MAX));
    /* both hands rested and the open note began this hand's passage: two notes struck
     * together from rest further apart than a hand's reach are the two hands' whichever
     * comes first (choose_hand splits them so when the outer one comes first: a left hand
     * playing alone gives a note beyond its reach above it to the right hand) */
    bool apart_from_rest = !other_playing && e->passage_index == 0 && new_is_outer && abs(note - e->note[0]) > HAND_REACH;
    wide = wide || apart_from_rest;
    if (!(wide || hands_in_parallel(f, hand, note)))
        return hand;
    /* the double note before, the scale's first (struck while the other hand rested), was
     * the two hands' as well: split it too while it waits */
    int before = t->event_count - 2; /* a double note: sixths says so */
    if (sixths && before >= t->chosen && o->chosen == o->event_count &&
        !(o->event_count > 0 && o->event[o->event_count - 1].onset_s >= t->event[before].onset_s)) {
        move_other_hands_note(f, hand, before, true);
        t->cached[before + 1] = false;
    }
    if (!new_is_outer)
        return 1 - hand;
    ChordEvent moved = *e;
    t->event_count--;
    t->open = false;
    t->group = t->group_before;
    t->last_note = t->last_note_before;
    t->last_onset_s = t->last_onset_before_s;
    t->centre = t->centre_before;
    FingerAssignment ignored; /* its provisional finger was given when it came */
    place_note(f, 1 - hand, moved.id[0], moved.onset_s, moved.note[0], moved.velocity[0], &ignored);
    return hand;
}

static void auto_note_on(Fingering *f, uint32_t id, double time_s, uint8_t note, uint8_t velocity,
                         FingerAssignment *provisional)
{
    int hand = give_line_beyond_reach(f, choose_hand(f, note, time_s), note, time_s);
    hand = split_scale_in_thirds(f, hand, note, time_s);
    hand = parallel_split(f, hand, note, time_s);
    place_note(f, hand, id, time_s, note, velocity, provisional);
}

/* ---------------------------------------------------------------- per-note entry points */

HM_REALTIME void fingering_note_on(Fingering *f, uint32_t id, double time_s, uint8_t channel, uint8_t note,
                                   uint8_t velocity, FingerAssignment *provisional)
{
    FingerAssignment a = { .id = id, .onset_s = time_s, .note = (uint8_t)(note & 0x7f),
                           .velocity = velocity, .hand = -1, .finger = -1 };
    note &= 0x7f;
    switch (f->config.mode) {
    case FINGERING_AUTO:
        auto_note_on(f, id, time_s, note, velocity, &a);
        break;
    case FINGERING_FIXED:
        assign_fixed(f, note, &a);
        push_final(f, &a);
        break;
    case FINGERING_CHANNEL:
        assign_channel(channel, &a);
        push_final(f, &a);
        break;
    case FINGERING_FRET:
        assign_fret(f, channel, note, &a);
        push_final(f, &a);
        break;
    }
    if (f->held[note] < 255)
        f->held[note]++;
    if (provisional)
        *provisional = a;
}

HM_REALTIME void fingering_note_off(Fingering *f, double time_s, uint8_t channel, uint8_t note)
{
    (void)channel;
    note &= 0x7f;
    if (f->held[note] > 0)
        f->held[note]--;
    f->released_s[note] = time_s;
}

HM_REALTIME void fingering_flush(Fingering *f)
{
    if (f->config.mode != FINGERING_AUTO)
        return;
    for (int hand = 0; hand < 2; hand++) {
        decide_passage(f, hand);
        f->hand[hand].open = false;
    }
}

/* ---------------------------------------------------------------- saved state */

HM_REALTIME void fingering_copy_memory(Fingering *dst, const Fingering *src)
{
    memcpy(dst->hand, src->hand, sizeof dst->hand);
    dst->fret_position = src->fret_position;
    memcpy(dst->output, src->output, sizeof dst->output);
    dst->output_head = src->output_head;
    dst->output_count = src->output_count;
}

/* Saved memory, field by field: per hand the chord groups (decided context and pending),
 * the hand's centre, last note and onset; the guitar hand's position; the finals not yet
 * taken. Held keys are not saved (nobody holds a key across a save) and the cost caches
 * are recomputed. */
void fingering_state_write(const Fingering *f, StateWriter *w)
{
    for (int h = 0; h < 2; h++) {
        const HandTrack *t = &f->hand[h];
        state_put_u8(w, (uint8_t)t->event_count);
        state_put_u8(w, (uint8_t)t->decided);
        state_put_u8(w, (uint8_t)t->open);
        state_put_f64(w, t->centre);
        state_put_u8(w, (uint8_t)(t->last_note < 0 ? 255 : t->last_note));
        state_put_f64(w, t->last_onset_s);
        for (int i = 0; i < t->event_count; i++) {
            const ChordEvent *ev = &t->event[i];
            state_put_u8(w, (uint8_t)ev->count);
            for (int k = 0; k < ev->count; k++) {
                state_put_u8(w, ev->note[k]);
                state_put_u8(w, ev->velocity[k]);
                state_put_u32(w, ev->id[k]);
            }
            state_put_f64(w, ev->onset_s);
            state_put_u8(w, (uint8_t)(ev->legato | ev->after_rest << 1 | ev->after_pause << 2 |
                                      ev->with_other_hand << 3 | ev->slurred << 4));
            state_put_u8(w, (uint8_t)(ev->state < 0 ? 255 : ev->state));
        }
    }
    state_put_u8(w, (uint8_t)f->fret_position);
    state_put_u16(w, (uint16_t)f->output_count);
    for (int i = 0; i < f->output_count; i++) {
        const FingerAssignment *a = &f->output[(f->output_head + i) % FINGERING_OUTPUT_CAPACITY];
        state_put_u32(w, a->id);
        state_put_f64(w, a->onset_s);
        state_put_u8(w, a->note);
        state_put_u8(w, a->velocity);
        state_put_u8(w, (uint8_t)a->hand);
        state_put_u8(w, (uint8_t)a->finger);
    }
}

static bool finite_time(double t) { return isfinite(t) && fabs(t) < 1e12; }

/* Reads one hand's track into t (already zeroed); false on a value out of range. */
static bool read_track(HandTrack *t, int hand, StateReader *r, double shift_s)
{
    t->event_count = state_get_u8(r);
    t->decided = state_get_u8(r);
    t->open = state_get_u8(r) != 0;
    t->centre = state_get_f64(r);
    int last = state_get_u8(r);
    t->last_note = last == 255 ? -1 : last;
    t->last_onset_s = state_get_f64(r) + shift_s;
    t->trimmed = true; /* what came before the saved events is unknown */
    t->passage_first_note = -1;
    bool ok = t->event_count <= MAX_EVENTS && t->decided <= t->event_count && isfinite(t->centre) &&
              t->centre >= 0.0 && t->centre <= 127.0 && (last == 255 || last <= 127) && finite_time(t->last_onset_s);
    for (int i = 0; ok && i < t->event_count; i++) {
        ChordEvent *ev = &t->event[i];
        t->convention[i] = -1;
        ev->figure_origin = -1;
        ev->count = state_get_u8(r);
        ok = ev->count >= 1 && ev->count <= MAX_CHORD;
        for (int k = 0; ok && k < ev->count; k++) {
            ev->note[k] = state_get_u8(r);
            ev->velocity[k] = state_get_u8(r);
            ev->id[k] = state_get_u32(r);
            ev->x[k] = hand == HAND_RIGHT ? ev->note[k] : -(int)ev->note[k];
            ok = ev->note[k] <= 127 && ev->velocity[k] <= 127 && (k == 0 || ev->x[k] >= ev->x[k - 1]);
            ev->black[k] = fingering_is_black_key(ev->note[k]);
        }
        ev->onset_s = state_get_f64(r) + shift_s;
        /* bit 0 legato, bit 1 after a rest, bit 2 after a pause, bit 3 with the other hand,
         * bit 4 slurred (0 in memories saved before it: no slurred groups until new notes) */
        int touch = state_get_u8(r);
        ev->legato = (touch & 1) != 0;
        ev->after_rest = (touch & 2) != 0;
        ev->after_pause = (touch & 4) != 0;
        ev->with_other_hand = (touch & 8) != 0;
        ev->slurred = (touch & 16) != 0;
        int state = state_get_u8(r);
        ev->state = state == 255 ? -1 : state;
        ok = ok && finite_time(ev->onset_s) && (state == 255 || state < STATE_COUNT[ev->count]);
    }
    for (t->chosen = t->decided; ok && t->chosen < t->event_count && t->event[t->chosen].state >= 0;)
        t->chosen++;
    return ok && !r->truncated;
}

int fingering_state_read(Fingering *f, StateReader *r, double shift_s, char *err, size_t err_size)
{
    HandTrack *track = calloc(2, sizeof *track); /* large: not on the stack */
    if (!track) {
        snprintf(err, err_size, "out of memory reading the fingering memory");
        return -1;
    }
    size_t start = r->offset;
    bool ok = true;
    for (int h = 0; h < 2 && ok; h++) {
        memset(&track[h], 0, sizeof track[h]);
        ok = read_track(&track[h], h, r, shift_s);
    }
    int fret_position = state_get_u8(r);
    int outputs = state_get_u16(r);
    ok = ok && outputs <= FINGERING_OUTPUT_CAPACITY && fret_position <= 127;
    size_t outputs_at = r->offset;
    for (int i = 0; ok && i < outputs; i++) {
        (void)state_get_u32(r);
        ok = finite_time(state_get_f64(r) + shift_s);
        int note = state_get_u8(r), velocity = state_get_u8(r), hand = state_get_u8(r), finger = state_get_u8(r);
        ok = ok && note <= 127 && velocity <= 127 && (hand <= 1 || hand == 255) && (finger <= 4 || finger == 255);
    }
    if (!ok || r->truncated) {
        snprintf(err, err_size, "fingering memory at offset %zu: %s", start,
                 r->truncated ? "truncated" : "a value is out of range");
        free(track);
        return -1;
    }
    if (!f) {
        free(track);
        return 0;
    }
    for (int h = 0; h < 2; h++)
        f->hand[h] = track[h]; /* caches cleared: recomputed on the next note */
    memset(f->held, 0, sizeof f->held); /* keys are not held across a save */
    forget_releases(f);
    f->fret_position = fret_position;
    f->output_head = 0;
    f->output_count = outputs;
    StateReader again = *r;
    again.offset = outputs_at;
    again.truncated = false;
    for (int i = 0; i < outputs; i++) {
        FingerAssignment *a = &f->output[i];
        a->id = state_get_u32(&again);
        a->onset_s = state_get_f64(&again) + shift_s;
        a->note = state_get_u8(&again);
        a->velocity = state_get_u8(&again);
        a->hand = (int8_t)state_get_u8(&again);
        a->finger = (int8_t)state_get_u8(&again);
    }
    free(track);
    return 0;
}
