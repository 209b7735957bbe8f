/* The DNF-SOM of one hand: drive, field settling, learning, homeostasis, two timescales. */
#include "model_internal.h"
#include "model_vector.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The model's arrays, zeroed, their bytes counted in m->heap_bytes (model_heap_bytes). */
static void *alloc_floats(Model *m, size_t count)
{
    /* 32-byte alignment lets the compiler use aligned vector loads */
    size_t bytes = (count * sizeof(float) + 31u) & ~(size_t)31u;
    void *p = aligned_alloc(32, bytes ? bytes : 32);
    if (p) {
        memset(p, 0, bytes ? bytes : 32);
        m->heap_bytes += bytes ? bytes : 32;
    }
    return p;
}

static void *alloc_zeroed(Model *m, size_t count, size_t size)
{
    void *p = calloc(count, size);
    if (p)
        m->heap_bytes += count * size;
    return p;
}

/* One 1-D factor of a lateral kernel as an n x n matrix [source * n + target], distances
 * in units of the sheet width. On a torus offsets wrap (as the published FFT convolution
 * does). On a bounded sheet the kernel stops at the edges; for the inhibition factor each
 * target is then scaled by (kernel mass at the centre) / (kernel mass inside the sheet at
 * the target) — normalised convolution. Surround inhibition is nearly as wide as the
 * sheet, so without that an edge unit escapes a quarter of it, a corner unit nearly
 * half, and every bump drifts into a corner whatever the input. Excitation is left
 * truncated: boosting it at the edges would make edge bumps run away. */
static float gaussian(int steps, int n, float width)
{
    float d = (float)steps / (float)n;
    return expf(-0.5f * (d / width) * (d / width));
}

static float kernel_mass(int target, int n, float width)
{
    float mass = 0.0f;
    for (int source = 0; source < n; source++)
        mass += gaussian(abs(target - source), n, width);
    return mass;
}

static void fill_kernel(float *kernel, int n, int torus, float width, float amplitude, int normalise_edges)
{
    const float centre_mass = kernel_mass(n / 2, n, width);
    for (int target = 0; target < n; target++) {
        float gain = amplitude;
        if (!torus && normalise_edges)
            gain *= centre_mass / kernel_mass(target, n, width);
        for (int source = 0; source < n; source++) {
            int steps = abs(target - source);
            if (torus && n - steps < steps)
                steps = n - steps;
            kernel[source * n + target] = gain * gaussian(steps, n, width);
        }
    }
}

static void init_ordered_hand(Model *m, Rng *rng)
{
    const ModelParams *p = &m->params;
    int n = m->n, k = m->skin.per_digit;
    /* The starting receptive field spans about as much of the digit as a touch does. */
    float width = p->touch_width;
    for (int row = 0; row < n; row++)
        for (int col = 0; col < n; col++) {
            int unit = row * n + col;
            int digit = col * SKIN_DIGITS / n;
            float along = (float)row / (float)(n - 1);
            float *w = m->weights + (size_t)unit * (size_t)m->receptors;
            for (int r = 0; r < m->receptors; r++) {
                float value = p->weight_init_noise * rng_uniform(rng);
                if (p->drive_rule == DRIVE_COSINE && (r < m->arbor_first[unit] || r >= m->arbor_end[unit]))
                    value = 0.0f; /* no afferent synapse beyond the arbor */
                if (r / k == digit) {
                    float d = m->skin.y[r] - along;
                    value += expf(-d * d / (2.0f * width * width));
                }
                w[r] = value > 1.0f ? 1.0f : value;
            }
        }
}

/* Thalamocortical arbors are local: a unit at column col, whose home is digit coordinate
 * (col + 0.5) * 5 / n - 0.5, reaches only the digits within arbor_reach of it. */
static void set_arbors(Model *m)
{
    const ModelParams *p = &m->params;
    int n = m->n, k = m->skin.per_digit;
    bool limited = p->arbor_reach > 0.0f && p->skin_layout == SKIN_HAND && k > 0;
    for (int unit = 0; unit < m->units; unit++) {
        m->arbor_first[unit] = 0;
        m->arbor_end[unit] = m->receptors;
        if (!limited)
            continue;
        float home = ((float)(unit % n) + 0.5f) * (float)SKIN_DIGITS / (float)n - 0.5f;
        int first = (int)ceilf(home - p->arbor_reach), last = (int)floorf(home + p->arbor_reach);
        if (first < 0)
            first = 0;
        if (last > SKIN_DIGITS - 1)
            last = SKIN_DIGITS - 1;
        m->arbor_first[unit] = first * k;
        m->arbor_end[unit] = (last + 1) * k;
    }
}

