/* practice_view: what a live practice session shows, rendered into text by pure functions
 * (no terminal needed, so tests can read it): a full screen for a terminal of any size from
 * 80x24 up (ANSI: both hands' maps coloured by preferred finger, per-finger area, neighbour
 * overlap, overlap risk, practice load, the finger given to each recent note, the current
 * warning and its reason, the keys; every line cut to the width, the maps sized to the rows
 * left; no colour under NO_COLOR), and one plain line for logs and pipes (--no-ui). */
#ifndef HM_PRACTICE_VIEW_H
#define HM_PRACTICE_VIEW_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "engine.h"

#define PRACTICE_VIEW_MAP_COLUMNS 32 /* most map cells per hand across; larger sheets are sampled */
#define PRACTICE_VIEW_MIN_MAP_ROWS 6 /* fewer rows left for the maps: the device lines, then the legend go */
#define PRACTICE_VIEW_KEYS "keys: [s] sonify  [+/-] volume  [q] quit" /* the last line, before any notice */

typedef struct {
    const char *profile; /* its name */
    const char *audio;   /* one line: the device or "silent" */
    const char *midi;    /* one line: where notes come from */
    SonifyMode sonify;
    double elapsed_s;    /* since the session started */
    uint64_t dropped;    /* MIDI events lost to a full queue */
    const char *notice;  /* the latest event worth a line ("saved ..."), or NULL */
} PracticeViewStatus;

/* The terminal the full screen is drawn for. */
typedef struct {
    int columns, rows;
    int colour; /* 0: no colours or attributes (NO_COLOR) */
} PracticeViewScreen;

/* The size of the terminal out writes to (80x24 when it cannot tell) and whether colour is
 * wanted (NO_COLOR unset or empty). */
PracticeViewScreen practice_view_screen_of(FILE *out);

/* The full screen (cursor home, each line cleared, rest of the screen cleared), at most
 * screen->rows lines of at most screen->columns characters, no newline after the last;
 * snapshot NULL shows a waiting line. Returns the length written (always NUL-terminated,
 * cut short when size is too small). */
size_t practice_view_render(const EngineSnapshot *snapshot, const PracticeViewStatus *status,
                            const PracticeViewScreen *screen, char *out, size_t size);

/* One plain line without a newline, e.g. "[  12.0 s] notes 40 | right D1 20.1 D2 23.4 ... risk
 * 0.05 | left ... | 31 notes/min | sonify map", with " | advice: ..." or " | warning: ..."
 * when there is one. Returns the length written. */
size_t practice_view_line(const EngineSnapshot *snapshot, const PracticeViewStatus *status, char *out,
                          size_t size);

/* Writes the full screen (full_screen: sized to out's terminal, cleared first after a
 * SIGWINCH) or one plain line and a newline to out, and flushes it: what the live commands
 * show at each redraw. */
void practice_view_show(FILE *out, const EngineSnapshot *snapshot, const PracticeViewStatus *status, int full_screen);

#endif
