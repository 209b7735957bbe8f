/* Replications of published experiments on the default hand model (docs/model.md §5).
 * Every protocol starts from one shared baseline map (20,000 touches of everyday mixed
 * use, a touch every 0.25 s) and asserts what the paper reports, in numbers. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diet.h"
#include "metrics.h"
#include "model.h"
#include "state.h"
#include "suites.h"

#define BASELINE_TOUCHES 20000
#define TOUCH_INTERVAL_S 0.25
#define DIET_SEED 7

static uint8_t *baseline_blob;
static size_t baseline_size;

/* An experiment: a model, a probe, a random stream for the diet and scratch space. */
typedef struct {
    Model *model;
    MetricsProbe *probe;
    Rng rng;
    float stimulus[SKIN_MAX_RECEPTORS];
} Lab;

/* Prints what an experiment observed, so that a run documents its figures. */
static void observed(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void observed(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    printf("  observed: ");
    vprintf(format, args);
    printf("\n");
    fflush(stdout);
    va_end(args);
}

static void lab_from_baseline(Lab *lab)
{
    char err[256];
    int64_t saved;
    lab->model = NULL;
    ck_assert_int_eq(state_model_read(baseline_blob, baseline_size, &lab->model, &saved, err, sizeof err), STATE_OK);
    lab->probe = metrics_probe_create(lab->model);
    ck_assert_ptr_nonnull(lab->probe);
    rng_seed(&lab->rng, DIET_SEED + 1);
}

static void lab_free(Lab *lab)
{
    metrics_probe_free(lab->probe);
    model_free(lab->model);
}

static void lab_practise(Lab *lab, const Diet *diet, int touches)
{
    diet_practise(diet, lab->model, &lab->rng, touches, TOUCH_INTERVAL_S, lab->stimulus);
}

static MapMetrics lab_measure(Lab *lab)
{
    MapMetrics m;
    metrics_compute(lab->probe, lab->model, &m);
    return m;
}

static void train_baseline(void)
{
    ModelParams params;
    char err[256];
    model_params_default(&params);
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "%s", err);
    Diet diet;
    diet_mixed_use(&diet);
    Rng rng;
    rng_seed(&rng, DIET_SEED);
    float stimulus[SKIN_MAX_RECEPTORS];
    diet_practise(&diet, model, &rng, BASELINE_TOUCHES, TOUCH_INTERVAL_S, stimulus);
    baseline_size = state_model_size(model);
    baseline_blob = malloc(baseline_size);
    ck_assert_uint_eq(state_model_write(model, 0, baseline_blob, baseline_size), baseline_size);
    model_free(model);
}

static void free_baseline(void)
{
    free(baseline_blob);
    baseline_blob = NULL;
}

/* Everyday mixed use in which every pattern touching a digit of glued_mask touches all
 * of them (syndactyly), or with one digit's single touches weighted up. */
static void diet_glued(Diet *diet, unsigned glued_mask)
{
    Diet mixed;
    diet_mixed_use(&mixed);
    diet_init(diet);
    for (int i = 0; i < mixed.count; i++) {
        unsigned digits = mixed.pattern[i].digits;
        if (digits & glued_mask)
            digits |= glued_mask;
        diet_add(diet, digits, mixed.pattern[i].weight);
    }
}

/* Mean over units of the given mask of digits preferred: of their receptive-field size
 * (points) and of how many digits drive them. */
static void territory_fields(const MetricsProbe *probe, int units, const uint8_t *in_territory, float *points,
                             float *digits)
{
    const float *rf = metrics_receptive_field(probe);
    const uint8_t *driving = metrics_driving_digits(probe);
    double sum_points = 0.0, sum_digits = 0.0;
    int count = 0;
    for (int i = 0; i < units; i++) {
        if (!in_territory[i])
            continue;
        sum_points += rf[i];
        sum_digits += __builtin_popcount(driving[i]);
        count++;
    }
    ck_assert_int_gt(count, 0);
    *points = (float)(sum_points / count);
    *digits = (float)(sum_digits / count);
}

