/* simulate: a schedule played by a simulated player. Exercises become timed finger
 * events (exercises.h), touches within the coincidence window become one stimulus
 * (core/stimulus.h, as in the engine), and each hand's model (core/model.h) learns from
 * them; the time between stimuli, breaks and the hours between sessions pass awake,
 * nights asleep. Metrics are taken at the schedule's measurement points. Deterministic:
 * the same schedule and seed give bit-identical results. */
#ifndef HM_SIMULATE_H
#define HM_SIMULATE_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "metrics.h"
#include "schedule.h"

#define SIM_HANDS 2

typedef struct {
    char label[16];       /* start, practice, session, before_sleep, after_sleep, end */
    int day;              /* 1-based calendar day */
    double time_h;        /* simulated hours since the first wake-up */
    double practice_h;    /* hours of practice played so far (passive stimulation excluded) */
    uint64_t stimuli[SIM_HANDS]; /* stimuli formed so far */
    MapMetrics map[SIM_HANDS];
    float early_share[SIM_HANDS]; /* share of the weights' magnitude still in the early component */
    float age_years;      /* the player's age (advancing with the calendar when the schedule ages) */
} SimPoint;

typedef struct {
    int fast_factor;      /* 1: every stimulus; k > 1: every k-th, with k x the learning rate */
    int lanes;            /* 0: the widest vectors this machine runs; else the models are held to
                             that many lanes (model_limit_lanes: the same results; for benches) */
    int has_seed;
    uint32_t seed;        /* replaces the schedule's seed when has_seed */
    /* called after each session and day with the share of the run done, 1 at the end */
    void (*progress)(void *user, double fraction);
    void *progress_user;
    /* called after each measurement point with both hands' models (long-run checks) */
    void (*measured)(void *user, const SimPoint *point, const Model *const *models);
    void *measured_user;
    const char *start_state;    /* --state FILE: start from a saved engine state (sim_start.h) */
    const char *start_profile;  /* --profile NAME: start from a player's profile, read-only */
    const Model *start[SIM_HANDS]; /* the loaded start's hands (NULL: the fresh ordered map) */
    char start_origin[512];     /* the file they came from, for messages */
    /* also let the hands the schedule does not play live through it (their everyday use and
     * nights), for a saved state of both hands (simulate_make_engine); without it such a hand
     * stays as it started and is not measured. The played hands' results are the same either
     * way: nothing of one hand reads the other. */
    int all_hands;
} SimOptions;

typedef struct {
    SimPoint *points;
    int count;
    Model *model[SIM_HANDS]; /* the models at the end (fast mode: with the scaled rates) */
    uint32_t seed;
    int fast_factor;
    HandChoice hands;
} SimResult;

#define SIM_FAST_DEFAULT 16 /* --fast: one stimulus in 16 */

/* Defaults: full resolution, the schedule's seed, no progress. */
void simulate_options_default(SimOptions *options);

/* The options simulate, compare and sweep share, by long option name: "seed" (0..2^32-1),
 * "fast" (value NULL: SIM_FAST_DEFAULT), "fast-factor" (1..10000), "state" (a file) and
 * "profile" (a profile name; both loaded later by sim_start_load) and, where jobs is not
 * NULL, "jobs" (1..256 threads). Returns 0, or -1 with what was expected in err. */
int simulate_set_option(SimOptions *options, int *jobs, const char *name, const char *value, char *err,
                        size_t err_size);

/* The --help lines of those options. */
extern const char SIMULATE_OPTIONS_HELP[];

/* Plays the whole schedule. Returns 0 and fills *result (free with simulate_result_free),
 * or -1 with the reason in err (bad fast factor, no memory). */
int simulate_run(const Schedule *schedule, const SimOptions *options, SimResult *result, char *err,
                 size_t err_size);

void simulate_result_free(SimResult *result);

/* The hand indices a result reports (the player's hands): fills hands[], returns 1 or 2. */
int simulate_hands(HandChoice hands, int *out);

/* The CSV table of every measurement point, one row per point and hand, fixed precision. */
void simulate_write_csv(FILE *out, const SimResult *result);

/* The same table's header and one point's rows, each line starting with leading (extra
 * columns such as "schedule," for tables that gather several simulations). */
void simulate_csv_header(FILE *out, const char *leading);
void simulate_csv_rows(FILE *out, const char *leading, const SimResult *result, int point);

/* Writes what write prints to path atomically (files.h), or to stdout for "-". Returns 0,
 * or -1 with err. */
int simulate_save_text(const char *path, void (*write)(FILE *out, const void *context), const void *context,
                       char *err, size_t err_size);

/* One simulation of a batch: filled in by the caller, result and status by the run. */
typedef struct {
    const Schedule *schedule;
    SimOptions options;
    SimResult result;
    int status;       /* 0, or -1 with err */
    char err[512];
} SimJob;

/* Runs jobs on up to threads threads (the caller's included). Results do not depend on
 * the number of threads. Returns how many jobs failed. */
int simulate_run_jobs(SimJob *jobs, int count, int threads);

/* The same as one JSON document. */
void simulate_write_json(FILE *out, const char *schedule_path, const SimResult *result);

/* An engine (default real-time configuration, the schedule's player as its model) holding
 * the simulated hands' learned state: for saving a state the program and the plugin load.
 * NULL with the reason in err. */
Engine *simulate_make_engine(const Schedule *schedule, const SimResult *result, char *err, size_t err_size);

#endif
