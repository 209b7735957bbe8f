/* Practice load: what a musician is told, and when. */
#include <check.h>
#include <string.h>

#include "load.h"
#include "suites.h"

/* Plays notes every interval_s from start_s to end_s, cycling through fingers. */
static void play(LoadTracker *load, double start_s, double end_s, double interval_s, int pattern_length)
{
    int k = 0;
    for (double t = start_s; t < end_s; t += interval_s, k++)
        load_note(load, t, 0, k % pattern_length, 0.7f);
    load_advance(load, end_s);
}

START_TEST(long_playing_without_break_warns_with_minutes)
{
    LoadTracker load;
    load_init(&load, 120.0);
    Warning w;
    play(&load, 0.0, 40 * 60.0, 0.5, 5);
    load_warning(&load, &w);
    ck_assert_int_ne(w.reason, WARNING_NO_BREAK);
    play(&load, 40 * 60.0, 56 * 60.0, 0.5, 5);
    load_warning(&load, &w);
    ck_assert_int_eq(w.reason, WARNING_NO_BREAK);
    ck_assert_int_eq(w.level, WARNING_LEVEL_WARNING);
    ck_assert_float_ge(w.value, 55.0f);
    char text[160];
    load_warning_text(&w, text, sizeof text);
    ck_assert_msg(strstr(text, "min of playing without a break: rest 10 minutes now") != NULL, "%s", text);
    /* a real break resets the count */
    load_advance(&load, 56 * 60.0 + 180.0);
    load_warning(&load, &w);
    ck_assert_int_ne(w.reason, WARNING_NO_BREAK);
    LoadFigures f;
    load_figures(&load, &f);
    ck_assert(f.playing_s == 0.0);
}
END_TEST

START_TEST(short_pauses_are_not_breaks)
{
    LoadTracker load;
    load_init(&load, 120.0);
    for (int block = 0; block < 12; block++) /* 5 min of playing, 60 s pauses */
        play(&load, block * 360.0, block * 360.0 + 300.0, 0.5, 5);
    LoadFigures f;
    load_figures(&load, &f);
    ck_assert_double_ge(f.playing_s, 60 * 60.0);
}
END_TEST

START_TEST(notes_per_minute_and_multi_finger_share)
{
    LoadTracker load;
    load_init(&load, 120.0);
    play(&load, 0.0, 300.0, 0.25, 5); /* 240 notes a minute */
    LoadFigures f;
    load_figures(&load, &f);
    ck_assert_float_gt(f.notes_per_minute, 140.0f); /* a decaying count approaches 240 * (1 - 1/e) at worst */
    ck_assert_float_lt(f.notes_per_minute, 250.0f);
    for (int i = 0; i < 200; i++)
        load_stimulus(&load, 0, i % 2 ? 3 : 1);
    load_figures(&load, &f);
    ck_assert_float_gt(f.multi_finger_share, 0.4f);
    ck_assert_float_lt(f.multi_finger_share, 0.6f);
    ck_assert_uint_eq(f.notes, 1200);
}
END_TEST

START_TEST(repetitive_trill_is_flagged_varied_playing_is_not)
{
    LoadTracker varied, trill;
    load_init(&varied, 120.0);
    load_init(&trill, 120.0);
    /* varied: pseudo-random fingers; trill: 2-3-2-3 */
    uint32_t x = 12345;
    for (int i = 0; i < 2000; i++) {
        x = x * 1103515245u + 12345u;
        load_note(&varied, i * 0.2, 0, (int)((x >> 16) % 5), 0.7f);
        load_note(&trill, i * 0.2, 0, 1 + i % 2, 0.7f);
    }
    LoadFigures fv, ft;
    load_figures(&varied, &fv);
    load_figures(&trill, &ft);
    ck_assert_float_lt(fv.repetitiveness, 0.3f);
    ck_assert_float_gt(ft.repetitiveness, 0.8f);
    Warning w;
    load_warning(&trill, &w);
    ck_assert_int_eq(w.reason, WARNING_REPETITIVE);
}
END_TEST

START_TEST(rising_risk_names_the_pair)
{
    LoadTracker load;
    load_init(&load, 120.0);
    Warning w;
    for (int minute = 0; minute < 30; minute++) {
        load_note(&load, minute * 60.0, 0, 2, 0.7f);
        load_risk(&load, minute * 60.0, 0, 0.1f + 0.01f * (float)minute, 2);
    }
    load_warning(&load, &w);
    ck_assert_int_eq(w.reason, WARNING_RISK_RISING);
    ck_assert_int_eq(w.pair, 2);
    char text[160];
    load_warning_text(&w, text, sizeof text);
    ck_assert_msg(strstr(text, "D3-D4") != NULL, "%s", text);
    /* a flat risk gives no such warning */
    LoadTracker flat;
    load_init(&flat, 120.0);
    for (int minute = 0; minute < 30; minute++)
        load_risk(&flat, minute * 60.0, 0, 0.2f, 1);
    load_warning(&flat, &w);
    ck_assert_int_ne(w.reason, WARNING_RISK_RISING);
}
END_TEST

