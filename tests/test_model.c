/* The model: what a user or researcher notices — bad parameters refused, runs that
 * repeat bit for bit, a touch that makes a bump where the digit lives, learning that
 * moves the touched units towards the touch and leaves the rest alone, weights that stay
 * in [0, 1] whatever comes in, early changes that fade and are partly kept (more asleep),
 * thresholds that push back against over-use, and plasticity that depends on age and
 * gain. Properties, not tuned numbers: these hold for any sane tuning of core/params.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diet.h"
#include "metrics.h"
#include "model.h"
#include "suites.h"

#define DAY_S 86400.0

/* A passing ck_assert records its location through a pipe to the runner; inside loops over
 * every weight that costs seconds, so loops check with a plain if and fail with this. */
#define EXPECT(cond, ...)              \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

/* ---- helpers ---------------------------------------------------------------------- */

static Model *create_or_fail(const ModelParams *params)
{
    char err[256] = "";
    Model *model = model_create(params, err, sizeof err);
    ck_assert_msg(model != NULL, "model_create: %s", err);
    return model;
}

/* The default hand on a small sheet (fast enough for thousands of stimuli). */
static void small_params(ModelParams *params)
{
    model_params_default(params);
    params->sheet_size = 16;
}

/* The same small hand under model v1's rules: L1-match drive, additive thresholds. */
static void v1_params(ModelParams *params)
{
    small_params(params);
    params->drive_rule = DRIVE_L1_MATCH;
    params->homeostasis_rule = HOMEOSTASIS_THRESHOLD;
    params->homeostasis_rate = 0.0001f;
}

/* Whether a unit's homeostatic value (threshold or gain) is within its rule's bounds. */
static bool excitability_in_range(const ModelParams *p, float value)
{
    if (!isfinite(value))
        return false;
    if (p->homeostasis_rule == HOMEOSTASIS_SCALING)
        return value >= 1.0f / p->gain_limit && value <= p->gain_limit;
    return fabsf(value) <= p->threshold_limit;
}

/* A new unit's homeostatic value: threshold 0, or gain 1. */
static float neutral_excitability(const ModelParams *p)
{
    return p->homeostasis_rule == HOMEOSTASIS_SCALING ? 1.0f : 0.0f;
}

static size_t weight_count(const Model *model)
{
    return (size_t)model_unit_count(model) * (size_t)model_receptor_count(model);
}

static size_t unit_count(const Model *model) { return (size_t)model_unit_count(model); }

/* A touch of one digit at full strength. */
static void touch(const Model *model, float *stimulus, int digit, float along)
{
    const Skin *skin = model_skin(model);
    skin_clear(skin, stimulus);
    skin_touch_digit(skin, stimulus, digit, along, 1.0f);
}

/* Everyday use: one random digit (now and then two neighbours) anywhere along it. */
static void random_touch(const Model *model, Rng *rng, float *stimulus)
{
    const Skin *skin = model_skin(model);
    skin_clear(skin, stimulus);
    int digit = (int)rng_below(rng, SKIN_DIGITS);
    float along = rng_uniform(rng), intensity = 0.7f + 0.3f * rng_uniform(rng);
    if (skin->layout != SKIN_HAND) { /* the torus grid: anywhere on it */
        skin_touch_at(skin, stimulus, along, rng_uniform(rng), intensity);
        return;
    }
    skin_touch_digit(skin, stimulus, digit, along, intensity);
    if (digit < SKIN_DIGITS - 1 && rng_below(rng, 10) == 0)
        skin_touch_digit(skin, stimulus, digit + 1, along, intensity);
}

static double sum_abs(const float *a, size_t count)
{
    double sum = 0.0;
    for (size_t i = 0; i < count; i++)
        sum += fabsf(a[i]);
    return sum;
}

static double sum_abs_diff(const float *a, const float *b, size_t count)
{
    double sum = 0.0;
    for (size_t i = 0; i < count; i++)
        sum += fabsf(a[i] - b[i]);
    return sum;
}

/* Sum of |(w - early) - w0|: how far the late (consolidated) part has moved. */
static double late_change(const Model *model, const float *start)
{
    const float *w = model_weights(model), *e = model_early(model);
    double sum = 0.0;
    for (size_t i = 0; i < weight_count(model); i++)
        sum += fabsf((w[i] - e[i]) - start[i]);
    return sum;
}

static float *copy_floats(const float *a, size_t count)
{
    float *copy = malloc(count * sizeof *copy);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, a, count * sizeof *copy);
    return copy;
}

/* Everything a user can read off the model, to check that something changed nothing. */
typedef struct {
    float *weights, *early, *thresholds, *activity, *field;
    ModelScalars scalars;
} Snapshot;

static void snapshot_take(Snapshot *snap, const Model *model)
{
    snap->weights = copy_floats(model_weights(model), weight_count(model));
    snap->early = copy_floats(model_early(model), weight_count(model));
    snap->thresholds = copy_floats(model_thresholds(model), unit_count(model));
    snap->activity = copy_floats(model_activity(model), unit_count(model));
    snap->field = copy_floats(model_field(model), unit_count(model));
    model_get_scalars(model, &snap->scalars);
}

static void snapshot_free(Snapshot *snap)
{
    free(snap->weights);
    free(snap->early);
    free(snap->thresholds);
    free(snap->activity);
    free(snap->field);
}

static void assert_scalars_equal(const ModelScalars *a, const ModelScalars *b)
{
    ck_assert(memcmp(&a->time_s, &b->time_s, sizeof a->time_s) == 0);
    ck_assert_uint_eq(a->stimuli, b->stimuli);
    ck_assert(memcmp(&a->capture_resource, &b->capture_resource, sizeof a->capture_resource) == 0);
    ck_assert_uint_eq(a->rng.state, b->rng.state);
    ck_assert_uint_eq(a->rng.increment, b->rng.increment);
}

static void assert_unchanged(const Snapshot *snap, const Model *model, const char *what)
{
    ck_assert_msg(memcmp(snap->weights, model_weights(model), weight_count(model) * sizeof(float)) == 0,
                  "%s changed the weights", what);
    ck_assert_msg(memcmp(snap->early, model_early(model), weight_count(model) * sizeof(float)) == 0,
                  "%s changed the early weights", what);
    ck_assert_msg(memcmp(snap->thresholds, model_thresholds(model), unit_count(model) * sizeof(float)) == 0,
                  "%s changed the thresholds", what);
    ck_assert_msg(memcmp(snap->activity, model_activity(model), unit_count(model) * sizeof(float)) == 0,
                  "%s changed the activity", what);
    ck_assert_msg(memcmp(snap->field, model_field(model), unit_count(model) * sizeof(float)) == 0,
                  "%s changed the field", what);
    ModelScalars now;
    model_get_scalars(model, &now);
    assert_scalars_equal(&snap->scalars, &now);
}

/* Two models in the same state, compared array by array, bit for bit. */
static void assert_models_identical(const Model *a, const Model *b)
{
    ck_assert(memcmp(model_weights(a), model_weights(b), weight_count(a) * sizeof(float)) == 0);
    ck_assert(memcmp(model_early(a), model_early(b), weight_count(a) * sizeof(float)) == 0);
    ck_assert(memcmp(model_thresholds(a), model_thresholds(b), unit_count(a) * sizeof(float)) == 0);
    ck_assert(memcmp(model_activity(a), model_activity(b), unit_count(a) * sizeof(float)) == 0);
    ck_assert(memcmp(model_field(a), model_field(b), unit_count(a) * sizeof(float)) == 0);
    ModelScalars sa, sb;
    model_get_scalars(a, &sa);
    model_get_scalars(b, &sb);
    assert_scalars_equal(&sa, &sb);
}

/* The invariants no input may break: weights in [0, 1], thresholds within the limit,
 * every array and scalar finite, the capture resource in [0, 1]. */
