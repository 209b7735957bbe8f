/* The DNF-SOM of one hand: drive, field settling, learning, homeostasis, two timescales. */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A weight change below this is lost to float rounding anyway (weights live in [0, 1]),
 * so units whose learning rate falls under it are skipped. */
#define NEGLIGIBLE_RATE 1.0e-9f
/* Early-weight magnitudes below this are treated as consolidated (avoids denormals). */
#define NEGLIGIBLE_EARLY 1.0e-12f
/* Longest single step of model_elapse, so the capture resource is integrated finely. */
#define ELAPSE_STEP_S 60.0
/* Deferred settling steps (see model_present): the most steps kept, and the floats of
 * horizontal terms kept (16 sheets' worth: a bump of 3 rows fills it in 85 steps). */
#define DEFER_STEPS 128
#define DEFER_TERMS(n) (16 * (size_t)(n) * (size_t)(n))

struct Model {
    ModelParams params;
    Skin skin;
    int n, units, receptors;
    float learning_rate; /* effective gamma */

    /* learned state */
    float *weights;    /* units x receptors, w = late + early */
    float *early;      /* units x receptors */
    float *threshold;  /* units */
    float *activity;   /* units */

    /* settling scratch */
    float *stimulus;   /* receptors */
    float *drive;      /* units: alpha (1 - |w - s|/R) - threshold */
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

static void *alloc_floats(size_t count)
{
    /* 32-byte alignment lets the compiler use aligned vector loads */
    size_t bytes = (count * sizeof(float) + 31u) & ~(size_t)31u;
    void *p = aligned_alloc(32, bytes ? bytes : 32);
    if (p)
        memset(p, 0, bytes ? bytes : 32);
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
    rng_seed(&m->scalars.rng, params->seed);
    skin_init(&m->skin, params, &m->scalars.rng);
    m->n = params->sheet_size;
    m->units = m->n * m->n;
    m->receptors = m->skin.count;
    size_t weights = (size_t)m->units * (size_t)m->receptors;
    size_t units = (size_t)m->units, kernel = units;

    m->weights = alloc_floats(weights);
    m->early = alloc_floats(weights);
    m->threshold = alloc_floats(units);
    m->activity = alloc_floats(units);
    m->stimulus = alloc_floats((size_t)m->receptors);
    m->drive = alloc_floats(units);
    m->u = alloc_floats(units);
    m->v = alloc_floats(units);
    m->excitation = alloc_floats(units);
    m->inhibition = alloc_floats(units);
    m->row_excitation = alloc_floats(units);
    m->row_inhibition = alloc_floats(units);
    m->kernel_excitation_x = alloc_floats(kernel);
    m->kernel_inhibition_x = alloc_floats(kernel);
    m->kernel_excitation_y = alloc_floats(kernel);
    m->kernel_inhibition_y = alloc_floats(kernel);
    m->active_rows = calloc((size_t)m->n, sizeof(int));
    m->arbor_first = calloc(units, sizeof(int));
    m->arbor_end = calloc(units, sizeof(int));
    m->spans = calloc(2 * (size_t)m->n, sizeof(int));
    m->deferred_lists = calloc((size_t)DEFER_STEPS * (size_t)m->n, sizeof(int));
    m->deferred_counts = calloc(DEFER_STEPS, sizeof(int));
    m->deferred_offsets = calloc(DEFER_STEPS, sizeof(size_t));
    m->deferred_terms = alloc_floats(DEFER_TERMS(m->n));
    m->reach = alloc_floats(4 * (size_t)m->n);
    if (!m->weights || !m->early || !m->threshold || !m->activity || !m->stimulus || !m->drive ||
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
    if (params->weight_init == INIT_UNIFORM)
        init_uniform(m, &m->scalars.rng);
    else
        init_ordered_hand(m, &m->scalars.rng);

    m->scalars.capture_resource = 1.0f;
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
int model_unit_count(const Model *m) { return m->units; }
int model_receptor_count(const Model *m) { return m->receptors; }
const float *model_weights(const Model *m) { return m->weights; }
const float *model_early(const Model *m) { return m->early; }
const float *model_thresholds(const Model *m) { return m->threshold; }
const float *model_activity(const Model *m) { return m->activity; }
const float *model_field(const Model *m) { return m->v; }
float model_learning_rate(const Model *m) { return m->learning_rate; }

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
    m->steps_left = 0;
    m->learned = true;
}

/* SIMD. The hot loops (drive, settling, learning) are written for vectors of W floats with
 * the GCC/Clang vector extension and built for W = 4 (SSE2 or NEON: every x86-64 and
 * ARM64 machine); on x86-64 they are also built for AVX (W = 8), chosen at run time. Every
 * lane does exactly the operations of the plain scalar loop, in the same order (no fused
 * multiply-add, no reassociation), so all versions give bit-identical results. Other
 * compilers build the plain loops (W = 1). */
#if defined(__GNUC__)
#define MODEL_VECTORS 1
#define BASE_LANES 4
#if defined(__x86_64__)
#define MODEL_AVX 1
#endif
/* Vec: W floats; VecMask: W lanes of all-ones or zero; VecAt: W floats at any address. */
#define LANE_TYPES(W)                                                                       \
    typedef float Vec __attribute__((vector_size(4 * (W)), unused));                        \
    typedef int32_t VecMask __attribute__((vector_size(4 * (W)), unused));                  \
    typedef uint64_t VecPairs __attribute__((vector_size(4 * (W)), unused));                \
    typedef float VecAt __attribute__((vector_size(4 * (W)), aligned(4), may_alias, unused))
#define VEC_AT(p) (*(VecAt *)(p))
#define VEC_POSITIVE(x) ((x) > 0.0f)                     /* lanes set where x > 0 */
#define VEC_KEEP(x, mask) ((Vec)((VecMask)(x) & (mask))) /* x where mask is set, else +0 */
#define VEC_NONZERO(x) ((VecMask)(x)) /* lanes not +0 (so, for x >= 0, where x > 0) */
#define VEC_BELOW(x, top) /* x < top ? x : top, lane by lane */                             \
    ({                                                                                      \
        const VecMask below_ = (x) < (top);                                                 \
        (Vec)(((VecMask)(x) & below_) | ((VecMask)(top) & ~below_));                        \
    })
#if defined(__x86_64__)
/* VEC_CLAMP in one MAXPS and one MINPS: with these operand orders their NaN and
 * signed-zero rules are exactly those of the C expression. */
#define VEC_CLAMP_SSE(x, top) __builtin_ia32_minps(__builtin_ia32_maxps(x, (Vec){0.0f}), top)
#define VEC_CLAMP_AVX(x, top)                                                               \
    __builtin_ia32_minps256(__builtin_ia32_maxps256(x, (Vec){0.0f}), top)
#endif
#define VEC_ANY(mask, W) /* is any lane of mask set? (looked at two lanes at a time) */     \
    ({                                                                                      \
        const VecPairs pairs_ = (VecPairs)(mask);                                           \
        int any_ = 0;                                                                       \
        for (int k_ = 0; k_ < (W) / 2; k_++)                                                \
            any_ |= pairs_[k_] != 0;                                                        \
        any_;                                                                               \
    })
#if defined(__clang__) || __GNUC__ >= 12
#define SHUFFLE4(a, b, i, j, k, l) __builtin_shufflevector(a, b, i, j, k, l)
#ifdef MODEL_AVX
#define MODEL_AVX_DRIVE 1
#endif
#else
#define SHUFFLE4(a, b, i, j, k, l) __builtin_shuffle(a, b, (VecMask){i, j, k, l})
#endif
#define FORCE_INLINE inline __attribute__((always_inline))
#else
#define BASE_LANES 1
#define LANE_TYPES(W) typedef float Vec
typedef int VecMask;
#define VEC_AT(p) (*(p))
#define VEC_POSITIVE(x) (-((x) > 0.0f))
#define VEC_KEEP(x, mask) ((mask) ? (x) : 0.0f)
#define VEC_NONZERO(x) ((x) != 0.0f)
#define VEC_BELOW(x, top) ((x) < (top) ? (x) : (top))
#define VEC_ANY(mask, W) ((mask) != 0)
#define FORCE_INLINE inline
#endif
/* x > 0 ? (x < top ? x : top) : 0, lane by lane: the rectified field under its ceiling. */
#define VEC_CLAMP(x, top) VEC_KEEP(VEC_BELOW(x, top), VEC_POSITIVE(x))

#ifdef MODEL_AVX
/* Whether the AVX versions of the loops can run on this machine. */
static int have_avx(void)
{
    return __builtin_cpu_supports("avx");
}
#endif

/* alpha (1 - |w - s|_1 / R) of one unit, adding |w - s| receptor by receptor. */
static float unit_drive(const float *restrict w, const float *restrict s, int receptors,
                        float alpha, float inv_r)
{
    float distance = 0.0f;
    for (int r = 0; r < receptors; r++)
        distance += fabsf(w[r] - s[r]);
    return alpha * (1.0f - distance * inv_r);
}

/* The sum over receptors is a chain of dependent additions. With vectors, eight units
 * are summed side by side instead: four receptors of each are loaded, their |w - s|
 * transposed so that a lane holds one unit, and the lanes added in receptor order, so
 * every unit's sum is bit-identical to unit_drive's. Each function below sums |w - s|
 * over the first multiple of 4 receptors of the eight units whose weights start at w,
 * stride apart, into distance[8], and returns how many receptors it summed. */
#ifdef MODEL_VECTORS
static int eight_distances(const float *w, size_t stride, const float *s, int receptors,
                           float distance[8])
{
    LANE_TYPES(4);
    const VecMask magnitude = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    Vec sums[2] = {{0.0f}, {0.0f}}; /* lane k: units k and 4 + k */
    int r = 0;
    for (; r + 4 <= receptors; r += 4) {
        const Vec sv = VEC_AT(s + r);
        for (int half = 0; half < 2; half++) {
            Vec d[4];
            for (int k = 0; k < 4; k++) {
                const float *wk = w + (size_t)(4 * half + k) * stride + (size_t)r;
                d[k] = (Vec)((VecMask)(VEC_AT(wk) - sv) & magnitude);
            }
            const Vec lo01 = SHUFFLE4(d[0], d[1], 0, 4, 1, 5);
            const Vec lo23 = SHUFFLE4(d[2], d[3], 0, 4, 1, 5);
            const Vec hi01 = SHUFFLE4(d[0], d[1], 2, 6, 3, 7);
            const Vec hi23 = SHUFFLE4(d[2], d[3], 2, 6, 3, 7);
            sums[half] += SHUFFLE4(lo01, lo23, 0, 1, 4, 5); /* receptor r */
            sums[half] += SHUFFLE4(lo01, lo23, 2, 3, 6, 7); /* r + 1 */
            sums[half] += SHUFFLE4(hi01, hi23, 0, 1, 4, 5); /* r + 2 */
            sums[half] += SHUFFLE4(hi01, hi23, 2, 3, 6, 7); /* r + 3 */
        }
    }
    for (int k = 0; k < 4; k++) {
        distance[k] = sums[0][k];
        distance[4 + k] = sums[1][k];
    }
    return r;
}
#endif

#ifdef MODEL_AVX_DRIVE
/* The same in AVX: the low half of a vector holds units 0..3, the high half units 4..7,
 * and the transposes work within each half. */
__attribute__((target("avx"))) static int eight_distances_avx(const float *w, size_t stride,
                                                             const float *s, int receptors,
                                                             float distance[8])
{
    LANE_TYPES(8);
    typedef float Half __attribute__((vector_size(16)));
    typedef float HalfAt __attribute__((vector_size(16), aligned(4), may_alias));
    const VecMask magnitude = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                               0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    Vec sum = {0.0f};
    int r = 0;
    for (; r + 4 <= receptors; r += 4) {
        const Half s4 = *(const HalfAt *)(s + r);
        const Vec sv = __builtin_shufflevector(s4, s4, 0, 1, 2, 3, 4, 5, 6, 7);
        Vec d[4];
        for (int k = 0; k < 4; k++) {
            const Half lo = *(const HalfAt *)(w + (size_t)k * stride + (size_t)r);
            const Half hi = *(const HalfAt *)(w + (size_t)(k + 4) * stride + (size_t)r);
            const Vec both = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
            d[k] = (Vec)((VecMask)(both - sv) & magnitude);
        }
        const Vec lo01 = __builtin_shufflevector(d[0], d[1], 0, 8, 1, 9, 4, 12, 5, 13);
        const Vec lo23 = __builtin_shufflevector(d[2], d[3], 0, 8, 1, 9, 4, 12, 5, 13);
        const Vec hi01 = __builtin_shufflevector(d[0], d[1], 2, 10, 3, 11, 6, 14, 7, 15);
        const Vec hi23 = __builtin_shufflevector(d[2], d[3], 2, 10, 3, 11, 6, 14, 7, 15);
        sum += __builtin_shufflevector(lo01, lo23, 0, 1, 8, 9, 4, 5, 12, 13);
        sum += __builtin_shufflevector(lo01, lo23, 2, 3, 10, 11, 6, 7, 14, 15);
        sum += __builtin_shufflevector(hi01, hi23, 0, 1, 8, 9, 4, 5, 12, 13);
        sum += __builtin_shufflevector(hi01, hi23, 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int k = 0; k < 8; k++)
        distance[k] = sum[k];
    return r;
}
#endif

HM_REALTIME void model_drive(const Model *m, const float *stimulus, float *drive)
{
    const int receptors = m->receptors;
    const float alpha = m->params.alpha, inv_r = 1.0f / (float)receptors;
    const float *s = stimulus;
    int i = 0;
#ifdef MODEL_VECTORS
    const size_t stride = (size_t)receptors;
#ifdef MODEL_AVX_DRIVE
    const int avx = have_avx();
#endif
    for (; i + 8 <= m->units; i += 8) {
        const float *w = m->weights + (size_t)i * stride;
        float distance[8];
        int r;
#ifdef MODEL_AVX_DRIVE
        if (avx)
            r = eight_distances_avx(w, stride, s, receptors, distance);
        else
#endif
            r = eight_distances(w, stride, s, receptors, distance);
        for (; r < receptors; r++)
            for (int k = 0; k < 8; k++)
                distance[k] += fabsf(w[(size_t)k * stride + (size_t)r] - s[r]);
        for (int k = 0; k < 8; k++)
            drive[i + k] = alpha * (1.0f - distance[k] * inv_r);
    }
#endif
    for (; i < m->units; i++)
        drive[i] = unit_drive(m->weights + (size_t)i * (size_t)receptors, s, receptors, alpha,
                              inv_r);
}

HM_REALTIME void model_settle_begin(Model *m, const float *stimulus)
{
    const float noise = m->params.field_init_noise;
    for (int r = 0; r < m->receptors; r++) {
        float s = stimulus[r];
        m->stimulus[r] = s > 0.0f ? (s < 1.0f ? s : 1.0f) : 0.0f; /* also maps NaN to 0 */
    }
    model_drive(m, m->stimulus, m->drive);
    for (int i = 0; i < m->units; i++) {
        m->drive[i] -= m->threshold[i];
        m->u[i] = noise * rng_uniform(&m->scalars.rng);
    }
    m->steps_left = m->params.settle_steps;
    m->learned = false;
}

/* Settling. A step is the lateral interaction of the rectified field V = max(U, 0) (held
 * below the activity ceiling) with the separable difference of Gaussians, then an Euler
 * step: a horizontal pass over the rows where V has active units, then a vertical pass
 * over those rows only, fused with the Euler step of each row. Only the bump is active
 * once the field has settled, so a step costs about (active rows) x n^2 instead of n^4.
 * During settling, m->active_rows lists the first unit (y n) of each active row y. */

/* Rows whose activity the fused step tracks in one bit mask; a larger sheet rectifies
 * the field in a pass of its own each step. */
#define ROW_MASK_BITS 64

/* The Euler step u += (-u + (Le - Li) + I) dt / tau of the W units at column x of the
 * current row, from its lateral terms e and i (uses the row pointers u, in, le, li, v and
 * rate, top, keep_terms, rectify, active of lateral_*_columns). With keep_terms, Le and
 * Li are kept; with rectify, V = CLAMP(u, ceiling) is set for the next step and the lanes
 * left active are added to `active`. */
#define EULER_STEP(e, i, x, CLAMP)                                                          \
    do {                                                                                    \
        Vec field_ = VEC_AT(u + (x));                                                       \
        if (keep_terms) {                                                                   \
            VEC_AT(le + (x)) = (e);                                                         \
            VEC_AT(li + (x)) = (i);                                                         \
        }                                                                                   \
        field_ += (-field_ + ((e) - (i)) + VEC_AT(in + (x))) * rate;                        \
        VEC_AT(u + (x)) = field_;                                                           \
        if (rectify) {                                                                      \
            const Vec rectified_ = CLAMP(field_, top);                                      \
            VEC_AT(v + (x)) = rectified_;                                                   \
            active |= VEC_NONZERO(rectified_);                                              \
        }                                                                                   \
    } while (0)

/* The span [*first, *last) from a row's first to its last active unit (V > 0), empty
 * when none is; whole vectors of zeros are passed over at once. */
static FORCE_INLINE void active_span(const float *v, int n, int *first, int *last)
{
    LANE_TYPES(BASE_LANES);
    int lo = 0, hi = n;
    while (lo + BASE_LANES <= hi && !VEC_ANY(VEC_POSITIVE(VEC_AT(v + lo)), BASE_LANES))
        lo += BASE_LANES;
    while (lo < hi && !(v[lo] > 0.0f))
        lo++;
    while (hi - BASE_LANES >= lo && !VEC_ANY(VEC_POSITIVE(VEC_AT(v + hi - BASE_LANES)), BASE_LANES))
        hi -= BASE_LANES;
    while (hi > lo && !(v[hi - 1] > 0.0f))
        hi--;
    *first = lo;
    *last = hi;
}

/* The two passes of a step for vectors of W floats, as NAME_rows and NAME_columns, with
 * CLAMP rectifying the field. Each keeps four vectors of each sum in registers while it
 * walks the terms. */
#define LATERAL_PASSES(NAME, ATTRIBUTES, W, CLAMP)                                          \
    /* Horizontal pass: row a of row_e and row_i receives, for every column x, the sum over \
     * the units xs of active row a (rows[a] is its first unit; in order) of V[xs] times    \
     * the x factors' entry (xs, x). Only the span from the row's first to its last active  \
     * unit is walked (and kept in m->spans): a zero in between adds exactly +0 (V >= 0,    \
     * the factors are positive), leaving sums unchanged. */                                \
    ATTRIBUTES static void NAME##_rows(Model *m, const int *rows, int active_rows,          \
                                       float *row_e, float *row_i)                          \
    {                                                                                       \
        LANE_TYPES(W);                                                                      \
        const int n = m->n;                                                                 \
        const float *kernel_e = m->kernel_excitation_x, *kernel_i = m->kernel_inhibition_x; \
        for (int a = 0; a < active_rows; a++) {                                             \
            const float *v = m->v + rows[a];                                                \
            float *he = row_e + a * n, *hi = row_i + a * n;                                 \
            int first, last;                                                                \
            active_span(v, n, &first, &last);                                               \
            m->spans[2 * a] = first;                                                        \
            m->spans[2 * a + 1] = last;                                                     \
            int x0 = 0;                                                                     \
            for (; x0 + 4 * (W) <= n; x0 += 4 * (W)) {                                      \
                Vec e0 = {0.0f}, e1 = {0.0f}, e2 = {0.0f}, e3 = {0.0f};                     \
                Vec i0 = {0.0f}, i1 = {0.0f}, i2 = {0.0f}, i3 = {0.0f};                     \
                for (int xs = first; xs < last; xs++) {                                     \
                    const float value = v[xs];                                              \
                    const float *ke = kernel_e + xs * n + x0, *ki = kernel_i + xs * n + x0; \
                    e0 += value * VEC_AT(ke);                                               \
                    e1 += value * VEC_AT(ke + (W));                                         \
                    e2 += value * VEC_AT(ke + 2 * (W));                                     \
                    e3 += value * VEC_AT(ke + 3 * (W));                                     \
                    i0 += value * VEC_AT(ki);                                               \
                    i1 += value * VEC_AT(ki + (W));                                         \
                    i2 += value * VEC_AT(ki + 2 * (W));                                     \
                    i3 += value * VEC_AT(ki + 3 * (W));                                     \
                }                                                                           \
                VEC_AT(he + x0) = e0;                                                       \
                VEC_AT(he + x0 + (W)) = e1;                                                 \
                VEC_AT(he + x0 + 2 * (W)) = e2;                                             \
                VEC_AT(he + x0 + 3 * (W)) = e3;                                             \
                VEC_AT(hi + x0) = i0;                                                       \
                VEC_AT(hi + x0 + (W)) = i1;                                                 \
                VEC_AT(hi + x0 + 2 * (W)) = i2;                                             \
                VEC_AT(hi + x0 + 3 * (W)) = i3;                                             \
            }                                                                               \
            for (; x0 + (W) <= n; x0 += (W)) {                                              \
                Vec e = {0.0f}, i = {0.0f};                                                 \
                for (int xs = first; xs < last; xs++) {                                     \
                    e += v[xs] * VEC_AT(kernel_e + xs * n + x0);                            \
                    i += v[xs] * VEC_AT(kernel_i + xs * n + x0);                            \
                }                                                                           \
                VEC_AT(he + x0) = e;                                                        \
                VEC_AT(hi + x0) = i;                                                        \
            }                                                                               \
            for (; x0 < n; x0++) {                                                          \
                float e = 0.0f, i = 0.0f;                                                   \
                for (int xs = first; xs < last; xs++) {                                     \
                    e += v[xs] * kernel_e[xs * n + x0];                                     \
                    i += v[xs] * kernel_i[xs * n + x0];                                     \
                }                                                                           \
                he[x0] = e;                                                                 \
                hi[x0] = i;                                                                 \
            }                                                                               \
        }                                                                                   \
    }                                                                                       \
                                                                                            \
    /* Vertical pass fused with the Euler step: row y's lateral terms are the sums over     \
     * the active rows a (in order) of the y factors' entry (row a, y) times row a of the   \
     * horizontal pass, and the row takes its step while they are in registers. The terms   \
     * are stored only with keep_terms (the last step of a run: learning reads Le). With    \
     * rectify, V is rectified for the next step; returns the rows left active (bit y).     \
     * Rows in skip_rows are left as they are. */                                           \
    ATTRIBUTES static FORCE_INLINE uint64_t NAME##_columns_with(                            \
        Model *m, const int *rows, int active_rows, const float *row_e, const float *row_i, \
        float rate, float ceiling, const int keep_terms, const int rectify,                 \
        uint64_t skip_rows)                                                                 \
    {                                                                                       \
        LANE_TYPES(W);                                                                      \
        const int n = m->n;                                                                 \
        const Vec top = (Vec){0.0f} + ceiling;                                              \
        const float *kernel_e = m->kernel_excitation_y, *kernel_i = m->kernel_inhibition_y; \
        uint64_t next_rows = 0;                                                             \
        for (int y = 0; y < n; y++) {                                                       \
            if (y < ROW_MASK_BITS && (skip_rows >> y & 1u))                                 \
                continue;                                                                   \
            float *le = m->excitation + y * n, *li = m->inhibition + y * n;                 \
            float *u = m->u + y * n, *v = m->v + y * n;                                     \
            const float *in = m->drive + y * n;                                             \
            VecMask active = {0};                                                           \
            int x0 = 0;                                                                     \
            for (; x0 + 4 * (W) <= n; x0 += 4 * (W)) {                                      \
                Vec e0 = {0.0f}, e1 = {0.0f}, e2 = {0.0f}, e3 = {0.0f};                     \
                Vec i0 = {0.0f}, i1 = {0.0f}, i2 = {0.0f}, i3 = {0.0f};                     \
                for (int a = 0; a < active_rows; a++) {                                     \
                    const float ce = kernel_e[rows[a] + y], ci = kernel_i[rows[a] + y];     \
                    const float *he = row_e + a * n + x0, *hi = row_i + a * n + x0;         \
                    e0 += ce * VEC_AT(he);                                                  \
                    e1 += ce * VEC_AT(he + (W));                                            \
                    e2 += ce * VEC_AT(he + 2 * (W));                                        \
                    e3 += ce * VEC_AT(he + 3 * (W));                                        \
                    i0 += ci * VEC_AT(hi);                                                  \
                    i1 += ci * VEC_AT(hi + (W));                                            \
                    i2 += ci * VEC_AT(hi + 2 * (W));                                        \
                    i3 += ci * VEC_AT(hi + 3 * (W));                                        \
                }                                                                           \
                EULER_STEP(e0, i0, x0, CLAMP);                                              \
                EULER_STEP(e1, i1, x0 + (W), CLAMP);                                        \
                EULER_STEP(e2, i2, x0 + 2 * (W), CLAMP);                                    \
                EULER_STEP(e3, i3, x0 + 3 * (W), CLAMP);                                    \
            }                                                                               \
            for (; x0 + (W) <= n; x0 += (W)) {                                              \
                Vec e = {0.0f}, i = {0.0f};                                                 \
                for (int a = 0; a < active_rows; a++) {                                     \
                    e += kernel_e[rows[a] + y] * VEC_AT(row_e + a * n + x0);                \
                    i += kernel_i[rows[a] + y] * VEC_AT(row_i + a * n + x0);                \
                }                                                                           \
                EULER_STEP(e, i, x0, CLAMP);                                                \
            }                                                                               \
            int any = VEC_ANY(active, W);                                                   \
            for (; x0 < n; x0++) {                                                          \
                float e = 0.0f, i = 0.0f;                                                   \
                for (int a = 0; a < active_rows; a++) {                                     \
                    e += kernel_e[rows[a] + y] * row_e[a * n + x0];                         \
                    i += kernel_i[rows[a] + y] * row_i[a * n + x0];                         \
                }                                                                           \
                if (keep_terms) {                                                           \
                    le[x0] = e;                                                             \
                    li[x0] = i;                                                             \
                }                                                                           \
                u[x0] += (-u[x0] + (e - i) + in[x0]) * rate;                                \
                if (rectify) {                                                              \
                    v[x0] = u[x0] > 0.0f ? (u[x0] < ceiling ? u[x0] : ceiling) : 0.0f;      \
                    any |= v[x0] > 0.0f;                                                    \
                }                                                                           \
            }                                                                               \
            if (any && y < ROW_MASK_BITS)                                                   \
                next_rows |= (uint64_t)1 << y;                                              \
        }                                                                                   \
        return next_rows;                                                                   \
    }                                                                                       \
                                                                                            \
    /* The step built once for each way it is used (the last step keeps the terms and does  \
     * not rectify), so that the flags branch nowhere in the loops. */                      \
    ATTRIBUTES static uint64_t NAME##_columns(Model *m, const int *rows, int active_rows,   \
                                              const float *row_e, const float *row_i,       \
                                              float rate, float ceiling, int keep_terms,    \
                                              int rectify, uint64_t skip_rows)              \
    {                                                                                       \
        if (keep_terms)                                                                     \
            return NAME##_columns_with(m, rows, active_rows, row_e, row_i, rate, ceiling,   \
                                       1, rectify, skip_rows);                              \
        if (rectify && active_rows == 0) /* no lateral terms: the field only relaxes */     \
            return NAME##_columns_with(m, rows, 0, row_e, row_i, rate, ceiling, 0, 1,       \
                                       skip_rows);                                          \
        if (rectify)                                                                        \
            return NAME##_columns_with(m, rows, active_rows, row_e, row_i, rate, ceiling,   \
                                       0, 1, skip_rows);                                    \
        return NAME##_columns_with(m, rows, active_rows, row_e, row_i, rate, ceiling, 0, 0, \
                                   skip_rows);                                              \
    }

