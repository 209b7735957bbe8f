/* The ergonomic costs of Parncutt, Sloboda, Clarke, Raekallio & Desain (1997), "An ergonomic
 * model of keyboard fingering for melodic fragments", Music Perception 14(4):341-382, with
 * our additions marked "ours": what the auto estimator (fingering.c) and the sequence
 * reading (fingering_sequence.c) charge for two or three fingers on their keys. */
#include "fingering_costs.h"

#include <stdlib.h>

#define COST_HAND_SHIFT 12.0 /* ours: lifting the hand to a new position caps a leap's cost */
#define COST_SAME_FINGER 10.0 /* ours: one finger moving to another key */
#define COST_FINGER_CHANGE 1.0 /* ours: a key struck again with another finger */
#define CROSSING_COST_PER_SEMITONE 2.0 /* ours: thumb passes across a wider gap cost more */
#define COST_REPEAT_SAME_FINGER COST_SAME_FINGER /* ours: as much as one finger moving to another key */
#define COST_REPEAT_AWAY 6.0 /* ours: another finger than the next one toward the thumb */

HM_REALTIME bool fingering_is_black_key(int note)
{
    int pc = ((note % 12) + 12) % 12;
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

enum { MIN_PRAC, MIN_COMF, MIN_REL, MAX_REL, MAX_COMF, MAX_PRAC };

/* Parncutt et al. 1997, table 1: semitone spans from the lower to the higher finger of a
 * pair (right hand, x of the higher finger minus x of the lower one). */
static const int SPAN[FINGER_COUNT][FINGER_COUNT][6] = {
    [0][1] = { -5, -3, 1, 5, 8, 10 },
    [0][2] = { -4, -2, 3, 7, 10, 12 },
    [0][3] = { -3, -1, 5, 9, 12, 14 },
    [0][4] = { -1, 1, 7, 10, 13, 15 },
    [1][2] = { 1, 1, 1, 2, 3, 5 },
    [1][3] = { 1, 1, 3, 4, 5, 7 },
    [1][4] = { 2, 2, 5, 6, 8, 10 },
    [2][3] = { 1, 1, 1, 2, 2, 4 },
    [2][4] = { 1, 1, 3, 4, 5, 7 },
    [3][4] = { 1, 1, 1, 2, 3, 5 },
};

/* Parncutt's stretch, small-span and large-span rules for two fingers (fa at xa, fb at
 * xb, fa != fb); outside the practical span 10 per semitone. A crossing of two fingers
 * other than the thumb (3 over 4 and the like) is forbidden. When capped, a leap costs
 * at most a hand shift. */
HM_REALTIME double fingering_span_cost(int fa, int xa, int fb, int xb, bool capped)
{
    int lo = fa < fb ? fa : fb, hi = fa < fb ? fb : fa;
    int d = fa < fb ? xb - xa : xa - xb;
    const int *s = SPAN[lo][hi];
    bool thumb = lo == FINGER_THUMB;
    if (!thumb && d < 0 && d >= -5)
        return COST_FORBIDDEN;
    double c = 0.0;
    if (d > s[MAX_COMF])
        c += 2.0 * (d - s[MAX_COMF]);
    if (d < s[MIN_COMF])
        c += 2.0 * (s[MIN_COMF] - d);
    if (d > s[MAX_REL])
        c += (thumb ? 1.0 : 2.0) * (d - s[MAX_REL]);
    if (d < s[MIN_REL])
        c += (thumb ? 1.0 : 2.0) * (s[MIN_REL] - d);
    if (d > s[MAX_PRAC])
        c += 10.0 * (d - s[MAX_PRAC]);
    if (d < s[MIN_PRAC])
        c += 10.0 * (s[MIN_PRAC] - d);
    if (capped && c > COST_HAND_SHIFT)
        c = COST_HAND_SHIFT;
    return c;
}

/* Cost of one finger's note followed by another's (Parncutt's two-note rules). */
HM_REALTIME double fingering_step_cost(int fa, int xa, bool ba, int fb, int xb, bool bb, bool legato)
{
    if (fa == fb) {
        if (xa == xb)
            return 0.0;
        return COST_SAME_FINGER + (legato ? COST_FORBIDDEN : 0.0);
    }
    if (xa == xb)
        return COST_FINGER_CHANGE; /* ours: another finger on the same key (a new position) */
    int d = fa < fb ? xb - xa : xa - xb;
    double c = fingering_span_cost(fa, xa, fb, xb, true);
    if (c >= COST_FORBIDDEN)
        return c;
    if ((fa == FINGER_THUMB || fb == FINGER_THUMB) && d < 0) {
        /* thumb passing: 3 when the thumb is on a black key and the other finger on white */
        bool thumb_black = fa == FINGER_THUMB ? ba : bb;
        bool other_black = fa == FINGER_THUMB ? bb : ba;
        c += thumb_black && !other_black ? 3.0 : 1.0;
        /* on the keyboard grid the thumb travels further under (or a finger over) a wider
         * crossing: a pass across a semitone is the easy one */
        c += CROSSING_COST_PER_SEMITONE * -d;
    }
    if (fa == 2 && fb == 3)
        c += 1.0; /* three-to-four */
    /* Parncutt's four-on-black (3 on white next to 4 on black) is left out: the long middle
     * fingers lie on the black keys (Chopin's hand position E F# G# A# B; D major's C# on 4) */
    if (fb == FINGER_THUMB && bb && !ba)
        c += 2.0; /* thumb on black after white */
    if (fa == FINGER_THUMB && ba && !bb)
        c += 2.0; /* thumb on black before white */
    if (fb == FINGER_LITTLE && bb && !ba)
        c += 2.0; /* five on black */
    if (fa == FINGER_LITTLE && ba && !bb)
        c += 2.0;
    return c;
}

HM_REALTIME double fingering_step_cost_after_rest(int fa, int xa, bool ba, int fb, int xb, bool bb)
{
    double c = fingering_step_cost(fa, xa, ba, fb, xb, bb, false);
    return c > COST_HAND_SHIFT ? COST_HAND_SHIFT : c;
}

HM_REALTIME double fingering_repetition_cost(int fa, int fb)
{
    if (fb == fa)
        return COST_REPEAT_SAME_FINGER;
    return fb == fa - 1 ? 0.0 : COST_REPEAT_AWAY;
}

HM_REALTIME double fingering_triple_cost(int f1, int x1, int f2, int x2, int f3, int x3)
{
    double c = 0.0;
    if (x1 == x2 && x2 == x3)
        return 0.0; /* ours: one key struck three times is no stretch, whatever the fingers */
    if (f1 == f3) {
        /* ours: one finger on two keys is a position change of the whole distance */
        if (x1 != x3)
            c = 1.0 + abs(x3 - x1);
    } else {
        int lo = f1 < f3 ? f1 : f3, hi = f1 < f3 ? f3 : f1;
        int d = f1 < f3 ? x3 - x1 : x1 - x3;
        const int *s = SPAN[lo][hi];
        if (d > s[MAX_COMF] || d < s[MIN_COMF]) {
            bool full = f2 == FINGER_THUMB && ((x1 < x2 && x2 < x3) || (x1 > x2 && x2 > x3)) &&
                        (d > s[MAX_PRAC] || d < s[MIN_PRAC]);
            c += full ? 2.0 : 1.0;
            c += d > s[MAX_COMF] ? d - s[MAX_COMF] : s[MIN_COMF] - d;
        }
    }
    /* Parncutt's three-four-five (3, 4 and 5 in a row, any order) is left out: Hanon's and
     * Czerny's editions play the outer fingers of a five-finger position in a row as a matter
     * of course (Hanon No. 1: 1 2 3 4 5 4 3 2), and the weak-finger rule prices 4 and 5 already */
    return c;
}

HM_REALTIME double fingering_note_cost(int finger, bool black)
{
    return (finger == FINGER_THUMB && black ? 1.0 : 0.0) + (finger >= 3 ? 1.0 : 0.0);
}