static void assert_sane(const Model *model, const char *when)
{
    const ModelParams *p = model_get_params(model);
    const float *w = model_weights(model), *e = model_early(model);
    for (size_t i = 0; i < weight_count(model); i++) {
        EXPECT(w[i] >= 0.0f && w[i] <= 1.0f, "%s: weight %zu = %g", when, i, (double)w[i]);
        EXPECT(isfinite(e[i]), "%s: early weight %zu = %g", when, i, (double)e[i]);
        EXPECT(!(p->early_depression_limit > 0.0f) || e[i] >= -p->early_depression_limit * (1.0f + 1e-6f),
               "%s: early weight %zu = %g below the saturation -%g", when, i, (double)e[i],
               (double)p->early_depression_limit);
        EXPECT(!(p->early_potentiation_limit > 0.0f) || e[i] <= p->early_potentiation_limit * (1.0f + 1e-6f),
               "%s: early weight %zu = %g above the saturation %g", when, i, (double)e[i],
               (double)p->early_potentiation_limit);
        EXPECT(isfinite(w[i] - e[i]), "%s: late weight %zu not finite", when, i);
    }
    const float *t = model_thresholds(model), *a = model_activity(model), *v = model_field(model);
    for (size_t i = 0; i < unit_count(model); i++) {
        EXPECT(excitability_in_range(p, t[i]), "%s: threshold or gain %zu = %g", when, i, (double)t[i]);
        EXPECT(isfinite(a[i]), "%s: activity %zu = %g", when, i, (double)a[i]);
        EXPECT(isfinite(v[i]) && v[i] >= 0.0f, "%s: field %zu = %g", when, i, (double)v[i]);
    }
    ModelScalars s;
    model_get_scalars(model, &s);
    EXPECT(isfinite(s.time_s) && s.time_s >= 0.0, "%s: time %g", when, s.time_s);
    EXPECT(s.capture_resource >= 0.0f && s.capture_resource <= 1.0f, "%s: capture resource %g", when,
           (double)s.capture_resource);
}

/* ---- creation --------------------------------------------------------------------- */

START_TEST(test_create_refuses_bad_params_naming_them)
{
    ModelParams params;
    char err[256];

    small_params(&params);
    params.sheet_size = 8;
    err[0] = '\0';
    ck_assert_ptr_null(model_create(&params, err, sizeof err));
    ck_assert_msg(strstr(err, "sheet_size") != NULL, "message was: %s", err);

    small_params(&params);
    params.tau = 0.5f;
    params.dt = 0.8f;
    err[0] = '\0';
    ck_assert_ptr_null(model_create(&params, err, sizeof err));
    ck_assert_msg(strstr(err, "dt") != NULL, "message was: %s", err);

    small_params(&params);
    params.learning_rate = NAN;
    err[0] = '\0';
    ck_assert_ptr_null(model_create(&params, err, sizeof err));
    ck_assert_msg(strstr(err, "learning_rate") != NULL, "message was: %s", err);

    small_params(&params);
    params.plasticity_gain = -1.0f;
    err[0] = '\0';
    ck_assert_ptr_null(model_create(&params, err, sizeof err));
    ck_assert_msg(strstr(err, "plasticity_gain") != NULL, "message was: %s", err);

    /* an ordered hand map needs a hand */
    small_params(&params);
    params.skin_layout = SKIN_TORUS_GRID;
    params.weight_init = INIT_ORDERED_HAND;
    err[0] = '\0';
    ck_assert_ptr_null(model_create(&params, err, sizeof err));
    ck_assert_msg(strstr(err, "weight_init") != NULL, "message was: %s", err);

    model_free(NULL);
}
END_TEST

START_TEST(test_create_sizes_follow_params)
{
    ModelParams params;
    small_params(&params);
    params.sheet_size = 20;
    params.receptors_per_digit = 6;
    Model *model = create_or_fail(&params);
    ck_assert_int_eq(model_sheet_size(model), 20);
    ck_assert_int_eq(model_unit_count(model), 400);
    ck_assert_int_eq(model_receptor_count(model), SKIN_DIGITS * 6);
    ck_assert_int_eq(model_get_params(model)->sheet_size, 20);
    /* a new hand: nothing learned yet, all weights in [0, 1] */
    ck_assert(sum_abs(model_early(model), weight_count(model)) == 0.0);
    for (size_t i = 0; i < unit_count(model); i++)
        ck_assert(model_thresholds(model)[i] == neutral_excitability(&params));
    ModelScalars s;
    model_get_scalars(model, &s);
    ck_assert_uint_eq(s.stimuli, 0);
    ck_assert(s.time_s == 0.0);
    ck_assert_float_eq(s.capture_resource, 1.0f);
    assert_sane(model, "new model");
    model_free(model);
}
END_TEST

/* ---- determinism ------------------------------------------------------------------ */

START_TEST(test_same_seed_same_run)
{
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 0.01f; /* so the thresholds move too */
    params.seed = 12345;
    Model *a = create_or_fail(&params), *b = create_or_fail(&params);
    assert_models_identical(a, b);
    Rng rng;
    rng_seed(&rng, 99);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 200; i++) {
        random_touch(a, &rng, stimulus);
        model_present(a, stimulus);
        model_present(b, stimulus);
        if (i % 50 == 49) {
            model_elapse(a, 30.0, MODEL_AWAKE);
            model_elapse(b, 30.0, MODEL_AWAKE);
        }
    }
    model_elapse(a, 8 * 3600.0, MODEL_ASLEEP);
    model_elapse(b, 8 * 3600.0, MODEL_ASLEEP);
    assert_models_identical(a, b);
    model_free(a);
    model_free(b);
}
END_TEST

/* Controls changed on a running model give exactly the model created with them: the
 * learning rate and the inhibition kernel follow; out-of-range values are clamped. */
START_TEST(test_controls_change_a_running_model_as_if_created_so)
{
    ModelParams params;
    small_params(&params);
    params.seed = 7;
    Model *changed = create_or_fail(&params);
    params.plasticity_gain = 3.0f;
    params.inhibition_strength = 2.4f;
    params.age_years = 8.0f;
    Model *created = create_or_fail(&params);
    model_set_controls(changed, 3.0f, 2.4f, 8.0f);
    ck_assert_float_eq(model_learning_rate(changed), model_learning_rate(created));
    Rng rng;
    rng_seed(&rng, 3);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 100; i++) {
        random_touch(changed, &rng, stimulus);
        model_present(changed, stimulus);
        model_present(created, stimulus);
    }
    assert_models_identical(changed, created);
    model_set_controls(changed, 1e9f, -5.0f, NAN);
    const ModelParams *now = model_get_params(changed);
    const ParamInfo *gain = model_param_find("plasticity_gain"), *inhibition = model_param_find("inhibition_strength");
    ck_assert_float_eq(now->plasticity_gain, (float)gain->max);
    ck_assert_float_eq(now->inhibition_strength, (float)inhibition->min);
    ck_assert_float_eq(now->age_years, 8.0f);
    model_free(changed);
    model_free(created);
}
END_TEST

START_TEST(test_different_seed_different_start)
{
    ModelParams params;
    small_params(&params);
    params.weight_init_noise = 0.05f;
    params.seed = 1;
    Model *a = create_or_fail(&params);
    params.seed = 2;
    Model *b = create_or_fail(&params);
    ck_assert(memcmp(model_weights(a), model_weights(b), weight_count(a) * sizeof(float)) != 0);
    model_free(a);
    model_free(b);
}
END_TEST

/* ---- the split (time-sliced) form ---------------------------------------------------- */

static const int SPLIT_BUDGETS[] = {1, 7, 100};

START_TEST(test_split_settling_matches_present)
{
    const int budget = SPLIT_BUDGETS[_i];
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 0.01f;
    Model *whole = create_or_fail(&params), *split = create_or_fail(&params);
    const int steps = model_get_params(split)->settle_steps;
    Rng rng;
    rng_seed(&rng, 5);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 25; i++) {
        random_touch(whole, &rng, stimulus);
        model_present(whole, stimulus);
        model_settle_begin(split, stimulus);
        int left = steps, calls = 0;
        while (left > 0) {
            int now = model_settle_run(split, budget);
            int expect = left > budget ? left - budget : 0;
            ck_assert_int_eq(now, expect);
            left = now;
            calls++;
        }
        ck_assert_int_eq(calls, (steps + budget - 1) / budget);
        model_settle_finish(split);
    }
    assert_models_identical(whole, split);
    model_free(whole);
    model_free(split);
}
END_TEST