#ifdef MODEL_AVX
LATERAL_PASSES(lateral_base, , BASE_LANES, VEC_CLAMP_SSE)
LATERAL_PASSES(lateral_avx, __attribute__((target("avx"))), 8, VEC_CLAMP_AVX)
#else
LATERAL_PASSES(lateral_base, , BASE_LANES, VEC_CLAMP)
#endif

/* The firing rate where V saturates (infinite when there is no ceiling). */
static float activity_ceiling(const Model *m)
{
    return m->params.activity_ceiling > 0.0f ? m->params.activity_ceiling : INFINITY;
}

/* Rectifies the field, V = min(max(U, 0), ceiling), and lists the active rows; returns
 * how many. */
static int rectify_field(Model *m, float ceiling)
{
    const int n = m->n;
    int active_rows = 0;
    for (int y = 0; y < n; y++) {
        const float *restrict u = m->u + y * n;
        float *restrict v = m->v + y * n;
        for (int x = 0; x < n; x++)
            v[x] = u[x] > 0.0f ? (u[x] < ceiling ? u[x] : ceiling) : 0.0f;
        int any = 0;
        for (int x = 0; x < n; x++)
            any |= v[x] > 0.0f;
        if (any)
            m->active_rows[active_rows++] = y * n;
    }
    return active_rows;
}

