/* Fingering: the fixed table (default and parsed), channel-coded fingers, the guitar's
 * one-finger-per-fret rule, chord grouping, the lag of the auto mode, and the auto mode
 * against textbook fingerings written down here (fingers numbered 1 thumb .. 5 little
 * as in printed music; the API counts 0 .. 4). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingering.h"
#include "fingering_conventions.h"
#include "fingering_costs.h"
#include "state.h"
#include "suites.h"

#define EXPECT(cond, ...)              \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

static Fingering *make(const FingeringConfig *config)
{
    char err[200] = "";
    Fingering *f = fingering_create(config, err, sizeof err);
    ck_assert_msg(f != NULL, "fingering_create: %s", err);
    return f;
}

/* Plays one note in a table mode and returns its final (which must exist at once and
 * equal the provisional). */
static FingerAssignment play_now(Fingering *f, uint32_t id, uint8_t channel, uint8_t note)
{
    FingerAssignment provisional, final;
    fingering_note_on(f, id, 0.1 * id, channel, note, 90, &provisional);
    ck_assert_int_eq(fingering_take_final(f, &final), 1);
    ck_assert_int_eq(fingering_take_final(f, &final) + 1, 1); /* only one */
    fingering_note_off(f, 0.1 * id + 0.05, channel, note);
    ck_assert_uint_eq(provisional.id, id);
    ck_assert_int_eq(provisional.hand, final.hand);
    ck_assert_int_eq(provisional.finger, final.finger);
    return provisional;
}

static int pitch(const char *name)
{
    int note = -1;
    ck_assert_msg(fingering_parse_pitch_name(name, strlen(name), &note) == 0, "pitch %s", name);
    return note;
}

/* ---- pitch names and the fixed table ------------------------------------------------ */

START_TEST(test_pitch_names)
{
    ck_assert_int_eq(pitch("C4"), 60);
    ck_assert_int_eq(pitch("c4"), 60);
    ck_assert_int_eq(pitch("A4"), 69);
    ck_assert_int_eq(pitch("C-1"), 0);
    ck_assert_int_eq(pitch("G9"), 127);
    ck_assert_int_eq(pitch("F#3"), 54);
    ck_assert_int_eq(pitch("Bb2"), 46);
    ck_assert_int_eq(pitch("B#3"), 60);
    ck_assert_int_eq(pitch("Cb4"), 59);
    ck_assert_int_eq(pitch("F##3"), 55);
    ck_assert_int_eq(pitch("Fx3"), 55);
    ck_assert_int_eq(pitch("Ebb4"), 62);
    const char *bad[] = { "", "H4", "C", "C#", "G#9", "Cb-1", "C4x", "C###4", "4" };
    int note;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(fingering_parse_pitch_name(bad[i], strlen(bad[i]), &note) != 0, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(test_fixed_default_five_finger_position)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_FIXED);
    Fingering *f = make(&config);
    /* right hand C D E F G = 1 2 3 4 5 */
    const int right[5] = { 60, 62, 64, 65, 67 };
    for (int i = 0; i < 5; i++) {
        FingerAssignment a = play_now(f, (uint32_t)i, 0, (uint8_t)right[i]);
        ck_assert_int_eq(a.hand, HAND_RIGHT);
        ck_assert_int_eq(a.finger, i);
    }
    /* left hand an octave lower, C3 D3 E3 F3 G3 = 5 4 3 2 1 */
    const int left[5] = { 48, 50, 52, 53, 55 };
    for (int i = 0; i < 5; i++) {
        FingerAssignment a = play_now(f, (uint32_t)(10 + i), 0, (uint8_t)left[i]);
        ck_assert_int_eq(a.hand, HAND_LEFT);
        ck_assert_int_eq(a.finger, FINGER_LITTLE - i);
    }
    /* a black key inside the position takes the nearer finger (the lower on a tie) */
    FingerAssignment c_sharp = play_now(f, 20, 0, 61);
    ck_assert_int_eq(c_sharp.hand, HAND_RIGHT);
    ck_assert_int_eq(c_sharp.finger, 0);
    FingerAssignment f_sharp = play_now(f, 21, 0, 66);
    ck_assert_int_eq(f_sharp.finger, 3);
    /* outside both positions: no finger */
    FingerAssignment far = play_now(f, 22, 0, 81);
    ck_assert_int_eq(far.hand, -1);
    ck_assert_int_eq(far.finger, -1);
    fingering_free(f);

    /* another root, right hand only */
    fingering_table_five_finger(&config.table, 67, HANDS_RIGHT);
    ck_assert_int_eq(config.table.finger[67], 0);
    ck_assert_int_eq(config.table.finger[74], 4);
    ck_assert_int_eq(config.table.hand[55], -1);
}
END_TEST

START_TEST(test_fixed_parsed_table)
{
    const char *text = "# a table for a study\n"
                       "60 R 1\n"
                       "  C#4 right 2   # a black key\n"
                       "\n"
                       "Bb2\tleft\t5\r\n"
                       "62 L -\n"
                       "d4 l 3\n";
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_FIXED);
    char err[200] = "";
    ck_assert_msg(fingering_table_parse(text, strlen(text), &config.table, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(config.table.hand[60], HAND_RIGHT);
    ck_assert_int_eq(config.table.finger[60], 0);
    ck_assert_int_eq(config.table.finger[61], 1);
    ck_assert_int_eq(config.table.hand[46], HAND_LEFT);
    ck_assert_int_eq(config.table.finger[46], 4);
    ck_assert_int_eq(config.table.hand[62], HAND_LEFT); /* the later line wins */
    ck_assert_int_eq(config.table.finger[62], 2);
    ck_assert_int_eq(config.table.finger[64], -1); /* not listed */
    Fingering *f = make(&config);
    FingerAssignment a = play_now(f, 1, 0, 61);
    ck_assert_int_eq(a.hand, HAND_RIGHT);
    ck_assert_int_eq(a.finger, 1);
    a = play_now(f, 2, 0, 64);
    ck_assert_int_eq(a.hand, -1);
    fingering_free(f);
}
END_TEST

START_TEST(test_fixed_table_errors)
{
    struct {
        const char *text;
        const char *expected[2];
    } cases[] = {
        { "60 R 1\n61 X 2\n", { "line 2", "hand" } },
        { "60 R 1\n# fine\nH4 R 1\n", { "line 3", "note" } },
        { "60 R 6\n", { "line 1", "finger" } },
        { "60 R\n", { "line 1", "finger" } },
        { "60\n", { "line 1", "hand" } },
        { "60 R 1 2\n", { "line 1", "end of the line" } },
        { "\n\n128 R 1\n", { "line 3", "0..127" } },
    };
    FingeringTable table;
    fingering_table_five_finger(&table, 60, HANDS_BOTH);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[200] = "";
        int status = fingering_table_parse(cases[i].text, strlen(cases[i].text), &table, err, sizeof err);
        ck_assert_int_eq(status, -1);
        for (int k = 0; k < 2; k++)
            ck_assert_msg(strstr(err, cases[i].expected[k]) != NULL, "case %zu: '%s' lacks '%s'", i, err,
                          cases[i].expected[k]);
    }
    ck_assert_int_eq(table.finger[60], 0); /* a refused text leaves the table alone */
}
END_TEST

/* The text is length bytes, not a C string: a number at its very end must not be read on
 * past it (strtol did; tests/fuzz/regressions/fingering_table/). */
START_TEST(test_fixed_table_reads_only_its_length)
{
    const char text[] = "60 R 1\n127 R 1\n";
    FingeringTable table;
    char err[200] = "";
    ck_assert_int_eq(fingering_table_parse(text, 9, &table, err, sizeof err), -1); /* "60 R 1\n12" */
    ck_assert_msg(strstr(err, "line 2: expected a hand") != NULL, "%s", err);
    char *exact = malloc(8);
    memcpy(exact, "60 R 1\n-", 8); /* ends in a sign without digits, no terminator */
    ck_assert_int_eq(fingering_table_parse(exact, 8, &table, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "line 2: expected a note") != NULL, "%s", err);
    free(exact);
    ck_assert_int_eq(fingering_table_parse("999999999999999999999 R 1\n", 26, &table, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "note 999999999999999999999 is outside 0..127") != NULL, "%s", err);
}
END_TEST

START_TEST(test_config_errors)
{
    FingeringConfig config;
    char err[200] = "";
    fingering_config_default(&config, FINGERING_AUTO);
    config.lag_ms = -1.0;
    ck_assert_ptr_null(fingering_create(&config, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "lag_ms"));
    fingering_config_default(&config, FINGERING_FRET);
    config.hands = HANDS_BOTH;
    ck_assert_ptr_null(fingering_create(&config, err, sizeof err));
    fingering_config_default(&config, FINGERING_FRET);
    config.fret_first_channel = 12;
    ck_assert_ptr_null(fingering_create(&config, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "channels"));
}
END_TEST

/* ---- channel and fret modes ---------------------------------------------------------- */

START_TEST(test_channel_mode)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_CHANNEL);
    Fingering *f = make(&config);
    for (int channel = 0; channel < 16; channel++) {
        FingerAssignment a = play_now(f, (uint32_t)channel, (uint8_t)channel, 60);
        if (channel < 5) {
            ck_assert_int_eq(a.hand, HAND_RIGHT);
            ck_assert_int_eq(a.finger, channel);
        } else if (channel < 10) {
            ck_assert_int_eq(a.hand, HAND_LEFT);
            ck_assert_int_eq(a.finger, channel - 5);
        } else {
            ck_assert_int_eq(a.hand, -1);
            ck_assert_int_eq(a.finger, -1);
        }
    }
    fingering_free(f);
}
END_TEST

START_TEST(test_fret_mode)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_FRET);
    Fingering *f = make(&config);
    /* channel 5 = string 6, low E2 (40); channel 0 = string 1, E4 (64) */
    FingerAssignment a = play_now(f, 1, 5, 40);
    ck_assert_int_eq(a.hand, -1); /* open string */
    ck_assert_int_eq(a.finger, -1);
    a = play_now(f, 2, 0, 64);
    ck_assert_int_eq(a.finger, -1);
    struct {
        uint8_t channel, note;
        int finger;
    } run[] = {
        { 5, 43, 1 }, /* fret 3: hand placed there, index */
        { 5, 45, 3 }, /* fret 5: ring */
        { 4, 51, 4 }, /* A string fret 6: little */
        { 5, 48, 4 }, /* fret 8: the hand moves up to 5..8, little */
        { 3, 55, 1 }, /* D string fret 5: index */
        { 0, 71, 3 }, /* E4 string fret 7: ring */
        { 1, 61, 1 }, /* B string fret 2: the hand moves down to 2..5, index */
        { 2, 60, 4 }, /* G string fret 5: little */
    };
    for (size_t i = 0; i < sizeof run / sizeof run[0]; i++) {
        a = play_now(f, (uint32_t)(10 + i), run[i].channel, run[i].note);
        EXPECT(a.hand == HAND_LEFT, "step %zu: hand %d", i, a.hand);
        EXPECT(a.finger == run[i].finger, "step %zu: finger %d, expected %d", i, a.finger, run[i].finger);
    }
    a = play_now(f, 30, 7, 60); /* no string on channel 8 */
    ck_assert_int_eq(a.finger, -1);
    fingering_free(f);

    /* drop-D tuning, strings from channel 2, fretted by the right hand (a left-handed player) */
    fingering_config_default(&config, FINGERING_FRET);
    config.fret_open_note[5] = 38;
    config.fret_first_channel = 2;
    config.hands = HANDS_RIGHT;
    f = make(&config);
    a = play_now(f, 1, 7, 38);
    ck_assert_int_eq(a.finger, -1);
    a = play_now(f, 2, 7, 40);
    ck_assert_int_eq(a.hand, HAND_RIGHT);
    ck_assert_int_eq(a.finger, 1);
    a = play_now(f, 3, 0, 40);
    ck_assert_int_eq(a.finger, -1);
    fingering_free(f);
}
END_TEST

/* ---- auto mode: mechanics ------------------------------------------------------------- */

/* Plays a scale of `count` notes step_s apart (each held 0.09 s) and checks that each note is
 * decided when the note `after` places later comes, not before; then the flush decides the
 * rest. */
static void expect_decided_after(double lag_ms, double step_s, int count, int after)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = HANDS_RIGHT;
    config.lag_ms = lag_ms;
    Fingering *f = make(&config);
    const int c_major[7] = { 0, 2, 4, 5, 7, 9, 11 };
    FingerAssignment a;
    for (int i = 0; i < count; i++) {
        FingerAssignment provisional;
        uint8_t note = (uint8_t)(60 + 12 * (i / 7) + c_major[i % 7]);
        fingering_note_on(f, (uint32_t)(100 + i), step_s * i, 0, note, 80, &provisional);
        ck_assert_int_eq(provisional.hand, HAND_RIGHT);
        ck_assert(provisional.finger >= 0 && provisional.finger <= 4);
        fingering_note_off(f, step_s * i + 0.09, 0, note);
        if (i < after) {
            ck_assert_int_eq(fingering_take_final(f, &a), 0);
        } else {
            ck_assert_int_eq(fingering_take_final(f, &a), 1);
            ck_assert_uint_eq(a.id, (uint32_t)(100 + i - after));
            ck_assert_int_eq(fingering_take_final(f, &a), 0);
        }
    }
    fingering_flush(f);
    for (int i = count - after; i < count; i++) {
        ck_assert_int_eq(fingering_take_final(f, &a), 1);
        ck_assert_uint_eq(a.id, (uint32_t)(100 + i));
    }
    ck_assert_int_eq(fingering_take_final(f, &a), 0);
    ck_assert_uint_eq(fingering_dropped(f), 0);
    fingering_free(f);
}

/* A note is decided once lag_ms of music and six groups have followed it: notes 0.1 s
 * apart with a lag of 0.75 s, when the eighth after it comes (0.8 s); notes 0.3 s apart,
 * when the sixth after it comes (1.8 s of music, not the third at 0.9 s: played slowly, the
 * lag alone would decide a note before its run is heard). */
START_TEST(test_auto_lag_and_flush)
{
    expect_decided_after(750.0, 0.1, 14, 8);
    expect_decided_after(750.0, 0.3, 14, 6);
}
END_TEST

/* Plays a chord with its notes in the given order, spread over spread_ms, and returns
 * the finals (after a flush) sorted by note. */
static int play_chord(Fingering *f, const int *notes, int count, double start_s, double spread_ms,
                      FingerAssignment *finals)
{
    for (int i = 0; i < count; i++) {
        FingerAssignment provisional;
        fingering_note_on(f, (uint32_t)i, start_s + spread_ms * 0.001 * i / (count > 1 ? count - 1 : 1), 0,
                          (uint8_t)notes[i], 90, &provisional);
    }
    fingering_flush(f);
    int n = 0;
    while (n < 16 && fingering_take_final(f, &finals[n]))
        n++;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && finals[j].note < finals[j - 1].note; j--) {
            FingerAssignment tmp = finals[j];
            finals[j] = finals[j - 1];
            finals[j - 1] = tmp;
        }
    return n;
}