/* model_present defers the rows a settled bump's surround holds silent, and takes their
 * steps after all when the bump leaves its region; model_settle_run steps every row. On
 * full-size sheets (where a bump covers a few rows of 32), bounded and torus, with touches
 * that jump between digits and pairs, the two must still agree bit for bit. */
/* model_present defers rows it certifies silent; model_settle_run in slices never does:
 * the two must settle to the same field, bit for bit. */
static void present_with_and_without_deferral(Model *deferring, Model *stepping, const float *stimulus)
{
    model_present(deferring, stimulus);
    model_settle_begin(stepping, stimulus);
    while (model_settle_run(stepping, 9) > 0)
        continue;
    model_settle_finish(stepping);
    ck_assert_mem_eq(model_field(deferring), model_field(stepping), unit_count(deferring) * sizeof(float));
}

START_TEST(test_present_defers_silent_rows_exactly)
{
    ModelParams params;
    if (_i == 0)
        model_params_default(&params);
    else
        model_params_reference(&params);
    params.homeostasis_rate = 0.01f;
    Model *whole = create_or_fail(&params), *split = create_or_fail(&params);
    Rng rng;
    rng_seed(&rng, 11);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 40; i++) {
        random_touch(whole, &rng, stimulus);
        present_with_and_without_deferral(whole, split, stimulus);
    }
    assert_models_identical(whole, split);
    model_free(whole);
    model_free(split);
}
END_TEST

/* The deferral must also hold where a row outside the active region would light up later:
 * two touches far apart, the second weaker (its units cross zero later than the first's, or
 * never), on maps trained by everyday touches, at several surround strengths. Checked against
 * the settle without deferral (model_settle_run). */
START_TEST(test_deferral_exact_when_a_weaker_touch_rises_later)
{
    ModelParams params;
    model_params_default(&params);
    Model *whole = create_or_fail(&params), *split = create_or_fail(&params);
    const Skin *skin = model_skin(whole);
    Rng rng;
    rng_seed(&rng, 5);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 300; i++) {
        random_touch(whole, &rng, stimulus);
        model_present(whole, stimulus);
        model_present(split, stimulus);
    }
    static const float inhibition[] = {0.5f, 1.0f, 2.0f};
    for (int k = 0; k < 3; k++) {
        model_set_controls(whole, NAN, inhibition[k], NAN);
        model_set_controls(split, NAN, inhibition[k], NAN);
        for (int i = 0; i < 60; i++) {
            skin_clear(skin, stimulus);
            const int first = (int)rng_below(&rng, SKIN_DIGITS), second = (first + 2 + (int)rng_below(&rng, 3)) % SKIN_DIGITS;
            skin_touch_digit(skin, stimulus, first, rng_uniform(&rng), 1.0f);
            skin_touch_digit(skin, stimulus, second, rng_uniform(&rng), 0.05f + 0.6f * rng_uniform(&rng));
            present_with_and_without_deferral(whole, split, stimulus);
        }
    }
    assert_models_identical(whole, split);
    model_free(whole);
    model_free(split);
}
END_TEST

/* Every vector width does the same operations lane by lane, so a model held to 4 lanes
 * (SSE2, NEON), one held to 8 (AVX) and one at the widest this machine runs (AVX-512 where
 * there is) learn the same touches to the same bits: the default sheet (two rows of AVX-512
 * at a time), the torus reference and a 16 x 16 sheet (two rows of AVX at a time). Where the
 * machine lacks a width, the models held to it run the narrower one. */
START_TEST(test_vector_widths_agree)
{
    ModelParams params;
    if (_i == 1)
        model_params_reference(&params);
    else
        model_params_default(&params);
    if (_i == 2)
        params.sheet_size = 16;
    params.homeostasis_rate = 0.01f;
    static const int lanes[] = {4, 8, 16};
    Model *models[3];
    for (int k = 0; k < 3; k++) {
        models[k] = create_or_fail(&params);
        model_limit_lanes(models[k], lanes[k]);
    }
    Rng rng;
    rng_seed(&rng, 23);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 150; i++) {
        random_touch(models[0], &rng, stimulus);
        for (int k = 0; k < 3; k++) {
            model_present(models[k], stimulus);
            model_elapse(models[k], 0.15 + 4.0 * (i % 3), MODEL_AWAKE);
        }
    }
    for (int k = 1; k < 3; k++)
        assert_models_identical(models[0], models[k]);
    for (int k = 0; k < 3; k++)
        model_free(models[k]);
}
END_TEST

/* A stimulus presented for weight of them (a sampled background, core/everyday.h): at weight 1
 * it is model_present, bit for bit; at weight 4 the same settle moves every weight and every
 * unit's smoothed activity four times as far. */
START_TEST(test_weighted_stimulus_learns_as_much_as_its_weight)
{
    ModelParams params;
    small_params(&params);
    Model *plain = create_or_fail(&params), *one = create_or_fail(&params), *four = create_or_fail(&params);
    const size_t weights = weight_count(plain), units = unit_count(plain);
    float *start = copy_floats(model_weights(plain), weights);
    float stimulus[SKIN_MAX_RECEPTORS];
    touch(plain, stimulus, 2, 0.1f);
    model_present(plain, stimulus);
    model_present_weighted(one, stimulus, 1.0f);
    model_present_weighted(four, stimulus, 4.0f);
    assert_models_identical(plain, one);
    const float *w1 = model_weights(plain), *w4 = model_weights(four);
    double moved = 0.0;
    for (size_t k = 0; k < weights; k++) {
        const double d1 = (double)w1[k] - start[k], d4 = (double)w4[k] - start[k];
        ck_assert_msg(fabs(d4 - 4.0 * d1) <= 1e-6 + 1e-3 * fabs(d1), "weight %zu moved %g, once %g", k, d4, d1);
        moved += fabs(d1);
    }
    ck_assert(moved > 1e-3); /* the touch was learned */
    for (size_t i = 0; i < units; i++)
        ck_assert_float_eq_tol(model_activity(four)[i], 4.0f * model_activity(plain)[i], 1e-6f);
    /* the next stimulus weighs 1 again */
    model_present(plain, stimulus);
    model_present(one, stimulus);
    assert_models_identical(plain, one);
    free(start);
    model_free(plain), model_free(one), model_free(four);
}
END_TEST

START_TEST(test_finish_before_settled_does_nothing)
{
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 0.01f;
    Model *whole = create_or_fail(&params), *split = create_or_fail(&params);
    float stimulus[SKIN_MAX_RECEPTORS];
    touch(split, stimulus, 2, 0.5f);

    model_settle_begin(split, stimulus);
    ck_assert_int_gt(model_settle_run(split, 1), 0);
    Snapshot snap;
    snapshot_take(&snap, split);
    model_settle_finish(split); /* too early: must not learn or count */
    assert_unchanged(&snap, split, "an early model_settle_finish");
    snapshot_free(&snap);

    ck_assert_int_eq(model_settle_run(split, 1000000), 0);
    ck_assert_int_eq(model_settle_run(split, 5), 0); /* nothing left to do */
    model_settle_finish(split);
    model_present(whole, stimulus);
    ModelScalars s;
    model_get_scalars(split, &s);
    ck_assert_uint_eq(s.stimuli, 1);
    assert_models_identical(whole, split);
    model_free(whole);
    model_free(split);
}
END_TEST

/* ---- a touch makes a bump in the digit's territory -------------------------------------- */

START_TEST(test_touch_makes_a_bump_in_the_digits_territory)
{
    const int digit = _i;
    ModelParams params;
    model_params_default(&params); /* the hand a user gets */
    Model *model = create_or_fail(&params);
    const int n = model_sheet_size(model), units = model_unit_count(model);
    float stimulus[SKIN_MAX_RECEPTORS];
    touch(model, stimulus, digit, 0.5f);
    model_present(model, stimulus);

    const float *field = model_field(model);
    int active = 0, peak = 0;
    double mass = 0.0, mass_inside = 0.0, column = 0.0;
    for (int i = 0; i < units; i++) {
        if (field[i] > field[peak])
            peak = i;
        if (!(field[i] > 0.0f))
            continue;
        active++;
        mass += field[i];
        column += field[i] * (i % n);
        if ((i % n) * SKIN_DIGITS / n == digit)
            mass_inside += field[i];
    }
    ck_assert_msg(active > 0, "D%d: no unit responds to a touch", digit + 1);
    ck_assert_msg(active < units / 4, "D%d: %d of %d units active: not a bump", digit + 1, active, units);
    ck_assert_msg((peak % n) * SKIN_DIGITS / n == digit, "D%d: peak at column %d", digit + 1, peak % n);
    int centre = (int)floor(column / mass);
    ck_assert_msg(centre * SKIN_DIGITS / n == digit, "D%d: bump centred on column %d", digit + 1, centre);
    ck_assert_msg(mass_inside > 0.5 * mass, "D%d: only %.0f %% of the bump in the digit's territory",
                  digit + 1, 100.0 * mass_inside / mass);
    model_free(model);
}
END_TEST