/* Share of the units preferring digit a or b that are driven by two or more digits. */
static float pair_multi_digit_share(const MetricsProbe *probe, int units, int a, int b)
{
    const int8_t *preferred = metrics_preferred_digit(probe);
    const uint8_t *driving = metrics_driving_digits(probe);
    int pair_units = 0, multi = 0;
    for (int i = 0; i < units; i++)
        if (preferred[i] == a || preferred[i] == b) {
            pair_units++;
            multi += __builtin_popcount(driving[i]) >= 2;
        }
    return pair_units ? (float)multi / (float)pair_units : 0.0f;
}

START_TEST(baseline_map_keeps_its_order)
{
    Lab lab;
    lab_from_baseline(&lab);
    MapMetrics m = lab_measure(&lab);
    observed("baseline: areas %.3f %.3f %.3f %.3f %.3f, multi-digit %.3f, risk %.2f", m.area_fraction[0],
             m.area_fraction[1], m.area_fraction[2], m.area_fraction[3], m.area_fraction[4], m.multi_digit_fraction,
             m.overlap_risk);
    for (int d = 0; d + 1 < METRICS_DIGITS; d++)
        ck_assert_msg(m.centroid_mm[d][0] < m.centroid_mm[d + 1][0], "D%d centroid %.2f mm not before D%d %.2f mm",
                      d + 1, m.centroid_mm[d][0], d + 2, m.centroid_mm[d + 1][0]);
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_msg(m.largest_patch_fraction[d] >= 0.70f, "D%d largest patch %.2f", d + 1,
                      m.largest_patch_fraction[d]);
        ck_assert_msg(fabsf(m.area_fraction[d] - 0.20f) <= 0.08f, "D%d area %.3f", d + 1, m.area_fraction[d]);
    }
    ck_assert_msg(m.multi_digit_fraction < 0.15f, "multi-digit fraction %.3f", m.multi_digit_fraction);
    lab_free(&lab);
}
END_TEST

/* Jenkins et al. 1990, Xerri et al. 1999: a digit touched four times as often as each
 * other digit gains territory; at the sites that represented it before, receptive fields
 * shrink (neighbouring digits drop out of them). */
START_TEST(overstimulated_digit_expands)
{
    Lab lab;
    lab_from_baseline(&lab);
    const int units = model_unit_count(lab.model);
    MapMetrics before = lab_measure(&lab);
    uint8_t *d2_sites = calloc((size_t)units, 1);
    const int8_t *preferred = metrics_preferred_digit(lab.probe);
    for (int i = 0; i < units; i++)
        d2_sites[i] = preferred[i] == 1;
    float points_before, digits_before, points_after, digits_after;
    territory_fields(lab.probe, units, d2_sites, &points_before, &digits_before);

    Diet diet;
    diet_mixed_use(&diet);
    diet.pattern[1].weight *= 4.0f; /* D2 alone: 4x each other digit alone */
    lab_practise(&lab, &diet, 20000);
    MapMetrics after = lab_measure(&lab);
    territory_fields(lab.probe, units, d2_sites, &points_after, &digits_after);

    observed("over-stimulation: D2 area %.3f -> %.3f; RF at D2's sites %.2f -> %.2f points, %.3f -> %.3f digits",
             before.area_fraction[1], after.area_fraction[1], points_before, points_after, digits_before, digits_after);
    ck_assert_msg(after.area_fraction[1] >= 1.5f * before.area_fraction[1], "D2 area %.3f -> %.3f",
                  before.area_fraction[1], after.area_fraction[1]);
    ck_assert_msg(points_after < points_before, "RF at D2's sites %.2f -> %.2f points", points_before, points_after);
    ck_assert_msg(digits_after < digits_before, "RF at D2's sites %.3f -> %.3f digits", digits_before, digits_after);
    free(d2_sites);
    lab_free(&lab);
}
END_TEST

