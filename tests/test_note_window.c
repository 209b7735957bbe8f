/* Notes per minute over an exact 60 s window: every note of the last minute counts once,
 * none older, whatever the order two hands deliver them in; the figure is 0 a minute after
 * the last note (a decaying average never is); a flood saturates at the ring's capacity. */
#include <check.h>

#include "load.h"
#include "note_window.h"
#include "suites.h"

static NoteWindow window; /* 64 KB: not on the test's stack */

START_TEST(counts_the_notes_of_the_last_60_s_exactly)
{
    note_window_clear(&window);
    for (int k = 0; k < 100; k++) /* one note a second from t = 0 to t = 99 */
        note_window_add(&window, k);
    ck_assert_uint_eq(note_window_count(&window, 99.0), 60);  /* 40..99 */
    ck_assert_uint_eq(note_window_count(&window, 99.5), 60);
    ck_assert_uint_eq(note_window_count(&window, 100.0), 59); /* 40 is exactly 60 s old: out */
    ck_assert_uint_eq(note_window_count(&window, 50.0), 51);  /* asking about the past: 0..50 */
    note_window_advance(&window, 130.0);
    ck_assert_uint_eq(window.count, 29); /* 71..99 kept */
    ck_assert_uint_eq(note_window_count(&window, 130.0), 29);
    ck_assert_uint_eq(note_window_count(&window, 158.9), 1);
    ck_assert_uint_eq(note_window_count(&window, 159.0), 0); /* 99 is exactly 60 s old */
}
END_TEST

START_TEST(out_of_order_onsets_take_their_place)
{
    note_window_clear(&window);
    const double onsets[] = {10.0, 12.0, 11.0, 13.0, 10.5, 14.0, 9.0};
    for (unsigned i = 0; i < sizeof onsets / sizeof onsets[0]; i++)
        note_window_add(&window, onsets[i]);
    for (uint32_t i = 1; i < window.count; i++)
        ck_assert_double_le(window.onset_s[i - 1], window.onset_s[i]);
    ck_assert_uint_eq(note_window_count(&window, 70.0), 5);  /* 10.5 .. 14 */
    ck_assert_uint_eq(note_window_count(&window, 69.5), 6);  /* 10 .. 14 */
}
END_TEST

START_TEST(a_flood_saturates_at_the_capacity)
{
    note_window_clear(&window);
    for (int k = 0; k < 3 * NOTE_WINDOW_CAPACITY; k++)
        note_window_add(&window, k * 0.001);
    double now = (3 * NOTE_WINDOW_CAPACITY - 1) * 0.001;
    ck_assert_uint_eq(note_window_count(&window, now), NOTE_WINDOW_CAPACITY);
    ck_assert_uint_eq(note_window_count(&window, now + 50.0), NOTE_WINDOW_CAPACITY);
    ck_assert_uint_eq(note_window_count(&window, now + 60.0), 0);
}
END_TEST

START_TEST(the_load_figure_is_the_exact_count)
{
    static LoadTracker load;
    load_init(&load, 120.0);
    for (int k = 0; k < 1200; k++) /* 240 notes a minute for 5 minutes: t = 0 .. 299.75 */
        load_note(&load, k * 0.25, 0, k % 5, 0.7f);
    load_advance(&load, 299.75);
    LoadFigures f;
    load_figures(&load, &f);
    ck_assert_float_eq(f.notes_per_minute, 240.0f); /* 240.0 .. 299.75 */
    load_advance(&load, 330.0);
    load_figures(&load, &f);
    ck_assert_float_eq(f.notes_per_minute, 119.0f); /* 270.25 .. 299.75 */
    load_advance(&load, 359.75);
    load_figures(&load, &f);
    ck_assert_float_eq(f.notes_per_minute, 0.0f);   /* a minute after the last note: none */
    load_note(&load, 360.0, 1, 0, 0.5f);
    load_gap(&load); /* the program closed: the window starts empty */
    load_figures(&load, &f);
    ck_assert_float_eq(f.notes_per_minute, 0.0f);
}
END_TEST

Suite *note_window_suite(void)
{
    Suite *s = suite_create("note_window");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, counts_the_notes_of_the_last_60_s_exactly);
    tcase_add_test(tc, out_of_order_onsets_take_their_place);
    tcase_add_test(tc, a_flood_saturates_at_the_capacity);
    tcase_add_test(tc, the_load_figure_is_the_exact_count);
    suite_add_tcase(s, tc);
    return s;
}