/* ---- robustness --------------------------------------------------------------------- */

/* Every kind of input a host might hand over: touches, chords, silence, everything on,
 * and garbage (NaN, infinities, negatives, values above 1). */
static void hostile_stimulus(const Model *model, Rng *rng, int kind, float *stimulus)
{
    const int receptors = model_receptor_count(model);
    const Skin *skin = model_skin(model);
    switch (kind) {
    case 0:
        random_touch(model, rng, stimulus);
        break;
    case 1:
        skin_clear(skin, stimulus);
        break;
    case 2:
        for (int r = 0; r < receptors; r++)
            stimulus[r] = 1.0f;
        break;
    case 3: {
        static const float garbage[] = {NAN,  INFINITY, -INFINITY,  -1.0f, -1e30f,
                                        2.0f, 1e30f,    1.0000001f, -0.0f, 1e-40f};
        for (int r = 0; r < receptors; r++)
            stimulus[r] = rng_below(rng, 2) ? garbage[rng_below(rng, sizeof garbage / sizeof garbage[0])]
                                            : rng_uniform(rng);
        break;
    }
    case 4: /* a chord of random digits */
        skin_clear(skin, stimulus);
        for (int d = 0; d < SKIN_DIGITS; d++)
            if (rng_below(rng, 2))
                skin_touch_digit(skin, stimulus, d, rng_uniform(rng), 1.0f);
        if (skin->layout != SKIN_HAND) /* skin_touch_digit ignores the torus grid */
            skin_touch_at(skin, stimulus, rng_uniform(rng), rng_uniform(rng), 1.0f);
        break;
    case 5: /* a touch out of range: finite values from -0.5 to 2.5 that still make a bump */
        random_touch(model, rng, stimulus);
        for (int r = 0; r < receptors; r++)
            stimulus[r] = 3.0f * stimulus[r] - 0.5f;
        break;
    default: /* random values in [0, 1] */
        for (int r = 0; r < receptors; r++)
            stimulus[r] = rng_uniform(rng);
        break;
    }
}

static void hammer(Model *model, int stimuli, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < stimuli; i++) {
        hostile_stimulus(model, &rng, (int)rng_below(&rng, 7), stimulus);
        model_present(model, stimulus);
        if (i % 97 == 96)
            model_elapse(model, 600.0 * rng_uniform(&rng), rng_below(&rng, 2) ? MODEL_ASLEEP : MODEL_AWAKE);
        if (i % 250 == 249)
            assert_sane(model, "after hostile stimuli");
    }
    assert_sane(model, "after hostile stimuli");
    model_elapse(model, 2 * DAY_S, MODEL_AWAKE);
    assert_sane(model, "after two days");
}

START_TEST(test_weights_stay_in_range_whatever_the_input)
{
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 0.05f;
    Model *model = create_or_fail(&params);
    hammer(model, 2000, 11);
    model_free(model);
}
END_TEST

START_TEST(test_weights_stay_in_range_at_extreme_plasticity)
{
    /* the user's knobs at the ends of their ranges: a small child with the highest gain */
    ModelParams params;
    small_params(&params);
    params.plasticity_gain = 10.0f;
    params.age_years = 3.0f;
    params.homeostasis_rate = 1.0f;
    params.threshold_limit = 1.0f;
    Model *model = create_or_fail(&params);
    hammer(model, 600, 12);
    model_free(model);
}
END_TEST

START_TEST(test_reference_preset_stays_in_range)
{
    ModelParams params;
    model_params_reference(&params);
    Model *model = create_or_fail(&params);
    assert_sane(model, "new reference model");
    hammer(model, 100, 13);
    model_free(model);
}
END_TEST

/* ---- learning ----------------------------------------------------------------------- */

static double distance_to(const float *w, const float *stimulus, int receptors)
{
    double d = 0.0;
    for (int r = 0; r < receptors; r++)
        d += fabsf(w[r] - stimulus[r]);
    return d;
}

START_TEST(test_learning_moves_the_bump_towards_the_touch)
{
    ModelParams params;
    model_params_default(&params);
    Model *model = create_or_fail(&params);
    const int n = model_sheet_size(model), receptors = model_receptor_count(model);
    const size_t count = weight_count(model);
    float *before = copy_floats(model_weights(model), count);
    float stimulus[SKIN_MAX_RECEPTORS];
    touch(model, stimulus, 2, 0.3f);
    model_present(model, stimulus);

    const float *field = model_field(model), *after = model_weights(model);
    int peak = 0;
    for (int i = 0; i < model_unit_count(model); i++)
        if (field[i] > field[peak])
            peak = i;
    ck_assert(field[peak] > 0.0f);
    const size_t at = (size_t)peak * (size_t)receptors;
    double was = distance_to(before + at, stimulus, receptors);
    double now = distance_to(after + at, stimulus, receptors);
    ck_assert_msg(now < was, "the most active unit moved away from the touch: %g -> %g", was, now);
    double peak_change = sum_abs_diff(before + at, after + at, (size_t)receptors);

    /* units half a sheet or more from the bump keep their weights (or nearly) */
    int far_units = 0;
    for (int i = 0; i < model_unit_count(model); i++) {
        int dx = i % n - peak % n, dy = i / n - peak / n;
        if (dx * dx + dy * dy < (n / 2) * (n / 2))
            continue;
        far_units++;
        const size_t off = (size_t)i * (size_t)receptors;
        double change = sum_abs_diff(before + off, after + off, (size_t)receptors);
        EXPECT(change <= 0.01 * peak_change, "unit %d far from the bump changed by %g (bump unit %g)", i,
               change, peak_change);
    }
    ck_assert_int_gt(far_units, 0);
    /* and the change is early (labile) so far: w - early is still the start */
    ck_assert(sum_abs(model_early(model), count) > 0.0);
    ck_assert(late_change(model, before) <= 1e-3 * sum_abs(model_early(model), count));
    free(before);
    model_free(model);
}
END_TEST

START_TEST(test_repeated_touches_pull_the_map_towards_the_touch)
{
    /* what a researcher sees in the drive: after practice, the best-matching unit for
     * the touch matches it better than any unit did before */
    ModelParams params;
    small_params(&params);
    Model *model = create_or_fail(&params);
    float stimulus[SKIN_MAX_RECEPTORS], drive[64 * 64];
    /* a lighter touch than any starting field matches exactly */
    skin_clear(model_skin(model), stimulus);
    skin_touch_digit(model_skin(model), stimulus, 3, 0.6f, 0.6f);
    const int units = model_unit_count(model);
    model_drive(model, stimulus, drive);
    float best_before = drive[0];
    for (int i = 1; i < units; i++)
        best_before = fmaxf(best_before, drive[i]);
    for (int i = 0; i < 50; i++)
        model_present(model, stimulus);
    model_drive(model, stimulus, drive);
    float best_after = drive[0];
    for (int i = 1; i < units; i++)
        best_after = fmaxf(best_after, drive[i]);
    ck_assert_msg(best_after > best_before, "best drive %g -> %g", (double)best_before, (double)best_after);
    model_free(model);
}
END_TEST

/* ---- two timescales ------------------------------------------------------------------ */

/* Trains two identical models with the same touches. */
static void train_pair(Model *a, Model *b, int stimuli)
{
    Rng rng;
    rng_seed(&rng, 21);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < stimuli; i++) {
        random_touch(a, &rng, stimulus);
        model_present(a, stimulus);
        model_present(b, stimulus);
    }
}