START_TEST(test_chord_fingers_monotonic)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    FingerAssignment finals[16];
    const int right_chords[][4] = { { 67, 60, 64, -1 }, { 64, 72, 67, 60 }, { 62, 65, 69, -1 }, { 61, 66, 70, -1 } };
    for (size_t c = 0; c < sizeof right_chords / sizeof right_chords[0]; c++) {
        config.hands = HANDS_RIGHT;
        Fingering *f = make(&config);
        int count = right_chords[c][3] < 0 ? 3 : 4;
        int n = play_chord(f, right_chords[c], count, 0.0, 30.0, finals);
        ck_assert_int_eq(n, count);
        for (int i = 1; i < n; i++)
            EXPECT(finals[i].finger > finals[i - 1].finger, "right chord %zu: fingers not rising with pitch", c);
        if (c == 0) { /* C E G: 1 3 5 */
            ck_assert_int_eq(finals[0].finger, 0);
            ck_assert_int_eq(finals[1].finger, 2);
            ck_assert_int_eq(finals[2].finger, 4);
        }
        fingering_free(f);
    }
    /* left hand: C3 E3 G3 -> 5 3 1 */
    config.hands = HANDS_LEFT;
    Fingering *f = make(&config);
    const int left_chord[3] = { 55, 48, 52 };
    int n = play_chord(f, left_chord, 3, 0.0, 20.0, finals);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(finals[0].finger, 4);
    ck_assert_int_eq(finals[1].finger, 2);
    ck_assert_int_eq(finals[2].finger, 0);
    fingering_free(f);
    /* both hands at once: C3 G3 + C4 E4 G4, the split puts them apart */
    config.hands = HANDS_BOTH;
    f = make(&config);
    const int both[5] = { 48, 60, 55, 64, 67 };
    n = play_chord(f, both, 5, 0.0, 10.0, finals);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(finals[0].hand, HAND_LEFT);
    ck_assert_int_eq(finals[1].hand, HAND_LEFT);
    for (int i = 2; i < 5; i++)
        ck_assert_int_eq(finals[i].hand, HAND_RIGHT);
    ck_assert_int_gt(finals[0].finger, finals[1].finger);
    fingering_free(f);
    /* onsets 60 ms apart are separate notes, free to take any finger */
    config.hands = HANDS_RIGHT;
    f = make(&config);
    const int repeated[2] = { 60, 60 };
    n = play_chord(f, repeated, 2, 0.0, 60.0, finals);
    ck_assert_int_eq(n, 2);
    /* a key struck again this fast takes the next finger toward the thumb (fast repetition) */
    ck_assert_int_eq(finals[1].finger, finals[0].finger - 1);
    fingering_free(f);
}
END_TEST

/* ---- auto mode against textbook fingerings ------------------------------------------- */

typedef struct {
    char name[48];
    int hand;
    int count;
    int note[128];
    int finger[128]; /* 1 thumb .. 5 little */
} Exercise;

static const int MAJOR_STEPS[7] = { 2, 2, 1, 2, 2, 2, 1 };

/* A two-octave major scale up and down; fingering for the 15 notes up, mirrored down. */
static void scale(Exercise *e, const char *name, int hand, int tonic, const char *fingers_up)
{
    snprintf(e->name, sizeof e->name, "%s", name);
    e->hand = hand;
    int up = 15;
    ck_assert_int_eq((int)strlen(fingers_up), up);
    int note = tonic;
    for (int i = 0; i < up; i++) {
        e->note[i] = note;
        e->finger[i] = fingers_up[i] - '0';
        note += MAJOR_STEPS[i % 7];
    }
    for (int i = 0; i < up - 1; i++) {
        e->note[up + i] = e->note[up - 2 - i];
        e->finger[up + i] = e->finger[up - 2 - i];
    }
    e->count = 2 * up - 1;
}

/* Notes as spelled names and fingers as digits, both separated by spaces. */
static void written(Exercise *e, const char *name, int hand, const char *notes, const char *fingers)
{
    snprintf(e->name, sizeof e->name, "%s", name);
    e->hand = hand;
    e->count = 0;
    const char *p = notes;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        if (p > start) {
            int n = -1;
            ck_assert_msg(fingering_parse_pitch_name(start, (size_t)(p - start), &n) == 0, "%s: bad note", name);
            e->note[e->count++] = n;
        }
    }
    int k = 0;
    for (p = fingers; *p; p++)
        if (*p >= '1' && *p <= '5')
            e->finger[k++] = *p - '0';
    ck_assert_msg(k == e->count, "%s: %d notes, %d fingers", name, e->count, k);
}

/* Hanon No. 1, one octave up from a white key: groups degree d, d+2, d+3, d+4, d+5,
 * d+4, d+3, d+2 on the C major scale, right hand 1 2 3 4 5 4 3 2, left 5 4 3 2 1 2 3 4,
 * ending on the top note. */
static void hanon_one(Exercise *e, const char *name, int hand, int start_note)
{
    static const int WHITE[7] = { 0, 2, 4, 5, 7, 9, 11 };
    static const int SHAPE[8] = { 0, 2, 3, 4, 5, 4, 3, 2 };
    static const int RIGHT[8] = { 1, 2, 3, 4, 5, 4, 3, 2 };
    static const int LEFT[8] = { 5, 4, 3, 2, 1, 2, 3, 4 };
    snprintf(e->name, sizeof e->name, "%s", name);
    e->hand = hand;
    e->count = 0;
    int base_octave = start_note / 12, base_degree = 0;
    while (WHITE[base_degree] != start_note % 12)
        base_degree++;
    for (int group = 0; group < 7; group++)
        for (int k = 0; k < 8; k++) {
            int degree = base_degree + group + SHAPE[k];
            e->note[e->count] = (base_octave + degree / 7) * 12 + WHITE[degree % 7];
            e->finger[e->count] = hand == HAND_RIGHT ? RIGHT[k] : LEFT[k];
            e->count++;
        }
    e->note[e->count] = start_note + 12;
    e->finger[e->count] = hand == HAND_RIGHT ? 1 : 5;
    e->count++;
}

/* Plays an exercise legato (each key released 10 ms after the next onset), 4 notes/s,
 * and counts finals that match the written finger. */
static int run_exercise(const Exercise *e, int *matches, int *provisional_matches)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = e->hand == HAND_RIGHT ? HANDS_RIGHT : HANDS_LEFT;
    Fingering *f = make(&config);
    int got[128];
    for (int i = 0; i < e->count; i++)
        got[i] = -1;
    FingerAssignment a;
    for (int i = 0; i < e->count; i++) {
        double t = 0.25 * i;
        fingering_note_on(f, (uint32_t)i, t, 0, (uint8_t)e->note[i], 80, &a);
        *provisional_matches += a.finger + 1 == e->finger[i];
        if (i > 0)
            fingering_note_off(f, t + 0.01, 0, (uint8_t)e->note[i - 1]);
        while (fingering_take_final(f, &a))
            got[a.id] = a.finger + 1;
    }
    fingering_note_off(f, 0.25 * e->count, 0, (uint8_t)e->note[e->count - 1]);
    fingering_flush(f);
    while (fingering_take_final(f, &a)) {
        EXPECT(a.hand == e->hand, "%s: note %u on the wrong hand", e->name, a.id);
        got[a.id] = a.finger + 1;
    }
    fingering_free(f);
    char line[300];
    int len = 0;
    *matches = 0;
    for (int i = 0; i < e->count; i++) {
        *matches += got[i] == e->finger[i];
        if (len < (int)sizeof line - 2)
            line[len++] = (char)('0' + got[i]);
    }
    line[len] = '\0';
    char wrong[300];
    len = 0;
    for (int i = 0; i < e->count && len < (int)sizeof wrong - 2; i++)
        wrong[len++] = got[i] == e->finger[i] ? '.' : '^';
    wrong[len] = '\0';
    printf("  %-26s %3d/%3d = %5.1f %%  got %s\n  %-26s                       %s\n", e->name, *matches, e->count,
           100.0 * *matches / e->count, line, "", wrong);
    return e->count;
}

enum { KIND_SCALE, KIND_FIVE, KIND_HANON, KIND_BROKEN, KIND_COUNT };

static int build_exercises(Exercise *list, int *kind)
{
    int n = 0;
    /* two-octave major scales, standard fingering (e.g. ABRSM scale books) */
    kind[n] = KIND_SCALE, scale(&list[n++], "C major RH", HAND_RIGHT, 60, "123123412312345");
    kind[n] = KIND_SCALE, scale(&list[n++], "G major RH", HAND_RIGHT, 55, "123123412312345");
    kind[n] = KIND_SCALE, scale(&list[n++], "D major RH", HAND_RIGHT, 62, "123123412312345");
    kind[n] = KIND_SCALE, scale(&list[n++], "F major RH", HAND_RIGHT, 65, "123412312341234");
    kind[n] = KIND_SCALE, scale(&list[n++], "C major LH", HAND_LEFT, 48, "543213214321321");
    kind[n] = KIND_SCALE, scale(&list[n++], "G major LH", HAND_LEFT, 43, "543213214321321");
    kind[n] = KIND_SCALE, scale(&list[n++], "D major LH", HAND_LEFT, 50, "543213214321321");
    kind[n] = KIND_SCALE, scale(&list[n++], "F major LH", HAND_LEFT, 41, "543213214321321");
    /* five-finger positions */
    kind[n] = KIND_FIVE, written(&list[n++], "five-finger C RH", HAND_RIGHT, "C4 D4 E4 F4 G4 F4 E4 D4 C4",
                                 "1 2 3 4 5 4 3 2 1");
    kind[n] = KIND_FIVE, written(&list[n++], "five-finger G RH", HAND_RIGHT, "G4 A4 B4 C5 D5 C5 B4 A4 G4",
                                 "1 2 3 4 5 4 3 2 1");
    kind[n] = KIND_FIVE, written(&list[n++], "five-finger D RH", HAND_RIGHT, "D4 E4 F#4 G4 A4 G4 F#4 E4 D4",
                                 "1 2 3 4 5 4 3 2 1");
    kind[n] = KIND_FIVE, written(&list[n++], "five-finger thirds C RH", HAND_RIGHT,
                                 "C4 E4 D4 F4 E4 G4 F4 D4 C4", "1 3 2 4 3 5 4 2 1");
    kind[n] = KIND_FIVE, written(&list[n++], "five-finger C LH", HAND_LEFT, "C3 D3 E3 F3 G3 F3 E3 D3 C3",
                                 "5 4 3 2 1 2 3 4 5");
    kind[n] = KIND_FIVE, written(&list[n++], "five-finger D LH", HAND_LEFT, "D3 E3 F#3 G3 A3 G3 F#3 E3 D3",
                                 "5 4 3 2 1 2 3 4 5");
    kind[n] = KIND_FIVE, written(&list[n++], "five-finger thirds C LH", HAND_LEFT,
                                 "C3 E3 D3 F3 E3 G3 F3 D3 C3", "5 3 4 2 3 1 2 4 5");
    /* Hanon, The Virtuoso Pianist, No. 1 */
    kind[n] = KIND_HANON, hanon_one(&list[n++], "Hanon No.1 RH", HAND_RIGHT, 60);
    kind[n] = KIND_HANON, hanon_one(&list[n++], "Hanon No.1 LH", HAND_LEFT, 48);
    /* broken chords in root position, up and down */
    kind[n] = KIND_BROKEN, written(&list[n++], "broken C RH", HAND_RIGHT, "C4 E4 G4 C5 G4 E4 C4", "1 2 3 5 3 2 1");
    kind[n] = KIND_BROKEN, written(&list[n++], "broken G RH", HAND_RIGHT, "G4 B4 D5 G5 D5 B4 G4", "1 2 3 5 3 2 1");
    kind[n] = KIND_BROKEN, written(&list[n++], "broken F RH", HAND_RIGHT, "F4 A4 C5 F5 C5 A4 F4", "1 2 3 5 3 2 1");
    kind[n] = KIND_BROKEN, written(&list[n++], "broken D RH", HAND_RIGHT, "D4 F#4 A4 D5 A4 F#4 D4",
                                   "1 2 3 5 3 2 1");
    kind[n] = KIND_BROKEN, written(&list[n++], "broken C LH", HAND_LEFT, "C3 E3 G3 C4 G3 E3 C3", "5 4 2 1 2 4 5");
    kind[n] = KIND_BROKEN, written(&list[n++], "broken G LH", HAND_LEFT, "G2 B2 D3 G3 D3 B2 G2", "5 4 2 1 2 4 5");
    return n;
}

START_TEST(test_auto_textbook_fingerings)
{
    static Exercise list[32];
    int kind[32];
    int n = build_exercises(list, kind);
    int kind_matches[KIND_COUNT] = { 0 }, kind_total[KIND_COUNT] = { 0 }, provisional = 0;
    printf("fingering auto mode against textbook fingerings (got: estimated fingers, ^ = differs):\n");
    for (int i = 0; i < n; i++) {
        int matches = 0;
        int total = run_exercise(&list[i], &matches, &provisional);
        kind_matches[kind[i]] += matches;
        kind_total[kind[i]] += total;
    }
    static const char *KIND_NAME[KIND_COUNT] = { "scales", "five-finger", "Hanon", "broken chords" };
    int all_matches = 0, all_total = 0;
    double rate[KIND_COUNT];
    for (int k = 0; k < KIND_COUNT; k++) {
        rate[k] = 100.0 * kind_matches[k] / kind_total[k];
        printf("  %-14s %4d/%4d = %5.1f %%\n", KIND_NAME[k], kind_matches[k], kind_total[k], rate[k]);
        all_matches += kind_matches[k];
        all_total += kind_total[k];
    }
    double overall = 100.0 * all_matches / all_total;
    printf("  %-14s %4d/%4d = %5.1f %%\n", "overall", all_matches, all_total, overall);
    printf("  %-14s %4d/%4d = %5.1f %% (the finger given at once, before the lag)\n", "provisional", provisional,
           all_total, 100.0 * provisional / all_total);
    /* Floors, a few points under what the estimator reaches (100 % in every kind with the
     * default lag of 1 s: the scale-book conventions of fingering_conventions.c decide the
     * scales and broken chords, the hand-position groups decide Hanon and the five-finger
     * positions), so that a change that loses ground fails here. The textbook corpus
     * (make check-score) measures the same per kind on many more pieces. */
    EXPECT(rate[KIND_FIVE] >= 95.0, "five-finger %.1f %% < 95 %%", rate[KIND_FIVE]);
    EXPECT(rate[KIND_HANON] >= 95.0, "Hanon %.1f %% < 95 %%", rate[KIND_HANON]);
    EXPECT(rate[KIND_BROKEN] >= 95.0, "broken chords %.1f %% < 95 %%", rate[KIND_BROKEN]);
    EXPECT(rate[KIND_SCALE] >= 95.0, "scales %.1f %% < 95 %%", rate[KIND_SCALE]);
    EXPECT(overall >= 95.0, "overall %.1f %% < 95 %%", overall);
}
END_TEST

/* Both hands together: C major two octaves, an octave apart in parallel motion, then in
 * contrary motion (the left hand from C3 down to C1 and back). The moving split point
 * must keep every note on its own hand. */
START_TEST(test_auto_both_hands_split)
{
    static Exercise right, left, left_low;
    scale(&right, "C major RH", HAND_RIGHT, 60, "123123412312345");
    scale(&left, "C major LH", HAND_LEFT, 48, "543213214321321");
    scale(&left_low, "C major LH low", HAND_LEFT, 24, "543213214321321");
    for (int contrary = 0; contrary < 2; contrary++) {
        FingeringConfig config;
        fingering_config_default(&config, FINGERING_AUTO);
        Fingering *f = make(&config);
        int left_note[64], left_finger[64];
        for (int i = 0; i < right.count; i++) {
            int j = i <= 14 ? i + 14 : i - 14; /* left_low from its top C3, down and up again */
            left_note[i] = contrary ? left_low.note[j] : left.note[i];
            left_finger[i] = contrary ? left_low.finger[j] : left.finger[i];
        }
        FingerAssignment a;
        for (int i = 0; i < right.count; i++) {
            double t = 0.25 * i;
            fingering_note_on(f, (uint32_t)(2 * i), t, 0, (uint8_t)left_note[i], 80, &a);
            fingering_note_on(f, (uint32_t)(2 * i + 1), t + 0.004, 0, (uint8_t)right.note[i], 80, &a);
        }
        fingering_flush(f);
        int hand_ok = 0, finger_ok = 0, total = 0;
        while (fingering_take_final(f, &a)) {
            int i = (int)a.id / 2;
            int hand = a.id % 2 ? HAND_RIGHT : HAND_LEFT;
            int finger = hand == HAND_RIGHT ? right.finger[i] : left_finger[i];
            hand_ok += a.hand == hand;
            finger_ok += a.hand == hand && a.finger + 1 == finger;
            total++;
        }
        fingering_free(f);
        printf("  both hands, %s motion: hands %d/%d, fingers %d/%d = %.1f %%\n", contrary ? "contrary" : "parallel",
               hand_ok, total, finger_ok, total, 100.0 * finger_ok / total);
        ck_assert_int_eq(total, 2 * right.count);
        ck_assert_int_eq(hand_ok, total);
    }
}
END_TEST

