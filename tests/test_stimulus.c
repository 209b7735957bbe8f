/* Coincidence-window grouping: what a chord, an arpeggio and a held note become. */
#include <check.h>

#include "stimulus.h"
#include "suites.h"

#define WINDOW 1440 /* 30 ms at 48 kHz */

START_TEST(chord_within_window_is_one_stimulus)
{
    StimulusBuilder b;
    TouchGroup out[4];
    stimulus_builder_init(&b, WINDOW);
    ck_assert_int_eq(stimulus_advance(&b, 0, 1000, out), 0);
    stimulus_touch(&b, 0, 0, 0.8f, 1000);
    ck_assert_int_eq(stimulus_advance(&b, 0, 1500, out), 0);
    stimulus_touch(&b, 0, 2, 0.6f, 1500);
    stimulus_touch(&b, 0, 4, 1.0f, 1000 + WINDOW); /* the window's last frame still counts */
    ck_assert_int_eq(stimulus_advance(&b, 0, 1000 + WINDOW, out), 0);
    ck_assert_int_eq(stimulus_advance(&b, 0, 1001 + WINDOW, out), 1);
    ck_assert_int_eq(out[0].hand, 0);
    ck_assert_uint_eq(out[0].frame, 1000);
    ck_assert_int_eq(out[0].onsets, 3);
    ck_assert_float_eq(out[0].intensity[0], 0.8f);
    ck_assert_float_eq(out[0].intensity[1], 0.0f);
    ck_assert_float_eq(out[0].intensity[2], 0.6f);
    ck_assert_float_eq(out[0].intensity[4], 1.0f);
    ck_assert_int_eq(stimulus_advance(&b, 0, 100000, out), 0); /* nothing left */
}
END_TEST

START_TEST(notes_further_apart_are_separate_stimuli)
{
    StimulusBuilder b;
    TouchGroup out[4];
    int total = 0;
    stimulus_builder_init(&b, WINDOW);
    for (int k = 0; k < 4; k++) {
        uint64_t frame = 10000u + (uint64_t)k * 6000u; /* 125 ms apart: an eighth-note run */
        total += stimulus_advance(&b, 0, frame, out);
        stimulus_touch(&b, 0, k, 0.7f, frame);
        stimulus_release(&b, 0, k);
    }
    total += stimulus_flush(&b, out, 4);
    ck_assert_int_eq(total, 4);
    ck_assert_int_eq(out[0].onsets, 1);
    ck_assert_int_eq(out[0].held, 0);
}
END_TEST

START_TEST(held_finger_joins_later_stimuli_at_reduced_intensity)
{
    StimulusBuilder b;
    TouchGroup out[4];
    stimulus_builder_init(&b, WINDOW);
    stimulus_touch(&b, 0, 4, 1.0f, 0); /* D5 holds a bass note */
    ck_assert_int_eq(stimulus_advance(&b, 0, 5000, out), 1);
    stimulus_touch(&b, 0, 1, 0.5f, 5000);
    ck_assert_int_eq(stimulus_advance(&b, 0, 10000, out), 1);
    ck_assert_int_eq(out[0].onsets, 1);
    ck_assert_int_eq(out[0].held, 1);
    ck_assert_float_eq(out[0].intensity[4], STIMULUS_HELD_FACTOR * 1.0f);
    stimulus_release(&b, 0, 4);
    stimulus_release(&b, 0, 1);
    stimulus_touch(&b, 0, 2, 0.5f, 20000);
    ck_assert_int_eq(stimulus_flush(&b, out, 4), 1);
    ck_assert_int_eq(out[0].held, 0); /* released, no longer part of it */
}
END_TEST

START_TEST(hands_are_grouped_separately)
{
    StimulusBuilder b;
    TouchGroup out[4];
    stimulus_builder_init(&b, WINDOW);
    stimulus_touch(&b, 0, 0, 0.7f, 100);
    stimulus_touch(&b, 1, 0, 0.7f, 110);
    ck_assert_int_eq(stimulus_advance(&b, 0, 100 + WINDOW + 20, out), 1);
    ck_assert_int_eq(stimulus_advance(&b, 1, 100 + WINDOW + 20, out + 1), 1);
    ck_assert_int_eq(out[0].hand, 0);
    ck_assert_int_eq(out[1].hand, 1);
    ck_assert_int_eq(out[1].onsets, 1);
    /* nonsense input is ignored */
    stimulus_touch(&b, 2, 0, 0.7f, 5000);
    stimulus_touch(&b, 0, 7, 0.7f, 5000);
    stimulus_touch(&b, 0, 1, 0.0f, 5000);
    stimulus_release(&b, -1, 0);
    ck_assert_int_eq(stimulus_flush(&b, out, 4), 0);
}
END_TEST

START_TEST(group_becomes_fingertip_touches_on_the_skin)
{
    ModelParams params;
    char err[128];
    model_params_default(&params);
    Model *model = model_create(&params, err, sizeof err);
    const Skin *skin = model_skin(model);
    TouchGroup group = {.hand = 0, .intensity = {0.0f, 0.9f, 0.0f, 0.0f, 0.0f}};
    float s[SKIN_MAX_RECEPTORS];
    stimulus_to_skin(&group, skin, s);
    int k = skin->per_digit;
    float on_d2 = 0.0f, elsewhere = 0.0f;
    for (int r = 0; r < skin->count; r++) {
        if (r / k == 1)
            on_d2 = s[r] > on_d2 ? s[r] : on_d2;
        else
            elsewhere = s[r] > elsewhere ? s[r] : elsewhere;
    }
    ck_assert_float_gt(on_d2, 0.7f);
    ck_assert_float_lt(elsewhere, 1e-6f);
    ck_assert_float_gt(s[1 * k], s[1 * k + k - 1]); /* the tip, not the base */
    model_free(model);
}
END_TEST

Suite *stimulus_suite(void)
{
    Suite *suite = suite_create("stimulus");
    TCase *grouping = tcase_create("grouping");
    tcase_add_test(grouping, chord_within_window_is_one_stimulus);
    tcase_add_test(grouping, notes_further_apart_are_separate_stimuli);
    tcase_add_test(grouping, held_finger_joins_later_stimuli_at_reduced_intensity);
    tcase_add_test(grouping, hands_are_grouped_separately);
    tcase_add_test(grouping, group_becomes_fingertip_touches_on_the_skin);
    suite_add_tcase(suite, grouping);
    return suite;
}