START_TEST(test_early_changes_fade_and_are_partly_kept)
{
    ModelParams params;
    small_params(&params);
    params.plasticity_gain = 3.0f; /* a visible amount of change in a short block */
    Model *awake = create_or_fail(&params), *asleep = create_or_fail(&params);
    const size_t count = weight_count(awake);
    float *start = copy_floats(model_weights(awake), count);
    train_pair(awake, asleep, 300);
    assert_models_identical(awake, asleep);

    const double early_block = sum_abs(model_early(awake), count);
    const double change_block = sum_abs_diff(model_weights(awake), start, count);
    ck_assert_msg(early_block > 0.0, "a block of learning left no early change");
    ck_assert(change_block > 0.0);

    /* ten minutes awake: the early part shrinks, and part of it is now late */
    model_elapse(awake, 600.0, MODEL_AWAKE);
    model_elapse(asleep, 600.0, MODEL_AWAKE);
    const double early_rest = sum_abs(model_early(awake), count);
    const double change_rest = sum_abs_diff(model_weights(awake), start, count);
    ck_assert_msg(early_rest < early_block, "early part did not shrink at rest: %g -> %g", early_block,
                  early_rest);
    ck_assert_msg(change_rest > 0.0 && change_rest <= change_block * (1.0 + 1e-4),
                  "total change %g -> %g", change_block, change_rest);
    ck_assert_msg(late_change(awake, start) > 0.0, "nothing was consolidated into the late part");
    assert_sane(awake, "after rest");

    /* then a night: asleep keeps more of the practice than the same time awake */
    model_elapse(awake, 8 * 3600.0, MODEL_AWAKE);
    model_elapse(asleep, 8 * 3600.0, MODEL_ASLEEP);
    const double kept_awake = sum_abs_diff(model_weights(awake), start, count);
    const double kept_asleep = sum_abs_diff(model_weights(asleep), start, count);
    ck_assert_msg(kept_awake > 0.0, "nothing kept after a day awake");
    ck_assert_msg(kept_asleep > kept_awake, "asleep kept %g, awake %g", kept_asleep, kept_awake);
    ck_assert_msg(kept_asleep < change_block, "the night kept more (%g) than was learned (%g)", kept_asleep,
                  change_block);
    ck_assert(sum_abs(model_early(awake), count) < early_rest);
    ck_assert(sum_abs(model_early(asleep), count) < early_rest);
    assert_sane(awake, "after a day awake");
    assert_sane(asleep, "after a night");
    free(start);
    model_free(awake);
    model_free(asleep);
}
END_TEST

/* The lowest and highest early parts after a dense block of one fingertip (no time passing),
 * with the given saturation of early depression and potentiation; the late part (w - early)
 * must not move. */
static void early_extremes_after_dense_block(float depression_limit, float potentiation_limit, float *lowest,
                                             float *highest)
{
    ModelParams params;
    small_params(&params);
    params.plasticity_gain = 5.0f;
    params.early_depression_limit = depression_limit;
    params.early_potentiation_limit = potentiation_limit;
    Model *model = create_or_fail(&params);
    const size_t count = weight_count(model);
    float *start = copy_floats(model_weights(model), count);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 1500; i++) {
        touch(model, stimulus, 2, 0.0f);
        model_present(model, stimulus);
    }
    ck_assert_msg(late_change(model, start) <= 1e-6 * (double)count, "the late part moved: %g",
                  late_change(model, start)); /* float rounding of w and early apart */
    assert_sane(model, "after the dense block");
    *lowest = *highest = 0.0f;
    for (size_t i = 0; i < count; i++) {
        *lowest = fminf(*lowest, model_early(model)[i]);
        *highest = fmaxf(*highest, model_early(model)[i]);
    }
    free(start);
    model_free(model);
}

/* Early depression saturates (docs/model.md §3.6): however long one exercise, a weight's
 * labile part falls at most early_depression_limit below its late part, while potentiation
 * keeps its full rate; unbounded, the same block depresses weights much further. */
START_TEST(test_early_depression_saturates_at_its_limit)
{
    float lowest, highest, free_lowest, free_highest;
    early_extremes_after_dense_block(0.0f, 0.0f, &free_lowest, &free_highest);
    ck_assert_msg(free_lowest < -0.4f, "unbounded, the block depressed no weight by 0.4: %g", (double)free_lowest);
    early_extremes_after_dense_block(0.1f, 0.0f, &lowest, &highest);
    ck_assert_msg(lowest >= -0.1f * (1.0f + 1e-6f) && lowest <= -0.099f,
                  "with a limit of 0.1 the deepest early depression is %g", (double)lowest);
    ck_assert_msg(highest > 0.4f, "potentiation was held back too: at most %g", (double)highest);
}
END_TEST

/* Early potentiation saturates too when its limit is set (docs/model.md §3.6): the same block
 * potentiates no weight's labile part beyond the limit, unbounded it goes beyond 0.4, and
 * depression keeps its own limit (or none). */
START_TEST(test_early_potentiation_saturates_at_its_limit)
{
    float lowest, highest, free_lowest, free_highest;
    early_extremes_after_dense_block(0.0f, 0.0f, &free_lowest, &free_highest);
    ck_assert_msg(free_highest > 0.4f, "unbounded, the block potentiated no weight by 0.4: %g", (double)free_highest);
    early_extremes_after_dense_block(0.0f, 0.1f, &lowest, &highest);
    ck_assert_msg(highest <= 0.1f * (1.0f + 1e-6f) && highest >= 0.099f,
                  "with a limit of 0.1 the highest early potentiation is %g", (double)highest);
    ck_assert_msg(lowest < -0.4f, "depression was held back too: at least %g", (double)lowest);
    early_extremes_after_dense_block(0.2f, 0.2f, &lowest, &highest);
    ck_assert_msg(lowest >= -0.2f * (1.0f + 1e-6f) && highest <= 0.2f * (1.0f + 1e-6f),
                  "with both limits at 0.2 the early parts span %g .. %g", (double)lowest, (double)highest);
}
END_TEST

START_TEST(test_elapse_ignores_meaningless_durations)
{
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 0.01f;
    Model *model = create_or_fail(&params), *twin = create_or_fail(&params);
    train_pair(model, twin, 100);
    model_elapse(model, 60.0, MODEL_AWAKE); /* the capture resource is now below 1 */
    Snapshot snap;
    snapshot_take(&snap, model);
    const double bad[] = {0.0, -0.0, -1.0, -1e9, NAN, -NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        model_elapse(model, bad[i], MODEL_AWAKE);
        model_elapse(model, bad[i], MODEL_ASLEEP);
        assert_unchanged(&snap, model, "model_elapse with a meaningless duration");
    }
    snapshot_free(&snap);
    model_free(model);
    model_free(twin);
}
END_TEST

START_TEST(test_a_month_away_is_fine)
{
    ModelParams params;
    small_params(&params);
    params.plasticity_gain = 3.0f;
    Model *model = create_or_fail(&params), *twin = create_or_fail(&params);
    train_pair(model, twin, 200);
    ModelScalars before, after;
    model_get_scalars(model, &before);
    model_elapse(model, 30 * DAY_S, MODEL_AWAKE);
    model_elapse(twin, 30 * DAY_S, MODEL_ASLEEP);
    assert_sane(model, "after 30 days awake");
    assert_sane(twin, "after 30 days asleep");
    model_get_scalars(model, &after);
    ck_assert_double_eq_tol(after.time_s - before.time_s, 30 * DAY_S, 1e-6);
    ck_assert_uint_eq(after.stimuli, before.stimuli);
    /* a month is long enough for the capture resource to recover fully */
    ck_assert_float_gt(after.capture_resource, 0.99f);
    model_get_scalars(twin, &after);
    ck_assert_float_gt(after.capture_resource, 0.99f);
    model_free(model);
    model_free(twin);
}
END_TEST

START_TEST(test_capture_resource_stays_in_range_under_massed_practice)
{
    ModelParams params;
    small_params(&params);
    params.plasticity_gain = 10.0f;
    params.capture_capacity = 1e-6f; /* the smallest capacity: capture saturates at once */
    Model *model = create_or_fail(&params);
    Rng rng;
    rng_seed(&rng, 3);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int block = 0; block < 20; block++) {
        for (int i = 0; i < 50; i++) {
            random_touch(model, &rng, stimulus);
            model_present(model, stimulus);
        }
        model_elapse(model, 0.01, MODEL_AWAKE);
        model_elapse(model, 1.0 + 200.0 * rng_uniform(&rng), block % 2 ? MODEL_ASLEEP : MODEL_AWAKE);
        ModelScalars s;
        model_get_scalars(model, &s);
        ck_assert_msg(s.capture_resource >= 0.0f && s.capture_resource <= 1.0f, "capture resource %g",
                      (double)s.capture_resource);
    }
    assert_sane(model, "after massed practice");
    model_free(model);
}
END_TEST