/* ---- the conventions: decided from the notes heard ------------------------------------ */

/* The conventional fingers (1..5, 0 for none) of a passage of spelled notes, each struck
 * alone or together with the other hand. */
static void conventions_with(int hand, const char *passage, bool with_other_hand, int *fingers, int *count)
{
    ConventionNotes notes = { 0 };
    char copy[256];
    snprintf(copy, sizeof copy, "%s", passage);
    for (char *word = strtok(copy, " "); word; word = strtok(NULL, " ")) {
        notes.with_other_hand[notes.count] = with_other_hand;
        notes.passage_index[notes.count] = notes.count;
        notes.figure_origin[notes.count] = -1;
        notes.decided_finger[notes.count] = -1;
        notes.pitch[notes.count++] = (uint8_t)pitch(word);
    }
    notes.starts_passage[0] = true;
    notes.ends_passage[notes.count - 1] = true;
    int8_t finger[FINGERING_CONVENTION_MAX_NOTES];
    uint8_t kind[FINGERING_CONVENTION_MAX_NOTES];
    int figure_origin[FINGERING_CONVENTION_MAX_NOTES];
    fingering_conventions(hand, &notes, finger, kind, figure_origin);
    *count = notes.count;
    for (int i = 0; i < notes.count; i++)
        fingers[i] = finger[i] + 1;
}

static void expect_conventions_with(int hand, const char *passage, bool with_other_hand, const char *expected)
{
    int fingers[FINGERING_CONVENTION_MAX_NOTES], count;
    conventions_with(hand, passage, with_other_hand, fingers, &count);
    char got[FINGERING_CONVENTION_MAX_NOTES + 1];
    for (int i = 0; i < count; i++)
        got[i] = (char)('0' + fingers[i]);
    got[count] = '\0';
    EXPECT(strcmp(got, expected) == 0, "%s: got %s, expected %s", passage, got, expected);
}

static void expect_conventions(int hand, const char *passage, const char *expected)
{
    expect_conventions_with(hand, passage, false, expected);
}

/* A scale that starts off the tonic in the direction the little finger leads (the left
 * hand rising from E in C major) is passage work when the hand plays alone (Czerny's
 * groups, 5 4 3 2 1 4 3 2 1), but the books' scale when both hands play together (a sixth apart: the
 * left hand from the third, each degree with its finger, E 3 F 2 G 1 A 3). */
START_TEST(test_conventions_hands_together_off_the_tonic)
{
    expect_conventions_with(HAND_LEFT, "E3 F3 G3 A3 B3 C4 D4 E4 F4", false, "543214321");
    expect_conventions_with(HAND_LEFT, "E3 F3 G3 A3 B3 C4 D4 E4 F4", true, "321321432");
}
END_TEST

START_TEST(test_conventions_follow_the_notes)
{
    /* the same contour in two keys: the key heard decides where the thumb goes, alone or
     * with the other hand (the books' fingering by degree from wherever it starts) */
    expect_conventions_with(HAND_RIGHT, "D4 E4 F#4 G4 A4 B4 C5 D5 E5", true, "234123123");
    expect_conventions_with(HAND_RIGHT, "D4 E4 F4 G4 A4 B4 C5 D5 E5", true, "231234123");
    expect_conventions(HAND_RIGHT, "D4 E4 F#4 G4 A4 B4 C5 D5 E5", "234123123");
    expect_conventions(HAND_RIGHT, "D4 E4 F4 G4 A4 B4 C5 D5 E5", "231234123");
    /* the top of a scale takes the book's finger (5 on C), the left hand's bottom its 5; a
     * run that ends off the tonic after the thumb ends 1 2, as passage work (A2 2, not the
     * book's 3, which crosses over to go on) */
    expect_conventions(HAND_RIGHT, "E4 F4 G4 A4 B4 C5 B4 A4 G4", "312345432");
    expect_conventions(HAND_LEFT, "E2 D2 C2 D2 E2 F2 G2 A2", "34543212");
    /* harmonic minor (an augmented second) and a black-key major */
    expect_conventions(HAND_RIGHT, "A3 B3 C4 D4 E4 F4 G#4 A4 G#4", "123123454");
    expect_conventions(HAND_LEFT, "Eb3 F3 G3 Ab3 Bb3 C4 D4 Eb4", "32143213");
    /* melodic minor: raised 6 and 7 rising, natural falling; the harmonic minor's fingers
     * (A) except where a thumb would fall on a black key (C# right rises as Db major and
     * turns on 3, G# left falls with the thumb on E and B) */
    expect_conventions(HAND_RIGHT, "A3 B3 C4 D4 E4 F#4 G#4 A4 G4 F4 E4 D4 C4 B3 A3", "123123454321321");
    expect_conventions(HAND_RIGHT, "C#4 D#4 E4 F#4 G#4 A#4 C5 C#5 B4 A4 G#4 F#4 E4 D#4 C#4", "231234132132143");
    expect_conventions(HAND_LEFT, "G#2 A#2 B2 C#3 D#3 F3 G3 G#3 F#3 E3 D#3 C#3 B2 A#2 G#2", "321432134123123");
    /* arpeggios: the position comes from the lowest note */
    expect_conventions(HAND_RIGHT, "C4 E4 G4 C5 E5 G5 C6", "1231235");
    expect_conventions(HAND_RIGHT, "E4 G4 C5 E5 G5 C6 E6", "1241245");
    expect_conventions(HAND_LEFT, "G2 C3 E3 G3 C4 E4 G4", "5321321");
    expect_conventions(HAND_RIGHT, "Db4 F4 Ab4 Db5 F5 Ab5 Db6", "2124124");
    expect_conventions(HAND_RIGHT, "G3 B3 D4 F4 G4", "12345");
    /* chromatic: 3 on black keys */
    expect_conventions(HAND_RIGHT, "C4 C#4 D4 D#4 E4 F4 F#4", "1313123");
    /* broken triads inside a hand position: outer fingers, 3 or 2 in the middle */
    expect_conventions(HAND_LEFT, "C3 G3 E3 G3 C3 G3 E3 G3", "51315131");
    expect_conventions(HAND_RIGHT, "E4 G4 C5 G4 E4 G4 C5 G4", "12521252");
    /* leaps wider than a hand position, in no run: no convention */
    expect_conventions(HAND_RIGHT, "C4 E5 D4 F5", "0000");
    /* passage work: a run that starts off the tonic, the little finger leading, is played in
     * groups from its first note with the thumb on white keys (Czerny's 5 4 3 2 1 | 3 2 1 |
     * 4 3 2 1 | 2 in F major, where the book would begin C 1); from 4 on a black key, and the
     * same rule in another key and in the left hand rising */
    expect_conventions(HAND_RIGHT, "C6 Bb5 A5 G5 F5 E5 D5 C5 Bb4 A4 G4 F4 E4", "5432132143212");
    expect_conventions(HAND_RIGHT, "Bb5 A5 G5 F5 E5 D5 C5 Bb4 A4 G4 F4", "43213214321");
    expect_conventions(HAND_RIGHT, "E6 D6 C#6 B5 A5 G#5 F#5 E5 D5", "543214321");
    expect_conventions(HAND_LEFT, "G2 A2 B2 C3 D3 E3 F3 G3", "54321321");
    expect_conventions(HAND_LEFT, "F2 G2 A2 B2 C#3 D3 E3 F3", "43214321");
    /* on the tonic the book's fingering stands (C major right hand from the top C) */
    expect_conventions(HAND_RIGHT, "C6 B5 A5 G5 F5 E5 D5 C5", "54321321");
}
END_TEST

/* A melodic sequence (a figure repeated a step higher) takes one fingering for the figure
 * as a whole with its shift: Hanon's No. 15 figure, here in G major (the corpus has it in
 * C), moves the hand inside the figure as the edition prints it, both hands. */
START_TEST(test_conventions_sequences)
{
    expect_conventions(HAND_RIGHT, "G4 B4 A4 C5 B4 D5 C5 E5 A4 C5 B4 D5 C5 E5 D5 F#5 B4 D5 C5 E5 D5 F#5 E5 G5",
                       "121324351213243512132435");
    expect_conventions(HAND_LEFT, "G2 B2 A2 C3 B2 D3 C3 E3 A2 C3 B2 D3 C3 E3 D3 F#3 B2 D3 C3 E3 D3 F#3 E3 G3",
                       "534231215342312153423121");
    /* a figure that lies on five keys read from the passage's first note keeps one finger per
     * key of that reading, though reading it from its seventh note (d e d e g f a g: one
     * finger per key there too) would move the hand less (Hanon No. 18 in G major) */
    expect_conventions(HAND_RIGHT, "G4 A4 C5 B4 D5 C5 A4 B4 A4 B4 D5 C5 E5 D5 B4 C5 B4 C5 E5 D5 F#5 E5 C5 D5",
                       "124354231243542312435423");
    /* a figure on five keys read from its seventh note is clearly cheaper than read from the
     * beat: the hand moves after the thumb, as the edition prints it (Hanon No. 13 falling,
     * left hand) */
    expect_conventions(HAND_LEFT, "E3 G3 D3 F3 E3 C3 D3 E3 D3 F3 C3 E3 D3 B2 C3 D3 C3 E3 B2 D3 C3 A2 B2 C3 B2 D3 A2 C3 B2 G2 A2 B2",
                       "31423532314235323142353231423532");
    /* the same figure in the right hand: the hand moves after the thumb (3 5 2 4 3 1 | 3 4) */
    expect_conventions(HAND_RIGHT, "E4 G4 D4 F4 E4 C4 D4 E4 D4 F4 C4 E4 D4 B3 C4 D4 C4 E4 B3 D4 C4 A3 B3 C4 B3 D4 A3 C4 B3 G3 A3 B3",
                       "35243134352431343524313435243134");
    /* a figure on five keys keeps one finger per key (Hanon No. 1 in D major) */
    expect_conventions(HAND_RIGHT, "D4 F#4 G4 A4 B4 A4 G4 F#4 E4 G4 A4 B4 C#5 B4 A4 G4 F#4 A4 B4 C#5 D5 C#5 B4 A4",
                       "123454321234543212345432");
}
END_TEST

/* Double thirds as Czerny's No. 3 plays them, here in F major (transposed by `shift`
 * semitones): four groups of three thirds on F-A, G-B flat, F-A and then the group a step
 * lower (E-G, F-A, E-G), right hand. With a rest of a semiquaver after each group, the
 * edition shifts the hand at the rest and plays every group from 1-3 (1-3 2-4 1-3); the
 * fingers of the fourth group are written to got[] (1..5, the lower note's then the
 * upper's). Legato (no rest) the hand is free to stay. */
static void play_thirds(bool rests, int shift, int *got)
{
    static const char *const GROUPS[5][3][2] = {
        { { "F5", "A5" }, { "G5", "Bb5" }, { "F5", "A5" } }, { { "F5", "A5" }, { "G5", "Bb5" }, { "F5", "A5" } },
        { { "F5", "A5" }, { "G5", "Bb5" }, { "F5", "A5" } }, { { "F5", "A5" }, { "G5", "Bb5" }, { "F5", "A5" } },
        { { "E5", "G5" }, { "F5", "A5" }, { "E5", "G5" } },
    };
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = HANDS_RIGHT;
    Fingering *f = make(&config);
    FingerAssignment a;
    double t = 0.0, step = 0.125;
    uint32_t id = 0;
    for (int g = 0; g < 5; g++) {
        for (int k = 0; k < 3; k++) {
            for (int n = 0; n < 2; n++)
                fingering_note_on(f, id++, t, 0, (uint8_t)(pitch(GROUPS[g][k][n]) + shift), 80, &a);
            double up = k == 2 && rests ? t + step : t + step - 0.001;
            for (int n = 0; n < 2; n++)
                fingering_note_off(f, up, 0, (uint8_t)(pitch(GROUPS[g][k][n]) + shift));
            t += step;
        }
        if (rests)
            t += step;
    }
    fingering_flush(f);
    while (fingering_take_final(f, &a))
        if (a.id >= 18 && a.id < 24)
            got[a.id - 18] = a.finger + 1;
    fingering_free(f);
}

START_TEST(test_auto_hand_shifts_at_a_rest)
{
    int got[6] = { 0 }, legato[6] = { 0 };
    play_thirds(true, 0, got);
    play_thirds(false, 0, legato);
    printf("  double thirds, fourth group: with rests %d%d %d%d %d%d, legato %d%d %d%d %d%d\n", got[0], got[1],
           got[2], got[3], got[4], got[5], legato[0], legato[1], legato[2], legato[3], legato[4], legato[5]);
    fflush(stdout);
    static const int EDITION[6] = { 1, 3, 2, 4, 1, 3 };
    for (int i = 0; i < 6; i++)
        EXPECT(got[i] == EDITION[i], "with rests, fourth group note %d: finger %d, the edition %d", i, got[i],
               EDITION[i]);
}
END_TEST

/* The same double thirds in C major (C-E D-F C-E, then B-D C-E B-D, as No. 3 prints them):
 * Parncutt's weak-finger rule counts each note of a double note played with 4 or 5, so the
 * group before the step down stays on 1-3 2-4 1-3 rather than 2-4 3-5 2-4 (which only
 * made the next group's position change smaller). */
START_TEST(test_auto_double_thirds_weak_fingers)
{
    int got[6] = { 0 };
    play_thirds(true, -5, got);
    static const int EDITION[6] = { 1, 3, 2, 4, 1, 3 };
    for (int i = 0; i < 6; i++)
        EXPECT(got[i] == EDITION[i], "C major, fourth group note %d: finger %d, the edition %d", i, got[i],
               EDITION[i]);
}
END_TEST

/* Round 8: Parncutt's four-on-black rule (3 on a white key next to 4 on a black one) is
 * left out; the long fingers lie on the black keys (Chopin's hand position E F# G# A# B; the
 * books' D major, 3 on B and 4 on C#). 3 on B then 4 on C# costs what 3 on A then 4 on B
 * costs, and so does the way back (the API counts 0 .. 4; without the change the unseen
 * Czerny etudes scored 580 of 830, with it 583). */
START_TEST(test_costs_fourth_finger_on_black)
{
    const int A4 = 69, B4 = 71, CS5 = 73;
    double onto_black = fingering_step_cost(2, B4, false, 3, CS5, true, true);
    double onto_white = fingering_step_cost(2, A4, false, 3, B4, false, true);
    EXPECT(onto_black == onto_white, "3 on B to 4 on C#: %g, 3 on A to 4 on B: %g", onto_black, onto_white);
    double from_black = fingering_step_cost(3, CS5, true, 2, B4, false, true);
    double from_white = fingering_step_cost(3, B4, false, 2, A4, false, true);
    EXPECT(from_black == from_white, "4 on C# to 3 on B: %g, 4 on B to 3 on A: %g", from_black, from_white);
}
END_TEST

/* Parncutt's three-four-five rule is left out: 3 4 5 on C D E costs what 2 3 4 does, as
 * Hanon's five-finger figures play them (No. 1: 1 2 3 4 5 4 3 2). */
START_TEST(test_costs_three_four_five)
{
    const int C4 = 60, D4 = 62, E4 = 64;
    double weak = fingering_triple_cost(2, C4, 3, D4, 4, E4);
    double strong = fingering_triple_cost(1, C4, 2, D4, 3, E4);
    EXPECT(weak == strong, "3 4 5 on C D E: %g, 2 3 4: %g", weak, strong);
}
END_TEST

