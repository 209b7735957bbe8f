/* sim_start: where a simulation starts instead of the fresh ordered map: a saved engine
 * state (simulate --state FILE, e.g. one simulate --save-state wrote) or a player's profile
 * (--profile NAME), both hands, as saved. The profile is only read: nothing is written to it.
 * The simulated player keeps the schedule's parameters (plasticity, inhibition, age, ...); the
 * state gives the learned maps, so its sheet must be the schedule's. */
#ifndef HM_SIM_START_H
#define HM_SIM_START_H

#include <stddef.h>

#include "engine.h"
#include "simulate.h"

typedef struct {
    Engine *engine; /* holds the start's hands while the simulations run; NULL: fresh start */
} SimStart;

/* Loads what options->start_state or options->start_profile names (neither: nothing, 0) and
 * points options->start at its hands. Returns 0, or -1 with what was wrong in err (a
 * missing or refused file, an unknown profile, both named). Free with sim_start_free after
 * the runs. */
int sim_start_load(SimStart *start, SimOptions *options, char *err, size_t err_size);

void sim_start_free(SimStart *start);

/* Copies the learned state of start into model (simulate_run's first step when a start is
 * given). Returns 0, or -1 when the sheets or skins differ, saying which. */
int sim_start_apply(Model *model, const Model *start, const char *origin, char *err, size_t err_size);

#endif
