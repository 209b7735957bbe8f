/* Exercise generators and recordings: what a player's fingers do, in time order. */
#include <check.h>
#include <string.h>

#include "exercises.h"
#include "suites.h"

/* Plays an exercise to the end, checking order and pairing; returns onsets per finger. */
static uint64_t play_all(const ExerciseSpec *spec, uint64_t onsets[2][5], double *last_s)
{
    ExercisePlayer player;
    exercise_start(&player, spec, 42);
    ExerciseEvent e;
    int down[2][5] = {{0}};
    double previous = -1.0;
    uint64_t total = 0;
    memset(onsets, 0, 2 * 5 * sizeof onsets[0][0]);
    while (exercise_next(&player, &e)) {
        ck_assert(e.time_s >= previous);
        ck_assert(e.time_s < spec->duration_s + spec->step_s);
        previous = e.time_s;
        ck_assert(e.hand == 0 || e.hand == 1);
        ck_assert(e.finger >= 0 && e.finger < 5);
        if (e.velocity > 0) {
            ck_assert_msg(!down[e.hand][e.finger], "finger %d pressed again before its release", e.finger);
            down[e.hand][e.finger] = 1;
            onsets[e.hand][e.finger]++;
            total++;
        } else {
            ck_assert(down[e.hand][e.finger]);
            down[e.hand][e.finger] = 0;
        }
    }
    for (int h = 0; h < 2; h++)
        for (int f = 0; f < 5; f++)
            ck_assert_int_eq(down[h][f], 0);
    *last_s = previous;
    return total;
}

START_TEST(scale_uses_every_finger_of_one_hand)
{
    ExerciseSpec spec;
    exercise_spec_default(&spec, EXERCISE_SCALE);
    spec.duration_s = 14 * 0.15 * 10; /* ten passes */
    ck_assert_int_eq(exercise_spec_check(&spec, (char[100]){0}, 100), 0);
    uint64_t onsets[2][5];
    double last;
    uint64_t total = play_all(&spec, onsets, &last);
    ck_assert_uint_eq(total, exercise_onset_count(&spec));
    ck_assert_uint_eq(total, 140);
    for (int f = 0; f < 5; f++) {
        ck_assert_uint_gt(onsets[0][f], 0);
        ck_assert_uint_eq(onsets[1][f], 0);
    }
    ck_assert_uint_eq(onsets[0][0], 30); /* the thumb plays 3 of the 14 notes */
}
END_TEST

START_TEST(both_hands_play_in_parallel)
{
    ExerciseSpec spec;
    exercise_spec_default(&spec, EXERCISE_FIVE_FINGER);
    spec.hands = HANDS_BOTH;
    spec.duration_s = 8 * 0.15;
    uint64_t onsets[2][5];
    double last;
    ck_assert_uint_eq(play_all(&spec, onsets, &last), 16);
    for (int f = 0; f < 5; f++)
        ck_assert_uint_eq(onsets[0][f], onsets[1][f]);
}
END_TEST

START_TEST(trill_alternates_its_two_fingers)
{
    ExerciseSpec spec;
    exercise_spec_default(&spec, EXERCISE_TRILL);
    spec.fingers[0] = 2, spec.fingers[1] = 3;
    spec.duration_s = 3.0;
    ExercisePlayer player;
    exercise_start(&player, &spec, 1);
    ExerciseEvent e;
    int expected = 2, onsets = 0;
    while (exercise_next(&player, &e))
        if (e.velocity > 0) {
            ck_assert_int_eq(e.finger, expected);
            expected = expected == 2 ? 3 : 2;
            onsets++;
        }
    ck_assert_int_eq(onsets, 20);
}
END_TEST

START_TEST(chord_fingers_start_together)
{
    ExerciseSpec spec;
    exercise_spec_default(&spec, EXERCISE_CHORD);
    spec.duration_s = 6.0;
    ExercisePlayer player;
    exercise_start(&player, &spec, 1);
    ExerciseEvent e;
    int onsets = 0;
    double step_time = -1.0;
    while (exercise_next(&player, &e))
        if (e.velocity > 0) {
            if (onsets % 3 == 0)
                step_time = e.time_s;
            ck_assert_double_eq(e.time_s, step_time);
            onsets++;
        }
    ck_assert_int_eq(onsets, 30); /* ten chords of three fingers */
}
END_TEST