/* The fingers (1..5) the estimator gives a right hand playing a figure of eight scale
 * degrees (shape[], 0 = the tonic) rising by step in `groups` groups from `tonic` in its
 * major key, eight notes a second, after an upbeat note when upbeat > 0; written to got[]
 * for the figure's notes (the upbeat left out). */
static void play_shape_rising(const int shape[8], int tonic, int upbeat, int groups, int *got)
{
    static const int MAJOR[7] = { 0, 2, 4, 5, 7, 9, 11 };
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = HANDS_RIGHT;
    Fingering *f = make(&config);
    FingerAssignment a;
    int count = 0, previous = -1, first = upbeat > 0 ? 1 : 0;
    if (upbeat > 0)
        fingering_note_on(f, (uint32_t)count++, 0.0, 0, (uint8_t)(previous = upbeat), 80, &a);
    for (int group = 0; group < groups; group++)
        for (int k = 0; k < 8; k++) {
            int degree = group + shape[k];
            int note = tonic + 12 * (degree / 7) + MAJOR[degree % 7];
            double t = 0.125 * count;
            if (previous >= 0)
                fingering_note_off(f, t - 0.01, 0, (uint8_t)previous);
            fingering_note_on(f, (uint32_t)count++, t, 0, (uint8_t)(previous = note), 80, &a);
        }
    fingering_note_off(f, 0.125 * count, 0, (uint8_t)previous);
    fingering_flush(f);
    while (fingering_take_final(f, &a))
        if ((int)a.id >= first)
            got[a.id - (uint32_t)first] = a.finger + 1;
    fingering_free(f);
}

/* Hanon No. 18's figure, c d f e g f d e, in C major. */
static const int HANON_18_SHAPE[8] = { 0, 1, 3, 2, 4, 3, 1, 2 };

/* An upbeat does not change how a melodic sequence is read: the figure still begins on its
 * first note, also once that note has long left the estimator's window (the first figure,
 * joined to the upbeat, may differ). */
START_TEST(test_auto_sequence_after_an_upbeat)
{
    enum { GROUPS = 10, NOTES = GROUPS * 8, FIRST = 8 };
    int plain[NOTES], after_upbeat[NOTES];
    play_shape_rising(HANON_18_SHAPE, 60, 0, GROUPS, plain);
    play_shape_rising(HANON_18_SHAPE, 60, 55, GROUPS, after_upbeat); /* G3, a fourth below the first C */
    int same = 0;
    for (int i = FIRST; i < NOTES; i++)
        same += plain[i] == after_upbeat[i];
    EXPECT(same == NOTES - FIRST, "after an upbeat %d of %d notes keep their finger", same, NOTES - FIRST);
}
END_TEST

/* A sequence's first figure is decided about a second after its notes, before the second
 * figure is whole: a sequence still going on at the newest note is read once more than half
 * its second figure has been heard, so the first figure takes the fingering of the figures
 * after it (simile), 1 2 3 1 2 3 5 4, not the single hand position's 1 2 3 2 3 4 5 4; in C
 * and in G major. */
START_TEST(test_auto_sequence_read_while_it_goes_on)
{
    static const int TONICS[2] = { 60, 67 };
    static const int SIMILE[8] = { 1, 2, 3, 1, 2, 3, 5, 4 };
    static const int SHAPE[8] = { 0, 1, 2, 1, 2, 3, 5, 4 }; /* C D E D E F A G in C major */
    for (int key = 0; key < 2; key++) {
        int got[32] = { 0 };
        play_shape_rising(SHAPE, TONICS[key], 0, 4, got);
        for (int k = 0; k < 8; k++) {
            EXPECT(got[16 + k] == SIMILE[k], "tonic %d, third figure note %d: finger %d, expected %d", TONICS[key],
                   k, got[16 + k], SIMILE[k]);
            EXPECT(got[k] == SIMILE[k], "tonic %d, first figure note %d: finger %d, the figures after it %d",
                   TONICS[key], k, got[k], SIMILE[k]);
        }
    }
}
END_TEST

/* A hand that stops playing: its last notes are decided once the other hand's notes show
 * that they have waited LAG_LONGEST_S (4 s; fewer than six groups followed them), or that
 * the hand paused (every key up for 1 s: its passage is over), without a flush; none is
 * lost or given twice. */
START_TEST(test_auto_lag_in_time_across_hands)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.lag_ms = 1000.0;
    Fingering *f = make(&config);
    FingerAssignment a;
    for (int i = 0; i < 4; i++)
        fingering_note_on(f, (uint32_t)i, 0.1 * i, 0, (uint8_t)(72 + 2 * i), 80, &a);
    int taken = 0;
    while (fingering_take_final(f, &a))
        taken++;
    ck_assert_int_eq(taken, 0); /* 0.3 s of music: nothing decided yet */
    fingering_note_on(f, 9, 1.2, 0, 40, 80, &a); /* the left hand, far below, 1.2 s on */
    ck_assert_int_eq(fingering_take_final(f, &a), 0); /* the right hand's keys are still down */
    fingering_note_on(f, 10, 4.15, 0, 41, 80, &a); /* and 4.15 s on */
    ck_assert_int_eq(a.hand, HAND_LEFT);
    int seen[4] = { 0 };
    while (fingering_take_final(f, &a)) {
        ck_assert_int_lt(a.id, 4);
        ck_assert_int_eq(a.hand, HAND_RIGHT);
        seen[a.id]++;
    }
    /* notes 0 and 1 (4.15 and 4.05 s old) are due, 2 and 3 (3.95 and 3.85 s) not yet */
    ck_assert_int_eq(seen[0], 1);
    ck_assert_int_eq(seen[1], 1);
    ck_assert_int_eq(seen[2] + seen[3], 0);
    fingering_flush(f);
    taken = 0;
    while (fingering_take_final(f, &a))
        taken++;
    ck_assert_int_eq(taken, 4);
    fingering_free(f);

    /* the same right hand, its keys released: its passage is over 1 s later */
    f = make(&config);
    for (uint32_t i = 0; i < 4; i++) {
        fingering_note_on(f, i, 0.1 * i, 0, (uint8_t)(72 + 2 * i), 80, &a);
        fingering_note_off(f, 0.1 * i + 0.09, 0, (uint8_t)(72 + 2 * i));
    }
    fingering_note_on(f, 10, 1.2, 0, 40, 80, &a); /* the right hand's keys up for 0.89 s */
    ck_assert_int_eq(fingering_take_final(f, &a), 0);
    fingering_note_on(f, 11, 1.5, 0, 41, 80, &a); /* ... and for 1.19 s */
    taken = 0;
    while (fingering_take_final(f, &a)) {
        ck_assert_int_eq(a.hand, HAND_RIGHT);
        taken++;
    }
    ck_assert_int_eq(taken, 4);
    fingering_free(f);
}
END_TEST

/* The hand split: a left hand alone keeps its run up into the treble; a right hand entering
 * far above takes its own notes; both hands leaping together an octave apart stay apart. */
START_TEST(test_auto_split_resting_and_parallel)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    FingerAssignment a;
    const int run[] = { 48, 50, 52, 53, 55, 57, 59, 60, 62, 64, 65, 67, 69, 71, 72 };
    uint32_t id = 0;
    for (size_t i = 0; i < sizeof run / sizeof run[0]; i++) {
        fingering_note_on(f, id++, 0.15 * (double)i, 0, (uint8_t)run[i], 80, &a);
        fingering_note_off(f, 0.15 * (double)i + 0.1, 0, (uint8_t)run[i]);
    }
    fingering_note_on(f, id++, 2.3, 0, 88, 80, &a); /* E6: far above the left hand */
    fingering_flush(f);
    int count = 0;
    while (fingering_take_final(f, &a)) {
        EXPECT(a.hand == (a.id < 15 ? HAND_LEFT : HAND_RIGHT), "note %u (%d) on hand %d", a.id, a.note, a.hand);
        count++;
    }
    ck_assert_int_eq(count, 16);
    fingering_free(f);

    /* Hanon no. 5's leaps: C-A-G-A in both hands an octave apart, the lower note first */
    f = make(&config);
    const int figure[] = { 0, 9, 7, 9, 5, 7, 4, 5 };
    id = 0;
    for (int group = 0; group < 3; group++)
        for (int k = 0; k < 8; k++) {
            double t = 0.125 * (group * 8 + k);
            fingering_note_on(f, id++, t, 0, (uint8_t)(48 + group * 2 + figure[k]), 80, &a);
            fingering_note_on(f, id++, t, 0, (uint8_t)(60 + group * 2 + figure[k]), 80, &a);
        }
    fingering_flush(f);
    count = 0;
    while (fingering_take_final(f, &a)) {
        EXPECT(a.hand == (a.id % 2 ? HAND_RIGHT : HAND_LEFT), "note %u (%d) on hand %d", a.id, a.note, a.hand);
        count++;
    }
    ck_assert_int_eq(count, 48);
    fingering_free(f);
}
END_TEST

/* A left hand's double notes a fifth wide under a right hand's semiquavers (Czerny op. 821
 * No. 12 bars 1-2, B-flat major: the left hand F3-C4 5 2 and B-flat3-D4 3 1, each struck
 * with a right-hand note, the left hand's notes coming first): F3-C4 is the left hand's
 * chord, not two hands leaping together; sending C4 to the right hand would make it leap
 * more than an octave down from F5 while the left hand stays where it was. */
START_TEST(test_auto_split_wide_double_note_stays)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    FingerAssignment a;
    const int right[8] = { 70, 74, 72, 75, 74, 77, 75, 72 }; /* Bb4 D5 C5 Eb5 D5 F5 Eb5 C5 */
    const int left[2][2] = { { 53, 60 }, { 58, 62 } };      /* F3-C4, Bb3-D4 */
    uint32_t id = 0, is_left[64] = { 0 };
    for (int bar = 0; bar < 3; bar++)
        for (int k = 0; k < 8; k++) {
            double t = bar * 1.0 + k * 0.125;
            if (k >= 6) { /* the left hand's double note, struck with the right hand's note */
                for (int n = 0; n < 2; n++) {
                    is_left[id] = 1;
                    fingering_note_on(f, id++, t, 0, (uint8_t)left[k - 6][n], 80, &a);
                }
            }
            fingering_note_on(f, id++, t, 0, (uint8_t)right[k], 80, &a);
            fingering_note_off(f, t + 0.12, 0, (uint8_t)right[k]);
            if (k >= 6)
                for (int n = 0; n < 2; n++)
                    fingering_note_off(f, t + 0.12, 0, (uint8_t)left[k - 6][n]);
        }
    fingering_flush(f);
    uint32_t count = 0;
    while (fingering_take_final(f, &a)) {
        EXPECT(a.hand == (is_left[a.id] ? HAND_LEFT : HAND_RIGHT), "note %u (%d) on hand %d", a.id, a.note, a.hand);
        count++;
    }
    ck_assert_uint_eq(count, id);
    fingering_free(f);
}
END_TEST

/* Plays single notes one after another from start_s, step_s apart, each held length_s, with
 * ids from first_id on; returns the next free id. */
static uint32_t play_line(Fingering *f, const int *notes, int count, double start_s, double step_s, double length_s,
                          uint32_t first_id)
{
    FingerAssignment a;
    for (int i = 0; i < count; i++) {
        double t = start_s + step_s * i;
        fingering_note_on(f, first_id + (uint32_t)i, t, 0, (uint8_t)notes[i], 80, &a);
        fingering_note_off(f, t + length_s, 0, (uint8_t)notes[i]);
    }
    return first_id + (uint32_t)count;
}

#define LINE_MAX_NOTES 64

/* Flushes the estimator and takes every final assignment into out (at most LINE_MAX_NOTES);
 * returns how many there were. */
static uint32_t flush_and_take(Fingering *f, FingerAssignment *out)
{
    fingering_flush(f);
    uint32_t n = 0;
    FingerAssignment a;
    while (fingering_take_final(f, &a)) {
        if (n < LINE_MAX_NOTES)
            out[n] = a;
        n++;
    }
    return n;
}

/* Flushes f and checks that it gave all count notes, every one to the right hand. */
static void expect_every_note_right_handed(Fingering *f, uint32_t count)
{
    FingerAssignment got[LINE_MAX_NOTES];
    uint32_t taken = flush_and_take(f, got);
    ck_assert_uint_eq(taken, count);
    for (uint32_t i = 0; i < taken; i++)
        EXPECT(got[i].hand == HAND_RIGHT, "note %u (%d) on hand %d", got[i].id, got[i].note, got[i].hand);
}

/* A right hand alone leaping back a seventh to where it has just played keeps the note
 * (Czerny op. 821 No. 15 bar 6: a figure on A5-D6, then D5 E5 F5 F#5 G5 with the thumb on
 * D5); the left hand, silent, takes nothing. */
START_TEST(test_auto_split_leap_back_stays)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    const int notes[] = { 71, 72, 73, 74, 76, 74, 73, 74, 81, 82, 83, 84, 86, 84, 83, 84, 74, 76, 77, 78, 79 };
    uint32_t count = play_line(f, notes, (int)(sizeof notes / sizeof notes[0]), 0.0, 0.0625, 0.06, 0);
    expect_every_note_right_handed(f, count);
    fingering_free(f);
}
END_TEST

/* A scale in sixths, both hands together (the books' scales a sixth apart: the left hand
 * from E3, the right from C4, both struck together), starting with both hands rested: the
 * first pair lies on one side of middle C and is taken as one hand's double note at first,
 * but the second pair (a step in parallel, which one hand cannot play legato) shows two
 * hands, and the first pair, still waiting, is split with it: each hand takes its own
 * notes, the lower the left, from the first pair on. */
START_TEST(test_auto_split_scale_in_sixths)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    const int c_major[] = { 0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23, 24, 26, 28 };
    uint32_t id = 0;
    for (int i = 0; i < 15; i++) {
        const int pair[2] = { 52 + c_major[i + 2] - 4, 60 + c_major[i] };
        id = play_line(f, pair, 2, 0.15 * i, 0.0, 0.14, id);
    }
    FingerAssignment got[LINE_MAX_NOTES];
    uint32_t taken = flush_and_take(f, got);
    ck_assert_uint_eq(taken, id);
    for (uint32_t i = 0; i < taken; i++)
        EXPECT(got[i].hand == (got[i].id % 2 ? HAND_RIGHT : HAND_LEFT), "note %u (%d) on hand %d", got[i].id,
               got[i].note, got[i].hand);
    fingering_free(f);
}
END_TEST

/* Plays pairs of notes struck together (the higher first when high_first), step_s apart
 * from 0, each held 93 % of that, ids from 0 on; returns the next free id. */
static uint32_t play_pairs(Fingering *f, const int (*pairs)[2], int count, bool high_first, double step_s)
{
    uint32_t id = 0;
    for (int i = 0; i < count; i++) {
        const int pair[2] = { pairs[i][high_first], pairs[i][!high_first] };
        id = play_line(f, pair, 2, step_s * i, 0.0, 0.93 * step_s, id);
    }
    return id;
}

/* The books' scale a third apart (ABRSM: similar motion, each hand its own fingering), here
 * A harmonic minor with the left hand from A2 and the right from C3, both below middle C,
 * two octaves up and down, the higher note of each pair struck first: one hand could play
 * the first pairs as double thirds, but a scale of them (six pairs by step one way) is two
 * hands. Every note goes to its hand, the lower to the left, and the right hand's rising
 * notes take the book's fingers by degree (1 2 3 1 2 3 4 from A, so C 3, D 1 ...). Played
 * six times slower (0.9 s a pair) the first pairs are decided before the sixth comes: they
 * stay one hand's, every pair from the sixth on is split. A double-third figure inside a
 * five-finger position (five pairs up and back, as Czerny's double thirds turn inside a
 * fourth) stays one hand's. */
