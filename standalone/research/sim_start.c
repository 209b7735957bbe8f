/* sim_start: a simulation started from a saved state or a profile. */
#include "sim_start.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine_file.h"
#include "profile.h"

int sim_start_load(SimStart *start, SimOptions *o, char *err, size_t err_size)
{
    memset(start, 0, sizeof *start);
    if (o->start_state && o->start_profile) {
        snprintf(err, err_size, "--state and --profile both give a start; give one");
        return -1;
    }
    const char *path = o->start_state;
    ProfilePaths paths;
    if (o->start_profile) {
        if (profile_paths(o->start_profile, &paths, err, err_size) != 0)
            return -1;
        if (access(paths.state_path, F_OK) != 0) {
            snprintf(err, err_size, "no profile '%s' (looked for %s)", o->start_profile, paths.state_path);
            return -1;
        }
        path = paths.state_path;
    }
    if (!path)
        return 0;
    EngineConfig base;
    engine_config_default(&base, CLI_DEFAULT_RATE, CLI_DEFAULT_BLOCK);
    start->engine = engine_file_read_as_saved(path, &base); /* reads only; prints why it refuses */
    if (!start->engine) {
        snprintf(err, err_size, "cannot start from '%s'", path);
        return -1;
    }
    snprintf(o->start_origin, sizeof o->start_origin, "%.500s", path);
    for (int h = 0; h < SIM_HANDS; h++)
        o->start[h] = engine_model(start->engine, h);
    return 0;
}

void sim_start_free(SimStart *start)
{
    engine_free(start->engine);
    start->engine = NULL;
}

int sim_start_apply(Model *model, const Model *start, const char *origin, char *err, size_t err_size)
{
    const ModelParams *want = model_get_params(model), *have = model_get_params(start);
    if (model_unit_count(model) != model_unit_count(start) ||
        model_receptor_count(model) != model_receptor_count(start)) {
        snprintf(err, err_size,
                 "the start state '%s' has a %d x %d sheet with %d receptors a digit, the schedule's player a "
                 "%d x %d sheet with %d: set sheet = %d in [player]",
                 origin, have->sheet_size, have->sheet_size, have->receptors_per_digit, want->sheet_size,
                 want->sheet_size, want->receptors_per_digit, have->sheet_size);
        return -1;
    }
    if (want->homeostasis_rule != have->homeostasis_rule) {
        snprintf(err, err_size, "the start state '%s' was saved with homeostasis_rule %d, the schedule's player has %d",
                 origin, (int)have->homeostasis_rule, (int)want->homeostasis_rule);
        return -1;
    }
    ModelScalars scalars, own;
    model_get_scalars(start, &scalars);
    model_get_scalars(model, &own);
    scalars.rng = own.rng; /* the run's seed still decides the model's own randomness */
    model_set_state(model, &scalars, model_weights(start), model_early(start), model_thresholds(start),
                    model_activity(start));
    return 0;
}