static void init_uniform(Model *m, Rng *rng)
{
    size_t count = (size_t)m->units * (size_t)m->receptors;
    for (size_t i = 0; i < count; i++)
        m->weights[i] = rng_uniform(rng);
}

/* Published kernels: K * 960/n^2 * g(d, sigma) * alpha, separable in x and y; this is the
 * factor after K. */
static float kernel_scale(const Model *m)
{
    return 960.0f / (float)m->units * m->params.alpha;
}

/* What follows from the player's controls (plasticity gain, inhibition strength, age): the
 * inhibition kernel's amplitude and the effective learning rate. */
HM_REALTIME static void apply_controls(Model *m)
{
    const ModelParams *p = &m->params;
    fill_kernel(m->kernel_inhibition_x, m->n, p->sheet_torus, p->inhibition_width,
                p->inhibition_strength * kernel_scale(m), 1);
    m->learning_rate = p->learning_rate * p->plasticity_gain * model_params_age_factor(p);
}

/* value clamped into the parameter table's range for key; NaN keeps current. */
HM_REALTIME static float control_in_range(const char *key, float value, float current)
{
    const ParamInfo *info = model_param_find(key);
    if (!(value == value) || !info)
        return current;
    return value < info->min ? (float)info->min : value > info->max ? (float)info->max : value;
}

HM_REALTIME void model_set_controls(Model *m, float plasticity_gain, float inhibition_strength, float age_years)
{
    ModelParams *p = &m->params;
    float gain = control_in_range("plasticity_gain", plasticity_gain, p->plasticity_gain);
    float inhibition = control_in_range("inhibition_strength", inhibition_strength, p->inhibition_strength);
    float age = control_in_range("age_years", age_years, p->age_years);
    if (gain == p->plasticity_gain && inhibition == p->inhibition_strength && age == p->age_years)
        return;
    p->plasticity_gain = gain;
    p->inhibition_strength = inhibition;
    p->age_years = age;
    apply_controls(m);
}

