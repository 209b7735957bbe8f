/* Melodic sequences and the fingering of their figure.
 *
 * A sequence of period P: every note lies a step (1 or 2 semitones, the same direction
 * throughout) from the note P before it, with no pause or chord in between, over at least
 * two whole figures (2 P notes; while it goes on at the newest note heard, more than a figure
 * and a half: heard_long_enough); or a third (3 or 4 semitones) when every figure is a run of
 * steps one way (a scale in broken groups). Of the periods that hold at a note, the one whose sequence
 * covers most notes wins (a figure made of smaller repeated cells, Hanon's No. 15 c e d f e
 * g f a, holds at period 2 inside one figure and at period 8 across all of them).
 *
 * The figure's fingering is the cheapest cyclic one: P fingers, repeated over every note of
 * the sequence, charged the two- and three-note costs of every note of it (the wrap from a
 * figure's last note into the next figure's first notes included, so the shift counts), the
 * weak-finger and thumb-on-black costs and, for a figure that lies on five keys (or four with
 * one gap, hand_position_figure) when read from some note, a small price for leaving one
 * finger per key of that reading. A second-order Viterbi search per pair of starting
 * fingers: at most 25 x P x 125 steps.
 *
 * Figures begin where the passage's first sequence began: not on the passage's first note
 * after an upbeat. That note may have left the window since, so the origin found is handed
 * back with every note and comes in again with the next reading (ConventionNotes). */
#include "fingering_sequence.h"

#include "fingering_costs.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define STEP_MAX 2 /* semitones: a shift of a step (a diatonic second) */
#define THIRD_MIN 3 /* semitones: a shift of a diatonic third (scale_segments) */
#define THIRD_MAX 4
#define FINGERS FINGER_COUNT
#define OCTAVE 12
/* What a figure's fingering pays a note for leaving one finger per key of a five-key reading
 * of the figure: less than the estimator's 12 for a hand position, so that a hand move the
 * costs find cheaper over the whole sequence wins (Hanon No. 7 falling, 5 3 4 2 3 1 3 4),
 * and more than a crossing's small saving. Chosen on the tuned Hanon exercises (1.0 to 6.0
 * tried, docs/fingering.md). */
#define COST_LEAVING_FIVE_KEYS 2.0
/* How much cheaper, per figure of the sequence, another five-key reading of a figure must be
 * than the one that begins on the beat to win over it: the edition moves the hand inside a
 * figure where the costs say so clearly (Hanon No. 13's left hand falling: 3 1 4 2 3 5 3 2, one
 * finger per key of the figure read from its seventh note). Chosen on the tuned Hanon exercises: 0
 * (the cheapest reading) 89.1 %, 2 91.7, 4 93.3, 5 and 6 93.8, 8 93.7, 10 and more 93.4 % (the
 * beat always winning), hanon-schirmer-together; hanon-together 96.4 % at 0, 95.9 at 2, 96.2
 * from 3 on. */
#define PREFERENCE_FOR_THE_BEAT 6.0

typedef struct {
    int first, last, period; /* notes first..last, the figure's first note at first */
} Sequence;

/* The first note of the unbroken stretch (no chord, no pause) holding each note. */
static void stretch_starts(const ConventionNotes *n, int *start)
{
    for (int i = 0; i < n->count; i++) {
        bool linked = i > 0 && n->pitch[i] != FINGERING_CONVENTION_CHORD &&
                      n->pitch[i - 1] != FINGERING_CONVENTION_CHORD && !n->starts_passage[i] &&
                      !n->ends_passage[i - 1];
        start[i] = linked ? start[i - 1] : i;
    }
}

/* +1 or -1 when the interval d lies within lo..hi semitones up or down, else 0. */
static int way_within(int d, int lo, int hi)
{
    return d >= lo && d <= hi ? 1 : d <= -lo && d >= -hi ? -1 : 0;
}

/* +1 or -1 when note i lies lo..hi semitones above or below note i - period in one stretch
 * (a step: 1..STEP_MAX), else 0. */
static int shift_at(const ConventionNotes *n, const int *start, int i, int period, int lo, int hi)
{
    if (i - period < start[i] || n->pitch[i] == FINGERING_CONVENTION_CHORD)
        return 0;
    return way_within((int)n->pitch[i] - (int)n->pitch[i - period], lo, hi);
}

/* Whether each figure of a sequence is a run of steps one way, a segment of a scale, and
 * the line turns back from each figure into the next: such a figure is also heard repeated
 * a third higher or lower (Czerny op. 821 No. 2 bar 5: G A B C, B C D E, D E F G, 4 3 2 1
 * each), a scale in broken groups. A scale itself (its notes two apart a third apart) is no
 * such sequence, and other figures a third apart are none either (Hanon's No. 6 read so
 * lost a tenth of its notes). */
