/* Runs every Check suite; CK_RUN_SUITE=name or CK_RUN_CASE=name selects a part. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *runner = srunner_create(rng_suite());
    srunner_add_suite(runner, params_suite());
    srunner_add_suite(runner, chart_suite());
    srunner_add_suite(runner, model_suite());
    srunner_add_suite(runner, metrics_suite());
    srunner_add_suite(runner, state_suite());
    srunner_add_suite(runner, experiments_suite());
    srunner_add_suite(runner, fingering_suite());
    srunner_add_suite(runner, pig_suite());
    srunner_add_suite(runner, sonify_suite());
    srunner_add_suite(runner, midi_suite());
    srunner_add_suite(runner, smf_suite());
    srunner_add_suite(runner, stimulus_suite());
    srunner_add_suite(runner, load_suite());
    srunner_add_suite(runner, triple_suite());
    srunner_add_suite(runner, engine_suite());
    srunner_add_suite(runner, files_suite());
    srunner_add_suite(runner, profile_suite());
    srunner_add_suite(runner, practice_log_suite());
    srunner_add_suite(runner, event_queue_suite());
    srunner_add_suite(runner, midi_alsa_suite());
    srunner_add_suite(runner, practice_view_suite());
    srunner_add_suite(runner, practice_session_suite());
    srunner_add_suite(runner, exercises_suite());
    srunner_add_suite(runner, schedule_suite());
    srunner_add_suite(runner, simulate_suite());
    srunner_add_suite(runner, everyday_suite());
    srunner_add_suite(runner, simulation_figure_suite());
    srunner_add_suite(runner, panel_suite());
    srunner_add_suite(runner, note_window_suite());
    srunner_add_suite(runner, practice_window_suite());
    srunner_add_suite(runner, coach_suite());
    srunner_add_suite(runner, plan_suite());
    srunner_add_suite(runner, session_recorder_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