START_TEST(test_auto_split_scale_in_thirds)
{
    static const int A_MINOR[7] = { 0, 2, 3, 5, 7, 8, 11 };
    static const int RIGHT_BOOK[7] = { 1, 2, 3, 1, 2, 3, 4 };
    int pairs[29][2], degree_of_right[29];
    for (int i = 0; i < 29; i++) {
        int k = i <= 14 ? i : 28 - i; /* scale degree counted from A2, up two octaves and down */
        pairs[i][0] = 45 + 12 * (k / 7) + A_MINOR[k % 7];
        pairs[i][1] = 45 + 12 * ((k + 2) / 7) + A_MINOR[(k + 2) % 7];
        degree_of_right[i] = (k + 2) % 7;
    }
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    uint32_t count = play_pairs(f, (const int (*)[2])pairs, 29, true, 0.15);
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, got), count);
    for (uint32_t n = 0; n < count; n++) {
        int i = (int)got[n].id / 2, high = got[n].id % 2 == 0;
        EXPECT(got[n].hand == (high ? HAND_RIGHT : HAND_LEFT), "pair %d, note %d: hand %d", i, got[n].note,
               got[n].hand);
        if (high && i > 0 && i < 14)
            EXPECT(got[n].finger + 1 == RIGHT_BOOK[degree_of_right[i]], "pair %d, right hand %d: finger %d, book %d",
                   i, got[n].note, got[n].finger + 1, RIGHT_BOOK[degree_of_right[i]]);
    }
    fingering_free(f);

    f = make(&config);
    count = play_pairs(f, (const int (*)[2])pairs, 29, true, 0.9);
    ck_assert_uint_eq(flush_and_take(f, got), count);
    for (uint32_t n = 0; n < count; n++)
        if (got[n].id >= 10) /* from the sixth pair on */
            EXPECT(got[n].hand == (got[n].id % 2 == 0 ? HAND_RIGHT : HAND_LEFT), "slowly, pair %u, note %d: hand %d",
                   got[n].id / 2, got[n].note, got[n].hand);
    fingering_free(f);

    static const int FIGURE[9][2] = { { 45, 48 }, { 47, 50 }, { 48, 52 }, { 50, 53 }, { 52, 55 },
                                      { 50, 53 }, { 48, 52 }, { 47, 50 }, { 45, 48 } };
    f = make(&config);
    count = play_pairs(f, FIGURE, 9, false, 0.15);
    ck_assert_uint_eq(flush_and_take(f, got), count);
    for (uint32_t n = 0; n < count; n++)
        EXPECT(got[n].hand == got[0].hand, "double thirds in a position, note %u (%d): hand %d, the first %d",
               got[n].id, got[n].note, got[n].hand, got[0].hand);
    fingering_free(f);
}
END_TEST

/* Plays pairs of notes meant together as a player strikes them, not quite together: pair i
 * at step_s * i, its second note apart_s[i % apart_count] after its first, the higher first
 * when that is positive, the lower when negative; each note held 93 % of step_s. Ids from 0
 * on, each pair's higher note even; returns the next free id. */
static uint32_t play_pairs_apart(Fingering *f, const int (*pairs)[2], int count, double step_s,
                                 const double *apart_s, int apart_count)
{
    FingerAssignment a;
    for (int i = 0; i < count; i++) {
        double apart = apart_s[i % apart_count], t = step_s * i;
        int first = apart > 0 ? 1 : 0; /* pairs[i][1] is the higher note */
        double at_s[2] = { t, t + fabs(apart) };
        for (int k = 0; k < 2; k++) {
            int which = k == 0 ? first : 1 - first;
            uint32_t id = (uint32_t)(2 * i + (which == 1 ? 0 : 1));
            fingering_note_on(f, id, at_s[k], 0, (uint8_t)pairs[i][which], 80, &a);
            fingering_note_off(f, at_s[k] + 0.93 * step_s, 0, (uint8_t)pairs[i][which]);
        }
    }
    return (uint32_t)(2 * count);
}

/* Plays the pairs apart (play_pairs_apart) through a fresh estimator for both hands and
 * checks that every pair's higher note went to the right hand and its lower to the left. */
static void expect_pairs_apart_split(const int (*pairs)[2], int count, double step_s, const double *apart_s,
                                     int apart_count)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    uint32_t played = play_pairs_apart(f, pairs, count, step_s, apart_s, apart_count);
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, got), played);
    for (uint32_t n = 0; n < played; n++)
        EXPECT(got[n].hand == (got[n].id % 2 == 0 ? HAND_RIGHT : HAND_LEFT), "pair %u, note %d: hand %d",
               got[n].id / 2, got[n].note, got[n].hand);
    fingering_free(f);
}

/* The C major arpeggio in octaves, both hands, up `octaves` octaves from bottom (the left
 * hand's first note) and back down: 6 * octaves + 1 pairs, lower note first. */
static void c_major_arpeggio_in_octaves(int bottom, int octaves, int (*pairs)[2])
{
    static const int C_MAJOR[3] = { 0, 4, 7 };
    int top = 3 * octaves, count = 2 * top + 1;
    for (int i = 0; i < count; i++) {
        int k = i <= top ? i : 2 * top - i;
        pairs[i][0] = bottom + 12 * (k / 3) + C_MAJOR[k % 3];
        pairs[i][1] = pairs[i][0] + 12;
    }
}

/* The books' scale a third apart (D major, the left hand from D3, the right from F sharp 3,
 * two octaves up and down) played by a person: the two notes of a pair arrive 10 to 42 ms
 * apart, either hand first (HANDS_TOGETHER_S, chord_window_s). Every note goes to its hand,
 * the lower to the left, as when the pairs are struck together. With the chord window alone
 * (35 ms) a pair 38 to 42 ms apart was neither a double note nor the hands struck together:
 * the run of thirds was not seen as one and one hand kept notes of both. */
START_TEST(test_auto_scale_in_thirds_not_quite_together)
{
    static const int D_MAJOR[7] = { 0, 2, 4, 5, 7, 9, 11 };
    int pairs[29][2];
    for (int i = 0; i < 29; i++) {
        int k = i <= 14 ? i : 28 - i;
        pairs[i][0] = 50 + 12 * (k / 7) + D_MAJOR[k % 7];
        pairs[i][1] = 50 + 12 * ((k + 2) / 7) + D_MAJOR[(k + 2) % 7];
    }
    static const double APART_S[5] = { -0.012, -0.040, 0.025, -0.038, 0.042 };
    expect_pairs_apart_split((const int (*)[2])pairs, 29, 0.15, APART_S, 5);
}
END_TEST

/* The books' arpeggio hands together an octave apart (C major, the left hand from C3, two
 * octaves up and down) played by a person: the notes of a pair 10 to 55 ms apart, either
 * hand first. A pair's second note later than the chord window joins no chord, but is the
 * other hand's note struck with the first (parallel_split, within PAIR_LATEST_S): when
 * the first went to the wrong hand (the top pair's C5, 55 ms before C6: it lies nearer
 * where the right hand has been, its running mean, than the left's), it is moved back.
 * Every note goes to its hand. */
START_TEST(test_auto_arpeggio_hands_not_quite_together)
{
    int pairs[13][2];
    c_major_arpeggio_in_octaves(48, 2, pairs);
    static const double APART_S[4] = { -0.015, 0.020, -0.055, 0.030 };
    expect_pairs_apart_split((const int (*)[2])pairs, 13, 0.2, APART_S, 4);
}
END_TEST

/* The same arpeggio low down, three octaves from C2 and C3, both hands starting from rest
 * with the right hand's C3 13 ms before the left hand's C2. The two notes of the first pair
 * are the two hands' whichever comes first (parallel_split, apart from rest), and each hand's
 * running mean starts at its passage's first note, not at a register it might have (the
 * right hand's E3 next lies nearer where the right hand is than the left). */
START_TEST(test_auto_hands_start_low_not_quite_together)
{
    int pairs[19][2];
    c_major_arpeggio_in_octaves(36, 3, pairs);
    static const double APART_S[4] = { 0.013, 0.004, -0.015, 0.010 };
    expect_pairs_apart_split((const int (*)[2])pairs, 19, 0.15, APART_S, 4);
}
END_TEST

/* Two pieces back to back, as in a practice session: a left hand alone arpeggiating up to
 * E-flat 4, a pause of two seconds, then both hands striking C3 and C4 together and going
 * up an octave apart. The keys the left hand played before the pause do not make C4 its
 * own: the hands split lower-left, higher-right. */
START_TEST(test_auto_split_after_a_pause)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    const int arpeggio[] = { 39, 43, 46, 51, 55, 58, 63 };
    uint32_t id = play_line(f, arpeggio, 7, 0.0, 0.2, 0.19, 0);
    double start_s = 0.2 * 6 + 0.19 + 2.0;
    for (int i = 0; i < 8; i++) {
        const int octaves[2] = { 48 + i, 60 + i };
        id = play_line(f, octaves, 2, start_s + 0.125 * i, 0.0, 0.12, id);
    }
    FingerAssignment got[LINE_MAX_NOTES];
    uint32_t taken = flush_and_take(f, got);
    ck_assert_uint_eq(taken, id);
    for (uint32_t i = 0; i < taken; i++) {
        int expected = got[i].id < 7 || got[i].note < 60 ? HAND_LEFT : HAND_RIGHT;
        EXPECT(got[i].hand == expected, "note %u (%d) on hand %d, expected %d", got[i].id, got[i].note, got[i].hand,
               expected);
    }
    fingering_free(f);
}
END_TEST

/* A right-hand piece high up (C6 to C7), a pause of two seconds, then a right-hand piece
 * from G4: with both hands rested, G4 B4 D5 G5 belong to the right hand (middle C splits
 * them), not to the left because G4 lies below the midpoint of where the hands last were. */
START_TEST(test_auto_split_after_both_rest)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    const int high[] = { 84, 88, 91, 96, 91, 88, 84, 88, 91, 96, 91, 88, 84 };
    const int low[] = { 67, 71, 74, 79, 74, 71, 67 };
    uint32_t id = play_line(f, high, 13, 0.0, 0.15, 0.14, 0);
    id = play_line(f, low, 7, 0.15 * 12 + 0.14 + 2.0, 0.15, 0.14, id);
    expect_every_note_right_handed(f, id);
    fingering_free(f);
}
END_TEST

/* The notes of a major scale of tonic from first (a note of the scale) one way until it
 * passes last, into notes; returns how many. */
static int scale_line_notes(int tonic, int first, int last, int *notes)
{
    int count = 0, way = last > first ? 1 : -1;
    for (int note = first; way * (last - note) >= 0 && count < LINE_MAX_NOTES; note += way) {
        int degree = ((note - tonic) % 12 + 12) % 12;
        if (degree == 1 || degree == 3 || degree == 6 || degree == 8 || degree == 10)
            continue;
        notes[count++] = note;
    }
    return count;
}

/* Plays a major scale alone from first (a MIDI note of the scale of tonic) one way, step_s a
 * note, until it passes last; returns how many notes it played, their pitches in notes. */
static int play_scale_line(Fingering *f, int tonic, int first, int last, double step_s, int *notes)
{
    int count = scale_line_notes(tonic, first, last, notes);
    play_line(f, notes, count, 0.0, step_s, step_s * 0.95, 0);
    return count;
}

/* Flushes a line played from a fresh estimator and checks that its notes from from_s on are on
 * hand (those before were decided before the line showed its hand: either hand). */
static void expect_line_hand_from(Fingering *f, int count, double step_s, double from_s, int hand)
{
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, got), (uint32_t)count);
    for (int i = 0; i < count; i++)
        if (step_s * got[i].id >= from_s)
            EXPECT(got[i].hand == hand, "note %u (%d) on hand %d, expected %d", got[i].id, got[i].note,
                   got[i].hand, hand);
}

/* A line alone after both hands rested, from just below middle C up past two octaves above it
 * (Czerny op. 821 No. 1 bar 5 climbs from A3 to E6): middle C gives its first notes to the
 * left hand, but a left hand alone does not climb to C6, so once it gets there its notes
 * still undecided (the last second) and every note after are the right hand's; the mirror,
 * from A4 down past C2, ends in the left hand. The books' two-octave scale from B3 to B5,
 * short of C6, stays with the left hand (a left hand alone from the octave below middle C),
 * and so does a four-octave scale from D2 to D6: it began far from middle C. */
START_TEST(test_auto_line_beyond_reach_changes_hand)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    const double step_s = 0.125;
    int notes[LINE_MAX_NOTES];
    Fingering *f = make(&config);
    int count = play_scale_line(f, 67, 55, 88, step_s, notes); /* G major, G3 to E6 */
    int reach = 0;
    while (notes[reach] < 84)
        reach++;
    expect_line_hand_from(f, count, step_s, step_s * reach - 0.9, HAND_RIGHT);
    fingering_free(f);

    f = make(&config);
    count = play_scale_line(f, 60, 69, 33, step_s, notes); /* C major, A4 down to A1 */
    reach = 0;
    while (notes[reach] > 36)
        reach++;
    expect_line_hand_from(f, count, step_s, step_s * reach - 0.9, HAND_LEFT);
    fingering_free(f);

    f = make(&config);
    count = play_scale_line(f, 71, 59, 83, step_s, notes); /* B major, B3 to B5 */
    expect_line_hand_from(f, count, step_s, 0.0, HAND_LEFT);
    fingering_free(f);

    f = make(&config);
    count = play_scale_line(f, 62, 38, 86, step_s, notes); /* D major over four octaves, D2 to D6 */
    expect_line_hand_from(f, count, step_s, 0.0, HAND_LEFT);
    fingering_free(f);
}
END_TEST

/* Plays a major scale line alone through a fresh estimator (both hands), step_s a note,
 * taking the finals as they come and flushing at the end; checks that every note is given
 * out once, on hand, and returns the longest a note waited for its final (from its onset to
 * the onset, or the end of the line, at which it came out). */
static double expect_lone_line_hand(int tonic, int first, int last, double step_s, int hand)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    int notes[LINE_MAX_NOTES];
    bool given[LINE_MAX_NOTES] = { false };
    int count = scale_line_notes(tonic, first, last, notes);
    double longest_s = 0.0;
    FingerAssignment a;
    for (int i = 0; i <= count; i++) {
        double t = step_s * i;
        if (i < count) {
            fingering_note_on(f, (uint32_t)i, t, 0, (uint8_t)notes[i], 80, &a);
            fingering_note_off(f, t + step_s * 0.95, 0, (uint8_t)notes[i]);
        } else {
            fingering_flush(f);
        }
        while (fingering_take_final(f, &a)) {
            EXPECT(a.id < (uint32_t)count && !given[a.id], "note %u given twice or unknown", a.id);
            EXPECT(a.hand == hand, "line from %d: note %u (%d) on hand %d, expected %d", first, a.id, a.note,
                   a.hand, hand);
            given[a.id] = true;
            longest_s = t - a.onset_s > longest_s ? t - a.onset_s : longest_s;
        }
    }
    for (int i = 0; i < count; i++)
        EXPECT(given[i], "note %d (%d) never given out", i, notes[i]);
    fingering_free(f);
    return longest_s;
}

/* A hand alone near middle C could be either hand: middle C gives a line from A3 to the left
 * hand, a guess, and the line shows its hand only when it runs two octaves onto the other
 * side (test_auto_line_beyond_reach_changes_hand). While it might still, the hand's notes
 * wait (at most LAG_LONGEST_S, 4 s), so that all of them, from the first, reach the model
 * with the right hand: C major from A3 up to E6, E-flat major from G3 up to E-flat 6; the
 * mirror, the left hand from E4 down to A1 in C major and from D4 down to F1 in F major. A
 * hand alone away from middle C, whose hand the split at rest does not guess (the left hand
 * from G2, the right from E5), is decided within the usual lag (1 s and six groups). */