static bool scale_segments(const ConventionNotes *n, const Sequence *s)
{
    int way = 0;
    for (int k = s->first; k < s->last; k++) {
        int w = way_within((int)n->pitch[k + 1] - (int)n->pitch[k], 1, STEP_MAX);
        if ((k - s->first) % s->period == s->period - 1) {
            if (way != 0 && w == way)
                return false; /* from one figure into the next: no turn */
            continue;
        }
        if (w == 0 || (way != 0 && w != way))
            return false;
        way = w;
    }
    return true;
}

/* Whether a sequence moves the hand: its notes lie on more than five keys (on five or
 * fewer the hand stays in one position, fingering_conventions' group of five keys) and
 * no two neighbours lie more than an octave apart (leaps are no figure of one hand). */
static bool moves_the_hand(const ConventionNotes *n, const Sequence *s)
{
    uint64_t seen[2] = { 0, 0 };
    int keys = 0;
    for (int k = s->first; k <= s->last; k++) {
        int pitch = n->pitch[k];
        if (k > s->first && abs(pitch - (int)n->pitch[k - 1]) > OCTAVE)
            return false;
        uint64_t bit = (uint64_t)1 << (pitch % 64);
        keys += !(seen[pitch / 64] & bit);
        seen[pitch / 64] |= bit;
    }
    return keys > FINGER_COUNT;
}

/* The last note of s's last whole figure. A scale in broken groups that stops when a note
 * breaks it (Czerny op. 821 No. 2 bar 6: ... D3 E3 F3 G3 F#3 G3 F#3 G3, the left hand's
 * groups 4 3 2 1 ending in a trill 3 1 3 1) ends with its last whole group: the notes after
 * it that happen to lie a third above the group before begin another figure. */
static int whole_figures_end(const Sequence *s)
{
    return s->first + (s->last - s->first + 1) / s->period * s->period - 1;
}

/* Whether a sequence has been heard long enough to be read: over two whole figures (the
 * second figure's every note a step from the first's), or, while it goes on at the newest note
 * heard, over more than half of its second figure. The estimator decides a note about a
 * second after it (LAG_MIN_GROUPS groups): the first figure of a sequence that begins inside a
 * passage (Hanon's exercises turning at the top into the falling figure) would otherwise be
 * decided before the sequence is heard, by the rules for single hand positions. */
static bool heard_long_enough(const ConventionNotes *n, int end, int shifted, int period)
{
    if (shifted >= period)
        return true;
    bool goes_on = end == n->count - 1 && !n->ends_passage[end];
    return goes_on && 2 * shifted > period;
}

/* The longest sequence holding each note (first = -1: none). */
static void find_sequences(const ConventionNotes *n, Sequence *best)
{
    int start[FINGERING_CONVENTION_MAX_NOTES];
    stretch_starts(n, start);
    for (int i = 0; i < n->count; i++)
        best[i].first = -1;
    for (int third = 0; third <= 1; third++) {
        int lo = third ? THIRD_MIN : 1, hi = third ? THIRD_MAX : STEP_MAX;
        for (int period = 2; period <= FINGERING_SEQUENCE_MAX_PERIOD; period++) {
            int i = 0;
            while (i < n->count) {
                int sign = shift_at(n, start, i, period, lo, hi);
                if (sign == 0) {
                    i++;
                    continue;
                }
                int end = i;
                while (end + 1 < n->count && shift_at(n, start, end + 1, period, lo, hi) == sign)
                    end++;
                Sequence s = { i - period, end, period };
                if (third && end + 1 < n->count)
                    s.last = whole_figures_end(&s);
                if (heard_long_enough(n, end, end - i + 1, period) && moves_the_hand(n, &s) &&
                    (!third || scale_segments(n, &s)))
                    for (int k = s.first; k <= s.last; k++)
                        if (best[k].first < 0 || best[k].last - best[k].first < s.last - s.first)
                            best[k] = s;
                i = end + 1;
            }
        }
    }
}

/* The costs of a cyclic fingering, summed over the sequence's notes by their place in the
 * figure: unary[p][f], pair[p][f][g] (place p to p + 1), triple[p][f][g][h]. */
typedef struct {
    double unary[FINGERING_SEQUENCE_MAX_PERIOD][FINGERS];
    double pair[FINGERING_SEQUENCE_MAX_PERIOD][FINGERS][FINGERS];
    double triple[FINGERING_SEQUENCE_MAX_PERIOD][FINGERS][FINGERS][FINGERS];
    int notes[FINGERING_SEQUENCE_MAX_PERIOD]; /* notes of the sequence at each place */
} FigureCosts;

