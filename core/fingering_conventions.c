/* The conventions as data and the reading of runs, key and chord from a hand's recent notes.
 *
 * Fingerings are written as in the books, one octave ascending from the bottom note to its
 * octave, 1 thumb .. 5 little (docs/fingering.md cites them): finger k belongs to tone k, the
 * first finger to the bottom note of a passage, the last to its top note; a tone-0 note
 * inside a passage takes the finger where the thumb passes. */
#include "fingering_conventions.h"

#include "fingering_sequence.h"

#include <stdlib.h>
#include <string.h>

#define NOTE_NONE FINGERING_CONVENTION_CHORD
#define MAX_TONES 7
#define RUN_MAX_STEP 6        /* semitones: a larger interval ends a run */
#define REPEATED_STROKES_MIN 3 /* strokes of one key in a row that are a repetition, not a figure's */
#define STROKES_MAX 4 /* strokes of one key that roll over the fingers 4 3 2 1 at most */
#define SCALE_MIN_NOTES 6     /* a run of steps longer than a five-finger position (one augmented
                               * second in seven steps: harmonic minor) */
#define SCALE_TAIL_NOTES 2     /* a run of steps that turns back from a scale run */
#define CHROMATIC_MIN_NOTES 5
#define ARPEGGIO_MIN_NOTES 4  /* an octave of a triad */
#define BROKEN_CHORD_KEYS 4   /* a four-note broken chord within one hand position */
#define POSITION_MIN_SPAN 5   /* semitones between a figure's outer notes ... */
#define POSITION_MAX_SPAN 12  /* ... for them to take the outer fingers */
#define PASSAGE_NEXT_GROUP 3     /* the finger that crosses the thumb in passage work: 4 ... */
#define PASSAGE_SHORTEST_GROUP 2 /* ... or 3 when the thumb would land on a black key */
#define POSITION_REACH 2      /* notes on either side that make a note's figure */
#define POSITION_SPARE_SPAN 5 /* a figure within a fourth leaves the hand a finger to spare */
#define TURN_MAX_KEYS 4       /* keys of a turn figure that takes one finger a key */
#define TURN_MAX_NOTES 12     /* notes of a turn figure, at most */
/* ours: a rest ends a slurred group only where the rhythm breaks too: the time from the
 * group's note to the next is this many times the time inside the group (Czerny op. 821
 * No. 10's semiquaver pairs, a semiquaver rest after each: 3 times) */
#define SLUR_RHYTHM_BREAK 2.0f

/* ABRSM, Piano Scales & Arpeggios; Alfred's Complete Book of Scales: right, left. */
static const char *const MAJOR_SCALE[12][2] = {
    [0] = { "12312345", "54321321" },  [1] = { "23123412", "32143213" },  [2] = { "12312345", "54321321" },
    [3] = { "31234123", "32143213" },  [4] = { "12312345", "54321321" },  [5] = { "12341234", "54321321" },
    [6] = { "23412312", "43213214" },  [7] = { "12312345", "54321321" },  [8] = { "34123123", "32143213" },
    [9] = { "12312345", "54321321" },  [10] = { "41231234", "32143213" }, [11] = { "12312345", "43214321" },
};
static const char *const HARMONIC_MINOR_SCALE[12][2] = {
    [0] = { "12312345", "54321321" },  [1] = { "34123123", "32143213" },  [2] = { "12312345", "54321321" },
    [3] = { "31234123", "21432132" },  [4] = { "12312345", "54321321" },  [5] = { "12341234", "54321321" },
    [6] = { "34123123", "43213214" },  [7] = { "12312345", "54321321" },  [8] = { "34123123", "32143213" },
    [9] = { "12312345", "54321321" },  [10] = { "41231234", "21321432" }, [11] = { "12312345", "43214321" },
};
/* Melodic minor (ascending melodic, descending natural): the harmonic minor's fingers both
 * ways, except where they would put a thumb on a black key. Per key and hand: ascending,
 * descending. */
static const struct {
    int tonic, hand;
    const char *fingers[2];
} MELODIC_MINOR_EXCEPTION[] = {
    { 1, HAND_RIGHT, { "23123412", "34123123" } }, /* C#: rising as Db major, thumbs on E and B# */
    { 6, HAND_RIGHT, { "23123412", "34123123" } }, /* F#: thumbs on A and E# */
    { 8, HAND_LEFT, { "32143213", "32132143" } },  /* G#: falling with the thumb on E and B */
};
static const int MAJOR_STEPS[MAX_TONES] = { 0, 2, 4, 5, 7, 9, 11 };
static const int HARMONIC_MINOR_STEPS[MAX_TONES] = { 0, 2, 3, 5, 7, 8, 11 };
static const int MELODIC_MINOR_STEPS[MAX_TONES] = { 0, 2, 3, 5, 7, 9, 11 };
static const int NATURAL_MINOR_STEPS[MAX_TONES] = { 0, 2, 3, 5, 7, 8, 10 };

/* The modes a scale run is read in, in the order they win a tie. A melodic minor run holds
 * the notes of both its halves. */
enum { MODE_MAJOR, MODE_HARMONIC_MINOR, MODE_MELODIC_MINOR, MODES };

/* Root-position triads on a black root (with a white note in them): right, left. Every
 * other triad follows the rule in triad_fingers. */
static const struct {
    bool major;
    int root;
    const char *fingers[2];
} BLACK_ROOT_TRIAD[] = {
    { true, 1, { "2124", "2142" } },  { true, 3, { "2124", "2142" } },  { true, 8, { "2124", "2142" } },
    { true, 10, { "2124", "3213" } }, { false, 1, { "2124", "2142" } }, { false, 6, { "2124", "2142" } },
    { false, 8, { "2124", "2142" } }, { false, 10, { "2312", "3213" } },
};

/* Chords an arpeggio may spell, as semitones above the root. */
static const struct {
    int tones;
    int offset[4];
    bool major; /* triads: major or minor */
} CHORD_SHAPE[] = {
    { 3, { 0, 4, 7 }, true },      /* major triad */
    { 3, { 0, 3, 7 }, false },     /* minor triad */
    { 4, { 0, 4, 7, 10 }, false }, /* dominant seventh */
    { 4, { 0, 3, 6, 9 }, false },  /* diminished seventh */
};

