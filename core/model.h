/* model: one hand's cortical finger map, a dynamic-neural-field self-organising map
 * (DNF-SOM, Detorakis & Rougier 2012) with homeostasis (model v2: a cosine drive scaled by
 * per-unit gains; v1: L1 drive less per-unit thresholds) and two timescales
 * of plasticity. All memory is allocated by model_create; nothing after it allocates,
 * reads a clock or touches global state. docs/model.md has the equations. */
#ifndef HM_MODEL_H
#define HM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "params.h"
#include "rng.h"
#include "skin.h"

#ifndef HM_REALTIME
#define HM_REALTIME /* marks functions safe to call from an audio thread */
#endif

typedef struct Model Model;

/* What the model is doing while time passes without stimuli. */
typedef enum { MODEL_AWAKE = 0, MODEL_ASLEEP = 1 } Vigilance;

/* Synaptic scaling integrates at most this much awake time between two stimuli: a longer
 * gap without any touch is time the hand is not in use (docs/model.md §3.5). */
#define SCALING_USE_CAP_S 300.0

/* The model's scalar dynamic state (what, besides the arrays, a saved state must carry). */
typedef struct {
    double time_s;          /* model time elapsed since creation */
    uint64_t stimuli;       /* stimuli learned from since creation */
    float capture_resource; /* 0..1, what is left for consolidating early changes */
    double use_since_stimulus_s; /* awake time since the last stimulus, at most SCALING_USE_CAP_S:
                                  * the time synaptic scaling integrates at the next one */
    Rng rng;
} ModelScalars;

/* Creates a model from validated params: lays out the skin, sizes every buffer and
 * sets the starting map. Returns NULL with a message in err on bad params or no memory. */
Model *model_create(const ModelParams *params, char *err, size_t err_size);

/* Frees a model; NULL is allowed. */
void model_free(Model *model);

const ModelParams *model_get_params(const Model *model);
const Skin *model_skin(const Model *model);
int model_sheet_size(const Model *model);  /* n */
int model_unit_count(const Model *model);  /* n * n, row-major */
size_t model_heap_bytes(const Model *model); /* everything model_create allocated (bench/) */
int model_receptor_count(const Model *model);

/* Presents one stimulus (receptor activations in [0, 1]): settles the field, learns and
 * updates the homeostatic gains (or thresholds). */
HM_REALTIME void model_present(Model *model, const float *stimulus);

/* model_present for a stimulus that stands for weight (>= 1) stimuli of a sampled stream (a
 * background presented one touch in weight): learning and the smoothing of activity (and
 * the v1 thresholds' rate) act weight times as strongly, capped at 1, as the simulator's
 * fast mode does for every stimulus; time-based processes are the caller's (model_elapse). */
HM_REALTIME void model_present_weighted(Model *model, const float *stimulus, float weight);

/* The same work split for real-time use: begin (computes the input drive), run at most
 * max_steps Euler steps (returns the steps still to do), and finish (learning and
 * homeostasis) once run has returned 0. The split gives bit-identical results to
 * model_present whatever the step budgets. */
HM_REALTIME void model_settle_begin(Model *model, const float *stimulus);
HM_REALTIME int model_settle_run(Model *model, int max_steps);
HM_REALTIME void model_settle_finish(Model *model);

/* Lets seconds of model time pass without stimuli: early changes decay and are partly
 * consolidated, faster asleep; the capture resource recovers. Non-positive or
 * non-finite seconds are ignored. */
HM_REALTIME void model_elapse(Model *model, double seconds, Vigilance vigilance);

/* The feed-forward drive of every unit to a stimulus: alpha cos(w_i, s) (model v2) or
 * alpha (1 - |w_i - s|_1 / R) (v1), without gains or thresholds, learning or any change to
 * the model's state (v2 may refresh its cache of |w_i|, so not concurrently with the model's
 * own thread). */
HM_REALTIME void model_drive(const Model *model, const float *stimulus, float *drive);

/* Read-only views, each of model_unit_count rows (weights: x model_receptor_count). */
const float *model_weights(const Model *model);    /* w = late + early */
const float *model_early(const Model *model);      /* the labile component */
const float *model_thresholds(const Model *model); /* per unit: threshold (homeostasis_rule 0) or gain (1) */
const float *model_activity(const Model *model);   /* each unit's average activity */
const float *model_field(const Model *model);      /* last settled field max(u, 0) */

void model_get_scalars(const Model *model, ModelScalars *scalars);

/* Replaces the learned state wholesale (used when loading a saved state). Arrays must
 * have this model's sizes; the caller has validated them. */
void model_set_state(Model *model, const ModelScalars *scalars, const float *weights,
                     const float *early, const float *thresholds, const float *activity);

/* Changes the player's controls on a running model, keeping what it has learned: the
 * plasticity gain and age set the learning rate, the surround inhibition strength the
 * inhibition kernel (a settle in progress continues with the new kernel). Values are
 * clamped to the parameter table's ranges; NaN keeps a control as it is. Real-time safe:
 * O(n^2) arithmetic, nothing allocated. */
HM_REALTIME void model_set_controls(Model *model, float plasticity_gain, float inhibition_strength, float age_years);

/* Holds the model's numeric kernels to vectors of at most lanes floats (4, 8 or 16; by
 * default the widest this machine runs). Results never depend on it: every width does the
 * same operations lane by lane. For tests that compare the vector paths. */
void model_limit_lanes(Model *model, int lanes);

/* The effective learning rate: learning_rate x plasticity_gain x age factor. */
float model_learning_rate(const Model *model);

#endif