/* The keys of note k as the hand sees them (x: +pitch right, -pitch left). */
static int key_x(int hand, const ConventionNotes *n, int k)
{
    return hand == HAND_RIGHT ? n->pitch[k] : -(int)n->pitch[k];
}

/* What the two- and three-note costs starting at note k depend on: the intervals to the
 * next two notes and which keys are black. Notes with the same shape cost the same. */
static int shape_of(int hand, const ConventionNotes *n, int k, int notes)
{
    int shape = fingering_is_black_key(n->pitch[k]);
    for (int j = 1; j < notes; j++)
        shape = (shape * 2 + fingering_is_black_key(n->pitch[k + j])) * 256 + 128 +
                (key_x(hand, n, k + j) - key_x(hand, n, k));
    return shape;
}

/* How many times the shape of the notes starting at k (notes of them) occurs at its place
 * in the figure over the sequence, or 0 when an earlier repetition had it (and counted it). */
static int shape_copies(int hand, const ConventionNotes *n, const Sequence *s, int k, int notes)
{
    int shape = shape_of(hand, n, k, notes), copies = 1;
    for (int earlier = k - s->period; earlier >= s->first; earlier -= s->period)
        if (shape_of(hand, n, earlier, notes) == shape)
            return 0;
    for (int later = k + s->period; later + notes - 1 <= s->last; later += s->period)
        copies += shape_of(hand, n, later, notes) == shape;
    return copies;
}

/* Sums the costs of every note of the sequence by its place in the figure. The repetitions
 * of a diatonic sequence mostly repeat a few shapes at each place, so each distinct shape is
 * costed once and counted as often as it occurs. */
static void figure_costs(int hand, const ConventionNotes *n, const Sequence *s, FigureCosts *c)
{
    memset(c, 0, sizeof *c);
    for (int k = s->first; k <= s->last; k++) {
        int p = (k - s->first) % s->period;
        c->notes[p]++;
        bool black = fingering_is_black_key(n->pitch[k]);
        for (int f = 0; f < FINGERS; f++)
            c->unary[p][f] += fingering_note_cost(f, black);
        int copies = k + 1 <= s->last ? shape_copies(hand, n, s, k, 2) : 0;
        int x0 = key_x(hand, n, k), x1 = k + 1 <= s->last ? key_x(hand, n, k + 1) : 0;
        if (copies > 0) {
            bool b1 = fingering_is_black_key(n->pitch[k + 1]);
            for (int f = 0; f < FINGERS; f++)
                for (int g = 0; g < FINGERS; g++)
                    c->pair[p][f][g] += copies * fingering_step_cost(f, x0, black, g, x1, b1, false);
        }
        copies = k + 2 <= s->last ? shape_copies(hand, n, s, k, 3) : 0;
        if (copies > 0) {
            int x2 = key_x(hand, n, k + 2);
            for (int f = 0; f < FINGERS; f++)
                for (int g = 0; g < FINGERS; g++)
                    for (int h = 0; h < FINGERS; h++)
                        c->triple[p][f][g][h] += copies * fingering_triple_cost(f, x0, g, x1, h, x2);
        }
    }
}

/* What one cyclic fingering of the figure costs. */
static double figure_cost(const FigureCosts *c, int period, const int *figure)
{
    double total = 0.0;
    for (int p = 0; p < period; p++) {
        int f = figure[p], g = figure[(p + 1) % period], h = figure[(p + 2) % period];
        total += c->unary[p][f] + c->pair[p][f][g] + c->triple[p][f][g][h];
    }
    return total;
}

/* Whether note k begins a passage of the window (a pause or the playing's start before it). */
static bool passage_starts_at(const ConventionNotes *n, int k)
{
    return n->starts_passage[k] || (k > 0 && n->ends_passage[k - 1]);
}

/* The passage index where the figures of s's passage begin: as an earlier reading found it
 * (kept with a note of the passage up to s's first), else s's first note when s begins
 * inside the window (a note before it that does not repeat the figure, an upbeat, or the
 * passage's start), else -1: not known. */
static int known_origin(const ConventionNotes *n, const Sequence *s)
{
    for (int k = s->first; k >= 0; k--) {
        if (n->figure_origin[k] >= 0)
            return n->figure_origin[k];
        if (passage_starts_at(n, k))
            break;
    }
    return s->first > 0 || n->starts_passage[0] ? n->passage_index[s->first] : -1;
}