/* Lists the rows set in a mask from lateral_*_columns; returns how many. */
static int list_rows(Model *m, uint64_t rows)
{
    int active_rows = 0;
#if defined(__GNUC__)
    for (; rows; rows &= rows - 1) /* lowest set bit first: rows in order */
        m->active_rows[active_rows++] = __builtin_ctzll(rows) * m->n;
#else
    for (int y = 0; y < m->n && y < ROW_MASK_BITS; y++)
        if (rows >> y & 1u)
            m->active_rows[active_rows++] = y * m->n;
#endif
    return active_rows;
}

#if defined(__SSE2__) || defined(_M_X64)
#include <xmmintrin.h>
/* MXCSR flush-to-zero and denormals-are-zero. Far from the bump the lateral terms fall
 * below FLT_MIN, and x86 takes a microcode assist on every denormal operand or result:
 * with the default narrow kernels that made settling 5 to 6 times slower. Flushed, such a
 * term becomes 0 instead of about 1e-40, which vanishes anyway when added to the inhibition
 * and the drive (trained weights come out bit-identical). */
#define FLUSH_DENORMALS 0x8040u
#endif

/* Sets flush-to-zero mode; returns the caller's mode for denormals_restore. */
static unsigned int denormals_flush(void)
{
#ifdef FLUSH_DENORMALS
    const unsigned int caller_mode = _mm_getcsr();
    _mm_setcsr(caller_mode | FLUSH_DENORMALS);
    return caller_mode;
#else
    return 0;
#endif
}