START_TEST(test_auto_lone_line_waits_for_its_hand)
{
    const double step_s = 0.125, usual_s = 1.25, longest_s = 4.0 + step_s;
    ck_assert(expect_lone_line_hand(60, 57, 88, step_s, HAND_RIGHT) <= longest_s);
    ck_assert(expect_lone_line_hand(63, 55, 87, step_s, HAND_RIGHT) <= longest_s);
    ck_assert(expect_lone_line_hand(60, 64, 33, step_s, HAND_LEFT) <= longest_s);
    ck_assert(expect_lone_line_hand(65, 62, 29, step_s, HAND_LEFT) <= longest_s);
    ck_assert(expect_lone_line_hand(60, 43, 60, step_s, HAND_LEFT) <= usual_s);
    ck_assert(expect_lone_line_hand(60, 76, 96, step_s, HAND_RIGHT) <= usual_s);
}
END_TEST

/* A note of either hand: onset, key, the hand that plays it. */
typedef struct {
    double onset_s;
    int note, hand;
} HandNote;

/* Plays the notes (in onset order, ids in order, each held length_s) through a fresh
 * estimator, flushes and checks every note's hand. */
static void expect_hands(const HandNote *notes, int count, double length_s)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    FingerAssignment a;
    for (int i = 0, released = 0; i <= count; i++) {
        for (; released < i && (i == count || notes[released].onset_s + length_s <= notes[i].onset_s); released++)
            fingering_note_off(f, notes[released].onset_s + length_s, 0, (uint8_t)notes[released].note);
        if (i < count)
            fingering_note_on(f, (uint32_t)i, notes[i].onset_s, 0, (uint8_t)notes[i].note, 80, &a);
    }
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, got), (uint32_t)count);
    for (int i = 0; i < count; i++)
        EXPECT(got[i].hand == notes[got[i].id].hand, "note %u (%d) on hand %d", got[i].id, got[i].note,
               got[i].hand);
    fingering_free(f);
}

/* A note struck with the other hand's note is no step of that hand's line: the right hand's
 * slurred pairs falling over the left hand's broken chords (Czerny op. 821 No. 10 bar 7, in C
 * major: A5 G5, E5 C5, G5 F5, D5 B4, each pair's second note struck with a left-hand note, the
 * left hand's first). B4 lies a third from the right hand's D5 and a fourth from the left
 * hand's F4 struck with it: the left hand struck last, but only by the order of two notes
 * at one instant, so the nearer hand takes B4, not the one that played last. */
START_TEST(test_auto_split_note_struck_with_the_other_hand)
{
    const double d = 0.0625;
    const int left[16] = { 55, 64, 60, 64, 55, 64, 60, 64, 55, 65, 62, 65, 55, 65, 62, 65 };
    const int right[8] = { 81, 79, 76, 72, 79, 77, 74, 71 };
    const int right_at[8] = { 0, 1, 4, 5, 8, 9, 12, 13 };
    HandNote notes[24];
    int count = 0;
    for (int k = 0, r = 0; k < 16; k++) {
        notes[count++] = (HandNote){ d * k, left[k], HAND_LEFT };
        if (r < 8 && right_at[r] == k)
            notes[count++] = (HandNote){ d * k, right[r++], HAND_RIGHT };
    }
    expect_hands(notes, count, 0.05);
}
END_TEST

/* Two pieces hands together an octave apart, the first high up (the left hand from C5, the
 * right from C6), then after a pause of 2.5 s one low down (C#3 and C#4, the right hand's
 * note a moment before the left's from the second pair on): a hand's running mean position
 * starts again with its passage, so the second piece's pairs, struck together, go by where
 * each hand now plays, not by where it played before the pause. */
START_TEST(test_auto_split_position_starts_again_after_a_pause)
{
    const int steps[5] = { 0, 2, 4, 5, 7 };
    HandNote notes[20];
    int count = 0;
    for (int k = 0; k < 5; k++) {
        notes[count++] = (HandNote){ 0.4 * k, 72 + steps[k], HAND_LEFT };
        notes[count++] = (HandNote){ 0.4 * k, 84 + steps[k], HAND_RIGHT };
    }
    for (int k = 0; k < 5; k++) {
        double t = 4.0 + 0.4 * k;
        notes[count++] = (HandNote){ t, 61 + steps[k], HAND_RIGHT };
        notes[count++] = (HandNote){ t + (k > 0 ? 0.001 : 0.0), 49 + steps[k], HAND_LEFT };
    }
    expect_hands(notes, count, 0.38);
}
END_TEST

/* A root-position arpeggio over two octaves up and down (semitones from its root) and the
 * right hand's fingers the books give a white-key root (0 thumb .. 4 little). */
static const int ARPEGGIO_UP_DOWN[13] = { 0, 4, 7, 12, 16, 19, 24, 19, 16, 12, 7, 4, 0 };
static const int ARPEGGIO_BOOK_RIGHT[13] = { 0, 1, 2, 0, 1, 2, 4, 2, 1, 0, 2, 1, 0 };

/* Plays the two-octave arpeggio on each root, one after the other (2 s after the last
 * release), a note every step_s held length_s, through a fresh estimator, and checks that
 * every note gets the right hand and the books' finger. */
static void expect_book_arpeggios(const int *roots, int count, double step_s, double length_s)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    uint32_t id = 0;
    for (int k = 0; k < count; k++) {
        int notes[13];
        for (int i = 0; i < 13; i++)
            notes[i] = roots[k] + ARPEGGIO_UP_DOWN[i];
        id = play_line(f, notes, 13, k * (12 * step_s + length_s + 2.0), step_s, length_s, id);
    }
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, got), id);
    for (uint32_t i = 0; i < id; i++)
        EXPECT(got[i].hand == HAND_RIGHT && got[i].finger == ARPEGGIO_BOOK_RIGHT[got[i].id % 13],
               "note %u (%d): hand %d finger %d", got[i].id, got[i].note, got[i].hand, got[i].finger);
    fingering_free(f);
}

/* Played slowly, legato (a note every 1.2 s, each held to the next): the C major arpeggio
 * takes the books' fingers, 1 2 3 1 2 3 5 up and 3 2 1 3 2 1 down. A gap of 1.2 s between
 * onsets is no pause while a key is held to the next one, and each note waits for six more
 * before it is decided (the lag of 1 s alone would decide it when the next one comes,
 * before the chord is heard). */
START_TEST(test_auto_slow_arpeggio)
{
    const int c_major[1] = { 60 };
    expect_book_arpeggios(c_major, 1, 1.2, 1.15);
}
END_TEST

/* Two arpeggios back to back, G major and (2 s later) A major, in the right hand: the last
 * notes of the first are decided when its passage is over, with its own chord, not in one
 * search with the next passage (whose chord, read from the last passage, is A major's). */
START_TEST(test_auto_passage_decided_at_pause)
{
    const int g_then_a[2] = { 67, 69 };
    expect_book_arpeggios(g_then_a, 2, 0.2, 0.19);
}
END_TEST

/* Two pieces back to back: a D major scale, a pause of two seconds, then a C major scale.
 * The key is read from the passage after the pause: C major's book fingering, though the D
 * major scale's C# and F# are still among the notes the estimator remembers. */
START_TEST(test_auto_key_after_a_pause)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = HANDS_RIGHT;
    Fingering *f = make(&config);
    const int d_major[] = { 62, 64, 66, 67, 69, 71, 73, 74 };
    const int c_major[] = { 60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84 };
    const int book[15] = { 0, 1, 2, 0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 4 };
    uint32_t id = play_line(f, d_major, 8, 0.0, 0.125, 0.12, 0);
    id = play_line(f, c_major, 15, 0.125 * 7 + 0.12 + 2.0, 0.125, 0.12, id);
    FingerAssignment got[LINE_MAX_NOTES];
    uint32_t taken = flush_and_take(f, got);
    ck_assert_uint_eq(taken, id);
    for (uint32_t i = 0; i < taken; i++) {
        const FingerAssignment *g = &got[i];
        if (g->id >= 8)
            EXPECT(g->finger == book[g->id - 8], "C major note %u (%d): finger %d, expected %d", g->id - 8, g->note,
                   g->finger + 1, book[g->id - 8] + 1);
    }
    fingering_free(f);
}
END_TEST

/* A fresh auto estimator for the given hands. */
static Fingering *make_for(HandChoice hands)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = hands;
    return make(&config);
}

/* Flushes f, checks that it gave all count notes (at most LINE_MAX_NOTES, ids from 0) and
 * that each note whose expected finger (1 thumb .. 5 little, by id; 0: not checked) is
 * given got it, and frees f. */
static void expect_fingers_and_free(Fingering *f, uint32_t count, const int *expected)
{
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_le(count, LINE_MAX_NOTES);
    ck_assert_uint_eq(flush_and_take(f, got), count);
    for (uint32_t i = 0; i < count; i++)
        if (expected[got[i].id] != 0)
            EXPECT(got[i].finger + 1 == expected[got[i].id], "note %u (%d): finger %d, expected %d", got[i].id,
                   got[i].note, got[i].finger + 1, expected[got[i].id]);
    fingering_free(f);
}

/* Plays a line of single notes with one hand (step_s apart, each held 96 % of that) and
 * checks the fingers (1 thumb .. 5 little) of its first `checked` notes against expected
 * (0 there: not checked). */
static void expect_line_fingers(HandChoice hands, const int *notes, int count, double step_s, const int *expected,
                                int checked)
{
    Fingering *f = make_for(hands);
    uint32_t played = play_line(f, notes, count, 0.0, step_s, 0.96 * step_s, 0);
    int by_id[LINE_MAX_NOTES] = { 0 };
    for (int i = 0; i < checked && i < LINE_MAX_NOTES; i++)
        by_id[i] = expected[i];
    expect_fingers_and_free(f, played, by_id);
}

/* A G major scale run followed by a chromatic turn E F F# G A (Czerny op. 821 No. 15 bar
 * 2): the F natural after the run is no reason to read A melodic minor, whose rising form
 * has F# and G# but no F; the run takes G major's book fingering, 1 2 3 1 2 3 4 5. */
START_TEST(test_auto_scale_then_chromatic_turn)
{
    const int notes[] = { 67, 69, 71, 72, 74, 76, 78, 79, 76, 77, 78, 79, 81 };
    const int book[8] = { 1, 2, 3, 1, 2, 3, 4, 5 };
    expect_line_fingers(HANDS_RIGHT, notes, (int)(sizeof notes / sizeof notes[0]), 0.0625, book, 8);
}
END_TEST

/* The same run going on into No. 15's figure E F F# G A G F# G, twice: a run that turns
 * back from a scale by a leap (G5 down to E5) is no tail of the scale: the run keeps G
 * major's fingering to its top (1 2 3 1 2 3 4 5) and the figure takes one finger per key of
 * its five-key position, 1 2 3 4 5 4 3 4. */
START_TEST(test_auto_scale_then_chromatic_figure)
{
    const int notes[] = { 67, 69, 71, 72, 74, 76, 78, 79, 76, 77, 78, 79, 81, 79, 78, 79, 76, 77, 78, 79, 81, 79, 78, 79 };
    const int edition[24] = { 1, 2, 3, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 4, 3, 4, 1, 2, 3, 4, 5, 4, 3, 4 };
    expect_line_fingers(HANDS_RIGHT, notes, 24, 0.0625, edition, 24);
}
END_TEST

/* A scale in broken groups: a figure of four steps up repeated each time a third higher,
 * left hand (Czerny op. 821 No. 2 bar 5: G A B C, B C D E, D E F G, 4 3 2 1 each), is a
 * sequence as a figure repeated a step higher is: every group takes the figure's fingers,
 * 4 3 2 1, the hand moving at each group. */
START_TEST(test_auto_sequence_a_third_higher)
{
    const int notes[] = { 43, 45, 47, 48, 47, 48, 50, 52, 50, 52, 53, 55, 53, 55, 57, 59 };
    const int edition[12] = { 4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2, 1 };
    expect_line_fingers(HANDS_LEFT, notes, 16, 0.125, edition, 12);
}
END_TEST

/* Fast repeated notes take a new finger each time, toward the thumb, as Czerny op. 821 No.
 * 17 prints them: D5 D5 D5 D5 4 3 2 1, and again after each pause of two seconds (the
 * notes after a pause do not reach back across it), then up to G5 B5 D6 the same way. */
START_TEST(test_auto_fast_repeated_notes)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    Fingering *f = make(&config);
    const int keys[] = { 74, 72, 74, 74, 79, 83, 86 };
    const double starts[] = { 0.0, 2.5, 5.0, 7.5, 8.0, 8.5, 9.0 };
    uint32_t id = 0;
    for (int k = 0; k < 7; k++) {
        const int strokes[4] = { keys[k], keys[k], keys[k], keys[k] };
        id = play_line(f, strokes, 4, starts[k], 0.125, 0.12, id);
    }
    FingerAssignment got[LINE_MAX_NOTES];
    uint32_t taken = flush_and_take(f, got);
    ck_assert_uint_eq(taken, id);
    for (uint32_t i = 0; i < taken; i++) {
        const FingerAssignment *g = &got[i];
        int expected = 3 - (int)(g->id % 4); /* 4 3 2 1: fingers 3 .. 0 */
        EXPECT(g->hand == HAND_RIGHT && g->finger == expected, "stroke %u of key %d: hand %d finger %d, expected %d",
               g->id % 4, g->note, g->hand, g->finger + 1, expected + 1);
    }
    fingering_free(f);
}
END_TEST

/* Plays a line in slurred pairs: each pair's notes pair_step_s apart, the first held to the
 * second's onset, the second released early, the next pair beat_s after the last; returns the
 * fingers (1 thumb .. 5 little) by note into fingers. */
static void play_slurred_pairs(HandChoice hands, const int *notes, int count, double pair_step_s, double beat_s,
                               int *fingers)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = hands;
    Fingering *f = make(&config);
    FingerAssignment a;
    for (int i = 0; i < count; i++) {
        double t = beat_s * (i / 2) + (i % 2) * pair_step_s;
        fingering_note_on(f, (uint32_t)i, t, 0, (uint8_t)notes[i], 80, &a);
        fingering_note_off(f, t + (i % 2 ? 0.95 : 1.0) * pair_step_s, 0, (uint8_t)notes[i]);
    }
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, got), (uint32_t)count);
    for (int i = 0; i < count; i++)
        fingers[got[i].id] = got[i].finger + 1;
    fingering_free(f);
}

/* Slurred pairs of steps between rests (Czerny op. 821 No. 10: C6 Bb5, A5 G5, F5 E5, 3 2
 * each) are figures of their own, each a new hand position on 3 2 toward the thumb, not
 * one scale run with the thumb passing under; here in G major, the right hand falling and
 * the left hand rising. The same notes evenly staccato (every note detached alike) are
 * still one scale run with the book's fingering. */
START_TEST(test_auto_slurred_pairs)
{
    const int falling[8] = { 86, 84, 83, 81, 79, 78, 76, 74 }; /* D6 C6, B5 A5, G5 F#5, E5 D5 */
    const int rising[8] = { 43, 45, 47, 48, 50, 52, 54, 55 };  /* G2 A2, B2 C3, D3 E3, F#3 G3 */
    int got[8];
    play_slurred_pairs(HANDS_RIGHT, falling, 8, 0.0625, 0.25, got);
    for (int i = 0; i < 8; i++)
        EXPECT(got[i] == (i % 2 ? 2 : 3), "right hand, note %d (%d): finger %d, expected %d", i, falling[i], got[i],
               i % 2 ? 2 : 3);
    play_slurred_pairs(HANDS_LEFT, rising, 8, 0.0625, 0.25, got);
    for (int i = 0; i < 8; i++)
        EXPECT(got[i] == (i % 2 ? 2 : 3), "left hand, note %d (%d): finger %d, expected %d", i, rising[i], got[i],
               i % 2 ? 2 : 3);
    /* staccato throughout: G major's left hand from G2 up, 5 4 3 2 1 3 2 1 */
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = HANDS_LEFT;
    Fingering *f = make(&config);
    uint32_t played = play_line(f, rising, 8, 0.0, 0.125, 0.06, 0);
    FingerAssignment line[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, line), played);
    const int book[8] = { 5, 4, 3, 2, 1, 3, 2, 1 };
    for (uint32_t i = 0; i < played; i++)
        EXPECT(line[i].finger + 1 == book[line[i].id], "staccato note %u: finger %d, expected %d", line[i].id,
               line[i].finger + 1, book[line[i].id]);
    fingering_free(f);
}
END_TEST