/* ---- homeostasis ------------------------------------------------------------------- */

static void overuse_one_digit(Model *model, int digit, int stimuli)
{
    Rng rng;
    rng_seed(&rng, 8);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < stimuli; i++) {
        touch(model, stimulus, digit, rng_uniform(&rng));
        model_elapse(model, 1.0, MODEL_AWAKE); /* a touch a second: the time scaling integrates */
        model_present(model, stimulus);
    }
}

/* Largest gain of digit `digit`'s weights, over the units whose home column is more than
 * arbor_reach digits away from it, after heavy use of that digit alone. */
static float far_units_gain(float arbor_reach, int digit)
{
    ModelParams params;
    small_params(&params);
    params.arbor_reach = arbor_reach;
    params.homeostasis_rate = 0.01f; /* starved units soon capture touches */
    Model *model = create_or_fail(&params);
    const int n = model_sheet_size(model), receptors = model_receptor_count(model);
    const int k = receptors / SKIN_DIGITS;
    float *start = malloc(weight_count(model) * sizeof *start);
    ck_assert_ptr_nonnull(start);
    memcpy(start, model_weights(model), weight_count(model) * sizeof *start);
    overuse_one_digit(model, digit, 3000);
    const float *w = model_weights(model);
    float gain = -1.0f;
    for (int i = 0; i < model_unit_count(model); i++) {
        float home = ((float)(i % n) + 0.5f) * SKIN_DIGITS / (float)n - 0.5f;
        if (fabsf(home - (float)digit) <= 1.5f)
            continue; /* within the default reach */
        for (int r = digit * k; r < (digit + 1) * k; r++) {
            size_t at = (size_t)i * (size_t)receptors + (size_t)r;
            gain = fmaxf(gain, w[at] - start[at]);
        }
    }
    free(start);
    model_free(model);
    return gain;
}

START_TEST(test_units_never_learn_digits_beyond_their_arbor)
{
    /* with afferents from every digit, far units do take D5 over; with arbors they cannot */
    ck_assert_float_gt(far_units_gain(0.0f, 4), 0.1f);
    ck_assert_float_le(far_units_gain(1.5f, 4), 0.0f);
}
END_TEST

START_TEST(test_weights_beyond_the_arbor_stay_exactly_zero)
{
    /* the passes over every weight skip them (model_weight_span), which is exact only while
     * they are 0, early part included, through learning and elapsing time */
    ModelParams params;
    model_params_default(&params);
    Model *model = create_or_fail(&params);
    for (int d = 0; d < SKIN_DIGITS; d++)
        overuse_one_digit(model, d, 200);
    model_elapse(model, 600.0, MODEL_AWAKE);
    const int n = model_sheet_size(model), receptors = model_receptor_count(model);
    const int k = receptors / SKIN_DIGITS;
    const float *w = model_weights(model), *e = model_early(model);
    int checked = 0;
    for (int i = 0; i < model_unit_count(model); i++) {
        float home = ((float)(i % n) + 0.5f) * SKIN_DIGITS / (float)n - 0.5f;
        for (int r = 0; r < receptors; r++) {
            if (fabsf(home - (float)(r / k)) <= params.arbor_reach)
                continue;
            size_t at = (size_t)i * (size_t)receptors + (size_t)r;
            ck_assert_msg(w[at] == 0.0f && e[at] == 0.0f, "unit %d receptor %d: w %g early %g", i, r,
                          (double)w[at], (double)e[at]);
            checked++;
        }
    }
    ck_assert_int_gt(checked, model_unit_count(model) * k); /* at least a digit per unit */
    model_free(model);
}
END_TEST

START_TEST(test_drive_after_elapse_is_that_of_a_fresh_copy)
{
    /* the elapse computes the cosine drive's weight norms on its way over the weights; a
     * copy of the state computes them afresh: both drives must agree to the bit (with 4
     * receptors a digit, spans end in a last four weights) */
    ModelParams params;
    model_params_default(&params);
    params.receptors_per_digit = _i;
    Model *elapsed = create_or_fail(&params), *copy = create_or_fail(&params);
    for (int d = 0; d < SKIN_DIGITS; d++)
        overuse_one_digit(elapsed, d, 50);
    model_elapse(elapsed, 30.0, MODEL_AWAKE);
    ModelScalars scalars;
    model_get_scalars(elapsed, &scalars);
    model_set_state(copy, &scalars, model_weights(elapsed), model_early(elapsed), model_thresholds(elapsed),
                    model_activity(elapsed));
    const int units = model_unit_count(elapsed);
    float stimulus[SKIN_MAX_RECEPTORS], *a = malloc((size_t)units * sizeof *a), *b = malloc((size_t)units * sizeof *b);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    for (int d = 0; d < SKIN_DIGITS; d++) {
        touch(elapsed, stimulus, d, 0.5f);
        model_drive(elapsed, stimulus, a);
        model_drive(copy, stimulus, b);
        ck_assert_msg(memcmp(a, b, (size_t)units * sizeof *a) == 0, "D%d: the drives differ", d + 1);
    }
    free(a);
    free(b);
    model_free(elapsed);
    model_free(copy);
}
END_TEST