static void denormals_restore(unsigned int caller_mode)
{
#ifdef FLUSH_DENORMALS
    _mm_setcsr(caller_mode);
#else
    (void)caller_mode;
#endif
}

/* Deferred rows (model_present only). Once a bump has formed, the far field is held below
 * zero by the surround inhibition. A row whose every unit is certified to stay silent is
 * not stepped: its Euler steps are deferred, with what they read (the active rows and
 * their horizontal terms, step by step) kept in a history. If the certificate still holds
 * at the end of the settle, the deferred steps are never taken: they would change nothing
 * that is read (V stays 0 there; the last step computes Le everywhere; U is scratch, reset
 * by the next stimulus). If it breaks, or the history is full, the deferred rows take
 * their steps then, exactly as they would have (same operations, same order), before
 * anything reads them. Either way results are bit-identical to stepping every row.
 *
 * The certificate: while the active units stay inside a region R and their total activity
 * S stays at least s_min, unit j's input satisfies
 *   (Le - Li + I)_j <= I_j + S (max_R Ke(., j) - min_R Ki(., j)) <= I_j - s_min D_j < 0
 * (the kernels are separable, so the max and min over R are products of 1-D ones), so
 * u_j <= 0 stays <= 0. Every step checks R and s_min. The margins (DEFER_MARGIN of the
 * terms' size) cover the float rounding of the sums many times over. */