/* A scale played as a person plays it, with an uneven touch: most keys part a little before
 * the next note, some overlap it, one is let go early before a slightly late note (1.6 times
 * the step). The rest there follows a slurred note, but the rhythm goes on evenly: no slurred
 * group ends, and the run keeps the book's fingering (D-flat major, right hand, two octaves up
 * and down). Without the rhythm's say the last five notes took a hand position, 5 4 3 2 1. */
START_TEST(test_auto_scale_with_uneven_touch)
{
    const int up[15] = { 61, 63, 65, 66, 68, 70, 72, 73, 75, 77, 78, 80, 82, 84, 85 };
    const int book_up[15] = { 2, 3, 1, 2, 3, 4, 1, 2, 3, 1, 2, 3, 4, 1, 2 };
    int notes[29], book[29];
    for (int i = 0; i < 15; i++) {
        notes[i] = notes[28 - i] = up[i];
        book[i] = book_up[i];
        book[28 - i] = book_up[i];
    }
    Fingering *f = make_for(HANDS_RIGHT);
    FingerAssignment a;
    double onset_s = 0.0;
    for (int i = 0; i < 29; i++) {
        double next_s = onset_s + (i == 23 ? 0.22 : 0.14);
        double release_s = i == 22 || i == 24 ? next_s + 0.03 /* held into the next */
                           : i == 23        ? onset_s + 0.07 /* let go early */
                                            : next_s - 0.02;
        fingering_note_on(f, (uint32_t)i, onset_s, 0, (uint8_t)notes[i], 80, &a);
        fingering_note_off(f, release_s, 0, (uint8_t)notes[i]);
        onset_s = next_s;
    }
    expect_fingers_and_free(f, 29, book);
}
END_TEST

/* Three strokes of a key after a leap of a third, the figure a step higher (Czerny op. 821
 * No. 17 bars 6-7 as the edition prints them, from the turn E6 G6 F#6 G6 A6 on: ... B5 D6
 * D6 D6 G5 B5 B5 B5 A5 C6 ...): the strokes take 4 3 2 and the note after them the thumb,
 * G5 B5 B5 B5 A5 1 4 3 2 1, the hand moving with the figure; the notes around the strokes
 * make no hand position of their own (a hand-position reading gave A5 the middle finger, and
 * the figure 1 2 5 4 3). The next figure's strokes still take 3 2 5 (docs/fingering.md,
 * round 5). */
START_TEST(test_auto_strokes_after_a_leap)
{
    const int notes[38] = { 88, 91, 90, 91, 93, 91, 90, 88, 87, 88, 90, 88, 86, 84, 83, 84, 83, 86, 86,
                            86, 79, 83, 83, 83, 81, 84, 84, 84, 74, 78, 78, 78, 79, 74, 71, 74, 79, 83 };
    const int edition[25] = { [20] = 1, [21] = 4, [22] = 3, [23] = 2, [24] = 1 };
    expect_line_fingers(HANDS_RIGHT, notes, 38, 0.125, edition, 25);
}
END_TEST

/* Groups of fast strokes over an F major chord, in the rhythm of Czerny op. 821 No. 16
 * bars 1-5 (right hand, moved to F major): four strokes a key, the last one held to the
 * next beat, then groups of three in even triplets. Each group rolls from the outer
 * fingers to the thumb, 4 3 2 1 and 3 2 1, and the next group starts afresh (the costs
 * alone gave 3 2 1 4 and 2 1 5 4 on some keys: the thumb passing under to the next key
 * cost more than another finger on the fourth stroke). The left hand plays the same
 * figure mirrored about middle C and rolls to its thumb as well. */
START_TEST(test_auto_strokes_roll_to_the_thumb)
{
    /* C5 F5 A5 C6 Bb5 G5 C5 Bb4, four strokes each; A4 C5 F5 A5 G5, three */
    const int keys[13] = { 72, 77, 81, 84, 82, 79, 72, 70, 69, 72, 77, 81, 79 };
    const double stroke_s = 0.083;
    for (int hand = 0; hand < 2; hand++) {
        Fingering *f = make_for(hand == 0 ? HANDS_RIGHT : HANDS_LEFT);
        int expected[LINE_MAX_NOTES];
        uint32_t id = 0;
        FingerAssignment a;
        for (int k = 0; k < 13; k++) {
            int strokes = k < 8 ? 4 : 3;
            double start_s = k < 8 ? 0.5 * k : 4.0 + 3 * stroke_s * (k - 8);
            uint8_t key = (uint8_t)(hand == 0 ? keys[k] : 2 * 60 - keys[k]);
            for (int s = 0; s < strokes; s++) {
                double t = start_s + stroke_s * s;
                double length_s = strokes == 4 && s == 3 ? 0.5 - 3 * stroke_s - 0.013 : stroke_s - 0.004;
                expected[id] = strokes - s;
                fingering_note_on(f, id++, t, 0, key, 80, &a);
                fingering_note_off(f, t + length_s, 0, key);
            }
        }
        expect_fingers_and_free(f, id, expected);
    }
}
END_TEST

/* The same strokes played slowly (a key repeated at crotchets, half a second apart, in a
 * slow melody): no fast repetition, so they need no change of finger and take none (one
 * finger repeats a key at ease); the roll to the thumb is for fast strokes only. */
START_TEST(test_auto_slow_repeated_notes_keep_their_finger)
{
    const int notes[8] = { 72, 76, 76, 76, 74, 72, 72, 72 }; /* C5 E5 E5 E5 D5 C5 C5 C5 */
    int fingers[8];
    Fingering *f = make_for(HANDS_RIGHT);
    uint32_t played = play_line(f, notes, 8, 0.0, 0.5, 0.48, 0);
    FingerAssignment got[LINE_MAX_NOTES];
    ck_assert_uint_eq(flush_and_take(f, got), played);
    for (uint32_t i = 0; i < played; i++)
        fingers[got[i].id] = got[i].finger;
    fingering_free(f);
    for (int i = 1; i < 8; i++)
        if (notes[i] == notes[i - 1])
            EXPECT(fingers[i] == fingers[i - 1], "note %d (%d): finger %d after %d", i, notes[i], fingers[i] + 1,
                   fingers[i - 1] + 1);
}
END_TEST

/* Turns (a figure of steps around a note, on three or four keys), each beginning a figure
 * after a pause or a repeated key, as Czerny op. 821 No. 14 prints them (F5 G5 F5 E5 F5,
 * 2 3 2 1 2; D6 D6 Eb6 D6 C6 Bb5, the turn 3 4 3 2 1), here in C and G major: adjacent keys
 * take adjacent fingers from the thumb on the lowest key, from 2 when that key is black
 * (C5 D5 C5 B4 C5 2 3 2 1 2; E5 F5 E5 D5 C5 3 4 3 2 1; G5 A5 G5 F#5 G5 3 4 3 2 3). The
 * outer fingers of a hand position gave 3 4 3 1 3 and a thumb on F#5. */
START_TEST(test_auto_turns_adjacent_fingers)
{
    Fingering *f = make_for(HANDS_RIGHT);
    const int turns[3][6] = { { 72, 74, 72, 71, 72, 76 }, { 76, 76, 77, 76, 74, 72 }, { 79, 81, 79, 78, 79, 83 } };
    const int edition[18] = { 2, 3, 2, 1, 2, 0, 0, 3, 4, 3, 2, 1, 3, 4, 3, 2, 3, 0 };
    uint32_t id = 0;
    for (int k = 0; k < 3; k++)
        id = play_line(f, turns[k], 6, 2.5 * k, 0.0625, 0.06, id);
    expect_fingers_and_free(f, id, edition);
}
END_TEST

/* A staccato broken chord up to the top of an octave, then slurred pairs falling from a
 * third above (Czerny op. 821 No. 10 bar 1, A4 C5 F5 A5 then C6 Bb5, A5 G5, F5 E5; here in
 * G major): the pairs begin a figure of their own, so the chord's run ends on its top note,
 * which takes the book's top finger, G4 B4 D5 G5 1 2 3 5, not the thumb passing under as if
 * the run went on to B5. */
START_TEST(test_auto_run_ends_with_its_figure)
{
    Fingering *f = make_for(HANDS_RIGHT);
    FingerAssignment a;
    const int chord[4] = { 67, 71, 74, 79 }, pairs[6] = { 83, 81, 79, 78, 76, 74 };
    const int edition[10] = { 1, 2, 3, 5, 3, 2, 3, 2, 3, 2 };
    uint32_t id = 0;
    for (int k = 0; k < 4; k++) { /* staccato quavers */
        fingering_note_on(f, id++, 0.25 * k, 0, (uint8_t)chord[k], 80, &a);
        fingering_note_off(f, 0.25 * k + 0.12, 0, (uint8_t)chord[k]);
    }
    for (int k = 0; k < 6; k++) { /* slurred semiquaver pairs, a semiquaver rest after each */
        double t = 1.0 + 0.25 * (k / 2) + 0.0625 * (k % 2);
        fingering_note_on(f, id++, t, 0, (uint8_t)pairs[k], 80, &a);
        fingering_note_off(f, t + 0.059, 0, (uint8_t)pairs[k]);
    }
    expect_fingers_and_free(f, id, edition);
}
END_TEST

/* A broken chord of four notes in one hand position, staccato, that spells no chord of the
 * passage's arpeggio (Czerny op. 821 No. 10 bars 1-2: F major's A4 C5 F5 A5, then A4 C5 E5
 * G5, an A minor seventh, 1 2 4 5 both): the outer notes on the outer fingers and 4 below
 * the top when the top interval is a third, as the books' four-note broken chords; the left
 * hand mirrored (5 4 2 1 when the bottom interval is a third). Here in G major: right hand
 * B4 D5 G5 B5 then B4 D5 F#5 A5 (a B minor seventh); left hand G2 B2 D3 G3 then A2 C3 E3 G3
 * (an A minor seventh). */
START_TEST(test_auto_broken_chord_in_one_position)
{
    const int right[8] = { 71, 74, 79, 83, 71, 74, 78, 81 }, left[8] = { 43, 47, 50, 55, 45, 48, 52, 55 };
    const int right_edition[8] = { 1, 2, 4, 5, 1, 2, 4, 5 }, left_edition[8] = { 5, 4, 2, 1, 5, 4, 2, 1 };
    for (int pass = 0; pass < 2; pass++) {
        Fingering *f = make_for(pass ? HANDS_LEFT : HANDS_RIGHT);
        const int *notes = pass ? left : right;
        uint32_t id = play_line(f, notes, 4, 0.0, 0.25, 0.12, 0); /* staccato quavers */
        id = play_line(f, notes + 4, 4, 1.5, 0.25, 0.12, id); /* no pause between: one passage */
        expect_fingers_and_free(f, id, pass ? left_edition : right_edition);
    }
}
END_TEST

/* Slurred pairs cut from a falling line take 3 2 each, but a pair that leaps back up away
 * from the line begins another figure (Czerny op. 821 No. 10 bar 3: ... C6 Bb5, A5 G5, then
 * D6 C6, A5 F5, 5 4 2 1 in one position); here a fourth higher, G6 F6, E6 D6, then G6 F6,
 * D6 Bb5. */
START_TEST(test_auto_slurred_pairs_leave_their_line)
{
    const int notes[8] = { 91, 89, 88, 86, 91, 89, 86, 82 };
    const int edition[8] = { 3, 2, 3, 2, 5, 4, 2, 1 };
    int got[8];
    play_slurred_pairs(HANDS_RIGHT, notes, 8, 0.0625, 0.25, got);
    for (int i = 0; i < 8; i++)
        EXPECT(got[i] == edition[i], "note %d (%d): finger %d, expected %d", i, notes[i], got[i], edition[i]);
}
END_TEST

/* A five-key group that a scale run goes on out of is no hand position: the hand moves with
 * the run (Czerny op. 821 No. 15 bars 2-3 as the Peters edition prints them: the G major
 * scale G4..G5, the figure E5 F5 F#5 G5 A5 G5 F#5 G5 three times, 1 2 3 4 5 4 3 4, then the
 * scale C5..C6 and the figure again from B5). The groups of eight notes fall out of step with
 * the figures after the scale (the scale's group ends at its fifth key), so the last
 * figure's G5 F#5 G5 and the scale's C5 D5 E5 made one group of five keys, and the figure's
 * end took 5 4 5. A fourth lower (D major, then G major) the figures are checked too (the
 * second scale there is read with the first one's key in view, another matter). */
START_TEST(test_auto_group_left_by_a_run)
{
    const int notes[48] = { 67, 69, 71, 72, 74, 76, 78, 79, 76, 77, 78, 79, 81, 79, 78, 79,
                            76, 77, 78, 79, 81, 79, 78, 79, 76, 77, 78, 79, 81, 79, 78, 79,
                            72, 74, 76, 77, 79, 81, 83, 84, 83, 84, 85, 86, 88, 86, 85, 86 };
    const int edition[48] = { 1, 2, 3, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 4, 3, 4, 1, 2, 3, 4, 5, 4, 3, 4,
                              1, 2, 3, 4, 5, 4, 3, 4, 1, 2, 3, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 4, 3, 4 };
    for (int transpose = 0; transpose >= -5; transpose -= 5) {
        int line[48], expected[48];
        for (int i = 0; i < 48; i++) {
            line[i] = notes[i] + transpose;
            expected[i] = transpose == 0 || i < 32 ? edition[i] : 0;
        }
        Fingering *f = make_for(HANDS_RIGHT);
        uint32_t played = play_line(f, line, 48, 0.0, 0.0625, 0.059, 0);
        expect_fingers_and_free(f, played, expected);
    }
}
END_TEST

/* A hand position's figure does not reach into a run: the run is a figure of its own.
 * Czerny op. 821 No. 3's last bar (the edition's C major, and a fourth higher): groups of
 * double thirds, the last one B4-D5 C5-E5 B4-D5 and its single C5, then the broken chord G4
 * C5 E5 G5 E5 (1 2 4 5 3). Read with the chord's notes, the single C5 was the middle of a
 * figure G4 C5 E5 and took the thumb, and the thirds before it moved up to 2-4 3-5 2-4. */
START_TEST(test_auto_figure_stops_at_a_run)
{
    static const char *const THIRDS[9][2] = { { "C5", "E5" }, { "D5", "F5" }, { "C5", "E5" },
                                              { "D5", "F5" }, { "E5", "G5" }, { "D5", "F5" },
                                              { "B4", "D5" }, { "C5", "E5" }, { "B4", "D5" } };
    static const char *const LINE[6] = { "C5", "G4", "C5", "E5", "G5", "E5" };
    static const int EDITION[24] = { 1, 3, 2, 4, 1, 3, 2, 4, 3, 5, 2, 4, 1, 3, 2, 4, 1, 3, 2, 1, 2, 4, 5, 3 };
    for (int shift = 0; shift <= 5; shift += 5) {
        Fingering *f = make_for(HANDS_RIGHT);
        FingerAssignment a;
        double t = 0.0, step = 0.125;
        uint32_t id = 0;
        for (int k = 0; k < 9; k++) {
            for (int n = 0; n < 2; n++)
                fingering_note_on(f, id++, t, 0, (uint8_t)(pitch(THIRDS[k][n]) + shift), 80, &a);
            for (int n = 0; n < 2; n++)
                fingering_note_off(f, t + 0.95 * step, 0, (uint8_t)(pitch(THIRDS[k][n]) + shift));
            t += step;
            if (k % 3 == 2 && k < 8)
                t += step; /* a semiquaver rest after each group but the last */
        }
        for (int k = 0; k < 6; k++, t += step) {
            fingering_note_on(f, id++, t, 0, (uint8_t)(pitch(LINE[k]) + shift), 80, &a);
            fingering_note_off(f, t + 0.95 * step, 0, (uint8_t)(pitch(LINE[k]) + shift));
        }
        expect_fingers_and_free(f, id, EDITION);
    }
}
END_TEST

