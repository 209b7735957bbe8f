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
    ck_assert_msg(strstr(text, "min without a break") != NULL, "%s", text);
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

Suite *load_suite(void)
{
    Suite *suite = suite_create("load");
    TCase *tc = tcase_create("practice load");
    tcase_add_test(tc, long_playing_without_break_warns_with_minutes);
    tcase_add_test(tc, short_pauses_are_not_breaks);
    tcase_add_test(tc, notes_per_minute_and_multi_finger_share);
    tcase_add_test(tc, repetitive_trill_is_flagged_varied_playing_is_not);
    tcase_add_test(tc, rising_risk_names_the_pair);
    suite_add_tcase(suite, tc);
    return suite;
}