#define DEFER_MARGIN 1.0e-2f
#define DEFER_PAD 2         /* units by which R extends the active region */
#define DEFER_SHARE 0.9f    /* S may fall to this share of its value when certified */
#define DEFER_TRY_EVERY 4   /* steps between attempts to certify */

typedef struct {
    int y0, y1, x0, x1; /* R: the active units must stay in rows y0..y1, columns x0..x1 */
    float s_min;
} Certificate;

/* The active units' bounding box (rows y0..y1, columns x0..x1) and total activity; 0 when
 * nothing is active. */
static int active_extent(const Model *m, int active_rows, int box[4], float *total)
{
    const int n = m->n;
    int x0 = n, x1 = -1;
    float sum = 0.0f;
    for (int a = 0; a < active_rows; a++) {
        const float *v = m->v + m->active_rows[a];
        int first, last;
        active_span(v, n, &first, &last);
        if (first == last)
            continue;
        for (int x = first; x < last; x++)
            sum += v[x];
        x0 = first < x0 ? first : x0;
        x1 = last - 1 > x1 ? last - 1 : x1;
    }
    if (x1 < 0)
        return 0;
    box[0] = m->active_rows[0] / n;
    box[1] = m->active_rows[active_rows - 1] / n;
    box[2] = x0;
    box[3] = x1;
    *total = sum;
    return 1;
}