START_TEST(random_fingers_depend_on_the_seed_only)
{
    ExerciseSpec spec;
    exercise_spec_default(&spec, EXERCISE_RANDOM);
    spec.duration_s = 30.0;
    int8_t a[400], b[400], c[400];
    int8_t *runs[3] = {a, b, c};
    uint64_t seeds[3] = {5, 5, 6};
    for (int r = 0; r < 3; r++) {
        ExercisePlayer player;
        exercise_start(&player, &spec, seeds[r]);
        ExerciseEvent e;
        int n = 0;
        while (exercise_next(&player, &e))
            if (e.velocity > 0 && n < 400)
                runs[r][n++] = e.finger;
        ck_assert_int_eq(n, 200);
    }
    ck_assert_mem_eq(a, b, 200);
    ck_assert(memcmp(a, c, 200) != 0);
}
END_TEST

START_TEST(bad_specs_are_refused)
{
    char err[200];
    ExerciseSpec spec;
    exercise_spec_default(&spec, EXERCISE_TRILL);
    spec.fingers[1] = spec.fingers[0];
    ck_assert_int_eq(exercise_spec_check(&spec, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "two different fingers"));
    exercise_spec_default(&spec, EXERCISE_SCALE);
    spec.step_s = 0.001;
    ck_assert_int_eq(exercise_spec_check(&spec, err, sizeof err), -1);
    exercise_spec_default(&spec, EXERCISE_SCALE);
    spec.duration_s = 0.0;
    ck_assert_int_eq(exercise_spec_check(&spec, err, sizeof err), -1);
    ck_assert_int_eq(exercise_kind_from_name("five_finger"), EXERCISE_FIVE_FINGER);
    ck_assert_int_eq(exercise_kind_from_name("tremolo"), -1);
}
END_TEST

START_TEST(pig_recording_keeps_its_fingers_and_loops)
{
    char err[300];
    ExerciseRecording recording;
    ck_assert_msg(exercise_recording_from_pig("tests/fixtures/fingering/small_pig.txt", &recording, err, sizeof err) ==
                      0,
                  "%s", err);
    ck_assert_uint_eq(recording.count, 18); /* nine notes, on and off */
    ck_assert_int_eq(recording.events[0].velocity > 0 ? recording.events[0].finger : -9, 0);
    ExerciseSpec spec;
    exercise_spec_default(&spec, EXERCISE_RECORDING);
    spec.recording = &recording;
    spec.velocity_spread = 0;
    spec.duration_s = 3 * recording.length_s;
    ck_assert_int_eq(exercise_spec_check(&spec, err, sizeof err), 0);
    uint64_t onsets[2][5];
    double last;
    ck_assert_uint_eq(play_all(&spec, onsets, &last), 27);
    ck_assert_uint_gt(onsets[1][4], 0); /* the left hand's little finger plays the bass */
    exercise_recording_free(&recording);
}
END_TEST

START_TEST(midi_recording_is_fingered)
{
    char err[300];
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    config.hands = HANDS_RIGHT;
    ExerciseRecording recording;
    ck_assert_msg(exercise_recording_from_midi("tests/fixtures/midi/c_major_scale_format0.mid", &config, &recording,
                                               err, sizeof err) == 0,
                  "%s", err);
    ck_assert_uint_gt(recording.count, 8);
    int fingers_used = 0;
    for (size_t i = 0; i < recording.count; i++) {
        ck_assert_int_eq(recording.events[i].hand, HAND_RIGHT);
        if (recording.events[i].velocity > 0)
            fingers_used |= 1 << recording.events[i].finger;
    }
    ck_assert_int_ge(__builtin_popcount((unsigned)fingers_used), 3);
    exercise_recording_free(&recording);
    ck_assert_int_eq(exercise_recording_from_midi("tests/fixtures/midi/none.mid", &config, &recording, err, sizeof err),
                     -1);
    ck_assert_ptr_nonnull(strstr(err, "none.mid"));
}
END_TEST

Suite *exercises_suite(void)
{
    Suite *suite = suite_create("exercises");
    TCase *generated = tcase_create("generated");
    tcase_add_test(generated, scale_uses_every_finger_of_one_hand);
    tcase_add_test(generated, both_hands_play_in_parallel);
    tcase_add_test(generated, trill_alternates_its_two_fingers);
    tcase_add_test(generated, chord_fingers_start_together);
    tcase_add_test(generated, random_fingers_depend_on_the_seed_only);
    tcase_add_test(generated, bad_specs_are_refused);
    suite_add_tcase(suite, generated);
    TCase *recorded = tcase_create("recorded");
    tcase_add_test(recorded, pig_recording_keeps_its_fingers_and_loops);
    tcase_add_test(recorded, midi_recording_is_fingered);
    suite_add_tcase(suite, recorded);
    return suite;
}