/* Clark et al. 1988 (and Allard 1991): D3 and D4 sewn together fuse their
 * representations; separating them again restores a border at least partly. */
START_TEST(syndactyly_fuses_and_separation_restores)
{
    Lab lab;
    lab_from_baseline(&lab);
    const int units = model_unit_count(lab.model);
    MapMetrics before = lab_measure(&lab);
    float multi_before = pair_multi_digit_share(lab.probe, units, 2, 3);

    Diet glued, mixed;
    diet_glued(&glued, 0xCu);
    diet_mixed_use(&mixed);
    lab_practise(&lab, &glued, 20000);
    MapMetrics fused = lab_measure(&lab);
    float multi_fused = pair_multi_digit_share(lab.probe, units, 2, 3);

    observed("syndactyly: D3/D4 multi-digit share %.3f -> %.3f, Dice D3-D4 %.3f -> %.3f, border %.3f -> %.3f",
             multi_before, multi_fused, before.overlap[2][3], fused.overlap[2][3], before.border_sharpness[2],
             fused.border_sharpness[2]);
    ck_assert_msg(multi_fused >= 0.30f && multi_fused >= 3.0f * multi_before, "D3/D4 multi-digit share %.3f -> %.3f",
                  multi_before, multi_fused);
    ck_assert_msg(fused.overlap[2][3] >= 2.0f * before.overlap[2][3], "Dice D3-D4 %.3f -> %.3f", before.overlap[2][3],
                  fused.overlap[2][3]);
    ck_assert_msg(fused.border_sharpness[2] < 0.5f * before.border_sharpness[2] && fused.border_sharpness[2] < 0.3f,
                  "D3-D4 border sharpness %.3f -> %.3f", before.border_sharpness[2], fused.border_sharpness[2]);
    ck_assert_int_eq(fused.risk_pair, 2);

    lab_practise(&lab, &mixed, 20000);
    MapMetrics separated = lab_measure(&lab);
    observed("separation: Dice D3-D4 %.3f, border %.3f", separated.overlap[2][3], separated.border_sharpness[2]);
    ck_assert_msg(separated.overlap[2][3] < fused.overlap[2][3] - 0.25f * (fused.overlap[2][3] - before.overlap[2][3]),
                  "Dice D3-D4 after separation %.3f (fused %.3f)", separated.overlap[2][3], fused.overlap[2][3]);
    ck_assert_msg(separated.border_sharpness[2] > fused.border_sharpness[2] + 0.1f,
                  "D3-D4 border after separation %.3f (fused %.3f)", separated.border_sharpness[2],
                  fused.border_sharpness[2]);
    lab_free(&lab);
}
END_TEST

/* Wang et al. 1995: the same number of D2 and D3 touches, given together or in turn. */
START_TEST(synchronous_touches_merge_more_than_alternating)
{
    Lab sync, alternating;
    lab_from_baseline(&sync);
    lab_from_baseline(&alternating);
    Diet mixed, together, d2, d3;
    diet_mixed_use(&mixed);
    diet_init(&together);
    diet_add(&together, 0x6u, 1.0f);
    diet_init(&d2);
    diet_add(&d2, 0x2u, 1.0f);
    diet_init(&d3);
    diet_add(&d3, 0x4u, 1.0f);
    for (int trial = 0; trial < 5000; trial++) {
        lab_practise(&sync, &together, 1); /* D2 and D3 at once */
        lab_practise(&sync, &mixed, 1);
        lab_practise(&alternating, &d2, 1); /* D2, then D3 */
        lab_practise(&alternating, &d3, 1);
        lab_practise(&alternating, &mixed, 1);
    }
    MapMetrics s = lab_measure(&sync), a = lab_measure(&alternating);
    observed("Wang: Dice D2-D3 synchronous %.3f vs alternating %.3f; border %.3f vs %.3f", s.overlap[1][2],
             a.overlap[1][2], s.border_sharpness[1], a.border_sharpness[1]);
    ck_assert_msg(s.overlap[1][2] >= a.overlap[1][2] + 0.2f, "Dice D2-D3 synchronous %.3f vs alternating %.3f",
                  s.overlap[1][2], a.overlap[1][2]);
    ck_assert_msg(s.border_sharpness[1] < a.border_sharpness[1], "D2-D3 border synchronous %.3f vs alternating %.3f",
                  s.border_sharpness[1], a.border_sharpness[1]);
    lab_free(&sync);
    lab_free(&alternating);
}
END_TEST