/* Largest or smallest entry (source in lo..hi) of each target's column of a 1-D factor.
 * On a bounded sheet an entry falls with the distance from the target: the largest is at
 * the source nearest the target, the smallest at an end. */
static void factor_reach(const float *kernel, int n, int torus, int lo, int hi, int largest, float *out)
{
    for (int target = 0; !torus && target < n; target++) {
        const int nearest = target < lo ? lo : target > hi ? hi : target;
        const float a = kernel[lo * n + target], b = kernel[hi * n + target];
        out[target] = largest ? kernel[nearest * n + target] : a < b ? a : b;
    }
    for (int target = 0; torus && target < n; target++) {
        float reach = kernel[lo * n + target];
        for (int source = lo + 1; source <= hi; source++) {
            float k = kernel[source * n + target];
            reach = (largest ? k > reach : k < reach) ? k : reach;
        }
        out[target] = reach;
    }
}

/* Certifies the rows outside R (the active region padded by DEFER_PAD) whose every unit
 * has u <= 0 and stays silent while S >= DEFER_SHARE S (now); sets the certificate (s_min:
 * the largest S any of them needs) and returns the rows (0: none, or nothing active). */
static uint64_t certify_rows(Model *m, int active_rows, Certificate *c)
{
    const int n = m->n;
    int box[4];
    float total;
    if (!active_extent(m, active_rows, box, &total))
        return 0;
    c->y0 = box[0] - DEFER_PAD > 0 ? box[0] - DEFER_PAD : 0;
    c->y1 = box[1] + DEFER_PAD < n - 1 ? box[1] + DEFER_PAD : n - 1;
    c->x0 = box[2] - DEFER_PAD > 0 ? box[2] - DEFER_PAD : 0;
    c->x1 = box[3] + DEFER_PAD < n - 1 ? box[3] + DEFER_PAD : n - 1;
    const int torus = m->params.sheet_torus;
    float *excitation_y = m->reach, *inhibition_y = m->reach + n;
    float *excitation_x = m->reach + 2 * n, *inhibition_x = m->reach + 3 * n;
    factor_reach(m->kernel_excitation_y, n, torus, c->y0, c->y1, 1, excitation_y);
    factor_reach(m->kernel_inhibition_y, n, torus, c->y0, c->y1, 0, inhibition_y);
    factor_reach(m->kernel_excitation_x, n, torus, c->x0, c->x1, 1, excitation_x);
    factor_reach(m->kernel_inhibition_x, n, torus, c->x0, c->x1, 0, inhibition_x);
    const float allowed = DEFER_SHARE * total;
    float s_min = 0.0f;
    uint64_t rows = 0;
    for (int y = 0; y < n && y < ROW_MASK_BITS; y++) {
        if (y >= c->y0 && y <= c->y1)
            continue;
        const float *u = m->u + y * n, *in = m->drive + y * n;
        float needed = 0.0f; /* the S row y needs */
        int x = 0;
        for (; x < n; x++) {
            const float most_e = excitation_y[y] * excitation_x[x];
            const float least_i = inhibition_y[y] * inhibition_x[x];
            const float margin = DEFER_MARGIN * (most_e + least_i);
            const float held = least_i - most_e - margin; /* D, less the margin */
            if (!(u[x] <= 0.0f && held > margin))
                break;
            const float s = (in[x] + DEFER_MARGIN * (fabsf(in[x]) + total * least_i)) / held;
            if (!(s <= allowed))
                break;
            needed = s > needed ? s : needed;
        }
        if (x == n) {
            rows |= (uint64_t)1 << y;
            s_min = needed > s_min ? needed : s_min;
        }
    }
    c->s_min = s_min;
    return rows;
}