/* A fingering pattern: the tones of one octave above the anchor and a finger per tone plus
 * one for the octave (0 thumb .. 4 little). */
typedef struct {
    int anchor_pc;
    int tones;
    int offset[MAX_TONES];
    int finger[MAX_TONES + 1];
} Pattern;

static int pitch_class(int note)
{
    return ((note % 12) + 12) % 12;
}

static bool is_black(int pc)
{
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

static void fingers_from_text(const char *text, int *finger, int count)
{
    for (int i = 0; i < count; i++)
        finger[i] = text[i] - '1';
}

/* The finger of a tone-0 note inside a passage: where the thumb passes (right hand: the
 * bottom finger when it is the thumb, else the top one; the left hand mirrored). */
static int inner_anchor_finger(const Pattern *p, int hand)
{
    int bottom = p->finger[0], top = p->finger[p->tones];
    if (hand == HAND_RIGHT)
        return bottom == FINGER_THUMB ? bottom : top;
    return top == FINGER_THUMB ? top : bottom;
}

static int pattern_finger(const Pattern *p, int hand, int note, bool low_turn, bool high_turn)
{
    int offset = pitch_class(note - p->anchor_pc);
    for (int k = 0; k < p->tones; k++) {
        if (p->offset[k] != offset)
            continue;
        if (k > 0)
            return p->finger[k];
        if (low_turn)
            return p->finger[0];
        if (high_turn)
            return p->finger[p->tones];
        return inner_anchor_finger(p, hand);
    }
    return -1;
}

/* ---------------------------------------------------------------- reading the notes */

typedef struct {
    const ConventionNotes *notes;
    uint8_t run_kind[FINGERING_CONVENTION_MAX_NOTES];
    int run_length[FINGERING_CONVENTION_MAX_NOTES];
    int run_first[FINGERING_CONVENTION_MAX_NOTES]; /* the first and last notes of that run */
    int run_last[FINGERING_CONVENTION_MAX_NOTES];
    bool low_turn[FINGERING_CONVENTION_MAX_NOTES];
    bool high_turn[FINGERING_CONVENTION_MAX_NOTES];
    bool falling[FINGERING_CONVENTION_MAX_NOTES]; /* played on the way down, or the top turn */
    /* the first note of the last passage: keys and chords are read from there on, since a
     * passage after a pause may be another piece in another key */
    int key_from;
} Reading;

static bool linked_to_next(const ConventionNotes *n, int i)
{
    return i + 1 < n->count && n->pitch[i] != NOTE_NONE && n->pitch[i + 1] != NOTE_NONE && !n->ends_passage[i] &&
           !n->starts_passage[i + 1];
}

/* Whether the time from note i to note i + 1 is SLUR_RHYTHM_BREAK times the time inside the
 * slurred step from note `inside` - 1 to note `inside`. */
static bool rhythm_breaks_after(const ConventionNotes *n, int i, int inside)
{
    return n->interval_s[i + 1] >= SLUR_RHYTHM_BREAK * n->interval_s[inside];
}

/* Whether a rest before note i + 1 ends a slurred group: the note before it was slurred from
 * its own predecessor, or the note after it is slurred to its successor, and the rhythm breaks
 * there (rhythm_breaks_after). Slurred pairs or groups separated by rests (Czerny op. 821
 * No. 10: C6 Bb5, A5 G5, F5 E5, each 3 2) are figures of their own, each a new hand position,
 * not one scale run with its thumb passing; a line played staccato throughout (every note
 * after a rest) is still one run, and so is a line played evenly with uneven articulation
 * (a player's touch: some keys overlap, some part, as the hand falls; docs/fingering.md,
 * "Round 12"). */
static bool slur_ends(const ConventionNotes *n, int i)
{
    if (!linked_to_next(n, i) || !n->after_rest[i + 1])
        return false;
    bool slurred_before = i > 0 && linked_to_next(n, i - 1) && n->slurred[i] && rhythm_breaks_after(n, i, i);
    bool slurred_after = linked_to_next(n, i + 1) && n->slurred[i + 2] && rhythm_breaks_after(n, i, i + 2);
    return slurred_before || slurred_after;
}

/* Whether notes i and i + 1 belong to one figure: linked, and no slurred group ends between. */
static bool same_figure(const ConventionNotes *n, int i)
{
    return linked_to_next(n, i) && !slur_ends(n, i);
}

/* Marks each note with the kind of the longest run it belongs to: maximal runs in one
 * direction with intervals of 1..RUN_MAX_STEP semitones (a turning note belongs to both).
 * A shorter run of steps (SCALE_TAIL_NOTES or more) that turns back from a scale run, or
 * leads into one, belongs to the scale too. */
static void find_runs(Reading *r)
{
    const ConventionNotes *n = r->notes;
    int tail_first[FINGERING_CONVENTION_MAX_NOTES], tail_last[FINGERING_CONVENTION_MAX_NOTES], tails = 0;
    int i = 0;
    while (i + 1 < n->count) {
        int d0 = same_figure(n, i) ? n->pitch[i + 1] - n->pitch[i] : 0;
        if (d0 == 0 || abs(d0) > RUN_MAX_STEP) {
            i++;
            continue;
        }
        int j = i, ones = 0, steps = 0, threes = 0, leaps = 0;
        while (same_figure(n, j)) {
            int d = n->pitch[j + 1] - n->pitch[j];
            if (d == 0 || (d > 0) != (d0 > 0) || abs(d) > RUN_MAX_STEP)
                break;
            ones += abs(d) == 1;
            steps += abs(d) <= 2;
            threes += abs(d) == 3;
            leaps += abs(d) >= 3;
            j++;
        }
        int intervals = j - i, length = intervals + 1;
        uint8_t kind = CONVENTION_NONE;
        if (ones == intervals && length >= CHROMATIC_MIN_NOTES)
            kind = CONVENTION_CHROMATIC;
        else if (steps + threes == intervals && threes <= (intervals + 6) / 7 && length >= SCALE_MIN_NOTES)
            kind = CONVENTION_SCALE;
        else if (ones == 0 && 3 * leaps >= 2 * intervals && length >= ARPEGGIO_MIN_NOTES)
            kind = CONVENTION_ARPEGGIO;
        if (kind != CONVENTION_NONE)
            for (int k = i; k <= j; k++)
                if (r->run_length[k] < length) {
                    r->run_length[k] = length;
                    r->run_kind[k] = kind;
                    r->run_first[k] = i;
                    r->run_last[k] = j;
                }
        /* a tail is a run of steps: a leap of a third alone (G5 down to E5 after a G major
         * run, Czerny op. 821 No. 15) begins the next figure, not the scale's turn */
        if (kind == CONVENTION_NONE && steps + threes == intervals && threes <= 1 && steps > 0 &&
            length >= SCALE_TAIL_NOTES) {
            tail_first[tails] = i;
            tail_last[tails++] = j;
        }
        i = j;
    }
    for (int t = 0; t < tails; t++)
        if (r->run_kind[tail_first[t]] == CONVENTION_SCALE || r->run_kind[tail_last[t]] == CONVENTION_SCALE)
            for (int k = tail_first[t]; k <= tail_last[t]; k++)
                if (r->run_kind[k] == CONVENTION_NONE) {
                    r->run_kind[k] = CONVENTION_SCALE;
                    r->run_length[k] = tail_last[t] - tail_first[t] + 1;
                    r->run_first[k] = tail_first[t];
                    r->run_last[k] = tail_last[t];
                }
    for (int k = 0; k < n->count; k++) {
        if (n->pitch[k] == NOTE_NONE)
            continue;
        bool has_prev = k > 0 && linked_to_next(n, k - 1), has_next = linked_to_next(n, k);
        /* a figure that ends (slur_ends) ends its run as a pause would: its last note is the
         * run's top or bottom (Czerny op. 821 No. 10, the staccato A4 C5 F5 A5 before the
         * slurred pairs: 5 on A5, not the thumb passing) */
        bool prev_in_figure = has_prev && same_figure(n, k - 1), next_in_figure = has_next && same_figure(n, k);
        bool starts = has_prev ? !prev_in_figure : n->starts_passage[k];
        bool ends = has_next ? !next_in_figure : n->ends_passage[k];
        int p = n->pitch[k];
        r->low_turn[k] = (prev_in_figure ? n->pitch[k - 1] > p : starts) &&
                         (next_in_figure ? n->pitch[k + 1] > p : ends);
        r->high_turn[k] = (prev_in_figure ? n->pitch[k - 1] < p : starts) &&
                          (next_in_figure ? n->pitch[k + 1] < p : ends);
        r->falling[k] = r->high_turn[k] || (has_prev ? n->pitch[k - 1] > p : has_next && n->pitch[k + 1] < p);
    }
}

/* Pitch classes (a 12-bit mask), their note count and the lowest note of one kind of run. */
static int notes_of_kind(const Reading *r, uint8_t kind, int *lowest, int *count)
{
    int mask = 0;
    *lowest = 128;
    *count = 0;
    for (int k = r->key_from; k < r->notes->count; k++)
        if (r->run_kind[k] == kind) {
            int p = r->notes->pitch[k];
            mask |= 1 << pitch_class(p);
            if (p < *lowest)
                *lowest = p;
            (*count)++;
        }
    return mask;
}

/* The pitch classes of a mode on a tonic, as a bit mask; for the melodic minor those of
 * its rising form (falling: false) or its falling one, the natural minor. */
static int mode_mask(int mode, int tonic, bool falling)
{
    const int *steps = mode == MODE_MAJOR            ? MAJOR_STEPS
                       : mode == MODE_HARMONIC_MINOR ? HARMONIC_MINOR_STEPS
                       : falling                     ? NATURAL_MINOR_STEPS
                                                     : MELODIC_MINOR_STEPS;
    int mask = 0;
    for (int k = 0; k < MAX_TONES; k++)
        mask |= 1 << ((tonic + steps[k]) % 12);
    return mask;
}

static void set_pattern(Pattern *p, int tonic, const int *steps, const char *fingers)
{
    p->anchor_pc = tonic;
    p->tones = MAX_TONES;
    memcpy(p->offset, steps, sizeof p->offset);
    fingers_from_text(fingers, p->finger, MAX_TONES + 1);
}

/* The key whose scale holds the most notes of the scale runs (all of them, or there is no
 * key): a tonic on the lowest note wins a tie, then major before harmonic minor; melodic
 * minor wins no tie with them. The pattern of the notes played rising, and of those
 * falling (they differ only in melodic minor). */
static bool scale_pattern(const Reading *r, int hand, Pattern *rising, Pattern *falling)
{
    int lowest, count;
    (void)notes_of_kind(r, CONVENTION_SCALE, &lowest, &count);
    if (count == 0)
        return false;
    int best_outside = count + 1, best_tonic = -1;
    int best_mode = MODE_MAJOR;
    bool best_on_lowest = false;
    for (int mode = 0; mode < MODES; mode++) {
        for (int tonic = 0; tonic < 12; tonic++) {
            /* a melodic minor's note must lie in the form of its direction, rising raised,
             * falling natural (else a G major run and a chromatic turn E F F# read as A
             * melodic minor: Czerny op. 821 No. 15); a turning note (or the last one heard)
             * belongs to both */
            int rising_mask = mode_mask(mode, tonic, false), falling_mask = mode_mask(mode, tonic, true);
            int outside = 0;
            for (int k = r->key_from; k < r->notes->count; k++) {
                bool turn = r->low_turn[k] || r->high_turn[k];
                int form = turn ? rising_mask | falling_mask : r->falling[k] ? falling_mask : rising_mask;
                if (r->run_kind[k] == CONVENTION_SCALE && !(form & (1 << pitch_class(r->notes->pitch[k]))))
                    outside++;
            }
            bool on_lowest = tonic == pitch_class(lowest);
            /* a melodic minor holds nine notes: it wins only where no seven-note scale holds
             * them all (else every major scale starting on its sixth degree would be one) */
            bool tie_won = on_lowest && !best_on_lowest && (mode != MODE_MELODIC_MINOR || best_mode == mode);
            if (outside < best_outside || (outside == best_outside && tie_won)) {
                best_outside = outside;
                best_tonic = tonic;
                best_mode = mode;
                best_on_lowest = on_lowest;
            }
        }
    }
    if (best_outside > 0)
        return false;
    if (best_mode == MODE_MAJOR) {
        set_pattern(rising, best_tonic, MAJOR_STEPS, MAJOR_SCALE[best_tonic][hand]);
        *falling = *rising;
        return true;
    }
    const char *harmonic = HARMONIC_MINOR_SCALE[best_tonic][hand];
    if (best_mode == MODE_HARMONIC_MINOR) {
        set_pattern(rising, best_tonic, HARMONIC_MINOR_STEPS, harmonic);
        *falling = *rising;
        return true;
    }
    const char *up = harmonic, *down = harmonic;
    for (size_t s = 0; s < sizeof MELODIC_MINOR_EXCEPTION / sizeof MELODIC_MINOR_EXCEPTION[0]; s++)
        if (MELODIC_MINOR_EXCEPTION[s].tonic == best_tonic && MELODIC_MINOR_EXCEPTION[s].hand == hand) {
            up = MELODIC_MINOR_EXCEPTION[s].fingers[0];
            down = MELODIC_MINOR_EXCEPTION[s].fingers[1];
        }
    set_pattern(rising, best_tonic, MELODIC_MINOR_STEPS, up);
    set_pattern(falling, best_tonic, NATURAL_MINOR_STEPS, down);
    return true;
}

/* The finger of note i when notes start..last of a run in the direction the little finger
 * leads are played in groups from start, the first from finger `top` (0 thumb .. 4 little),
 * each as long as the hand allows with the thumb on a white key at its end, the next ones
 * from 4 (else 3) after the thumb passes; when the run's end is heard, from 3 when two or
 * three notes of it are left and 2 on a last one (Czerny ends a run 3 2 1 or 1 2, not 4 3
 * 2). */
static int passage_group_finger(const ConventionNotes *n, int start, int last, bool end_heard, int top, int i)
{
    for (;; top = PASSAGE_NEXT_GROUP) {
        if (end_heard && last - start < PASSAGE_NEXT_GROUP)
            top = last == start ? FINGER_THUMB + 1 : PASSAGE_SHORTEST_GROUP; /* the run's last notes */
        int span = top;
        while (span > PASSAGE_SHORTEST_GROUP && start + span <= last &&
               is_black(pitch_class(n->pitch[start + span])))
            span--;
        if (i <= start + span)
            return span - (i - start);
        start += span + 1;
    }
}

/* Whether note i's run goes the way the little finger leads (right hand falling, left hand
 * rising). */
static bool little_finger_leads(const Reading *r, int hand, int i)
{
    const ConventionNotes *n = r->notes;
    bool rising = n->pitch[r->run_last[i]] > n->pitch[r->run_first[i]];
    return rising == (hand == HAND_LEFT);
}

/* Whether a run ending on note last is heard to its end: a note came after it, or its
 * passage ended there. */
static bool run_end_heard(const ConventionNotes *n, int last)
{
    return last + 1 < n->count || n->ends_passage[last];
}

/* Passage work (Czerny's editions; Parncutt et al. 1997: the thumb passes as seldom as it
 * can, and not onto a black key): a scale run that starts afresh (the passage's first note,
 * or after a pause, a chord or a leap) off the tonic and in the direction the little finger
 * leads (right hand falling, left hand rising) is played in groups from its first note
 * (passage_group_finger): the first from 5 (from 4 when it starts on a black key). The
 * books' fingerings start on the tonic; where a run starts there they apply instead (the
 * groups give the same there in most keys), and so they do when the run starts together
 * with the other hand: the books' scales a third or a sixth apart finger each hand by degree
 * from wherever it starts. (The mirror, a run the other way planned from its last note once
 * that is heard, was tried in round 7 and not kept: docs/fingering.md.) Returns the finger of
 * note i, or -1 when its run is not such a passage. */
static int passage_finger(const Reading *r, int hand, int i, int tonic_pc)
{
    const ConventionNotes *n = r->notes;
    int first = r->run_first[i], last = r->run_last[i];
    if (!little_finger_leads(r, hand, i) || pitch_class(n->pitch[first]) == tonic_pc || n->with_other_hand[first])
        return -1;
    bool fresh = first == 0 ? n->passage_index[0] == 0
                            : !linked_to_next(n, first - 1) || abs(n->pitch[first] - n->pitch[first - 1]) > 2;
    if (!fresh)
        return -1;
    bool end_heard = run_end_heard(n, last);
    /* not 5 on a black key (Parncutt's five-on-black, as in fingering_costs.c) */
    int top = is_black(pitch_class(n->pitch[first])) ? PASSAGE_NEXT_GROUP : FINGER_LITTLE;
    return passage_group_finger(n, first, last, end_heard, top, i);
}

/* The scale book's finger of note k of a scale run (the falling form on the way down). */
static int book_finger(const Reading *r, int hand, int k, const Pattern *rising, const Pattern *falling)
{
    return pattern_finger(r->falling[k] ? falling : rising, hand, r->notes->pitch[k], r->low_turn[k],
                          r->high_turn[k]);
}

/* A run in the direction the little finger leads that ends off the tonic (its end heard)
 * ends as passage work does, whatever the book gives there: the notes after the book's last
 * thumb before the end, 3 2 1 for three, 3 2 for two, 2 for one (Czerny op. 821 No. 8, the F
 * major run falling from B-flat5 to G4 then up to C5: C5 1, B-flat4 A4 G4 3 2 1, not the
 * book's 4 3 2). -1 for the other notes. */
static int run_end_finger(const Reading *r, int hand, int i, const Pattern *rising, const Pattern *falling)
{
    const ConventionNotes *n = r->notes;
    int first = r->run_first[i], last = r->run_last[i];
    if (!run_end_heard(n, last) || !little_finger_leads(r, hand, i) || n->with_other_hand[first] ||
        pitch_class(n->pitch[last]) == rising->anchor_pc)
        return -1;
    int thumb = last - 1;
    while (thumb >= first && thumb >= last - PASSAGE_NEXT_GROUP &&
           book_finger(r, hand, thumb, rising, falling) != FINGER_THUMB)
        thumb--;
    if (thumb < first || thumb < last - PASSAGE_NEXT_GROUP || i <= thumb || n->decided_finger[thumb + 1] >= 0)
        return -1;
    return passage_group_finger(n, thumb + 1, last, true, PASSAGE_NEXT_GROUP, i);
}

/* The books' fingers for four notes in one hand position, lowest first (a triad with its
 * octave, a four-note broken chord; bottom and top: the semitones between the two lowest and
 * the two highest): the outer notes on the outer fingers; right 1 2 3 5, or 1 2 4 5 when the
 * top interval is a third or less; left 5 4 2 1, or 5 3 2 1 when the bottom interval is a
 * fourth or more. */
static void four_note_fingers(int hand, int bottom, int top, int *fingers)
{
    const int right[4] = { 0, 1, top >= 5 ? 2 : 3, 4 }, left[4] = { 4, bottom <= 4 ? 3 : 2, 1, 0 };
    memcpy(fingers, hand == HAND_RIGHT ? right : left, sizeof right);
}

/* A triad's fingers from the bottom note (any position): right 1 2 3 5, or 1 2 4 5 when the
 * top interval is a third; left 5 4 2 1, or 5 3 2 1 when the bottom interval is a fourth;
 * a black root in root position as the books print it. */
static void triad_fingers(Pattern *p, int hand, bool major, int root)
{
    if (p->anchor_pc == root)
        for (size_t s = 0; s < sizeof BLACK_ROOT_TRIAD / sizeof BLACK_ROOT_TRIAD[0]; s++)
            if (BLACK_ROOT_TRIAD[s].major == major && BLACK_ROOT_TRIAD[s].root == root) {
                fingers_from_text(BLACK_ROOT_TRIAD[s].fingers[hand], p->finger, 4);
                return;
            }
    four_note_fingers(hand, p->offset[1], 12 - p->offset[2], p->finger);
}

/* The chord the arpeggio runs spell (exactly its notes), anchored on their lowest note. */
static bool arpeggio_pattern(const Reading *r, int hand, Pattern *p)
{
    int lowest, count;
    int mask = notes_of_kind(r, CONVENTION_ARPEGGIO, &lowest, &count);
    if (count == 0)
        return false;
    for (size_t s = 0; s < sizeof CHORD_SHAPE / sizeof CHORD_SHAPE[0]; s++)
        for (int root = 0; root < 12; root++) {
            int shape = 0;
            for (int k = 0; k < CHORD_SHAPE[s].tones; k++)
                shape |= 1 << ((root + CHORD_SHAPE[s].offset[k]) % 12);
            if (shape != mask)
                continue;
            p->anchor_pc = pitch_class(lowest);
            p->tones = 0;
            for (int o = 0; o < 12; o++)
                if (mask & (1 << ((p->anchor_pc + o) % 12)))
                    p->offset[p->tones++] = o;
            if (p->tones == 3) {
                triad_fingers(p, hand, CHORD_SHAPE[s].major, root);
            } else {
                for (int k = 0; k <= 4; k++)
                    p->finger[k] = hand == HAND_RIGHT ? k : FINGER_LITTLE - k;
            }
            return true;
        }
    return false;
}

/* Of a run of leaps that is a broken chord in one hand position (the run lies within an
 * octave on four keys, each once, and turns or ends at both ends: a figure of its own) whose
 * notes spell no chord of the passage's arpeggio (Czerny op. 821 No. 10 bar 2, A4 C5 E5 G5
 * staccato after bar 1's F major, 1 2 4 5), the books' four-note fingers
 * (four_note_fingers). -1 when note i's run is no such figure. */
static int broken_chord_finger(const Reading *r, int hand, int i)
{
    const ConventionNotes *n = r->notes;
    int first = r->run_first[i], last = r->run_last[i];
    if (last - first + 1 != BROKEN_CHORD_KEYS)
        return -1;
    bool first_turns = r->low_turn[first] || r->high_turn[first];
    bool last_turns = r->low_turn[last] || r->high_turn[last];
    int lo = n->pitch[first] < n->pitch[last] ? n->pitch[first] : n->pitch[last];
    int hi = n->pitch[first] < n->pitch[last] ? n->pitch[last] : n->pitch[first];
    if (!first_turns || !last_turns || hi - lo > POSITION_MAX_SPAN)
        return -1;
    /* a run goes one way: the rank of note i from the bottom, and the inner notes' keys */
    bool rising = n->pitch[last] > n->pitch[first];
    int rank = rising ? i - first : last - i;
    int second = n->pitch[rising ? first + 1 : last - 1], third = n->pitch[rising ? last - 1 : first + 1];
    int fingers[BROKEN_CHORD_KEYS];
    four_note_fingers(hand, second - lo, hi - third, fingers);
    return fingers[rank];
}

/* 3 on black keys, 1 on white ones, 2 on a white key next to a white key (right hand F and
 * C, left hand E and B); the right hand starts on a white key with the thumb. */
static int chromatic_finger(int hand, int note, bool low_turn)
{
    int pc = pitch_class(note);
    if (is_black(pc))
        return 2;
    if (hand == HAND_RIGHT)
        return low_turn ? FINGER_THUMB : (pc == 0 || pc == 5) ? 1 : FINGER_THUMB;
    return (pc == 4 || pc == 11) ? 1 : FINGER_THUMB;
}

/* Whether two keys are a step apart: a semitone or a whole tone. */
static bool is_step(int from, int to)
{
    const int interval = abs(to - from);
    return interval >= 1 && interval <= 2;
}

/* Of a figure of steps only (each 1 or 2 semitones, the steps before and after it none: a
 * leap, a repeated key or the passage's edge) that turns on at most four keys (a turn or a
 * neighbour-note figure around a note: F5 G5 F5 E5 F5), adjacent keys take adjacent
 * fingers, one finger a key, from the thumb on the key on the thumb's side (from 2 when it
 * is black: no thumb on a black key, Parncutt et al. 1997): the turn fingerings 2 3 2 1 2
 * and 3 4 3 2 3 (Czerny op. 821 No. 14, F5 G5 F5 E5 F5 A5, 2 3 2 1 2 4). The outer fingers
 * of a hand position (figure_finger) would put 1 and 5 a fourth apart. A line of steps
 * that goes on over more keys is a scale's or a position's, not a turn. -1 when note i
 * belongs to no such figure. */
static int turn_finger(const ConventionNotes *n, int hand, int i)
{
    int first = i, last = i;
    while (first > 0 && same_figure(n, first - 1) && is_step(n->pitch[first - 1], n->pitch[first]) &&
           i - first < TURN_MAX_NOTES)
        first--;
    while (same_figure(n, last) && is_step(n->pitch[last], n->pitch[last + 1]) && last - i < TURN_MAX_NOTES)
        last++;
    /* a turn begins a figure (or follows a repeated key); steps that continue a figure
     * coming from a leap lie in that figure's hand position (Hanon No. 11: G5 D5 B4 C5 B4
     * C5 D5 C5, left hand 1 3 5 4 5 4 3 4) */
    bool begins = first == 0 || !same_figure(n, first - 1) || n->pitch[first - 1] == n->pitch[first];
    if (last - first < 3 || last - first >= TURN_MAX_NOTES || !begins)
        return -1;
    bool up = false, down = false;
    int key[TURN_MAX_KEYS], keys = 0;
    for (int k = first; k <= last; k++) {
        int p = n->pitch[k];
        up = up || (k > first && p > n->pitch[k - 1]);
        down = down || (k > first && p < n->pitch[k - 1]);
        bool known = false;
        for (int j = 0; j < keys; j++)
            known = known || key[j] == p;
        if (!known) {
            if (keys == TURN_MAX_KEYS)
                return -1;
            key[keys++] = p;
        }
    }
    if (!(up && down))
        return -1;
    bool right = hand == HAND_RIGHT;
    int thumb_side = key[0], rank = 0;
    for (int j = 1; j < keys; j++)
        thumb_side = right == (key[j] < thumb_side) ? key[j] : thumb_side;
    for (int j = 0; j < keys; j++)
        rank += key[j] != n->pitch[i] && right == (key[j] < n->pitch[i]);
    return rank + (is_black(pitch_class(thumb_side)) ? 1 : 0);
}

/* Whether the line around notes first..last, within POSITION_REACH notes beyond them in the
 * same figure, passes below lo (*below) or above hi (*above). */
static void line_passes(const ConventionNotes *n, int first, int last, int lo, int hi, bool *below, bool *above)
{
    *below = *above = false;
    for (int k = first - 1; k >= 0 && first - k <= POSITION_REACH && same_figure(n, k); k--) {
        *below = *below || n->pitch[k] < lo;
        *above = *above || n->pitch[k] > hi;
    }
    for (int k = last + 1; k - last <= POSITION_REACH && same_figure(n, k - 1); k++) {
        *below = *below || n->pitch[k] < lo;
        *above = *above || n->pitch[k] > hi;
    }
}

/* Of a figure that turns inside a hand position (notes first..last around note i spanning
 * POSITION_MIN_SPAN..POSITION_MAX_SPAN), the lowest note takes the right thumb or the left
 * little finger, the highest the other outer finger, and the middle note of a broken triad
 * the finger the books give it; -1 when the figure gives note i no finger. A figure within
 * a fourth leaves the hand a finger to spare: its lowest or highest note is an edge of the
 * hand position only if the line around it does not pass that note within POSITION_REACH
 * notes (Czerny op. 821 No. 17 bar 6, D6 E6 G6 F#6 G6 A6 G6 F#6 E6 Eb6: the line goes on
 * below E6 and the edition plays E G on 2 4, not 1 5); the costs decide that note. */
static int figure_finger(const ConventionNotes *n, int hand, int i, int first, int last)
{
    int lo = 128, hi = -1;
    bool up = false, down = false;
    for (int k = first; k <= last; k++) {
        int p = n->pitch[k];
        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
        if (k > first) {
            up = up || p > n->pitch[k - 1];
            down = down || p < n->pitch[k - 1];
        }
    }
    if (last - first < 3 || !(up && down) || hi - lo < POSITION_MIN_SPAN || hi - lo > POSITION_MAX_SPAN)
        return -1;
    int p = n->pitch[i], middle = -1, distinct = 0;
    for (int k = first; k <= last; k++) {
        bool seen = false;
        for (int j = first; j < k; j++)
            seen = seen || n->pitch[j] == n->pitch[k];
        distinct += !seen;
        if (n->pitch[k] != lo && n->pitch[k] != hi)
            middle = n->pitch[k];
    }
    bool below = false, above = false;
    if (hi - lo <= POSITION_SPARE_SPAN)
        line_passes(n, first, last, lo, hi, &below, &above);
    if (p == lo)
        return below ? -1 : hand == HAND_RIGHT ? FINGER_THUMB : FINGER_LITTLE;
    if (p == hi)
        return above ? -1 : hand == HAND_RIGHT ? FINGER_LITTLE : FINGER_THUMB;
    if (distinct == 3 && p == middle) {
        /* a broken triad: 3 in the middle, 2 when the interval on the little finger's side
         * is a fourth or more (right 1 3 5 / 1 2 5, left 5 3 1 / 5 2 1) */
        int little_side = hand == HAND_RIGHT ? hi - p : p - lo;
        return little_side >= 5 ? 1 : 2;
    }
    return -1;
}

HM_REALTIME bool fingering_position_group_add(PositionGroup *g, int note, bool restart)
{
    bool known = false;
    for (int k = 0; k < g->keys; k++)
        known = known || g->key[k] == note;
    int lowest = note < g->lowest ? note : g->lowest, highest = note > g->highest ? note : g->highest;
    bool starts = restart || g->notes == 0 || g->notes >= FINGERING_GROUP_NOTES ||
                  (!known && g->keys == FINGERING_GROUP_KEYS) || highest - lowest > POSITION_MAX_SPAN;
    if (starts) {
        g->notes = g->keys = 0;
        g->lowest = g->highest = note;
        known = false;
    } else {
        g->lowest = lowest;
        g->highest = highest;
    }
    g->notes++;
    if (!known)
        g->key[g->keys++] = (uint8_t)note;
    return starts;
}

/* A note of a group whose notes heard so far (at least FINGERING_GROUP_KEYS) lie on
 * exactly five keys within an octave takes the finger of its key's rank, the lowest key
 * the right thumb (Hanon's exercises, a five-finger position): the group can take no sixth
 * key. -1 otherwise. */
static int group_finger(const Reading *r, int hand, int i)
{
    const ConventionNotes *n = r->notes;
    int start = i, end = i;
    while (start > 0 && !n->group_start[start] && n->pitch[start - 1] != NOTE_NONE)
        start--;
    while (end + 1 < n->count && !n->group_start[end + 1] && n->pitch[end + 1] != NOTE_NONE)
        end++;
    if (!n->group_start[start] || end - start + 1 < FINGERING_GROUP_KEYS)
        return -1;
    for (int k = start; k < end; k++)
        if (slur_ends(n, k))
            return -1; /* slurred groups: each its own hand position */
    for (int k = start; k <= end; k++)
        if (r->run_kind[k] != CONVENTION_NONE && (r->run_first[k] < start || r->run_last[k] > end))
            return -1; /* a run goes on out of the group: the hand moves with it (Czerny op. 821
                        * No. 15, G5 F#5 G5 then a scale from C5, five keys in one group: 4 3 4,
                        * not 5 4 5); a run inside it is the position's (Hanon No. 8, C E G A) */
    /* a line of steps that goes on by step past the group's edge moves the hand with it: its
     * five keys are no position (Czerny op. 821 No. 17 bar 6, Eb6 E6 F#6 E6 D6 C6 then B5:
     * 2 3 4 3 2 1, not one finger per key of C6..F#6); Hanon's groups have leaps, and a
     * five-finger position turns back or stops at its edge */
    bool steps_only = true;
    for (int k = start; k < end; k++)
        steps_only = steps_only && is_step(n->pitch[k], n->pitch[k + 1]);
    bool line_goes_on = (start > 0 && same_figure(n, start - 1) && is_step(n->pitch[start - 1], n->pitch[start])) ||
                        (same_figure(n, end) && is_step(n->pitch[end], n->pitch[end + 1]));
    if (steps_only && line_goes_on)
        return -1;
    int below = 0, keys = 0, lo = 128, hi = -1;
    for (int k = start; k <= end; k++) {
        bool seen = false;
        for (int j = start; j < k; j++)
            seen = seen || n->pitch[j] == n->pitch[k];
        if (seen)
            continue;
        keys++;
        below += n->pitch[k] < n->pitch[i];
        lo = n->pitch[k] < lo ? n->pitch[k] : lo;
        hi = n->pitch[k] > hi ? n->pitch[k] : hi;
    }
    if (keys != FINGERING_GROUP_KEYS || hi - lo > POSITION_MAX_SPAN)
        return -1;
    return hand == HAND_RIGHT ? below : FINGER_LITTLE - below;
}

static bool struck_repeatedly(const ConventionNotes *n, int i);

/* Whether note i comes right before or after repeated strokes of a key: the hand moves with
 * such strokes (Czerny op. 821 No. 17 bar 7, G5 B5 B5 B5 A5 C6 C6 C6, 1 4 3 2 1 4 3 2: each
 * note after the strokes on the thumb), so the notes around them make no hand position. */
static bool next_to_strokes(const ConventionNotes *n, int i)
{
    return (i > 0 && same_figure(n, i - 1) && struck_repeatedly(n, i - 1)) ||
           (same_figure(n, i) && struck_repeatedly(n, i + 1));
}

/* The finger of note i from its group, else from the figure around it (POSITION_REACH notes either side), else
 * the figure it ends, else the one it begins. A note struck again at once belongs to the
 * figure before it (the second stroke begins the next). A run (scale, arpeggio, chromatic)
 * next to the note is a figure of its own, not part of the note's (Czerny op. 821 No. 3's
 * last bar: the single C5 after the thirds, then the broken chord G4 C5 E5 G5: C5 is no
 * middle of G4 C5 E5). */
static int position_finger(const Reading *r, int hand, int i)
{
    const ConventionNotes *n = r->notes;
    int first = i, last = i;
    while (first > i - POSITION_REACH - 1 && first > 0 && same_figure(n, first - 1) &&
           r->run_kind[first - 1] == CONVENTION_NONE)
        first--;
    while (last < i + POSITION_REACH + 1 && same_figure(n, last) && r->run_kind[last + 1] == CONVENTION_NONE)
        last++;
    if (next_to_strokes(n, i))
        return -1;
    int f = group_finger(r, hand, i);
    if (f >= 0)
        return f;
    f = turn_finger(n, hand, i);
    if (f >= 0)
        return f;
    bool repeated = last > i && n->pitch[i + 1] == n->pitch[i];
    int around_first = first < i - POSITION_REACH ? i - POSITION_REACH : first;
    int around_last = last > i + POSITION_REACH ? i + POSITION_REACH : last;
    f = repeated ? -1 : figure_finger(n, hand, i, around_first, around_last);
    if (f < 0)
        f = figure_finger(n, hand, i, first, i);
    if (f < 0 && !repeated)
        f = figure_finger(n, hand, i, i, last);
    return f;
}

/* The first note of the slurred pair that note i belongs to, or -1: two notes a step apart
 * (1 or 2 semitones) played legato, with a rest (or the passage's edge) before and after. */
static int slurred_pair_start(const ConventionNotes *n, int i)
{
    int s = i > 0 && linked_to_next(n, i - 1) && n->slurred[i] ? i - 1 : i;
    if (!linked_to_next(n, s) || !n->slurred[s + 1])
        return -1;
    bool rest_before = s == 0 || !linked_to_next(n, s - 1) || (n->after_rest[s] && rhythm_breaks_after(n, s - 1, s + 1));
    bool rest_after = !linked_to_next(n, s + 1) || (n->after_rest[s + 2] && rhythm_breaks_after(n, s + 1, s + 1));
    return rest_before && rest_after && is_step(n->pitch[s], n->pitch[s + 1]) ? s : -1;
}

/* Whether the slurred pair from note `later` goes on from the one from note `earlier` (two
 * notes before it) along one line: the same way, a step on from where the earlier one ended
 * (C6 Bb5, A5 G5: a scale cut into pairs). */
static bool pair_continues_line(const ConventionNotes *n, int earlier, int later)
{
    bool rising = n->pitch[later + 1] > n->pitch[later];
    return slurred_pair_start(n, earlier) == earlier && slurred_pair_start(n, later) == later &&
           (n->pitch[earlier + 1] > n->pitch[earlier]) == rising && is_step(n->pitch[earlier + 1], n->pitch[later]) &&
           (n->pitch[later] > n->pitch[earlier + 1]) == rising;
}

/* A note of a chain of slurred pairs cut from one line (the pair right before or after its
 * own goes on along it) takes the finger editions print on such pairs: each pair is a new
 * hand position on the two middle fingers, 3 2 toward the thumb and 2 3 away from it (Czerny
 * op. 821 No. 10, right hand falling C6 Bb5, A5 G5, F5 E5: 3 2 each). A pair that leaps away
 * from the line begins another figure (No. 10 bar 3, G5 then D6 C6, A5 F5: 5 4 2 1, a broken
 * chord in one position); -1 otherwise. */
static int slurred_pair_finger(const ConventionNotes *n, int hand, int i)
{
    int s = slurred_pair_start(n, i);
    if (s < 0)
        return -1;
    bool rising = n->pitch[s + 1] > n->pitch[s];
    bool chained = (s >= 2 && linked_to_next(n, s - 1) && pair_continues_line(n, s - 2, s)) ||
                   (s + 3 < n->count && linked_to_next(n, s + 1) && pair_continues_line(n, s, s + 2));
    if (!chained)
        return -1;
    bool toward_thumb = rising == (hand == HAND_LEFT);
    bool first = i == s;
    return toward_thumb ? (first ? 2 : 1) : (first ? 1 : 2);
}

/* The first and last of the strokes of one key in a row that note i belongs to. */
static void strokes_around(const ConventionNotes *n, int i, int *first, int *last)
{
    *first = *last = i;
    while (*first > 0 && linked_to_next(n, *first - 1) && n->pitch[*first - 1] == n->pitch[i])
        (*first)--;
    while (linked_to_next(n, *last) && n->pitch[*last + 1] == n->pitch[i])
        (*last)++;
}

/* Whether note i is one of REPEATED_STROKES_MIN or more strokes of one key in a row: the
 * fingers change on it (4 3 2 1), so no hand position gives it one finger per key. */
static bool struck_repeatedly(const ConventionNotes *n, int i)
{
    int first, last;
    strokes_around(n, i, &first, &last);
    return last - first + 1 >= REPEATED_STROKES_MIN;
}

/* The finger of note i when it is one of three or four fast strokes of a key in a row (each
 * struck within a fast repetition's time of the one before), else -1.
 * Fast repeated notes change fingers, the hand rolling from the outer fingers toward the
 * thumb, one finger a stroke: 4 3 2 1, 3 2 1 (Czerny op. 821 Nos. 16 and 17 as the Peters
 * edition prints them, every group of strokes after another group or a pause). When the
 * note right before the strokes lies on the thumb's side of them and is no stroke itself,
 * the thumb has just played it and takes the note after them: the strokes end on 2 (No. 17
 * bar 7, G5 B5 B5 B5 A5, 1 4 3 2 1). More strokes than fingers to roll over: no convention. */
static int strokes_finger(const ConventionNotes *n, int hand, int i)
{
    int first, last;
    strokes_around(n, i, &first, &last);
    int strokes = last - first + 1;
    if (strokes < REPEATED_STROKES_MIN || strokes > STROKES_MAX)
        return -1;
    for (int k = first + 1; k <= last; k++)
        if (!n->quick[k]) /* played slowly, one finger repeats a key at ease */
            return -1;
    bool thumb_before = false;
    if (first > 0 && linked_to_next(n, first - 1) && n->pitch[first - 1] != FINGERING_CONVENTION_CHORD) {
        int before = n->pitch[first - 1];
        bool thumb_side = hand == HAND_RIGHT ? before < n->pitch[i] : before > n->pitch[i];
        bool stroke = first > 1 && linked_to_next(n, first - 2) && n->pitch[first - 2] == before;
        thumb_before = thumb_side && !stroke;
    }
    int last_finger = thumb_before ? 1 : 0; /* 0 thumb .. 4 little */
    return last_finger + (last - i);
}

HM_REALTIME void fingering_conventions(int hand, const ConventionNotes *notes, int8_t *finger, uint8_t *kind,
                                       int *figure_origin)
{
    Reading r;
    memset(&r, 0, sizeof r);
    r.notes = notes;
    find_runs(&r);
    for (int i = 1; i < notes->count; i++)
        if (notes->starts_passage[i])
            r.key_from = i;
    Pattern scale_rising, scale_falling, arpeggio;
    bool have_scale = scale_pattern(&r, hand, &scale_rising, &scale_falling);
    bool have_arpeggio = arpeggio_pattern(&r, hand, &arpeggio);
    int8_t sequence[FINGERING_CONVENTION_MAX_NOTES];
    fingering_sequences(hand, notes, sequence, figure_origin);
    for (int i = 0; i < notes->count; i++) {
        int f = -1, p = notes->pitch[i];
        uint8_t k = r.run_kind[i];
        if (p == NOTE_NONE)
            k = CONVENTION_NONE;
        else if (k == CONVENTION_SCALE) {
            f = passage_finger(&r, hand, i, have_scale ? scale_rising.anchor_pc : -1);
            if (f < 0 && have_scale) {
                f = run_end_finger(&r, hand, i, &scale_rising, &scale_falling);
                if (f < 0)
                    f = book_finger(&r, hand, i, &scale_rising, &scale_falling);
            }
        } else if (k == CONVENTION_ARPEGGIO) {
            f = have_arpeggio ? pattern_finger(&arpeggio, hand, p, r.low_turn[i], r.high_turn[i]) : -1;
            if (f < 0)
                f = broken_chord_finger(&r, hand, i);
        } else if (k == CONVENTION_CHROMATIC)
            f = chromatic_finger(hand, p, r.low_turn[i]);
        else if (k == CONVENTION_NONE && (f = slurred_pair_finger(notes, hand, i)) >= 0)
            k = CONVENTION_SLURRED_PAIR;
        else if (k == CONVENTION_NONE && sequence[i] >= 0) {
            f = sequence[i];
            k = CONVENTION_SEQUENCE;
        } else if (k == CONVENTION_NONE && (f = strokes_finger(notes, hand, i)) >= 0) {
            k = CONVENTION_STROKES;
        } else if (k == CONVENTION_NONE && !struck_repeatedly(notes, i)) {
            f = position_finger(&r, hand, i);
            k = f >= 0 ? CONVENTION_POSITION : CONVENTION_NONE;
        }
        finger[i] = (int8_t)f;
        kind[i] = f >= 0 ? k : CONVENTION_NONE;
    }
}