/* Byl et al. 1996: repetitive synchronous grasping with all digits, in a hand with
 * reduced surround inhibition, de-differentiates the map: receptive fields grow many
 * times (10-20x in the monkeys) and most units answer several digits. */
START_TEST(repetitive_grasping_dedifferentiates)
{
    ModelParams params;
    char err[256];
    model_params_default(&params);
    params.inhibition_strength *= 0.5f; /* half the surround inhibition */
    Lab lab;
    lab.model = model_create(&params, err, sizeof err);
    ck_assert_msg(lab.model != NULL, "%s", err);
    lab.probe = metrics_probe_create(lab.model);
    rng_seed(&lab.rng, DIET_SEED);
    Diet mixed, grasp;
    diet_mixed_use(&mixed);
    diet_init(&grasp);
    diet_add(&grasp, 0x1Fu, 1.0f);
    lab_practise(&lab, &mixed, 5000);
    MapMetrics before = lab_measure(&lab);
    lab_practise(&lab, &grasp, 5000);
    MapMetrics after = lab_measure(&lab);
    observed("Byl: mean RF %.2f -> %.2f points, multi-digit %.3f, risk %.2f", before.rf_points_mean,
             after.rf_points_mean, after.multi_digit_fraction, after.overlap_risk);
    ck_assert_msg(after.rf_points_mean >= 4.0f * before.rf_points_mean, "mean RF %.2f -> %.2f points",
                  before.rf_points_mean, after.rf_points_mean);
    ck_assert_msg(after.multi_digit_fraction > 0.5f, "multi-digit fraction %.3f", after.multi_digit_fraction);
    ck_assert_msg(after.overlap_risk > 0.8f, "overlap risk %.2f", after.overlap_risk);
    lab_free(&lab);
}
END_TEST

/* Mean |w - reference| over all weights: how far the map has moved. */
static double weight_change(const Model *model, const float *reference)
{
    size_t count = (size_t)model_unit_count(model) * (size_t)model_receptor_count(model);
    const float *w = model_weights(model);
    double sum = 0.0;
    for (size_t i = 0; i < count; i++)
        sum += fabs((double)w[i] - (double)reference[i]);
    return sum / (double)count;
}

static double early_magnitude(const Model *model)
{
    size_t count = (size_t)model_unit_count(model) * (size_t)model_receptor_count(model);
    const float *e = model_early(model);
    double sum = 0.0;
    for (size_t i = 0; i < count; i++)
        sum += fabs((double)e[i]);
    return sum / (double)count;
}

/* Walker et al. 2002 and the synaptic-tagging account (Clopath et al. 2008): a practice
 * block leaves a labile trace that fades awake; a night of sleep keeps more of it than
 * the same hours awake. */