/* Whether the active units are still inside R with at least s_min of total activity
 * (from the spans the horizontal pass found). */
static int certificate_holds(const Model *m, int active_rows, const Certificate *c)
{
    const int n = m->n;
    if (active_rows == 0 || m->active_rows[0] / n < c->y0 || m->active_rows[active_rows - 1] / n > c->y1)
        return 0;
    float total = 0.0f;
    for (int a = 0; a < active_rows; a++) {
        const int first = m->spans[2 * a], last = m->spans[2 * a + 1];
        if (first < last && (first < c->x0 || last - 1 > c->x1))
            return 0;
        const float *v = m->v + m->active_rows[a];
        for (int x = first; x < last; x++)
            total += v[x];
    }
    return total >= c->s_min;
}

typedef void (*RowsPass)(Model *, const int *, int, float *, float *);
typedef uint64_t (*ColumnsPass)(Model *, const int *, int, const float *, const float *, float,
                                float, int, int, uint64_t);

/* Deferred steps: the k-th kept its active rows at lists + k n and their horizontal terms
 * (excitation, then inhibition) at terms + offset[k]. */
typedef struct {
    uint64_t rows; /* the deferred rows (0: none) */
    int steps;
    size_t used;   /* floats of terms used */
} Deferral;


/* Takes the deferred rows' steps and ends the deferral. */
static void catch_up(Model *m, Deferral *d, ColumnsPass columns_pass, float rate, float ceiling)
{
    const int n = m->n;
    for (int k = 0; k < d->steps; k++) {
        const int count = m->deferred_counts[k];
        const float *terms = m->deferred_terms + m->deferred_offsets[k];
        columns_pass(m, m->deferred_lists + k * n, count, terms, terms + (size_t)count * (size_t)n,
                     rate, ceiling, 0, 1, ~d->rows);
    }
    d->rows = 0;
    d->steps = 0;
    d->used = 0;
}

/* Settling runs with denormals flushed (the caller's floating-point mode is restored),
 * so results do not depend on the thread's mode. model_field() keeps showing V as it was
 * at the start of the last step, as it always has. With defer, silent rows are deferred
 * (the run must then be the whole settle). */
static int settle(Model *m, int max_steps, int defer)
{
    const unsigned int caller_mode = denormals_flush();
    RowsPass rows_pass = lateral_base_rows;
    ColumnsPass columns_pass = lateral_base_columns;
#ifdef MODEL_AVX
    if (have_avx()) {
        rows_pass = lateral_avx_rows;
        columns_pass = lateral_avx_columns;
    }
#endif
    const int n = m->n;
    const float rate = m->params.dt / m->params.tau, ceiling = activity_ceiling(m);
    const int track_rows = n <= ROW_MASK_BITS;
    defer = defer && track_rows;
    Deferral deferral = {0};
    Certificate certificate = {0};
    int active_rows = m->steps_left > 0 && max_steps > 0 ? rectify_field(m, ceiling) : 0;
    for (int step = 1; m->steps_left > 0 && max_steps > 0; step++) {
        const int more = m->steps_left > 1 && max_steps > 1; /* another step in this run */
        if (defer && more && !deferral.rows && active_rows > 0 && step % DEFER_TRY_EVERY == 0)
            deferral.rows = certify_rows(m, active_rows, &certificate);
        const size_t terms = 2 * (size_t)active_rows * (size_t)n;
        if (deferral.rows && more &&
            (deferral.steps == DEFER_STEPS || deferral.used + terms > DEFER_TERMS(n)))
            catch_up(m, &deferral, columns_pass, rate, ceiling);
        float *row_e = m->row_excitation, *row_i = m->row_inhibition;
        if (deferral.rows && more) { /* this step's terms go to the history */
            row_e = m->deferred_terms + deferral.used;
            row_i = row_e + (size_t)active_rows * (size_t)n;
        }
        rows_pass(m, m->active_rows, active_rows, row_e, row_i);
        if (deferral.rows && more && !certificate_holds(m, active_rows, &certificate))
            catch_up(m, &deferral, columns_pass, rate, ceiling);
        if (deferral.rows && more) {
            m->deferred_offsets[deferral.steps] = deferral.used;
            m->deferred_counts[deferral.steps] = active_rows;
            memcpy(m->deferred_lists + deferral.steps * n, m->active_rows,
                   (size_t)active_rows * sizeof *m->active_rows);
            deferral.steps++;
            deferral.used += terms;
        }
        /* the last step computes every row: learning reads Le everywhere */
        uint64_t next_rows = columns_pass(m, m->active_rows, active_rows, row_e, row_i, rate, ceiling,
                                          !more, more && track_rows, more ? deferral.rows : 0);
        if (more)
            active_rows = track_rows ? list_rows(m, next_rows) : rectify_field(m, ceiling);
        m->steps_left--;
        max_steps--;
    }
    denormals_restore(caller_mode);
    return m->steps_left;
}

HM_REALTIME int model_settle_run(Model *m, int max_steps) { return settle(m, max_steps, 0); }

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

static FORCE_INLINE void learn_units(Model *m)
{
    const int receptors = m->receptors;
    const float *restrict s = m->stimulus;
    for (int i = 0; i < m->units; i++) {
        float rate = m->learning_rate * m->excitation[i];
        if (!(rate > NEGLIGIBLE_RATE))
            continue;
        if (rate > 1.0f)
            rate = 1.0f; /* a convex step: weights stay in [0, 1] */
        float *restrict w = m->weights + (size_t)i * (size_t)receptors;
        float *restrict e = m->early + (size_t)i * (size_t)receptors;
        const int first = m->arbor_first[i], end = m->arbor_end[i];
        step_towards(w, e, NULL, rate, 0, first);
        step_towards(w, e, s, rate, first, end);
        step_towards(w, e, NULL, rate, end, receptors);
    }
}

#ifdef MODEL_AVX
/* The same loop built for AVX (the compiler vectorises it 8 wide). */
__attribute__((target("avx"))) static void learn_avx(Model *m) { learn_units(m); }
#endif