/* One finger per key for the places of the figure read from place phase on, when those P
 * notes lie within an octave on five keys (the rank of its key, the lowest the right thumb)
 * or on four keys with one gap of a third or more between neighbours and steps elsewhere
 * (the gap skips a finger: Hanon No. 11's left hand falling, f c a b a b c b, 1 3 5 4 5 4 3
 * 4); returns false otherwise. */
static bool hand_position_figure(int hand, const ConventionNotes *n, const Sequence *s, int phase, int *figure)
{
    int start = s->first + phase;
    if (start + s->period - 1 > s->last)
        return false;
    int key[FINGER_COUNT], keys = 0;
    for (int q = 0; q < s->period; q++) {
        int pitch = n->pitch[start + q];
        bool seen = false;
        for (int r = 0; r < keys; r++)
            seen = seen || key[r] == pitch;
        if (seen)
            continue;
        if (keys == FINGER_COUNT)
            return false;
        int at = keys++;
        while (at > 0 && key[at - 1] > pitch) { /* keep the keys sorted, lowest first */
            key[at] = key[at - 1];
            at--;
        }
        key[at] = pitch;
    }
    if (keys < FINGER_COUNT - 1 || key[keys - 1] - key[0] > OCTAVE)
        return false;
    int rank_finger[FINGER_COUNT], finger = 0, gaps = 0;
    for (int r = 0; r < keys; r++) {
        bool gap = r > 0 && key[r] - key[r - 1] > STEP_MAX;
        gaps += gap;
        finger += r > 0 ? 1 + (gap && keys < FINGER_COUNT) : 0;
        rank_finger[r] = finger;
    }
    if (keys < FINGER_COUNT && gaps != 1)
        return false;
    for (int q = 0; q < s->period; q++) {
        int r = 0;
        while (key[r] != n->pitch[start + q])
            r++;
        figure[(phase + q) % s->period] = hand == HAND_RIGHT ? rank_finger[r] : FINGER_LITTLE - rank_finger[r];
    }
    return true;
}

/* Whether the reading of figure from place phase on changes hand position next to an outer
 * finger: the thumb or the little finger plays the note before the change or the one after it
 * (the thumb passes, or the hand moves on from the finger that led it there). Between two
 * inner fingers the hand would slide one finger onto the next key (3 then 3) or move without
 * a reason the editions give (Hanon No. 13's left hand falling: 3 1 4 2 3 5 | 3 2, the hand
 * moving after 5, not 3 1 4 2 3 5 4 | 2). */
static bool moves_at_an_outer_finger(const int *figure, int period, int phase)
{
    int before = figure[(phase + period - 1) % period], after = figure[phase];
    return before == FINGER_THUMB || before == FINGER_LITTLE || after == FINGER_THUMB || after == FINGER_LITTLE;
}

/* The best five-key reading of the figure into best (returns its cost, INFINITY when there is
 * none), of those that move the hand at an outer finger when outer_only: the one that begins
 * where the passage's figures begin (origin, a passage index; not known: its first note)
 * unless another is clearly cheaper (PREFERENCE_FOR_THE_BEAT), else the cheapest. */
static double best_position_reading(int hand, const ConventionNotes *n, const Sequence *s, int origin,
                                    const FigureCosts *c, bool outer_only, int *best)
{
    int figure[FINGERING_SEQUENCE_MAX_PERIOD];
    double best_cost = INFINITY;
    for (int phase = 0; phase < s->period; phase++) {
        if (!hand_position_figure(hand, n, s, phase, figure) ||
            (outer_only && !moves_at_an_outer_finger(figure, s->period, phase)))
            continue;
        /* a reading that begins where the passage's figures began (every P notes from the
         * first figure: a figure starts on the beat the first one started on) wins over one
         * that is not clearly cheaper; passage indices wrap at a multiple of every period */
        int from_origin = n->passage_index[s->first + phase] - (origin >= 0 ? origin : 0);
        bool on_the_beat = (from_origin % s->period + s->period) % s->period == 0;
        double figures = (double)(s->last - s->first + 1) / s->period;
        double cost = figure_cost(c, s->period, figure) - (on_the_beat ? PREFERENCE_FOR_THE_BEAT * figures : 0.0);
        if (cost < best_cost) {
            best_cost = cost;
            memcpy(best, figure, sizeof figure);
        }
    }
    return best_cost;
}

/* A figure that, read from some place, lies on five keys (or four with one gap) is a hand
 * position: the best reading that moves the hand at an outer finger, else the best one,
 * gives its one-finger-per-key fingering as the figure's position convention, which the
 * search pays COST_LEAVING_FIVE_KEYS a note to leave. */
