/* note_window: the notes played in the last 60 seconds, counted exactly (not a decaying
 * average): the onset times of the notes inside the window, kept sorted in a fixed ring.
 * What "notes per minute" shows. Real-time safe: fixed memory, bounded work per call. */
#ifndef HM_NOTE_WINDOW_H
#define HM_NOTE_WINDOW_H

#include <stdint.h>

#ifndef HM_REALTIME
#define HM_REALTIME /* marks functions safe to call from an audio thread */
#endif

#define NOTE_WINDOW_S 60.0        /* the window: a note counts while now - onset < 60 s */
#define NOTE_WINDOW_CAPACITY 8192 /* 136 notes a second for a whole minute: beyond any player and the
                                     plugin's output range (6000 a minute); more
                                     saturate the count at this figure rather than growing */

typedef struct {
    double onset_s[NOTE_WINDOW_CAPACITY]; /* a ring, oldest at head, sorted by time */
    uint32_t head, count;
} NoteWindow;

/* Empties the window. */
HM_REALTIME void note_window_clear(NoteWindow *window);

/* A note started at time_s (seconds; onsets may come slightly out of order, e.g. from two
 * hands, and are put in their place). When the ring is full the oldest onset falls out. */
HM_REALTIME void note_window_add(NoteWindow *window, double time_s);

/* The notes whose onset lies in (now_s - 60 s, now_s]: the notes played in the last minute. */
HM_REALTIME uint32_t note_window_count(const NoteWindow *window, double now_s);

/* Forgets the onsets that have left the window at now_s (keeps the ring short). */
HM_REALTIME void note_window_advance(NoteWindow *window, double now_s);

#endif