/* A scale in broken groups (each group a run of steps, the next a third higher) ends with its
 * last whole group: Czerny op. 821 No. 2 bar 6, left hand, G2 A2 B2 C3, B2 C3 D3 E3, D3 E3
 * F3 G3, 4 3 2 1 each, then a trill F#3 G3 F#3 G3 with G3 on the thumb (the edition 3 1 3 1).
 * The trill's F#3 G3 lie a third above D3 E3 and were read as the start of a fourth group,
 * 4 3 4 3. Here as printed and a fourth higher (C3 D3 E3 F3 ... B3 C4 B3 C4). */
START_TEST(test_auto_broken_groups_end_with_a_whole_group)
{
    const int notes[16] = { 43, 45, 47, 48, 47, 48, 50, 52, 50, 52, 53, 55, 54, 55, 54, 55 };
    const int edition[16] = { 4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2, 1, 0, 1, 0, 1 }; /* 0: not checked */
    for (int shift = 0; shift <= 5; shift += 5) {
        int line[16];
        for (int i = 0; i < 16; i++)
            line[i] = notes[i] + shift;
        Fingering *f = make_for(HANDS_LEFT);
        uint32_t played = play_line(f, line, 16, 0.0, 0.125, 0.119, 0);
        expect_fingers_and_free(f, played, edition);
    }
}
END_TEST

/* A right-hand run falling off the tonic ends as passage work does: after the book's last
 * thumb, 3 2 1 (Czerny op. 821 No. 8 bar 4, F major: G5 A5 B-flat5 then down to G4, C5 1
 * B-flat4 3 A4 2 G4 1, where the book has 4 3 2; then up to C5). The same in B-flat major,
 * F5 up to B-flat5 and down to G4: C5 1, B-flat4 A4 G4 3 2 1. */
START_TEST(test_auto_run_ends_as_passage_work)
{
    const int f_major[13] = { 79, 81, 82, 81, 79, 77, 76, 74, 72, 70, 69, 67, 72 };
    const int f_edition[13] = { 2, 3, 4, 3, 2, 1, 3, 2, 1, 3, 2, 1, 0 };
    const int b_flat_major[14] = { 77, 79, 81, 82, 81, 79, 77, 75, 74, 72, 70, 69, 67, 72 };
    const int b_flat_expected[14] = { 1, 2, 3, 4, 3, 2, 1, 3, 2, 1, 3, 2, 1, 0 };
    for (int key = 0; key < 2; key++) {
        Fingering *f = make_for(HANDS_RIGHT);
        uint32_t played = key == 0 ? play_line(f, f_major, 13, 0.0, 0.125, 0.119, 0)
                                   : play_line(f, b_flat_major, 14, 0.0, 0.125, 0.119, 0);
        expect_fingers_and_free(f, played, key == 0 ? f_edition : b_flat_expected);
    }
}
END_TEST

/* A scale run off the tonic in the direction the thumb leads keeps the book's fingering by
 * degree, whether or not its end is heard before its first notes are decided: right hand G4
 * to C6 in C major, 2 3 4 1 2 3 1 2 3 4 5, and two octaves from D4 in G major, 2 3 4 1 2 3 1
 * ... (round 7 tried planning such a run from its end, where the little finger lands, as
 * Czerny's No. 2 bar 7 prints it: the fresh held-out Czerny set lost 11 notes for the 4 it
 * gained; docs/fingering.md). */
START_TEST(test_auto_rising_run_keeps_the_books_fingering)
{
    const int run[11] = { 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84 };
    const int run_book[11] = { 2, 3, 4, 1, 2, 3, 1, 2, 3, 4, 5 };
    Fingering *f = make_for(HANDS_RIGHT);
    uint32_t played = play_line(f, run, 11, 0.0, 0.125, 0.119, 0);
    expect_fingers_and_free(f, played, run_book);
    const int long_run[16] = { 62, 64, 66, 67, 69, 71, 72, 74, 76, 78, 79, 81, 83, 84, 86, 88 };
    const int book[16] = { 2, 3, 4, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 1, 2, 3 };
    f = make_for(HANDS_RIGHT);
    played = play_line(f, long_run, 16, 0.0, 0.125, 0.119, 0);
    expect_fingers_and_free(f, played, book);
}
END_TEST

/* A figure repeated a step lower that lies on four keys with one gap (a fourth between its
 * top and the rest) keeps one finger per key, the gap skipping a finger: Hanon No. 11's left
 * hand falling as the Schirmer edition prints it, F4 C4 A3 B3 A3 B3 C4 B3, 1 3 5 4 5 4 3 4,
 * then E4 B3 G3 A3 ... the same (the costs moved the hand early, 5 3 2 3); here in C major
 * and in G major. */
/* A figure that turns within a fourth is no hand position of its own where the line around
 * it goes on past its edge: after strokes rolled to the thumb on E3, the left hand's D3 B2
 * C3 B2 A2 B2 C3 D3 E3 stays in the five-finger position A2..E3, one finger a key (2 4 3 4
 * 5 4 3 2 1). Read from the five notes around it, E3 D3 B2 C3 B2 spans a fourth and gave B2
 * the little finger, though the line goes on to A2 two notes later: 3 5 3 4 5, the hand
 * moving twice. Made-up notes, in two keys (from E3 and from A3). */
START_TEST(test_auto_figure_within_a_fourth_keeps_the_line_position)
{
    static const int FROM_E3[13] = { 52, 52, 52, 52, 50, 47, 48, 47, 45, 47, 48, 50, 52 };
    static const int EDITION[13] = { 4, 3, 2, 1, 2, 4, 3, 4, 5, 4, 3, 2, 1 };
    for (int shift = 0; shift <= 5; shift += 5) { /* E3, and A3 a fourth higher */
        int line[13];
        for (int k = 0; k < 13; k++)
            line[k] = FROM_E3[k] + shift;
        expect_line_fingers(HANDS_LEFT, line, 13, 0.125, EDITION, 13);
    }
}
END_TEST

START_TEST(test_auto_four_key_figure_keeps_its_position)
{
    static const int C_MAJOR[7] = { 0, 2, 4, 5, 7, 9, 11 };
    static const int BELOW[8] = { 0, 3, 5, 4, 5, 4, 3, 4 }; /* f c a b a b c b: degrees below the top */
    static const int EDITION[8] = { 1, 3, 5, 4, 5, 4, 3, 4 };
    for (int key = 0; key <= 7; key += 7) { /* C major, and G major a fifth higher */
        int line[40], expected[40];
        for (int figure = 0; figure < 5; figure++) /* from F4, E4, D4, C4, B3 */
            for (int k = 0; k < 8; k++) {
                int degree = 7 + 3 - figure - BELOW[k]; /* degrees above C3 */
                line[8 * figure + k] = 48 + 12 * (degree / 7) + C_MAJOR[degree % 7] + key;
                expected[8 * figure + k] = EDITION[k];
            }
        Fingering *f = make_for(HANDS_LEFT);
        uint32_t played = play_line(f, line, 40, 0.0, 0.125, 0.119, 0);
        expect_fingers_and_free(f, played, expected);
    }
}
END_TEST

/* A five-key group that is a line of steps going on past its edge is no hand position: the
 * hand follows the steps (Czerny op. 821 No. 17 bars 5-7 as the Peters edition prints them:
 * strokes of D5, G5, B5 and D6, 4 3 2 1 each, then E6 G6 F#6 G6 A6 G6 F#6 E6 and Eb6 E6 F#6
 * E6 D6 C6, 2 3 4 3 2 1, B5 C6 B5 and the strokes of bar 7; the group Eb6 ... C6 lies on
 * five keys, C6 D6 Eb6 E6 F#6, and took 3 4 5 4 2 1). Where no convention holds, the costs
 * give the edition's fingers with the strokes after the line in view. */
START_TEST(test_auto_step_line_leaves_its_group)
{
    const int notes[44] = { 74, 74, 74, 74, 79, 79, 79, 79, 83, 83, 83, 83, 86, 86, 86, 86, 88, 91, 90, 91, 93, 91,
                            90, 88, 87, 88, 90, 88, 86, 84, 83, 84, 83, 86, 86, 86, 79, 83, 83, 83, 81, 84, 84, 84 };
    const int edition[44] = { [23] = 1, [24] = 2, [25] = 3, [26] = 4, [27] = 3, [28] = 2, [29] = 1 };
    Fingering *f = make_for(HANDS_RIGHT);
    uint32_t played = play_line(f, notes, 44, 0.0, 0.125, 0.119, 0);
    expect_fingers_and_free(f, played, edition);
}
END_TEST

/* Saving the estimator's memory in the middle of a scale (many notes pending) and reading
 * it into a fresh estimator continues as if nothing happened. */
START_TEST(test_auto_state_round_trip)
{
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    const int steps[7] = { 0, 2, 4, 5, 7, 9, 11 };
    int notes[29];
    for (int i = 0; i <= 14; i++)
        notes[i] = 60 + 12 * (i / 7) + steps[i % 7];
    for (int i = 15; i < 29; i++)
        notes[i] = notes[28 - i];
    int whole[29], resumed[29];
    for (int pass = 0; pass < 2; pass++) {
        int *got = pass ? resumed : whole;
        Fingering *f = make(&config);
        FingerAssignment a;
        for (int i = 0; i < 29; i++) {
            if (pass && i == 12) {
                static uint8_t buffer[1 << 16];
                StateWriter w;
                state_writer_init(&w, buffer, sizeof buffer);
                fingering_state_write(f, &w);
                ck_assert(!w.overflow);
                Fingering *fresh = make(&config);
                StateReader r;
                state_reader_init(&r, buffer, w.offset);
                char err[200];
                ck_assert_msg(fingering_state_read(fresh, &r, 0.0, err, sizeof err) == 0, "%s", err);
                fingering_free(f);
                f = fresh;
            }
            fingering_note_on(f, (uint32_t)i, 0.15 * i, 0, (uint8_t)notes[i], 80, &a);
            fingering_note_off(f, 0.15 * i + 0.1, 0, (uint8_t)notes[i]);
            while (fingering_take_final(f, &a))
                got[a.id] = a.finger;
        }
        fingering_flush(f);
        while (fingering_take_final(f, &a))
            got[a.id] = a.finger;
        fingering_free(f);
    }
    for (int i = 0; i < 29; i++)
        EXPECT(whole[i] == resumed[i], "note %d: finger %d without the save, %d with it", i, whole[i] + 1,
               resumed[i] + 1);
}
END_TEST

Suite *fingering_suite(void)
{
    Suite *suite = suite_create("fingering");
    TCase *tables = tcase_create("tables");
    tcase_add_test(tables, test_pitch_names);
    tcase_add_test(tables, test_fixed_default_five_finger_position);
    tcase_add_test(tables, test_fixed_parsed_table);
    tcase_add_test(tables, test_fixed_table_errors);
    tcase_add_test(tables, test_fixed_table_reads_only_its_length);
    tcase_add_test(tables, test_config_errors);
    tcase_add_test(tables, test_channel_mode);
    tcase_add_test(tables, test_fret_mode);
    suite_add_tcase(suite, tables);
    TCase *automatic = tcase_create("auto");
    tcase_add_test(automatic, test_auto_lag_and_flush);
    tcase_add_test(automatic, test_chord_fingers_monotonic);
    tcase_add_test(automatic, test_auto_textbook_fingerings);
    tcase_add_test(automatic, test_auto_both_hands_split);
    tcase_add_test(automatic, test_conventions_follow_the_notes);
    tcase_add_test(automatic, test_conventions_hands_together_off_the_tonic);
    tcase_add_test(automatic, test_conventions_sequences);
    tcase_add_test(automatic, test_auto_sequence_after_an_upbeat);
    tcase_add_test(automatic, test_auto_sequence_read_while_it_goes_on);
    tcase_add_test(automatic, test_auto_sequence_a_third_higher);
    tcase_add_test(automatic, test_auto_lag_in_time_across_hands);
    tcase_add_test(automatic, test_auto_split_resting_and_parallel);
    tcase_add_test(automatic, test_auto_split_leap_back_stays);
    tcase_add_test(automatic, test_auto_split_wide_double_note_stays);
    tcase_add_test(automatic, test_auto_split_scale_in_sixths);
    tcase_add_test(automatic, test_auto_split_scale_in_thirds);
    tcase_add_test(automatic, test_auto_scale_in_thirds_not_quite_together);
    tcase_add_test(automatic, test_auto_arpeggio_hands_not_quite_together);
    tcase_add_test(automatic, test_auto_hands_start_low_not_quite_together);
    tcase_add_test(automatic, test_auto_line_beyond_reach_changes_hand);
    tcase_add_test(automatic, test_auto_lone_line_waits_for_its_hand);
    tcase_add_test(automatic, test_auto_split_note_struck_with_the_other_hand);
    tcase_add_test(automatic, test_auto_split_position_starts_again_after_a_pause);
    tcase_add_test(automatic, test_auto_slow_arpeggio);
    tcase_add_test(automatic, test_auto_passage_decided_at_pause);
    tcase_add_test(automatic, test_auto_split_after_a_pause);
    tcase_add_test(automatic, test_auto_split_after_both_rest);
    tcase_add_test(automatic, test_auto_key_after_a_pause);
    tcase_add_test(automatic, test_auto_fast_repeated_notes);
    tcase_add_test(automatic, test_auto_scale_then_chromatic_turn);
    tcase_add_test(automatic, test_auto_scale_then_chromatic_figure);
    tcase_add_test(automatic, test_auto_state_round_trip);
    tcase_add_test(automatic, test_auto_slurred_pairs);
    tcase_add_test(automatic, test_auto_scale_with_uneven_touch);
    tcase_add_test(automatic, test_auto_strokes_after_a_leap);
    tcase_add_test(automatic, test_auto_strokes_roll_to_the_thumb);
    tcase_add_test(automatic, test_auto_slow_repeated_notes_keep_their_finger);
    tcase_add_test(automatic, test_auto_turns_adjacent_fingers);
    tcase_add_test(automatic, test_auto_run_ends_with_its_figure);
    tcase_add_test(automatic, test_auto_broken_chord_in_one_position);
    tcase_add_test(automatic, test_auto_slurred_pairs_leave_their_line);
    tcase_add_test(automatic, test_auto_group_left_by_a_run);
    tcase_add_test(automatic, test_auto_figure_stops_at_a_run);
    tcase_add_test(automatic, test_auto_broken_groups_end_with_a_whole_group);
    tcase_add_test(automatic, test_auto_run_ends_as_passage_work);
    tcase_add_test(automatic, test_auto_rising_run_keeps_the_books_fingering);
    tcase_add_test(automatic, test_auto_four_key_figure_keeps_its_position);
    tcase_add_test(automatic, test_auto_figure_within_a_fourth_keeps_the_line_position);
    tcase_add_test(automatic, test_auto_step_line_leaves_its_group);
    tcase_add_test(automatic, test_auto_hand_shifts_at_a_rest);
    tcase_add_test(automatic, test_auto_double_thirds_weak_fingers);
    tcase_add_test(automatic, test_costs_fourth_finger_on_black);
    tcase_add_test(automatic, test_costs_three_four_five);
    suite_add_tcase(suite, automatic);
    return suite;
}