static void add_position_convention(int hand, const ConventionNotes *n, const Sequence *s, int origin,
                                    FigureCosts *c)
{
    int best[FINGERING_SEQUENCE_MAX_PERIOD];
    if (isinf(best_position_reading(hand, n, s, origin, c, true, best)) &&
        isinf(best_position_reading(hand, n, s, origin, c, false, best)))
        return;
    for (int p = 0; p < s->period; p++)
        for (int f = 0; f < FINGERS; f++)
            if (f != best[p])
                c->unary[p][f] += COST_LEAVING_FIVE_KEYS * c->notes[p];
}

/* The cheapest cyclic fingering of the figure into figure[0..period) (of equal ones, the
 * first in the order of the starting fingers). Costs are never negative, so a partial
 * fingering that already costs more than the best whole one is dropped (branch and bound). */
static void cheapest_figure(const FigureCosts *c, int period, int *figure)
{
    enum { PAIRS = FINGERS * FINGERS };
    double best_total = INFINITY;
    double cost[FINGERS][FINGERS], next[FINGERS][FINGERS];
    int8_t back[FINGERING_SEQUENCE_MAX_PERIOD][FINGERS][FINGERS];
    for (int start = 0; start < PAIRS; start++) {
        int f0 = start / FINGERS, f1 = start % FINGERS;
        double start_cost = c->unary[0][f0] + c->unary[1][f1] + c->pair[0][f0][f1];
        if (start_cost > best_total)
            continue;
        /* cost[a][b]: the cheapest fingering of places 0..p ending a at p-1, b at p */
        for (int a = 0; a < FINGERS; a++)
            for (int b = 0; b < FINGERS; b++)
                cost[a][b] = INFINITY;
        cost[f0][f1] = start_cost;
        for (int p = 2; p < period; p++) {
            for (int b = 0; b < FINGERS; b++) {
                double reach = INFINITY; /* the cheapest way to b at p-1 */
                for (int a = 0; a < FINGERS; a++)
                    reach = cost[a][b] < reach ? cost[a][b] : reach;
                for (int h = 0; h < FINGERS; h++) {
                    double best = INFINITY;
                    int best_a = 0;
                    for (int a = 0; a < FINGERS && reach <= best_total; a++) {
                        double total = cost[a][b] + c->triple[p - 2][a][b][h];
                        if (total < best) {
                            best = total;
                            best_a = a;
                        }
                    }
                    next[b][h] = best + c->pair[p - 1][b][h] + c->unary[p][h];
                    back[p][b][h] = (int8_t)best_a;
                }
            }
            memcpy(cost, next, sizeof cost);
        }
        /* the wrap: the last places into the next figure's first two */
        for (int a = 0; a < FINGERS; a++)
            for (int b = 0; b < FINGERS; b++) {
                if (!(cost[a][b] <= best_total))
                    continue;
                double total = cost[a][b] + c->pair[period - 1][b][f0] + c->triple[period - 2][a][b][f0] +
                               c->triple[period - 1][b][f0][f1];
                if (!(total < best_total))
                    continue;
                best_total = total;
                figure[period - 1] = b;
                figure[period - 2] = a;
                for (int p = period - 1; p >= 2; p--)
                    figure[p - 2] = back[p][figure[p - 1]][figure[p]];
            }
    }
}

HM_REALTIME void fingering_sequences(int hand, const ConventionNotes *notes, int8_t *finger, int *figure_origin)
{
    Sequence best[FINGERING_CONVENTION_MAX_NOTES];
    find_sequences(notes, best);
    FigureCosts costs;
    int figure[FINGERING_SEQUENCE_MAX_PERIOD];
    Sequence done = { -1, -1, 0 };
    int origin = -1;
    for (int i = 0; i < notes->count; i++) {
        const Sequence *s = &best[i];
        finger[i] = -1;
        /* a passage's origin, once known, holds for the rest of it */
        figure_origin[i] = notes->figure_origin[i] >= 0 ? notes->figure_origin[i]
                           : i > 0 && !passage_starts_at(notes, i) ? figure_origin[i - 1]
                                                                  : -1;
        if (s->first < 0)
            continue;
        if (s->first != done.first || s->last != done.last || s->period != done.period) {
            origin = known_origin(notes, s);
            figure_costs(hand, notes, s, &costs);
            add_position_convention(hand, notes, s, origin, &costs);
            cheapest_figure(&costs, s->period, figure);
            done = *s;
        }
        if (figure_origin[i] < 0)
            figure_origin[i] = origin;
        finger[i] = (int8_t)figure[(i - s->first) % s->period];
    }
}