Model *model_create(const ModelParams *params, char *err, size_t err_size)
{
    if (model_params_validate(params, err, err_size) != 0)
        return NULL;
    Model *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, err_size, "out of memory for the model");
        return NULL;
    }
    m->params = *params;
    m->lanes = widest_lanes();
    rng_seed(&m->scalars.rng, params->seed);
    skin_init(&m->skin, params, &m->scalars.rng);
    m->n = params->sheet_size;
    m->units = m->n * m->n;
    m->receptors = m->skin.count;
    size_t weights = (size_t)m->units * (size_t)m->receptors;
    size_t units = (size_t)m->units, kernel = units;

    m->weights = alloc_floats(m, weights);
    m->early = alloc_floats(m, weights);
    m->threshold = alloc_floats(m, units);
    m->activity = alloc_floats(m, units);
    m->stimulus = alloc_floats(m, (size_t)m->receptors);
    m->drive = alloc_floats(m, units);
    m->norm = alloc_floats(m, units);
    m->u = alloc_floats(m, units);
    m->v = alloc_floats(m, units);
    m->excitation = alloc_floats(m, units);
    m->inhibition = alloc_floats(m, units);
    m->row_excitation = alloc_floats(m, units);
    m->row_inhibition = alloc_floats(m, units);
    m->kernel_excitation_x = alloc_floats(m, kernel);
    m->kernel_inhibition_x = alloc_floats(m, kernel);
    m->kernel_excitation_y = alloc_floats(m, kernel);
    m->kernel_inhibition_y = alloc_floats(m, kernel);
    m->active_rows = alloc_zeroed(m, (size_t)m->n, sizeof(int));
    m->arbor_first = alloc_zeroed(m, units, sizeof(int));
    m->arbor_end = alloc_zeroed(m, units, sizeof(int));
    m->spans = alloc_zeroed(m, 2 * (size_t)m->n, sizeof(int));
    m->deferred_lists = alloc_zeroed(m, (size_t)DEFER_STEPS * (size_t)m->n, sizeof(int));
    m->deferred_counts = alloc_zeroed(m, DEFER_STEPS, sizeof(int));
    m->deferred_offsets = alloc_zeroed(m, DEFER_STEPS, sizeof(size_t));
    m->deferred_terms = alloc_floats(m, DEFER_TERMS(m->n));
    m->reach = alloc_floats(m, 4 * (size_t)m->n);
    if (!m->weights || !m->early || !m->threshold || !m->activity || !m->stimulus || !m->drive || !m->norm ||
        !m->u || !m->v || !m->excitation || !m->inhibition || !m->row_excitation ||
        !m->row_inhibition || !m->kernel_excitation_x || !m->kernel_inhibition_x ||
        !m->kernel_excitation_y || !m->kernel_inhibition_y || !m->active_rows || !m->arbor_first ||
        !m->arbor_end || !m->spans || !m->deferred_lists || !m->deferred_counts ||
        !m->deferred_offsets || !m->deferred_terms || !m->reach) {
        model_free(m);
        snprintf(err, err_size, "out of memory for a %d x %d sheet", params->sheet_size,
                 params->sheet_size);
        return NULL;
    }

    fill_kernel(m->kernel_excitation_x, m->n, params->sheet_torus, params->excitation_width,
                params->excitation_strength * kernel_scale(m), 0);
    fill_kernel(m->kernel_excitation_y, m->n, params->sheet_torus, params->excitation_width, 1.0f, 0);
    fill_kernel(m->kernel_inhibition_y, m->n, params->sheet_torus, params->inhibition_width, 1.0f, 1);
    apply_controls(m);

    set_arbors(m);
    m->skip_beyond_arbor = params->drive_rule == DRIVE_COSINE && params->weight_init != INIT_UNIFORM &&
                           model_arbors_in_lanes(m);
    if (params->weight_init == INIT_UNIFORM)
        init_uniform(m, &m->scalars.rng);
    else
        init_ordered_hand(m, &m->scalars.rng);

    if (params->homeostasis_rule == HOMEOSTASIS_SCALING)
        for (int i = 0; i < m->units; i++)
            m->threshold[i] = 1.0f; /* every gain starts neutral */
    m->scalars.capture_resource = 1.0f;
    m->stimulus_weight = 1.0f;
    m->learned = true; /* nothing settled yet, nothing to learn */
    return m;
}

void model_free(Model *m)
{
    if (!m)
        return;
    free(m->weights);
    free(m->early);
    free(m->threshold);
    free(m->activity);
    free(m->stimulus);
    free(m->drive);
    free(m->norm);
    free(m->u);
    free(m->v);
    free(m->excitation);
    free(m->inhibition);
    free(m->row_excitation);
    free(m->row_inhibition);
    free(m->kernel_excitation_x);
    free(m->kernel_inhibition_x);
    free(m->kernel_excitation_y);
    free(m->kernel_inhibition_y);
    free(m->active_rows);
    free(m->arbor_first);
    free(m->arbor_end);
    free(m->spans);
    free(m->deferred_lists);
    free(m->deferred_counts);
    free(m->deferred_offsets);
    free(m->deferred_terms);
    free(m->reach);
    free(m);
}

const ModelParams *model_get_params(const Model *m) { return &m->params; }
const Skin *model_skin(const Model *m) { return &m->skin; }
int model_sheet_size(const Model *m) { return m->n; }
size_t model_heap_bytes(const Model *m) { return sizeof *m + m->heap_bytes; }
int model_unit_count(const Model *m) { return m->units; }
int model_receptor_count(const Model *m) { return m->receptors; }
const float *model_weights(const Model *m) { return m->weights; }
const float *model_early(const Model *m) { return m->early; }
const float *model_thresholds(const Model *m) { return m->threshold; }
const float *model_activity(const Model *m) { return m->activity; }
const float *model_field(const Model *m) { return m->v; }
float model_learning_rate(const Model *m) { return m->learning_rate; }

void model_limit_lanes(Model *m, int lanes)
{
    const int widest = widest_lanes();
    m->lanes = lanes < BASE_LANES ? BASE_LANES : lanes < widest ? lanes : widest;
}

void model_get_scalars(const Model *m, ModelScalars *scalars) { *scalars = m->scalars; }

