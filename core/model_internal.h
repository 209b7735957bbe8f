/* model_internal: the Model struct and the kernels' entry points, shared by the model's
 * semantics (model.c) and its numeric kernels (model_field.c, model_kernels.c). Nothing
 * outside core/model*.c includes it. */
#ifndef HM_MODEL_INTERNAL_H
#define HM_MODEL_INTERNAL_H

#include "model.h"

#include <stdbool.h>
#include <stddef.h>

/* A weight change below this is lost to float rounding anyway (weights live in [0, 1]),
 * so units whose learning rate falls under it are skipped. */
#define NEGLIGIBLE_RATE 1.0e-9f
/* Early-weight magnitudes below this are treated as consolidated (avoids denormals). */
#define NEGLIGIBLE_EARLY 1.0e-12f
/* Longest single step of model_elapse, so the capture resource is integrated finely. */
#define ELAPSE_STEP_S 60.0
/* Deferred settling steps (see model_present): the most steps kept, and the floats of
 * horizontal terms kept (32 sheets' worth, 128 KB at 32 x 32: a bump of 5 rows fills it in
 * 102 steps, so a settle of 100 steps never has to catch up because the history is full;
 * at 16 sheets a quarter of the stimuli did, for 10 % of the simulator's instructions). */
#define DEFER_STEPS 128
#define DEFER_TERMS(n) (32 * (size_t)(n) * (size_t)(n))

struct Model {
    ModelParams params;
    Skin skin;
    int n, units, receptors;
    size_t heap_bytes; /* what model_create allocated besides the struct (model_heap_bytes) */
    float learning_rate; /* effective gamma */
    float stimulus_weight; /* how many stimuli the one being presented stands for (model_present_weighted) */
    int lanes;           /* the widest vectors the kernels use (widest_lanes, model_limit_lanes) */

    /* learned state */
    float *weights;    /* units x receptors, w = late + early */
    float *early;      /* units x receptors */
    float *threshold;  /* units: the homeostatic threshold (v1) or gain (v2) of each unit */
    float *activity;   /* units */

    /* settling scratch */
    float *stimulus;   /* receptors */
    float *drive;      /* units: alpha (1 - |w - s|/R) - threshold (v1), alpha g cos(w, s) (v2) */
    float *norm;       /* units: |w_i| (cosine drive), valid while norms_valid */
    bool norms_valid;
    float *u, *v;      /* units */
    float *excitation, *inhibition; /* units: lateral terms of the last step */
    float *row_excitation, *row_inhibition; /* n x n: horizontal pass, one row per active row */
    /* n x n, [source * n + target]: the 1-D factors of the lateral kernels along x (with
     * amplitudes) and y (unit peak), boundary conditions included */
    float *kernel_excitation_x, *kernel_inhibition_x;
    float *kernel_excitation_y, *kernel_inhibition_y;
    int *active_rows;  /* n */
    /* units: the receptors [arbor_first, arbor_end) a unit's afferents reach (all of them
     * unless arbor_reach limits a hand's units to the digits near their home column) */
    int *arbor_first, *arbor_end;
    /* weights beyond every unit's arbor are exactly 0 (cosine drive, ordered start or a
     * loaded state) and stay 0 (learning moves them towards 0, they have no early part),
     * and every arbor starts and ends at whole lanes of 4: passes may skip them */
    bool skip_beyond_arbor;
    int *spans;        /* 2 n: per active row, its first and one past its last active unit */
    /* deferred rows (model_present): per kept step its active rows (n each), their count,
     * and where its horizontal terms start in deferred_terms; the kernels' reach */
    int *deferred_lists, *deferred_counts;
    size_t *deferred_offsets;
    float *deferred_terms;
    float *reach;      /* 4 n */
    int steps_left;
    bool learned;      /* the settled stimulus has been learned (finish is done) */

    ModelScalars scalars;
};

/* Whether the receptors and every unit's arbor bounds are whole lanes of 4. */
static inline bool model_arbors_in_lanes(const Model *m)
{
    bool whole = m->receptors % 4 == 0;
    for (int i = 0; i < m->units; i++)
        whole = whole && m->arbor_first[i] % 4 == 0 && m->arbor_end[i] % 4 == 0;
    return whole;
}

/* The receptors [*first, *end) of unit i whose weights the passes over every weight must
 * visit: the arbor where skip_beyond_arbor (a pass that skips the zeros beyond it adds the
 * same numbers to the same lanes in the same order: bit-identical), else all of them. */
static inline void model_weight_span(const Model *m, int i, int *first, int *end)
{
    const bool skip = m->skip_beyond_arbor;
    *first = skip ? m->arbor_first[i] : 0;
    *end = skip ? m->arbor_end[i] : m->receptors;
}

/* Runs at most max_steps Euler steps of the settle begun by model_settle_begin; with defer,
 * rows certified silent are deferred (the run must then be the whole settle). Returns the
 * steps still to do. model_field.c. */
int model_field_settle(Model *m, int max_steps, int defer);

/* norm[i] = |w_i| for every unit. model_kernels.c. */
void model_kernel_norms(const Model *m, float *norm);

/* dot[i] = w_i . s over the receptors [first, end) of the stimulus's touched range
 * (s is 0 elsewhere). model_kernels.c. */
void model_kernel_dots(const Model *m, const float *s, int first, int end, float *dot);

/* distance[i] = |w_i - s|_1 for every unit i, summed receptor by receptor in order (the
 * vector paths give bit-identical sums). model_kernels.c. */
void model_kernel_distances(const Model *m, const float *s, float *distance);

/* One elapse step's pass over every weight: early parts lose lost_share of themselves from
 * w and keep `keep` of themselves (negligible ones flushed to 0). Returns the sum of |early|
 * before the step; *any_left tells whether any early change is left. Leaves the norms
 * valid where it could compute them on the way (m->norms_valid). model_kernels.c. */
double model_kernel_elapse_weights(Model *m, float lost_share, float keep, bool *any_left);

#endif