static void learn(Model *m)
{
#ifdef MODEL_AVX
    if (have_avx()) {
        learn_avx(m);
        return;
    }
#endif
    learn_units(m);
}

/* GCAL-style homeostasis (Stevens et al. 2013): each unit's smoothed activity is pulled
 * towards the sheet's mean by its threshold, which spreads winning across the sheet. */
static void adapt_thresholds(Model *m)
{
    const ModelParams *p = &m->params;
    if (p->homeostasis_rate <= 0.0f)
        return;
    float peak = 0.0f;
    for (int i = 0; i < m->units; i++)
        if (m->v[i] > peak)
            peak = m->v[i];
    const float inv_peak = peak > 0.0f ? 1.0f / peak : 0.0f;
    const float beta = p->homeostasis_smoothing, limit = p->threshold_limit;
    float sum = 0.0f;
    for (int i = 0; i < m->units; i++) {
        m->activity[i] += beta * (m->v[i] * inv_peak - m->activity[i]);
        sum += m->activity[i];
    }
    const float mean = sum / (float)m->units;
    for (int i = 0; i < m->units; i++) {
        float t = m->threshold[i] + p->homeostasis_rate * (m->activity[i] - mean);
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
    settle(m, m->params.settle_steps, 1);
    model_settle_finish(m);
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

/* The weights' part of an elapse step, four at a time with GNU vector extensions (this
 * runs whenever time passes, over every weight): |x| and the flush of negligible values as
 * bit operations, so that nothing branches. Each of the four lanes keeps its own sum of
 * |early| over the weights i = lane (mod 4), in order, and its own "early change left"
 * mask. Each function continues from weight `from` and returns where it stopped. */
#if defined(__GNUC__)
typedef float Quad __attribute__((vector_size(16)));
typedef int32_t QuadBits __attribute__((vector_size(16)));
typedef float QuadAt __attribute__((vector_size(16), aligned(4), may_alias));

static size_t elapse_weights_quads(float *restrict w, float *restrict e, size_t from, size_t count,
                                   float lost_share, float keep, Quad *lane_magnitude,
                                   QuadBits *lane_left)
{
    const float negligible = NEGLIGIBLE_EARLY;
    int32_t negligible_bits;
    memcpy(&negligible_bits, &negligible, sizeof negligible_bits);
    size_t i = from;
    for (; i + 4 <= count; i += 4) {
        Quad early, weight, magnitude_bits;
        QuadBits bits;
        memcpy(&early, e + i, sizeof early);
        memcpy(&weight, w + i, sizeof weight);
        memcpy(&bits, &early, sizeof bits);
        bits &= 0x7fffffff; /* |early| */
        memcpy(&magnitude_bits, &bits, sizeof bits);
        *lane_magnitude += magnitude_bits;
        weight -= lost_share * early;
        early *= keep;
        memcpy(&bits, &early, sizeof bits);
        QuadBits kept = (bits & 0x7fffffff) >= negligible_bits; /* all ones where kept */
        bits &= kept;
        *lane_left |= kept;
        memcpy(&early, &bits, sizeof early);
        memcpy(e + i, &early, sizeof early);
        memcpy(w + i, &weight, sizeof weight);
    }
    return i;
}

#ifdef MODEL_AVX
/* The same eight weights at a time in AVX, for the whole multiples of 8. The sums stay
 * four lanes wide and take the low half (weights i..i+3) before the high half (i+4..i+7),
 * so every lane adds exactly what it adds, in the order it adds it, in the loop above.
 * The flush compares as floats: for |early| (never negative) that orders exactly like the
 * bits, and ~(x < y) keeps a NaN as the bit comparison does. */
__attribute__((target("avx"))) static size_t elapse_weights_avx(float *restrict w, float *restrict e,
                                                                size_t count, float lost_share,
                                                                float keep, Quad *lane_magnitude,
                                                                QuadBits *lane_left)
{
    LANE_TYPES(8);
    const VecMask magnitude_mask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                                    0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    const Vec negligible = (Vec){0.0f} + NEGLIGIBLE_EARLY;
    Quad sum = *lane_magnitude;
    VecMask left = {0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        Vec early = VEC_AT(e + i), weight = VEC_AT(w + i);
        const Vec magnitude = (Vec)((VecMask)early & magnitude_mask);
        sum += __builtin_shufflevector(magnitude, magnitude, 0, 1, 2, 3);
        sum += __builtin_shufflevector(magnitude, magnitude, 4, 5, 6, 7);
        weight -= lost_share * early;
        early *= keep;
        const VecMask kept = ~((Vec)((VecMask)early & magnitude_mask) < negligible);
        const VecMask flushed = (VecMask)early & kept;
        left |= flushed; /* non-zero exactly where kept */
        VEC_AT(e + i) = (Vec)flushed;
        VEC_AT(w + i) = weight;
    }
    *lane_magnitude = sum;
    *lane_left |= __builtin_shufflevector(left, left, 0, 1, 2, 3) | __builtin_shufflevector(left, left, 4, 5, 6, 7);
    return i;
}
#endif
#endif

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
    float *restrict w = m->weights, *restrict e = m->early;
    size_t i = 0;
#if defined(__GNUC__)
    Quad lane_magnitude = {0.0f, 0.0f, 0.0f, 0.0f};
    QuadBits lane_left = {0, 0, 0, 0};
#ifdef MODEL_AVX
    if (have_avx())
        i = elapse_weights_avx(w, e, count, lost_share, keep, &lane_magnitude, &lane_left);
#endif
    i = elapse_weights_quads(w, e, i, count, lost_share, keep, &lane_magnitude, &lane_left);
#endif
    double magnitude = 0.0;
    bool any_left = false;
    for (; i < count; i++) {
        float early = e[i];
        magnitude += fabsf(early);
        w[i] -= lost_share * early;
        early *= keep;
        e[i] = fabsf(early) < NEGLIGIBLE_EARLY ? 0.0f : early;
        any_left |= e[i] != 0.0f;
    }
#if defined(__GNUC__)
    for (int j = 0; j < 4; j++) {
        magnitude += lane_magnitude[j];
        any_left |= lane_left[j] != 0;
    }
#endif
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