void model_set_state(Model *m, const ModelScalars *scalars, const float *weights, const float *early,
                     const float *thresholds, const float *activity)
{
    size_t count = (size_t)m->units * (size_t)m->receptors;
    memcpy(m->weights, weights, count * sizeof(float));
    memcpy(m->early, early, count * sizeof(float));
    memcpy(m->threshold, thresholds, (size_t)m->units * sizeof(float));
    memcpy(m->activity, activity, (size_t)m->units * sizeof(float));
    m->scalars = *scalars;
    m->skip_beyond_arbor = m->params.drive_rule == DRIVE_COSINE && model_arbors_in_lanes(m);
    if (m->params.drive_rule == DRIVE_COSINE) /* no afferent synapse beyond the arbor */
        for (int i = 0; i < m->units; i++) {
            float *w = m->weights + (size_t)i * (size_t)m->receptors, *e = m->early + (size_t)i * (size_t)m->receptors;
            for (int r = 0; r < m->receptors; r++)
                if (r < m->arbor_first[i] || r >= m->arbor_end[i])
                    w[r] = e[r] = 0.0f;
        }
    m->norms_valid = false;
    m->steps_left = 0;
    m->learned = true;
}

/* The smallest |w| a unit may have and still be driven: below it the unit has lost its
 * afferents (weights start at 0.05 noise at the least within the arbor). */
#define DEAD_NORM 1.0e-4f

/* Receptor activations below this share of the stimulus's peak are left out of the dot
 * products (a touch's Gaussian tail on the neighbouring digits, e^-22 and less): they
 * change no cosine by more than 1e-6 and would triple the receptors to visit. */
#define NEGLIGIBLE_INPUT 1.0e-6f

/* Cosine drive: alpha (w_i . s) / (|w_i| |s|). A unit's weights are 0 beyond its arbor, so
 * the match is over the arbor, and a touch of skin the unit has no afferents from gives
 * it no drive at all, however excitable homeostasis makes it. */
static void cosine_drive(Model *m, const float *s, float *drive)
{
    float peak = 0.0f;
    for (int r = 0; r < m->receptors; r++)
        peak = s[r] > peak ? s[r] : peak;
    int first = m->receptors, end = 0;
    float s_norm2 = 0.0f;
    for (int r = 0; r < m->receptors; r++)
        if (s[r] > NEGLIGIBLE_INPUT * peak) {
            first = r < first ? r : first;
            end = r + 1;
            s_norm2 += s[r] * s[r];
        }
    if (!m->norms_valid) {
        model_kernel_norms(m, m->norm);
        m->norms_valid = true;
    }
    if (end <= first) {
        memset(drive, 0, (size_t)m->units * sizeof *drive);
        return;
    }
    model_kernel_dots(m, s, first, end, drive);
    const float scale = m->params.alpha / sqrtf(s_norm2);
    int i = 0;
#ifdef MODEL_VECTORS
    /* lanes at a time: every lane divides (a dead unit's quotient is computed and dropped),
     * so the loop does not branch */
    LANE_TYPES(BASE_LANES);
    for (; i + BASE_LANES <= m->units; i += BASE_LANES) {
        const Vec norm = VEC_AT(m->norm + i);
        VEC_AT(drive + i) = VEC_KEEP(scale * VEC_AT(drive + i) / norm, (VecMask)(norm > DEAD_NORM));
    }
#endif
    for (; i < m->units; i++)
        drive[i] = m->norm[i] > DEAD_NORM ? scale * drive[i] / m->norm[i] : 0.0f;
}

HM_REALTIME void model_drive(const Model *m, const float *stimulus, float *drive)
{
    if (m->params.drive_rule == DRIVE_COSINE) {
        cosine_drive((Model *)m, stimulus, drive); /* only refreshes the norms' cache */
        return;
    }
    const float alpha = m->params.alpha, inv_r = 1.0f / (float)m->receptors;
    model_kernel_distances(m, stimulus, drive);
    for (int i = 0; i < m->units; i++)
        drive[i] = alpha * (1.0f - drive[i] * inv_r);
}