START_TEST(test_dense_fingertip_practice_keeps_the_digit_order)
{
    /* 24,000 single-finger fingertip touches (an hour of dense playing): without arbors the
     * far corners captured fingertips and D1-D5 fell to about 4 mm (docs/model.md §3.7) */
    ModelParams params;
    model_params_default(&params);
    Model *model = create_or_fail(&params);
    Diet tips;
    diet_init(&tips);
    for (int d = 0; d < SKIN_DIGITS; d++)
        ck_assert_int_eq(diet_add_at(&tips, 1u << d, 0.2f, 0.1f, 0.1f), 0);
    Rng rng;
    rng_seed(&rng, 1);
    float stimulus[SKIN_MAX_RECEPTORS];
    diet_practise(&tips, model, &rng, 24000, 0.15, stimulus);
    MetricsProbe *probe = metrics_probe_create(model);
    ck_assert_ptr_nonnull(probe);
    MapMetrics m;
    metrics_compute(probe, model, &m);
    for (int d = 1; d < SKIN_DIGITS; d++)
        ck_assert_msg(m.centroid_mm[d][0] > m.centroid_mm[d - 1][0], "D%d at %.2f mm, D%d at %.2f mm", d,
                      (double)m.centroid_mm[d - 1][0], d + 1, (double)m.centroid_mm[d][0]);
    ck_assert_msg(m.d1_d5_distance_mm > 10.0f, "D1-D5 %.2f mm", (double)m.d1_d5_distance_mm);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

/* The mean of a per-unit array over the sheet and over one digit's columns. */
static void sheet_and_digit_means(const Model *model, const float *values, int digit, double *mean,
                                  double *mean_digit)
{
    const int n = model_sheet_size(model);
    int digit_units = 0;
    *mean = *mean_digit = 0.0;
    for (int i = 0; i < model_unit_count(model); i++) {
        *mean += values[i];
        if ((i % n) * SKIN_DIGITS / n == digit) {
            *mean_digit += values[i];
            digit_units++;
        }
    }
    *mean /= model_unit_count(model);
    *mean_digit /= digit_units;
}

START_TEST(test_overused_digit_raises_its_thresholds)
{
    const int digit = 2;
    ModelParams params;
    v1_params(&params);
    params.homeostasis_rate = 0.01f;
    params.threshold_limit = 0.05f;
    Model *model = create_or_fail(&params);
    overuse_one_digit(model, digit, 400);
    const float *t = model_thresholds(model);
    for (int i = 0; i < model_unit_count(model); i++)
        EXPECT(fabsf(t[i]) <= params.threshold_limit, "threshold %d = %g beyond the limit", i,
               (double)t[i]);
    double mean, mean_digit;
    sheet_and_digit_means(model, t, digit, &mean, &mean_digit);
    ck_assert_msg(mean_digit > mean, "D%d's thresholds %g not above the mean %g", digit + 1, mean_digit,
                  mean);
    assert_sane(model, "after over-use");
    model_free(model);
}
END_TEST

START_TEST(test_thresholds_stay_within_the_limit)
{
    ModelParams params;
    v1_params(&params);
    params.homeostasis_rate = 1.0f; /* the fastest: thresholds run into the limit */
    params.threshold_limit = 0.02f;
    Model *model = create_or_fail(&params);
    overuse_one_digit(model, 0, 300);
    const float *t = model_thresholds(model);
    float highest = 0.0f;
    for (int i = 0; i < model_unit_count(model); i++) {
        EXPECT(fabsf(t[i]) <= params.threshold_limit, "threshold %d = %g", i, (double)t[i]);
        highest = fmaxf(highest, t[i]);
    }
    ck_assert_float_gt(highest, 0.0f);
    model_free(model);
}
END_TEST

START_TEST(test_no_homeostasis_keeps_thresholds_zero)
{
    ModelParams params;
    v1_params(&params);
    params.homeostasis_rate = 0.0f;
    Model *model = create_or_fail(&params);
    overuse_one_digit(model, 1, 200);
    const float *t = model_thresholds(model);
    for (int i = 0; i < model_unit_count(model); i++)
        EXPECT(t[i] == 0.0f, "threshold %d = %g without homeostasis", i, (double)t[i]);
    model_free(model);
}
END_TEST

/* ---- the drive ---------------------------------------------------------------------- */

START_TEST(test_l1_drive_has_no_side_effects)
{
    ModelParams params;
    v1_params(&params);
    params.homeostasis_rate = 0.01f;
    Model *model = create_or_fail(&params), *twin = create_or_fail(&params);
    train_pair(model, twin, 50);
    Snapshot snap;
    snapshot_take(&snap, model);
    float stimulus[SKIN_MAX_RECEPTORS], first[16 * 16], second[16 * 16];
    touch(model, stimulus, 4, 0.2f);
    model_drive(model, stimulus, first);
    model_drive(model, stimulus, second);
    assert_unchanged(&snap, model, "model_drive");
    ck_assert(memcmp(first, second, sizeof first) == 0);

    /* it is alpha (1 - |w_i - s|_1 / R), in [0, alpha] for stimuli in [0, 1] */
    const int receptors = model_receptor_count(model);
    const float alpha = params.alpha;
    for (int i = 0; i < model_unit_count(model); i++) {
        double expect = alpha * (1.0 - distance_to(model_weights(model) + (size_t)i * (size_t)receptors,
                                                   stimulus, receptors) / receptors);
        EXPECT(fabs(first[i] - expect) <= 1e-5 * alpha, "drive of unit %d = %g, expected %g", i,
               (double)first[i], expect);
        EXPECT(first[i] >= 0.0f && first[i] <= alpha * (1.0f + 1e-6f), "drive of unit %d = %g", i,
               (double)first[i]);
    }
    snapshot_free(&snap);
    model_free(model);
    model_free(twin);
}
END_TEST

/* ---- model v2: cosine drive and synaptic scaling ------------------------------------ */

START_TEST(test_cosine_drive_has_no_side_effects)
{
    ModelParams params;
    small_params(&params);
    Model *model = create_or_fail(&params), *twin = create_or_fail(&params);
    train_pair(model, twin, 50);
    Snapshot snap;
    snapshot_take(&snap, model);
    float stimulus[SKIN_MAX_RECEPTORS], first[16 * 16], second[16 * 16];
    touch(model, stimulus, 4, 0.2f);
    model_drive(model, stimulus, first);
    model_drive(model, stimulus, second);
    assert_unchanged(&snap, model, "model_drive");
    ck_assert(memcmp(first, second, sizeof first) == 0);

    /* it is alpha (w_i . s) / (|w_i| |s|), in [0, alpha] for stimuli in [0, 1] */
    const int receptors = model_receptor_count(model);
    double s_norm = 0.0;
    for (int r = 0; r < receptors; r++)
        s_norm += (double)stimulus[r] * stimulus[r];
    s_norm = sqrt(s_norm);
    for (int i = 0; i < model_unit_count(model); i++) {
        const float *w = model_weights(model) + (size_t)i * (size_t)receptors;
        double dot = 0.0, w_norm = 0.0;
        for (int r = 0; r < receptors; r++) {
            dot += (double)w[r] * stimulus[r];
            w_norm += (double)w[r] * w[r];
        }
        double expect = params.alpha * dot / (sqrt(w_norm) * s_norm);
        EXPECT(fabs(first[i] - expect) <= 1e-5 * params.alpha, "drive of unit %d = %g, expected %g", i,
               (double)first[i], expect);
        EXPECT(first[i] >= 0.0f && first[i] <= params.alpha * (1.0f + 1e-6f), "drive of unit %d = %g", i,
               (double)first[i]);
    }
    snapshot_free(&snap);
    model_free(model);
    model_free(twin);
}
END_TEST

/* A unit's afferents reach only the digits near its home column: a touch of a digit beyond
 * its arbor gives it no drive at all, so no gain can make it win that touch. */
START_TEST(test_no_input_no_drive)
{
    ModelParams params;
    small_params(&params);
    Model *model = create_or_fail(&params);
    const int n = model_sheet_size(model);
    float stimulus[SKIN_MAX_RECEPTORS], drive[16 * 16];
    touch(model, stimulus, 4, 0.1f); /* D5 */
    model_drive(model, stimulus, drive);
    for (int i = 0; i < model_unit_count(model); i++) {
        int home_digit = (i % n) * SKIN_DIGITS / n;
        if (home_digit <= 1) /* D1 and D2 columns reach at most D3 (the touch's tail there: e^-89) */
            EXPECT(drive[i] < 1e-9f * params.alpha, "unit %d (column %d) has drive %g from a D5 touch", i, i % n,
                   (double)drive[i]);
        if (home_digit == 4)
            EXPECT(drive[i] > 0.0f, "unit %d in D5's columns has no drive from a D5 touch", i);
    }
    model_free(model);
}
END_TEST

START_TEST(test_overused_digit_lowers_its_gains)
{
    const int digit = 2;
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 0.05f;
    Model *model = create_or_fail(&params);
    overuse_one_digit(model, digit, 400);
    double mean, mean_digit;
    sheet_and_digit_means(model, model_thresholds(model), digit, &mean, &mean_digit);
    ck_assert_msg(mean_digit < mean, "D%d's gains %g not below the mean %g", digit + 1, mean_digit, mean);
    assert_sane(model, "after over-use");
    model_free(model);
}
END_TEST

START_TEST(test_gains_stay_within_the_limit)
{
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 1.0f; /* the fastest: gains run into both limits */
    params.gain_limit = 1.5f;
    Model *model = create_or_fail(&params);
    overuse_one_digit(model, 0, 300);
    const float *g = model_thresholds(model);
    float lowest = 10.0f, highest = 0.0f;
    for (int i = 0; i < model_unit_count(model); i++) {
        EXPECT(g[i] >= 1.0f / 1.5f && g[i] <= 1.5f, "gain %d = %g", i, (double)g[i]);
        lowest = fminf(lowest, g[i]);
        highest = fmaxf(highest, g[i]);
    }
    ck_assert_float_eq(highest, 1.5f);
    ck_assert_float_lt(lowest, 1.0f);
    model_free(model);
}
END_TEST

/* Scaling integrates time of use, not stimuli: 18 minutes of a dense D2-D3 trill (a note
 * every 0.15 s, 7,200 notes) move no gain by more than the rate allows in 18 minutes, which
 * is what keeps one exercise from emptying a neighbour's territory (docs/model.md §3.5). */
START_TEST(test_a_dense_trill_moves_gains_only_as_its_time_allows)
{
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 2e-5f;
    Model *model = create_or_fail(&params);
    const int units = model_unit_count(model);
    float *before = malloc((size_t)units * sizeof *before);
    ck_assert_ptr_nonnull(before);
    memcpy(before, model_thresholds(model), (size_t)units * sizeof *before);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 7200; i++) {
        touch(model, stimulus, 1 + i % 2, 0.1f);
        model_elapse(model, 0.15, MODEL_AWAKE);
        model_present(model, stimulus);
    }
    const double most = exp(2e-5 * 7200 * 0.15) * 1.001; /* |d ln g| <= rate x time */
    double moved = 0.0;
    for (int i = 0; i < units; i++) {
        double ratio = model_thresholds(model)[i] / before[i];
        EXPECT(ratio <= most && ratio >= 1.0 / most, "gain %d moved by %g in 18 minutes", i, ratio);
        moved = fmax(moved, fabs(log(ratio)));
    }
    ck_assert_msg(moved > 0.005, "the trill moved no gain (%g)", moved); /* scaling still acts */
    free(before);
    model_free(model);
}
END_TEST

