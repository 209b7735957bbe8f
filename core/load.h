/* load: the practice load of a session — playing time since the last break, notes per
 * minute, share of multi-finger stimuli, repetitiveness of finger patterns, mean
 * velocity — and the warnings that follow from it and from the overlap-risk trend, each
 * with its reason (guidance: at least 10 minutes' rest per playing hour). Real-time safe;
 * warning texts are formatted outside the audio thread by load_warning_text. */
#ifndef HM_LOAD_H
#define HM_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "note_window.h"
#include "state.h"

/* Why a warning was given. */
typedef enum {
    WARNING_NONE = 0,
    WARNING_NO_BREAK,       /* value: minutes played without a break */
    WARNING_RISK_RISING,    /* value: minutes the risk has been rising; pair: which digits */
    WARNING_REPETITIVE      /* value: repetitiveness in % */
} WarningReason;

typedef enum { WARNING_LEVEL_NONE = 0, WARNING_LEVEL_ADVICE = 1, WARNING_LEVEL_WARNING = 2 } WarningLevel;

typedef struct {
    WarningLevel level;
    WarningReason reason;
    float value;
    int pair; /* 0 = D1-D2 .. 3 = D4-D5 for WARNING_RISK_RISING */
    int hand; /* 0 right, 1 left, -1 both/none */
} Warning;

/* Figures a display shows. */
typedef struct {
    double playing_s;          /* played since the last break (silences shorter than a break included) */
    double session_s;          /* since the first note of the session */
    float notes_per_minute;    /* notes played in the last 60 s, counted exactly */
    float multi_finger_share;  /* share of stimuli touching two or more fingers (recent) */
    float repetitiveness;      /* 0 varied .. 1 the same finger pattern over and over */
    float mean_velocity;       /* 0..1, recent */
    uint64_t notes;            /* since the session started */
    uint64_t notes_per_finger[2][5];
} LoadFigures;

#define LOAD_PATTERN_COUNT 125 /* finger trigrams of one hand: 5^3 */
#define LOAD_RISK_HISTORY 64   /* one overlap-risk sample a minute */
#define LOAD_WARNING_KEYS 12   /* a warning's reason (4) x hand (both, right, left) */

typedef struct {
    double break_s;            /* a silence this long is a break (default 120 s) */
    double now_s, last_note_s, playing_since_s, session_start_s;
    int playing;               /* a note has come and no break since */
    float multi_share, velocity;
    float pattern_weight[2][LOAD_PATTERN_COUNT];
    float pattern_total[2];
    int8_t recent_fingers[2][2];
    uint64_t notes;
    uint64_t notes_per_finger[2][5];
    float risk_history[2][LOAD_RISK_HISTORY];
    int risk_pair[2];
    int risk_count[2];
    double next_risk_sample_s[2];
    NoteWindow last_minute;    /* onsets of the last 60 s (not saved: a reopened profile starts empty) */
    /* when each warning (reason x hand) was said: not saved, a new session says it afresh */
    double warning_shown_until_s[LOAD_WARNING_KEYS], warning_quiet_until_s[LOAD_WARNING_KEYS];
    int8_t warning_level_shown[LOAD_WARNING_KEYS];
} LoadTracker;

/* Starts a tracker with the given break length (seconds, > 0). */
void load_init(LoadTracker *load, double break_s);

/* Time passes to now_s (monotonic, seconds of engine time). */
HM_REALTIME void load_advance(LoadTracker *load, double now_s);

/* A note started, played by finger (0..4, -1 unknown) of hand (0/1, -1 unknown). */
HM_REALTIME void load_note(LoadTracker *load, double time_s, int hand, int finger, float velocity);

/* A stimulus was formed touching `fingers` digits of hand. */
HM_REALTIME void load_stimulus(LoadTracker *load, int hand, int fingers);

/* Records a hand's overlap risk and the pair driving it (sampled once a minute). */
HM_REALTIME void load_risk(LoadTracker *load, double time_s, int hand, float risk, int pair);

/* The figures now. */
HM_REALTIME void load_figures(const LoadTracker *load, LoadFigures *out);

/* The most urgent warning now (level NONE when all is well). Repetition is advised only for
 * a figure on few fingers (a trill), not for scales and exercises that use all five. */
HM_REALTIME void load_warning(const LoadTracker *load, Warning *out);

/* The warning to show now: load_warning's, shown for a minute when it first stands and then
 * quiet for a cool-down of ten minutes (unless it grows from advice to a warning), so that
 * each is said once with its reason and advice instead of standing for ever. */
HM_REALTIME void load_warning_to_show(LoadTracker *load, Warning *out);

/* Writes the tracker's state (for the engine's saved state). */
void load_state_write(const LoadTracker *load, StateWriter *writer);

/* Reads a tracker written by load_state_write into *load, times shifted so that the saved
 * "now" becomes now_s. Returns 0, or -1 with the reason in err (nothing written to *load). */
int load_state_read(LoadTracker *load, StateReader *reader, double now_s, char *err, size_t err_size);

/* A gap with no playing at all (the program was closed): a break. */
void load_gap(LoadTracker *load);

/* Words for a warning: its reason, a colon and one piece of advice, e.g. "55 min of playing
 * without a break: rest 10 minutes now". Not real-time. */
void load_warning_text(const Warning *warning, char *text, size_t size);

#endif