HM_REALTIME void model_settle_begin(Model *m, const float *stimulus)
{
    const float noise = m->params.field_init_noise;
    for (int r = 0; r < m->receptors; r++) {
        float s = stimulus[r];
        m->stimulus[r] = s > 0.0f ? (s < 1.0f ? s : 1.0f) : 0.0f; /* also maps NaN to 0 */
    }
    model_drive(m, m->stimulus, m->drive);
    const bool scaling = m->params.homeostasis_rule == HOMEOSTASIS_SCALING;
    for (int i = 0; i < m->units; i++) {
        if (scaling)
            m->drive[i] *= m->threshold[i];
        else
            m->drive[i] -= m->threshold[i];
    }
    rng_uniform_fill(&m->scalars.rng, noise, m->u, m->units, m->lanes >= 16);
    m->steps_left = m->params.settle_steps;
    m->learned = false;
}

HM_REALTIME int model_settle_run(Model *m, int max_steps) { return model_field_settle(m, max_steps, 0); }

/* DNF-SOM learning: dw_i = -gamma Le_i (w_i - s), written to both w and its early part. */
/* One learning step of w[from, to) towards the stimulus s, or towards 0 where s is NULL
 * (beyond a unit's arbor it sees no input, so those weights only decay), mirrored in the
 * early part e. */
static FORCE_INLINE void step_towards(float *restrict w, float *restrict e, const float *restrict s,
                                      float rate, int from, int to)
{
    for (int r = from; r < to; r++) {
        float delta = rate * ((s ? s[r] : 0.0f) - w[r]);
        w[r] += delta;
        e[r] += delta;
    }
}

/* The saturation of early change (docs/model.md §3.6): how far a weight's early part may fall
 * below (depression) or rise above (potentiation) its late weight. An unset side (0) becomes 2,
 * beyond any early part (|w_early| <= 1), so it never binds. */
typedef struct {
    float depression, potentiation;
    bool bounded; /* either side set */
} EarlyLimits;

static EarlyLimits early_limits(const ModelParams *p)
{
    const float unbounded = 2.0f;
    EarlyLimits limit = {p->early_depression_limit > 0.0f ? p->early_depression_limit : unbounded,
                         p->early_potentiation_limit > 0.0f ? p->early_potentiation_limit : unbounded,
                         p->early_depression_limit > 0.0f || p->early_potentiation_limit > 0.0f};
    return limit;
}

/* step_towards with the saturation of early change: a weight's early part may fall at most
 * limit.depression below its late weight and rise at most limit.potentiation above it; a step
 * that would take it further stops there (one saved further out by a model without the limit
 * can only move back). Every step back towards the late weight keeps the full rate. So one
 * exercise can move a weight at most the limit away from what the unit has consolidated,
 * however long or dense it is. */
static FORCE_INLINE void step_towards_saturating(float *restrict w, float *restrict e, const float *restrict s,
                                                 float rate, EarlyLimits limit, int from, int to)
{
    for (int r = from; r < to; r++) {
        const float early = e[r];
        float delta = rate * ((s ? s[r] : 0.0f) - w[r]);
        if (early + delta < -limit.depression && delta < 0.0f) /* saturated: a shorter step, w stays in [0, 1] */
            delta = early > -limit.depression ? fmaxf(-limit.depression - early, delta) : 0.0f;
        else if (early + delta > limit.potentiation && delta > 0.0f)
            delta = early < limit.potentiation ? fminf(limit.potentiation - early, delta) : 0.0f;
        w[r] += delta;
        e[r] = early + delta;
    }
}

/* One unit's learning step over the receptors [from, to): towards s within its arbor
 * [first, end), towards 0 beyond it. */
static FORCE_INLINE void step_unit(float *restrict w, float *restrict e, const float *restrict s, float rate,
                                   EarlyLimits limit, int from, int first, int end, int to)
{
    if (limit.bounded) {
        step_towards_saturating(w, e, NULL, rate, limit, from, first);
        step_towards_saturating(w, e, s, rate, limit, first, end);
        step_towards_saturating(w, e, NULL, rate, limit, end, to);
        return;
    }
    step_towards(w, e, NULL, rate, from, first);
    step_towards(w, e, s, rate, first, end);
    step_towards(w, e, NULL, rate, end, to);
}