START_TEST(test_no_homeostasis_keeps_gains_neutral)
{
    ModelParams params;
    small_params(&params);
    params.homeostasis_rate = 0.0f;
    Model *model = create_or_fail(&params);
    overuse_one_digit(model, 1, 200);
    const float *g = model_thresholds(model);
    for (int i = 0; i < model_unit_count(model); i++)
        EXPECT(g[i] == 1.0f, "gain %d = %g without homeostasis", i, (double)g[i]);
    model_free(model);
}
END_TEST

/* ---- age and gain ------------------------------------------------------------------- */

START_TEST(test_children_learn_faster)
{
    ModelParams params;
    small_params(&params);
    params.critical_period_boost = 2.0f;
    params.age_years = 8.0f;
    Model *child = create_or_fail(&params);
    params.age_years = 30.0f;
    Model *adult = create_or_fail(&params);
    ck_assert_float_gt(model_learning_rate(child), model_learning_rate(adult));

    /* and it shows: the same touch changes the child's map more */
    const size_t count = weight_count(child);
    float *child_start = copy_floats(model_weights(child), count);
    float *adult_start = copy_floats(model_weights(adult), count);
    float stimulus[SKIN_MAX_RECEPTORS];
    touch(child, stimulus, 1, 0.5f);
    model_present(child, stimulus);
    model_present(adult, stimulus);
    ck_assert(sum_abs_diff(model_weights(child), child_start, count) >
              sum_abs_diff(model_weights(adult), adult_start, count));
    free(child_start);
    free(adult_start);
    model_free(child);
    model_free(adult);

    /* no critical period: age makes no difference */
    params.critical_period_boost = 0.0f;
    params.age_years = 8.0f;
    child = create_or_fail(&params);
    params.age_years = 30.0f;
    adult = create_or_fail(&params);
    ck_assert_float_eq(model_learning_rate(child), model_learning_rate(adult));
    model_free(child);
    model_free(adult);
}
END_TEST

START_TEST(test_plasticity_gain_scales_learning)
{
    ModelParams params;
    small_params(&params);
    params.plasticity_gain = 1.0f;
    Model *one = create_or_fail(&params);
    params.plasticity_gain = 2.5f;
    Model *more = create_or_fail(&params);
    const float rate = model_learning_rate(one);
    ck_assert_float_gt(rate, 0.0f);
    ck_assert_float_eq_tol(model_learning_rate(more), 2.5f * rate, 1e-6f * rate);
    model_free(one);
    model_free(more);

    /* gain 0: touches settle the field but teach nothing */
    params.plasticity_gain = 0.0f;
    Model *none = create_or_fail(&params);
    ck_assert_float_eq(model_learning_rate(none), 0.0f);
    float *start = copy_floats(model_weights(none), weight_count(none));
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 20; i++) {
        touch(none, stimulus, i % SKIN_DIGITS, 0.5f);
        model_present(none, stimulus);
    }
    ck_assert(memcmp(start, model_weights(none), weight_count(none) * sizeof(float)) == 0);
    ck_assert(sum_abs(model_early(none), weight_count(none)) == 0.0);
    free(start);
    model_free(none);
}
END_TEST

Suite *model_suite(void)
{
    Suite *suite = suite_create("model");

    TCase *basics = tcase_create("basics");
    tcase_set_timeout(basics, 60);
    tcase_add_test(basics, test_create_refuses_bad_params_naming_them);
    tcase_add_test(basics, test_create_sizes_follow_params);
    tcase_add_test(basics, test_same_seed_same_run);
    tcase_add_test(basics, test_controls_change_a_running_model_as_if_created_so);
    tcase_add_test(basics, test_different_seed_different_start);
    tcase_add_loop_test(basics, test_split_settling_matches_present, 0,
                        (int)(sizeof SPLIT_BUDGETS / sizeof SPLIT_BUDGETS[0]));
    tcase_add_loop_test(basics, test_present_defers_silent_rows_exactly, 0, 2);
    tcase_add_test(basics, test_deferral_exact_when_a_weaker_touch_rises_later);
    tcase_add_loop_test(basics, test_vector_widths_agree, 0, 3);
    tcase_add_test(basics, test_finish_before_settled_does_nothing);
    tcase_add_test(basics, test_weighted_stimulus_learns_as_much_as_its_weight);
    tcase_add_test(basics, test_l1_drive_has_no_side_effects);
    tcase_add_test(basics, test_cosine_drive_has_no_side_effects);
    tcase_add_test(basics, test_no_input_no_drive);
    suite_add_tcase(suite, basics);

    TCase *dynamics = tcase_create("dynamics");
    tcase_set_timeout(dynamics, 120);
    tcase_add_loop_test(dynamics, test_touch_makes_a_bump_in_the_digits_territory, 0, SKIN_DIGITS);
    tcase_add_test(dynamics, test_learning_moves_the_bump_towards_the_touch);
    tcase_add_test(dynamics, test_repeated_touches_pull_the_map_towards_the_touch);
    tcase_add_test(dynamics, test_children_learn_faster);
    tcase_add_test(dynamics, test_plasticity_gain_scales_learning);
    suite_add_tcase(suite, dynamics);

    TCase *robust = tcase_create("robustness");
    tcase_set_timeout(robust, 120);
    tcase_add_test(robust, test_weights_stay_in_range_whatever_the_input);
    tcase_add_test(robust, test_weights_stay_in_range_at_extreme_plasticity);
    tcase_add_test(robust, test_reference_preset_stays_in_range);
    suite_add_tcase(suite, robust);

    TCase *timescales = tcase_create("timescales");
    tcase_set_timeout(timescales, 120);
    tcase_add_test(timescales, test_early_changes_fade_and_are_partly_kept);
    tcase_add_test(timescales, test_early_depression_saturates_at_its_limit);
    tcase_add_test(timescales, test_early_potentiation_saturates_at_its_limit);
    tcase_add_test(timescales, test_elapse_ignores_meaningless_durations);
    tcase_add_test(timescales, test_a_month_away_is_fine);
    tcase_add_test(timescales, test_capture_resource_stays_in_range_under_massed_practice);
    suite_add_tcase(suite, timescales);

    TCase *homeostasis = tcase_create("homeostasis");
    tcase_set_timeout(homeostasis, 60);
    tcase_add_test(homeostasis, test_overused_digit_raises_its_thresholds);
    tcase_add_test(homeostasis, test_thresholds_stay_within_the_limit);
    tcase_add_test(homeostasis, test_no_homeostasis_keeps_thresholds_zero);
    tcase_add_test(homeostasis, test_overused_digit_lowers_its_gains);
    tcase_add_test(homeostasis, test_gains_stay_within_the_limit);
    tcase_add_test(homeostasis, test_a_dense_trill_moves_gains_only_as_its_time_allows);
    tcase_add_test(homeostasis, test_no_homeostasis_keeps_gains_neutral);
    suite_add_tcase(suite, homeostasis);

    TCase *arbors = tcase_create("arbors");
    tcase_set_timeout(arbors, 300);
    tcase_add_test(arbors, test_units_never_learn_digits_beyond_their_arbor);
    tcase_add_test(arbors, test_dense_fingertip_practice_keeps_the_digit_order);
    tcase_add_test(arbors, test_weights_beyond_the_arbor_stay_exactly_zero);
    tcase_add_loop_test(arbors, test_drive_after_elapse_is_that_of_a_fresh_copy, 4, 9);
    suite_add_tcase(suite, arbors);

    return suite;
}
