/* fingering_costs: Parncutt et al.'s (1997) ergonomic costs of fingers on keys, shared by
 * the auto estimator and the sequence reading. Keys are given as x: +pitch for the right
 * hand, -pitch for the left (one table serves both hands). Real-time: pure arithmetic. */
#ifndef HM_FINGERING_COSTS_H
#define HM_FINGERING_COSTS_H

#include <stdbool.h>

#include "fingering.h"

#define COST_FORBIDDEN 1000.0 /* a crossing of two fingers other than the thumb */

/* Whether a MIDI note is a black key. */
HM_REALTIME bool fingering_is_black_key(int note);

/* Stretch, small- and large-span rules for fingers fa at xa and fb at xb (fa != fb) held
 * or played together; beyond the practical span 10 a semitone. capped: a leap (the hand
 * lifted to a new position) costs at most a hand shift. */
HM_REALTIME double fingering_span_cost(int fa, int xa, int fb, int xb, bool capped);

/* One finger's note (black: ba) followed by another's: Parncutt's two-note rules, thumb
 * passing, and ours (a finger moving to another key, another finger on the same key);
 * legato: the first key is still held. */
HM_REALTIME double fingering_step_cost(int fa, int xa, bool ba, int fb, int xb, bool bb, bool legato);

/* fingering_step_cost after a rest (every key of the note before up a while): Parncutt's
 * rules are for legato playing; with the hand lifted, any finger may take the next key at
 * the price of a new hand position, so no step costs more than a hand shift (a 2 followed
 * by a 3 a step lower is no forbidden crossing: slurred pairs 3 2, 3 2 falling). */
HM_REALTIME double fingering_step_cost_after_rest(int fa, int xa, bool ba, int fb, int xb, bool bb);

/* Ours, on top of fingering_step_cost: a key struck again fast (repeated notes in passage
 * work) takes the next finger toward the thumb, as editions print them (4 3 2 1, 3 2 1:
 * Czerny op. 821 No. 17, Peters 1888); the same finger, or another, costs more. */
HM_REALTIME double fingering_repetition_cost(int fa, int fb);

/* Three single notes in a row: position change count and size. */
HM_REALTIME double fingering_triple_cost(int f1, int x1, int f2, int x2, int f3, int x3);

/* One finger's note by itself (black: on a black key): Parncutt's weak-finger rule (4 and 5)
 * and thumb-on-black base point, 1 each. */
HM_REALTIME double fingering_note_cost(int finger, bool black);

#endif