START_TEST(sleep_consolidates_more_than_wake)
{
    Lab awake, asleep;
    lab_from_baseline(&awake);
    lab_from_baseline(&asleep);
    /* let the baseline's own early trace settle so only the new block is measured */
    model_elapse(awake.model, 48 * 3600.0, MODEL_AWAKE);
    model_elapse(asleep.model, 48 * 3600.0, MODEL_AWAKE);
    size_t count = (size_t)model_unit_count(awake.model) * (size_t)model_receptor_count(awake.model);
    float *reference = malloc(count * sizeof(float));
    memcpy(reference, model_weights(awake.model), count * sizeof(float));

    Diet block;
    diet_mixed_use(&block);
    block.pattern[1].weight *= 4.0f;
    lab_practise(&awake, &block, 4000);
    lab_practise(&asleep, &block, 4000);
    double learned = weight_change(awake.model, reference);
    double early_before = early_magnitude(awake.model);
    ck_assert(learned > 0.0 && early_before > 0.0);

    model_elapse(awake.model, 1800.0, MODEL_AWAKE);
    ck_assert_msg(early_magnitude(awake.model) < 0.8 * early_before, "early trace %.3g -> %.3g after 30 min awake",
                  early_before, early_magnitude(awake.model));
    model_elapse(awake.model, 8 * 3600.0 - 1800.0, MODEL_AWAKE);
    model_elapse(asleep.model, 8 * 3600.0, MODEL_ASLEEP);
    double kept_awake = weight_change(awake.model, reference), kept_asleep = weight_change(asleep.model, reference);
    observed("sleep: learned %.4g, kept %.4g asleep vs %.4g awake", learned, kept_asleep, kept_awake);
    ck_assert_msg(kept_asleep > 1.2 * kept_awake, "kept %.3g asleep vs %.3g awake of %.3g learned", kept_asleep,
                  kept_awake, learned);
    ck_assert(kept_asleep < learned);
    free(reference);
    lab_free(&awake);
    lab_free(&asleep);
}
END_TEST

/* Spaced practice keeps more than massed practice (capture saturates per session). */
START_TEST(spaced_practice_keeps_more_than_massed)
{
    Lab massed, spaced;
    lab_from_baseline(&massed);
    lab_from_baseline(&spaced);
    model_elapse(massed.model, 48 * 3600.0, MODEL_AWAKE);
    model_elapse(spaced.model, 48 * 3600.0, MODEL_AWAKE);
    size_t count = (size_t)model_unit_count(massed.model) * (size_t)model_receptor_count(massed.model);
    float *reference = malloc(count * sizeof(float));
    memcpy(reference, model_weights(massed.model), count * sizeof(float));

    Diet block;
    diet_mixed_use(&block);
    block.pattern[1].weight *= 4.0f;
    const double day_s = 24 * 3600.0;
    /* four 10-minute blocks: back to back, or two hours apart; then the same total time */
    for (int session = 0; session < 4; session++) {
        lab_practise(&massed, &block, 2400);
        lab_practise(&spaced, &block, 2400);
        model_elapse(spaced.model, 2 * 3600.0, MODEL_AWAKE);
    }
    model_elapse(massed.model, 4 * 2 * 3600.0, MODEL_AWAKE);
    model_elapse(massed.model, day_s, MODEL_AWAKE);
    model_elapse(spaced.model, day_s, MODEL_AWAKE);
    double kept_massed = weight_change(massed.model, reference), kept_spaced = weight_change(spaced.model, reference);
    observed("spacing: kept %.4g spaced vs %.4g massed", kept_spaced, kept_massed);
    ck_assert_msg(kept_spaced > 1.1 * kept_massed, "kept %.3g spaced vs %.3g massed", kept_spaced, kept_massed);
    free(reference);
    lab_free(&massed);
    lab_free(&spaced);
}
END_TEST

Suite *experiments_suite(void)
{
    Suite *suite = suite_create("experiments");
    TCase *replications = tcase_create("replications");
    tcase_add_unchecked_fixture(replications, train_baseline, free_baseline);
    tcase_set_timeout(replications, 600);
    tcase_add_test(replications, baseline_map_keeps_its_order);
    tcase_add_test(replications, overstimulated_digit_expands);
    tcase_add_test(replications, syndactyly_fuses_and_separation_restores);
    tcase_add_test(replications, synchronous_touches_merge_more_than_alternating);
    tcase_add_test(replications, repetitive_grasping_dedifferentiates);
    tcase_add_test(replications, sleep_consolidates_more_than_wake);
    tcase_add_test(replications, spaced_practice_keeps_more_than_massed);
    suite_add_tcase(suite, replications);
    return suite;
}