static FORCE_INLINE void learn_units(Model *m)
{
    const int receptors = m->receptors;
    const EarlyLimits limit = early_limits(&m->params);
    const float *restrict s = m->stimulus;
    const float gamma = m->learning_rate * m->stimulus_weight; /* exact at weight 1 */
    for (int i = 0; i < m->units; i++) {
        float rate = gamma * m->excitation[i];
        if (!(rate > NEGLIGIBLE_RATE))
            continue;
        if (rate > 1.0f)
            rate = 1.0f; /* a convex step: weights stay in [0, 1] */
        float *restrict w = m->weights + (size_t)i * (size_t)receptors;
        float *restrict e = m->early + (size_t)i * (size_t)receptors;
        const int first = m->arbor_first[i], end = m->arbor_end[i];
        int from, to; /* beyond [from, to) the weights are 0 and stay 0 */
        model_weight_span(m, i, &from, &to);
        step_unit(w, e, s, rate, limit, from, first, end, to);
    }
}

#ifdef MODEL_AVX
/* The same loop built for AVX (the compiler vectorises it 8 wide). */
__attribute__((target("avx"))) static void learn_avx(Model *m) { learn_units(m); }
#endif

static void learn(Model *m)
{
    m->norms_valid = false;
#ifdef MODEL_AVX
    if (m->lanes >= 8) {
        learn_avx(m);
        return;
    }
#endif
    learn_units(m);
}

/* Multiplicative synaptic scaling (Turrigiano 2008): each unit's gain moves in proportion
 * to itself towards the level where its smoothed activity meets a fixed target, within
 * [1 / gain_limit, gain_limit]. A gain scales the unit's drive, so it can make a unit win
 * more of the touches it has input from, never a touch it has none from (cosine drive).
 * Scaling acts over hours of use, not over stimuli: each step integrates the awake time
 * since the previous stimulus (so 18 minutes of dense trills move a gain as little as 18
 * minutes of everyday use), and the deviation is a bounded ratio, so a unit that wins
 * every stimulus scales down no faster than a silent one scales up (docs/model.md §3.5). */
static void scale_gains(Model *m)
{
    const ModelParams *p = &m->params;
    const float target = p->scaling_target;
    const float step = (float)(p->homeostasis_rate * m->scalars.use_since_stimulus_s);
    const float most = p->gain_limit, least = 1.0f / p->gain_limit;
    m->scalars.use_since_stimulus_s = 0.0;
    if (step <= 0.0f)
        return;
    for (int i = 0; i < m->units; i++) {
        const float a = m->activity[i];
        float g = m->threshold[i] * (1.0f + step * (target - a) / (target + a));
        m->threshold[i] = g > most ? most : (g < least ? least : g);
    }
}

/* The largest of count values of a settled field (V >= +0, never NaN: it is clamped), 0 if
 * none is positive. The largest of such values does not depend on the order they are
 * compared in, so lanes of 4 compare side by side (a chain of 1,024 dependent comparisons
 * was a tenth of learning's time). */
static float field_peak(const float *v, int count)
{
    float peak = 0.0f;
    int i = 0;
#ifdef MODEL_VECTORS
    LANE_TYPES(BASE_LANES);
    Vec lanes = {0.0f};
    for (; i + BASE_LANES <= count; i += BASE_LANES)
        lanes = VEC_MAX(lanes, VEC_AT(v + i));
    for (int k = 0; k < BASE_LANES; k++)
        peak = lanes[k] > peak ? lanes[k] : peak;
#endif
    for (; i < count; i++)
        peak = v[i] > peak ? v[i] : peak;
    return peak;
}

/* Homeostasis: each unit's activity smoothed over stimuli (as a share of the bump's peak),
 * then either its gain scaled towards a fixed target (v2, scale_gains) or, GCAL-style
 * (Stevens et al. 2013), its threshold pulled towards the sheet's mean, which spreads
 * winning across the sheet (v1). */
static void adapt_thresholds(Model *m)
{
    const ModelParams *p = &m->params;
    if (p->homeostasis_rate <= 0.0f)
        return;
    const float peak = field_peak(m->v, m->units);
    const float inv_peak = peak > 0.0f ? 1.0f / peak : 0.0f;
    const float weight = m->stimulus_weight, limit = p->threshold_limit;
    const float beta = fminf(1.0f, p->homeostasis_smoothing * weight);
    const float rate = fminf(1.0f, p->homeostasis_rate * weight); /* v1; scaling integrates time instead */
    for (int i = 0; i < m->units; i++)
        m->activity[i] += beta * (m->v[i] * inv_peak - m->activity[i]);
    if (p->homeostasis_rule == HOMEOSTASIS_SCALING) {
        scale_gains(m);
        return;
    }
    float sum = 0.0f; /* the v1 rule's mean, summed in order */
    for (int i = 0; i < m->units; i++)
        sum += m->activity[i];
    const float mean = sum / (float)m->units;
    for (int i = 0; i < m->units; i++) {
        float t = m->threshold[i] + rate * (m->activity[i] - mean);
        m->threshold[i] = t > limit ? limit : (t < -limit ? -limit : t);
    }
}