/* Plays a finger figure (0 thumb .. 4 little) over and over with one hand, a note every
 * interval_s, up to end_s; the warning shown is checked every 10 s: returns the first
 * warning's reason seen (WARNING_NONE for none). */
static WarningReason practise_figure(LoadTracker *load, const int *figure, int length, double end_s,
                                     double interval_s, int hand)
{
    WarningReason seen = WARNING_NONE;
    double next_look = 10.0;
    int k = 0;
    for (double t = 0.0; t < end_s; t += interval_s, k++) {
        load_note(load, t, hand, figure[k % length], 0.7f);
        if (t >= next_look) {
            Warning w;
            load_warning_to_show(load, &w);
            if (w.level != WARNING_LEVEL_NONE && seen == WARNING_NONE)
                seen = w.reason;
            next_look += 10.0;
        }
    }
    return seen;
}

/* Ordinary scale and exercise practice (issue 18: the repetition advice nagged on every scale
 * and Hanon exercise) raises no warning in 30 minutes at four notes a second, with either
 * hand; a trill does. */
START_TEST(scales_and_exercises_raise_no_warning)
{
    static const int scale[] = {0, 1, 2, 0, 1, 2, 3, 4, 3, 2, 1, 0, 2, 1}; /* C major, up and down, thumb under */
    static const int hanon_1[] = {0, 1, 2, 3, 4, 3, 2, 1};                 /* Hanon no. 1, right hand */
    static const int hanon_1_left[] = {4, 3, 2, 1, 0, 1, 2, 3};            /* and left */
    static const int five_finger[] = {0, 1, 2, 3, 4, 3, 2, 1, 0};
    static const int arpeggio[] = {0, 1, 2, 4, 2, 1};
    static const int trill[] = {1, 2};
    const struct {
        const char *name;
        const int *figure;
        int length, hand;
    } cases[] = {{"scale", scale, 14, 0},         {"Hanon 1", hanon_1, 8, 0},  {"Hanon 1 left", hanon_1_left, 8, 1},
                 {"five-finger", five_finger, 9, 0}, {"arpeggio", arpeggio, 6, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        LoadTracker load;
        load_init(&load, 120.0);
        WarningReason seen = practise_figure(&load, cases[i].figure, cases[i].length, 30 * 60.0, 0.25, cases[i].hand);
        ck_assert_msg(seen == WARNING_NONE, "%s: warning %d", cases[i].name, (int)seen);
    }
    LoadTracker load;
    load_init(&load, 120.0);
    ck_assert_int_eq(practise_figure(&load, trill, 2, 5 * 60.0, 0.25, 0), WARNING_REPETITIVE);
}
END_TEST

/* A warning is shown once with its reason and advice, then quiet for the cool-down, then
 * said again if it still stands; the figure the status shows is the advice's. */
START_TEST(a_warning_is_said_once_per_cool_down)
{
    LoadTracker load;
    load_init(&load, 120.0);
    static const int trill[] = {1, 2};
    practise_figure(&load, trill, 2, 2 * 60.0, 0.25, 0); /* 480 notes: enough to judge */
    Warning w;
    load_warning_to_show(&load, &w);
    ck_assert_int_eq(w.reason, WARNING_REPETITIVE);
    LoadFigures f;
    load_figures(&load, &f);
    ck_assert_float_eq_tol(100.0f * f.repetitiveness, w.value, 1e-3f); /* one figure per fact */
    char text[160];
    load_warning_text(&w, text, sizeof text);
    ck_assert_msg(strstr(text, "right hand: one figure on few fingers") && strstr(text, ": switch to "), "%s", text);
    int shown = 0, said = 0, was_shown = 1; /* shown since 120 s */
    for (double t = 120.0; t < 120.0 + 25 * 60.0; t += 0.25) { /* 25 more minutes of the trill */
        load_note(&load, t, 0, 1 + (int)(t * 4) % 2, 0.7f);
        load_warning_to_show(&load, &w);
        int now_shown = w.level != WARNING_LEVEL_NONE;
        shown += now_shown;
        said += now_shown && !was_shown;
        was_shown = now_shown;
    }
    /* shown from 120 s to 180 s, then at 720 s and 1320 s (every 10 minutes), a minute each */
    ck_assert_int_eq(said, 2);
    ck_assert_msg(shown > 2 * 4 * 50 && shown < 3 * 4 * 61, "shown in %d quarter seconds", shown);
    load_warning(&load, &w); /* while quiet, the condition itself still stands */
    ck_assert_int_eq(w.reason, WARNING_REPETITIVE);
}
END_TEST

Suite *load_suite(void)
{
    Suite *suite = suite_create("load");
    TCase *tc = tcase_create("practice load");
    tcase_add_test(tc, long_playing_without_break_warns_with_minutes);
    tcase_add_test(tc, scales_and_exercises_raise_no_warning);
    tcase_add_test(tc, a_warning_is_said_once_per_cool_down);
    tcase_add_test(tc, short_pauses_are_not_breaks);
    tcase_add_test(tc, notes_per_minute_and_multi_finger_share);
    tcase_add_test(tc, repetitive_trill_is_flagged_varied_playing_is_not);
    tcase_add_test(tc, rising_risk_names_the_pair);
    suite_add_tcase(suite, tc);
    return suite;
}
