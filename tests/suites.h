/* The Check suites that tests/main.c runs, one per module (each in tests/test_<module>.c). */
#ifndef HM_TEST_SUITES_H
#define HM_TEST_SUITES_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* make check VALGRIND=1 runs the suites under memcheck (and sets HM_VALGRIND=1), about 80 times
 * slower: tests that only run longer stretches of code other tests already run skip there. */
static inline int under_valgrind(void)
{
    const char *valgrind = getenv("HM_VALGRIND");
    return valgrind && strcmp(valgrind, "1") == 0;
}

Suite *rng_suite(void);
Suite *params_suite(void);
Suite *chart_suite(void);
Suite *model_suite(void);
Suite *metrics_suite(void);
Suite *state_suite(void);
Suite *experiments_suite(void);
Suite *fingering_suite(void);
Suite *pig_suite(void);
Suite *sonify_suite(void);
Suite *midi_suite(void);
Suite *smf_suite(void);
Suite *stimulus_suite(void);
Suite *load_suite(void);
Suite *triple_suite(void);
Suite *engine_suite(void);
Suite *files_suite(void);
Suite *profile_suite(void);
Suite *practice_log_suite(void);
Suite *event_queue_suite(void);
Suite *midi_alsa_suite(void);
Suite *practice_view_suite(void);
Suite *practice_session_suite(void);
Suite *exercises_suite(void);
Suite *schedule_suite(void);
Suite *simulate_suite(void);
Suite *everyday_suite(void);
Suite *simulation_figure_suite(void);
Suite *panel_suite(void);
Suite *note_window_suite(void);
Suite *practice_window_suite(void);
Suite *coach_suite(void);
Suite *plan_suite(void);
Suite *session_recorder_suite(void);

#endif