HM_REALTIME void model_settle_finish(Model *m)
{
    if (m->steps_left > 0 || m->learned)
        return;
    m->learned = true;
    learn(m);
    /* A unit that does not fire sees its smoothed activity decay towards 0 and turn
     * denormal after some thousand stimuli, each then costing a microcode assist. Flushed
     * as in settling, it becomes 0 instead (below 1.2e-38, lost anyway in the mean and in
     * the thresholds). */
    const unsigned int caller_mode = denormals_flush();
    adapt_thresholds(m);
    denormals_restore(caller_mode);
    m->scalars.stimuli++;
}

/* The whole settle in one run, deferring silent rows. */
HM_REALTIME void model_present(Model *m, const float *stimulus)
{
    model_settle_begin(m, stimulus);
    model_field_settle(m, m->params.settle_steps, 1);
    model_settle_finish(m);
}

HM_REALTIME void model_present_weighted(Model *m, const float *stimulus, float weight)
{
    m->stimulus_weight = weight > 1.0f ? weight : 1.0f;
    model_present(m, stimulus);
    m->stimulus_weight = 1.0f;
}

/* The capture resource relaxes towards 1 (protein synthesis recovers, faster asleep). */
static void recover_resource(Model *m, double seconds, Vigilance vigilance)
{
    const ModelParams *p = &m->params;
    double recovery_s = vigilance == MODEL_ASLEEP ? p->capture_recovery_sleep_s : p->capture_recovery_s;
    double resource = m->scalars.capture_resource;
    resource += (1.0 - resource) * (1.0 - exp(-seconds / recovery_s));
    m->scalars.capture_resource = (float)resource;
}

/* One step of at most ELAPSE_STEP_S. Early changes leave at rate 1/decay (lost) plus
 * P/consolidation (captured into the late part, which is w - early, so w keeps them);
 * capturing uses up the resource P, which recovers towards 1. */
static bool elapse_step(Model *m, double seconds, Vigilance vigilance)
{
    const ModelParams *p = &m->params;
    const bool asleep = vigilance == MODEL_ASLEEP;
    double resource = m->scalars.capture_resource;
    double decay_rate = 1.0 / (asleep ? p->early_decay_sleep_s : p->early_decay_s);
    double capture_rate = resource / (asleep ? p->consolidation_sleep_s : p->consolidation_s);
    double total_rate = decay_rate + capture_rate;
    double remain = exp(-total_rate * seconds);
    double captured_share = capture_rate / total_rate * (1.0 - remain);
    float lost_share = (float)(1.0 - remain - captured_share);
    float keep = (float)remain;

    size_t count = (size_t)m->units * (size_t)m->receptors;
    bool any_left;
    double magnitude = model_kernel_elapse_weights(m, lost_share, keep, &any_left);
    double captured = captured_share * magnitude / (double)count;
    resource -= captured / p->capture_capacity;
    m->scalars.capture_resource = (float)(resource > 0.0 ? resource : 0.0);
    recover_resource(m, seconds, vigilance);
    return any_left;
}

HM_REALTIME void model_elapse(Model *m, double seconds, Vigilance vigilance)
{
    if (!(seconds > 0.0) || !isfinite(seconds))
        return;
    m->scalars.time_s += seconds;
    if (vigilance == MODEL_AWAKE) /* the hand in use: time synaptic scaling integrates */
        m->scalars.use_since_stimulus_s = fmin(m->scalars.use_since_stimulus_s + seconds, SCALING_USE_CAP_S);
    /* Step until no early change is left (within about 30 decay time constants, since
     * tiny values are flushed), then only the resource moves, in closed form. Callers in
     * real time pass block durations, which take one step. */
    while (seconds > 0.0) {
        double step = seconds < ELAPSE_STEP_S ? seconds : ELAPSE_STEP_S;
        bool early_left = elapse_step(m, step, vigilance);
        seconds -= step;
        if (!early_left) {
            recover_resource(m, seconds, vigilance);
            break;
        }
    }
}
