/* Metrics: each number a researcher reads off a map, checked against a value worked out
 * by hand on a map whose layout is known — the ordered start of a small hand (unit
 * (row, col) prefers digit col * 5 / n) or weights written directly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "model.h"
#include "suites.h"

#define N 16           /* sheet side of the test maps */
#define K 4            /* receptors per digit */
#define UNITS (N * N)
#define RECEPTORS (SKIN_DIGITS * K)
#define WIDTH_MM 20.0f /* so mm values differ from unit counts */
#define MM_PER_UNIT (WIDTH_MM / N)
#define TOL 1e-5f

/* A passing ck_assert records its location through a pipe to the runner; loops over
 * units check with a plain if and fail with this. */
#define EXPECT(cond, ...)              \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

/* ---- helpers ---------------------------------------------------------------------- */

/* A small clean hand: ordered start without noise, no jitter. */
static Model *small_hand(float sheet_width_mm)
{
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = N;
    params.receptors_per_digit = K;
    params.weight_init_noise = 0.0f;
    params.receptor_jitter = 0.0f;
    params.touch_width = 0.15f;
    params.sheet_width_mm = sheet_width_mm;
    params.arbor_reach = 0.0f; /* every unit reaches every digit: the tests paint any weights */
    char err[256] = "";
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "model_create: %s", err);
    ck_assert_int_eq(model_unit_count(model), UNITS);
    ck_assert_int_eq(model_receptor_count(model), RECEPTORS);
    return model;
}

static int column_digit(int col) { return col * SKIN_DIGITS / N; }

/* Replaces the model's weights (everything else kept as it is). */
static void set_weights(Model *model, const float *weights)
{
    ModelScalars scalars;
    model_get_scalars(model, &scalars);
    model_set_state(model, &scalars, weights, model_early(model), model_thresholds(model),
                    model_activity(model));
}

/* A clean map: each unit has weight 1 on every receptor of digit_of_unit[i] (or none if -1). */
static void paint(Model *model, const int *digit_of_unit)
{
    static float w[UNITS * RECEPTORS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < UNITS; i++)
        for (int r = 0; r < RECEPTORS; r++)
            w[i * RECEPTORS + r] = digit_of_unit[i] >= 0 && r / K == digit_of_unit[i] ? 1.0f : 0.0f;
    set_weights(model, w);
}

/* Computes the metrics; the probe is returned for the per-unit views (caller frees). */
static MetricsProbe *compute(const Model *model, MapMetrics *m)
{
    MetricsProbe *probe = metrics_probe_create(model);
    ck_assert_ptr_nonnull(probe);
    metrics_compute(probe, model, m);
    return probe;
}

static void in_unit_range(float x, const char *what, int index)
{
    EXPECT(isfinite(x) && x >= 0.0f && x <= 1.0f + TOL, "%s[%d] = %g, not in [0, 1]", what, index, (double)x);
}

static void finite_non_negative(float x, const char *what, int index)
{
    EXPECT(isfinite(x) && x >= 0.0f, "%s[%d] = %g", what, index, (double)x);
}

/* What must hold for every map: finite numbers, shares and indices in [0, 1], areas and
 * unresponsive units adding up to the sheet, the risk pair naming a pair or none. */
static void assert_metrics_sane(const MapMetrics *m)
{
    float area_sum = 0.0f;
    for (int d = 0; d < METRICS_DIGITS; d++) {
        in_unit_range(m->area_fraction[d], "area_fraction", d);
        finite_non_negative(m->area_mm2[d], "area_mm2", d);
        finite_non_negative(m->rf_points[d], "rf_points", d);
        finite_non_negative(m->rf_digits[d], "rf_digits", d);
        EXPECT(m->rf_digits[d] <= METRICS_DIGITS, "rf_digits[%d] = %g", d, (double)m->rf_digits[d]);
        in_unit_range(m->largest_patch_fraction[d], "largest_patch_fraction", d);
        finite_non_negative(m->centroid_mm[d][0], "centroid x", d);
        finite_non_negative(m->centroid_mm[d][1], "centroid y", d);
        for (int e = 0; e < METRICS_DIGITS; e++) {
            in_unit_range(m->overlap[d][e], "overlap", d * METRICS_DIGITS + e);
            EXPECT(m->overlap[d][e] == m->overlap[e][d], "overlap not symmetric at %d, %d", d, e);
        }
        area_sum += m->area_fraction[d];
    }
    in_unit_range(m->unresponsive_fraction, "unresponsive_fraction", 0);
    in_unit_range(m->multi_digit_fraction, "multi_digit_fraction", 0);
    finite_non_negative(m->rf_points_mean, "rf_points_mean", 0);
    finite_non_negative(m->rf_digits_mean, "rf_digits_mean", 0);
    finite_non_negative(m->d1_d5_distance_mm, "d1_d5_distance_mm", 0);
    for (int pair = 0; pair < METRICS_PAIRS; pair++) {
        finite_non_negative(m->neighbour_distance_mm[pair], "neighbour_distance_mm", pair);
        in_unit_range(m->border_sharpness[pair], "border_sharpness", pair);
        in_unit_range(m->pair_risk[pair], "pair_risk", pair);
    }
    in_unit_range(m->overlap_risk, "overlap_risk", 0);
    ck_assert_int_ge(m->risk_pair, -1);
    ck_assert_int_lt(m->risk_pair, METRICS_PAIRS);
    if (m->valid)
        ck_assert_float_eq_tol(area_sum, 1.0f - m->unresponsive_fraction, TOL);
}

/* ---- the ordered start ---------------------------------------------------------------- */

START_TEST(test_ordered_start_areas_are_the_column_shares)
{
    Model *model = small_hand(WIDTH_MM);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    ck_assert_int_eq(m.valid, 1);
    /* columns 0-3 -> D1, 4-6 -> D2, 7-9 -> D3, 10-12 -> D4, 13-15 -> D5 */
    static const float columns[METRICS_DIGITS] = {4, 3, 3, 3, 3};
    float sum = 0.0f;
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_float_eq_tol(m.area_fraction[d], columns[d] / N, TOL);
        ck_assert_float_eq_tol(m.area_mm2[d], columns[d] / N * WIDTH_MM * WIDTH_MM, 1e-3f);
        sum += m.area_fraction[d];
    }
    ck_assert_float_eq_tol(m.unresponsive_fraction, 0.0f, TOL);
    ck_assert_float_eq_tol(sum, 1.0f - m.unresponsive_fraction, TOL);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_ordered_start_centroids_and_distances)
{
    Model *model = small_hand(WIDTH_MM);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    /* centroid x = (mean column + 0.5) mm per unit; every digit spans all rows: y = N/2 */
    static const float mean_column[METRICS_DIGITS] = {1.5f, 5.0f, 8.0f, 11.0f, 14.0f};
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_float_eq_tol(m.centroid_mm[d][0], (mean_column[d] + 0.5f) * MM_PER_UNIT, 1e-4f);
        ck_assert_float_eq_tol(m.centroid_mm[d][1], N / 2.0f * MM_PER_UNIT, 1e-4f);
        if (d > 0)
            ck_assert_float_gt(m.centroid_mm[d][0], m.centroid_mm[d - 1][0]);
    }
    /* D1 at 2.5 mm, D5 at 18.125 mm */
    ck_assert_float_eq_tol(m.d1_d5_distance_mm, (14.0f - 1.5f) * MM_PER_UNIT, 1e-4f);
    const float dx = m.centroid_mm[4][0] - m.centroid_mm[0][0];
    const float dy = m.centroid_mm[4][1] - m.centroid_mm[0][1];
    ck_assert_float_eq_tol(m.d1_d5_distance_mm, hypotf(dx, dy), 1e-4f);
    for (int pair = 0; pair < METRICS_PAIRS; pair++)
        ck_assert_float_eq_tol(m.neighbour_distance_mm[pair],
                               (mean_column[pair + 1] - mean_column[pair]) * MM_PER_UNIT, 1e-4f);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_sheet_width_scales_mm_only)
{
    Model *narrow = small_hand(10.0f), *wide = small_hand(20.0f);
    MapMetrics a, b;
    MetricsProbe *pa = compute(narrow, &a), *pb = compute(wide, &b);
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_float_eq(a.area_fraction[d], b.area_fraction[d]);
        ck_assert_float_eq_tol(b.area_mm2[d], 4.0f * a.area_mm2[d], 1e-3f);
        ck_assert_float_eq_tol(b.centroid_mm[d][0], 2.0f * a.centroid_mm[d][0], 1e-4f);
    }
    ck_assert_float_eq_tol(b.d1_d5_distance_mm, 2.0f * a.d1_d5_distance_mm, 1e-4f);
    metrics_probe_free(pa);
    metrics_probe_free(pb);
    model_free(narrow);
    model_free(wide);
}
END_TEST

START_TEST(test_clean_start_is_fully_differentiated)
{
    Model *model = small_hand(WIDTH_MM);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    ck_assert_float_eq(m.multi_digit_fraction, 0.0f);
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_float_eq_tol(m.overlap[d][d], 1.0f, TOL);
        for (int e = 0; e < METRICS_DIGITS; e++)
            if (e != d)
                ck_assert_float_eq(m.overlap[d][e], 0.0f);
        ck_assert_float_eq_tol(m.rf_digits[d], 1.0f, TOL);
        ck_assert_float_eq_tol(m.largest_patch_fraction[d], 1.0f, TOL);
    }
    ck_assert_float_eq_tol(m.rf_digits_mean, 1.0f, TOL);
    for (int pair = 0; pair < METRICS_PAIRS; pair++) {
        ck_assert_float_gt(m.border_sharpness[pair], 0.9f);
        ck_assert_float_lt(m.pair_risk[pair], 0.1f);
    }
    ck_assert_float_lt(m.overlap_risk, 0.1f);
    const float *selectivity = metrics_selectivity(probe);
    const int8_t *preferred = metrics_preferred_digit(probe);
    for (int i = 0; i < UNITS; i++) {
        EXPECT(preferred[i] == column_digit(i % N), "unit %d prefers D%d, not D%d", i, preferred[i] + 1,
               column_digit(i % N) + 1);
        EXPECT(fabsf(selectivity[i] - 1.0f) < TOL, "unit %d selectivity %g on a clean map", i,
               (double)selectivity[i]);
    }
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

/* ---- maps written by hand ------------------------------------------------------------- */

START_TEST(test_painted_layout_areas_and_centroids)
{
    /* D1 wide (6 columns), D5 a single column, D2-D4 three each; the top row unresponsive */
    static const int columns[N] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4};
    int layout[UNITS];
    for (int i = 0; i < UNITS; i++)
        layout[i] = i / N == 0 ? -1 : columns[i % N];
    Model *model = small_hand(WIDTH_MM);
    paint(model, layout);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    static const float width[METRICS_DIGITS] = {6, 3, 3, 3, 1};
    static const float mean_column[METRICS_DIGITS] = {2.5f, 7.0f, 10.0f, 13.0f, 15.0f};
    const float rows = N - 1; /* rows 1 .. 15, mean row 8 */
    ck_assert_float_eq_tol(m.unresponsive_fraction, 1.0f / N, TOL);
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_float_eq_tol(m.area_fraction[d], width[d] * rows / UNITS, TOL);
        ck_assert_float_eq_tol(m.area_mm2[d], width[d] * rows / UNITS * WIDTH_MM * WIDTH_MM, 1e-3f);
        ck_assert_float_eq_tol(m.centroid_mm[d][0], (mean_column[d] + 0.5f) * MM_PER_UNIT, 1e-4f);
        ck_assert_float_eq_tol(m.centroid_mm[d][1], (8.0f + 0.5f) * MM_PER_UNIT, 1e-4f);
        /* every receptor of the digit at full weight: K points, one digit */
        ck_assert_float_eq_tol(m.rf_points[d], (float)K, TOL);
        ck_assert_float_eq_tol(m.rf_digits[d], 1.0f, TOL);
    }
    ck_assert_float_eq_tol(m.d1_d5_distance_mm, (15.0f - 2.5f) * MM_PER_UNIT, 1e-4f);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

/* A digit whose input is gone (no unit responds to it) has merged with nothing: its
 * neighbours' pairs keep a clean border and the risk stays low; a digit absorbed by its
 * neighbour (it still drives the neighbour's units) has no border left. */
START_TEST(test_silent_digit_is_not_merged_but_absorbed_is)
{
    static const int columns[N] = {0, 0, 0, 1, 1, 1, 1, 3, 3, 3, 3, 3, 4, 4, 4, 4};
    int layout[UNITS];
    for (int i = 0; i < UNITS; i++)
        layout[i] = columns[i % N];
    Model *model = small_hand(WIDTH_MM);
    paint(model, layout); /* D3 (2) has no territory and no weights anywhere */
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    ck_assert_float_eq_tol(m.area_fraction[2], 0.0f, TOL);
    ck_assert_float_eq_tol(m.border_sharpness[1], 1.0f, TOL); /* D2-D3 */
    ck_assert_float_eq_tol(m.border_sharpness[2], 1.0f, TOL); /* D3-D4 */
    ck_assert_float_lt(m.overlap_risk, 0.1f);
    metrics_probe_free(probe);
    /* now D4's units answer D3 at 60 % of D4: D3 absorbed */
    static float w[UNITS * RECEPTORS];
    memcpy(w, model_weights(model), sizeof w);
    for (int i = 0; i < UNITS; i++)
        if (columns[i % N] == 3)
            for (int k = 0; k < K; k++)
                w[i * RECEPTORS + 2 * K + k] = 0.6f * w[i * RECEPTORS + 3 * K + k];
    set_weights(model, w);
    probe = compute(model, &m);
    ck_assert_float_eq_tol(m.area_fraction[2], 0.0f, TOL);
    ck_assert_float_eq_tol(m.border_sharpness[2], 0.0f, TOL);
    ck_assert_float_gt(m.overlap_risk, 0.3f);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_receptive_field_points_by_hand)
{
    /* unit (row, col) has weight 1 on the first 1 + row % K receptors of its column's
     * digit and 0.4 (under half) on the rest of it. The field is the skin at or above half
     * maximum: half a spacing beyond the tip point (its skin cell), each spacing between
     * two full points, and where the flank from 1 to 0.4 crosses 0.5, (1 - 0.5) / 0.6 of a
     * spacing past the last full point; a fully covered digit measures K. Sizes 1 + 1/3,
     * 2 + 1/3, 3 + 1/3 and 4 repeat down the rows: mean 2.75 for every digit. */
    static float w[UNITS * RECEPTORS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < UNITS; i++) {
        int digit = column_digit(i % N), points = 1 + (i / N) % K;
        for (int j = 0; j < K; j++)
            w[i * RECEPTORS + digit * K + j] = j < points ? 1.0f : 0.4f;
    }
    Model *model = small_hand(WIDTH_MM);
    set_weights(model, w);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    ck_assert_float_eq_tol(m.unresponsive_fraction, 0.0f, TOL);
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_float_eq_tol(m.rf_points[d], 2.75f, TOL);
        ck_assert_float_eq_tol(m.rf_digits[d], 1.0f, TOL);
    }
    ck_assert_float_eq_tol(m.rf_points_mean, 2.75f, TOL);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

/* Every unit's field on its own digit is a bump with smooth flanks; returns the mean field. */
static float mean_field_of_bump(const float bump[K])
{
    static float w[UNITS * RECEPTORS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < UNITS; i++)
        for (int j = 0; j < K; j++)
            w[i * RECEPTORS + column_digit(i % N) * K + j] = bump[j];
    Model *model = small_hand(WIDTH_MM);
    set_weights(model, w);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    const float *rf = metrics_receptive_field(probe);
    for (int i = 1; i < UNITS; i++)
        EXPECT(rf[i] == rf[0], "unit %d's field %g differs from unit 0's %g", i, (double)rf[i], (double)rf[0]);
    metrics_probe_free(probe);
    model_free(model);
    return m.rf_points_mean;
}

/* A receptive field is measured where its flanks cross half maximum, between receptor
 * points, not by counting the points above it: a bump 0.6 1 0.6 0.2 spans the tip's half
 * spacing, two spacings, and a quarter of the last one ((0.6 - 0.5) / (0.6 - 0.2)), 2.75
 * points where a count says 3; raising its far flank to 0.4 widens it to 3.0 (the crossing
 * moves to half the spacing) though no point crosses half maximum, which a count cannot see. */
START_TEST(test_receptive_field_is_the_interpolated_half_maximum_width)
{
    static const float bump[K] = {0.6f, 1.0f, 0.6f, 0.2f};
    static const float wider[K] = {0.6f, 1.0f, 0.6f, 0.4f};
    ck_assert_float_eq_tol(mean_field_of_bump(bump), 2.75f, TOL);
    ck_assert_float_eq_tol(mean_field_of_bump(wider), 3.0f, TOL);
    /* scaling the weights changes neither (the level is half the unit's own peak) */
    float half[K];
    for (int j = 0; j < K; j++)
        half[j] = 0.5f * bump[j];
    ck_assert_float_eq_tol(mean_field_of_bump(half), 2.75f, TOL);
}
END_TEST

START_TEST(test_d3_d4_merged_everywhere)
{
    /* every unit has the same weight on all D3 and D4 receptors and none elsewhere */
    static float w[UNITS * RECEPTORS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < UNITS; i++)
        for (int r = 2 * K; r < 4 * K; r++)
            w[i * RECEPTORS + r] = 0.8f;
    Model *model = small_hand(WIDTH_MM);
    set_weights(model, w);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    ck_assert_float_eq_tol(m.overlap[2][3], 1.0f, TOL);
    ck_assert_float_eq_tol(m.multi_digit_fraction, 1.0f, TOL);
    ck_assert_float_eq_tol(m.area_fraction[2] + m.area_fraction[3], 1.0f, TOL);
    ck_assert_float_eq_tol(m.rf_digits_mean, 2.0f, TOL);
    ck_assert_float_eq_tol(m.rf_points_mean, 2.0f * K, TOL);
    ck_assert_float_lt(m.border_sharpness[2], 0.1f);
    ck_assert_float_gt(m.overlap_risk, 0.5f);
    ck_assert_int_eq(m.risk_pair, 2);
    ck_assert_str_eq(metrics_pair_name(m.risk_pair), "D3-D4");
    const float *selectivity = metrics_selectivity(probe);
    for (int i = 0; i < UNITS; i++)
        EXPECT(selectivity[i] < TOL, "unit %d selectivity %g with equal D3 and D4 weights", i,
               (double)selectivity[i]);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

/* The D3 and D4 stripes of the clean layout answer both digits (own digit 1, the other
 * 0.9); the rest of the hand stays clean. */
static void paint_d3_d4_blurred(Model *model)
{
    static float w[UNITS * RECEPTORS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < UNITS; i++) {
        int digit = column_digit(i % N);
        for (int r = digit * K; r < (digit + 1) * K; r++)
            w[i * RECEPTORS + r] = 1.0f;
        if (digit == 2 || digit == 3) {
            int other = digit == 2 ? 3 : 2;
            for (int r = other * K; r < (other + 1) * K; r++)
                w[i * RECEPTORS + r] = 0.9f;
        }
    }
    set_weights(model, w);
}

START_TEST(test_d3_d4_blur_is_localised)
{
    Model *model = small_hand(WIDTH_MM);
    paint_d3_d4_blurred(model);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    /* territories as painted: the blur does not move borders */
    static const float columns[METRICS_DIGITS] = {4, 3, 3, 3, 3};
    for (int d = 0; d < METRICS_DIGITS; d++)
        ck_assert_float_eq_tol(m.area_fraction[d], columns[d] / N, TOL);
    /* both response maps are the D3 and D4 stripes: Dice 1; elsewhere no overlap */
    ck_assert_float_eq_tol(m.overlap[2][3], 1.0f, TOL);
    ck_assert_float_eq(m.overlap[0][1], 0.0f);
    ck_assert_float_eq(m.overlap[1][2], 0.0f);
    ck_assert_float_eq(m.overlap[3][4], 0.0f);
    ck_assert_float_eq_tol(m.multi_digit_fraction, 6.0f / N, TOL);
    ck_assert_float_eq_tol(m.rf_digits[2], 2.0f, TOL);
    ck_assert_float_eq_tol(m.rf_digits[3], 2.0f, TOL);
    ck_assert_float_eq_tol(m.rf_digits[0], 1.0f, TOL);
    ck_assert_float_eq_tol(m.rf_points[2], 2.0f * K, TOL);
    ck_assert_float_eq_tol(m.rf_points[0], (float)K, TOL);
    /* on the D3-D4 border each unit tells the digits apart by |1 - 0.9| / 1 */
    ck_assert_float_eq_tol(m.border_sharpness[2], 0.1f, 1e-4f);
    ck_assert_float_gt(m.border_sharpness[0], 0.9f);
    ck_assert_float_gt(m.border_sharpness[3], 0.9f);
    /* the risk names D3-D4 */
    ck_assert_int_eq(m.risk_pair, 2);
    ck_assert_str_eq(metrics_pair_name(m.risk_pair), "D3-D4");
    for (int pair = 0; pair < METRICS_PAIRS; pair++)
        if (pair != 2)
            ck_assert_float_lt(m.pair_risk[pair], m.pair_risk[2]);
    ck_assert_float_gt(m.overlap_risk, 0.0f);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

/* Metrics computed slice by slice, with any budgets, equal metrics_compute's. */
START_TEST(test_sliced_computation_equals_the_whole)
{
    Model *model = small_hand(WIDTH_MM);
    paint_d3_d4_blurred(model);
    MapMetrics whole, sliced;
    MetricsProbe *reference = compute(model, &whole);
    MetricsProbe *probe = metrics_probe_create(model);
    static const int budgets[] = {1, 7, 64, UNITS};
    for (size_t b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
        metrics_begin(probe);
        int calls = 0;
        while (metrics_run(probe, model, budgets[b]) > 0)
            calls++;
        metrics_finish(probe, model, &sliced);
        EXPECT(memcmp(&whole, &sliced, sizeof whole) == 0, "metrics differ with slices of %d units", budgets[b]);
        EXPECT(memcmp(metrics_preferred_digit(reference), metrics_preferred_digit(probe), UNITS) == 0,
               "preferred digits differ with slices of %d units", budgets[b]);
        EXPECT(calls == (UNITS + budgets[b] - 1) / budgets[b] - 1, "%d calls with slices of %d units", calls,
               budgets[b]);
    }
    /* finishing early probes what is left */
    metrics_begin(probe);
    metrics_run(probe, model, 5);
    metrics_finish(probe, model, &sliced);
    EXPECT(memcmp(&whole, &sliced, sizeof whole) == 0, "metrics differ when finished early");
    metrics_probe_free(probe);
    metrics_probe_free(reference);
    model_free(model);
}
END_TEST

START_TEST(test_risk_grows_with_merging)
{
    /* clean < one blurred pair < the whole hand answering every digit alike */
    Model *model = small_hand(WIDTH_MM);
    MapMetrics clean, blurred, merged;
    MetricsProbe *probe = compute(model, &clean);
    paint_d3_d4_blurred(model);
    metrics_compute(probe, model, &blurred);
    static float w[UNITS * RECEPTORS];
    for (int i = 0; i < UNITS * RECEPTORS; i++)
        w[i] = 0.7f;
    set_weights(model, w);
    metrics_compute(probe, model, &merged);
    assert_metrics_sane(&merged);
    ck_assert_float_lt(clean.overlap_risk, blurred.overlap_risk);
    ck_assert_float_lt(blurred.overlap_risk, merged.overlap_risk);
    ck_assert_float_gt(merged.overlap_risk, 0.9f);
    ck_assert_float_eq_tol(merged.multi_digit_fraction, 1.0f, TOL);
    for (int d = 0; d < METRICS_DIGITS; d++)
        for (int e = 0; e < METRICS_DIGITS; e++)
            ck_assert_float_eq_tol(merged.overlap[d][e], 1.0f, TOL);
    ck_assert_float_eq_tol(merged.rf_digits_mean, (float)METRICS_DIGITS, TOL);
    ck_assert_float_eq_tol(merged.rf_points_mean, (float)RECEPTORS, TOL);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_silent_map_is_unresponsive_and_finite)
{
    static float w[UNITS * RECEPTORS]; /* all 0 */
    memset(w, 0, sizeof w);
    Model *model = small_hand(WIDTH_MM);
    set_weights(model, w);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    ck_assert_int_eq(m.valid, 1);
    ck_assert_float_eq(m.unresponsive_fraction, 1.0f);
    ck_assert_float_eq(m.multi_digit_fraction, 0.0f);
    for (int d = 0; d < METRICS_DIGITS; d++) {
        ck_assert_float_eq(m.area_fraction[d], 0.0f);
        ck_assert_float_eq(m.area_mm2[d], 0.0f);
    }
    const int8_t *preferred = metrics_preferred_digit(probe);
    const float *selectivity = metrics_selectivity(probe);
    for (int i = 0; i < UNITS; i++)
        EXPECT(preferred[i] == -1 && selectivity[i] == 0.0f, "silent unit %d: D%d, selectivity %g", i,
               preferred[i] + 1, (double)selectivity[i]);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_largest_patch_of_a_split_digit)
{
    /* the ordered start with every other D1 unit (checkerboard) taken over by D2: no two
     * D1 units touch; D2 keeps its stripe plus the 8 taken units of column 3 that touch
     * it, 56 of its 80 units */
    int layout[UNITS];
    for (int i = 0; i < UNITS; i++) {
        int row = i / N, col = i % N;
        layout[i] = column_digit(col);
        if (layout[i] == 0 && (row + col) % 2 == 1)
            layout[i] = 1;
    }
    Model *model = small_hand(WIDTH_MM);
    MapMetrics before, after;
    MetricsProbe *probe = compute(model, &before);
    for (int d = 0; d < METRICS_DIGITS; d++)
        ck_assert_float_eq_tol(before.largest_patch_fraction[d], 1.0f, TOL);
    paint(model, layout);
    metrics_compute(probe, model, &after);
    assert_metrics_sane(&after);
    ck_assert_float_eq_tol(after.area_fraction[0], 32.0f / UNITS, TOL);
    ck_assert_float_eq_tol(after.area_fraction[1], 80.0f / UNITS, TOL);
    ck_assert_float_eq_tol(after.largest_patch_fraction[0], 1.0f / 32.0f, TOL);
    ck_assert_float_eq_tol(after.largest_patch_fraction[1], 56.0f / 80.0f, TOL);
    for (int d = 2; d < METRICS_DIGITS; d++)
        ck_assert_float_eq_tol(after.largest_patch_fraction[d], 1.0f, TOL);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_largest_patch_of_a_digit_in_two_pieces)
{
    /* D2's stripe cut in two by a row of D1 across it: pieces of 3 x 5 and 3 x 10 rows */
    int layout[UNITS];
    for (int i = 0; i < UNITS; i++) {
        int row = i / N, col = i % N;
        layout[i] = column_digit(col);
        if (layout[i] == 1 && row == 5)
            layout[i] = 0;
    }
    Model *model = small_hand(WIDTH_MM);
    paint(model, layout);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    ck_assert_float_eq_tol(m.area_fraction[1], 45.0f / UNITS, TOL);
    ck_assert_float_eq_tol(m.largest_patch_fraction[1], 30.0f / 45.0f, TOL);
    ck_assert_float_eq_tol(m.largest_patch_fraction[0], 1.0f, TOL); /* the row joins D1's stripe */
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

/* ---- per-unit views and side effects --------------------------------------------------- */

static Model *trained_small_hand(void)
{
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = N;
    params.receptors_per_digit = K;
    params.homeostasis_rate = 0.01f;
    params.plasticity_gain = 5.0f;
    char err[256] = "";
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "model_create: %s", err);
    Rng rng;
    rng_seed(&rng, 17);
    float stimulus[SKIN_MAX_RECEPTORS];
    const Skin *skin = model_skin(model);
    for (int i = 0; i < 300; i++) {
        skin_clear(skin, stimulus);
        int digit = (int)rng_below(&rng, SKIN_DIGITS);
        float along = rng_uniform(&rng);
        skin_touch_digit(skin, stimulus, digit, along, 1.0f);
        if (digit == 2) /* D3 and D4 often together */
            skin_touch_digit(skin, stimulus, 3, along, 1.0f);
        model_present(model, stimulus);
    }
    model_elapse(model, 600.0, MODEL_AWAKE);
    return model;
}

START_TEST(test_per_unit_views_agree_with_the_areas)
{
    Model *model = trained_small_hand();
    /* a few silent units too */
    static float w[UNITS * RECEPTORS];
    memcpy(w, model_weights(model), sizeof w);
    for (int i = 0; i < 7; i++)
        memset(w + (size_t)(i * 13) * RECEPTORS, 0, RECEPTORS * sizeof(float));
    set_weights(model, w);

    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    assert_metrics_sane(&m);
    const int8_t *preferred = metrics_preferred_digit(probe);
    const float *selectivity = metrics_selectivity(probe);
    int count[METRICS_DIGITS] = {0}, silent = 0;
    for (int i = 0; i < UNITS; i++) {
        EXPECT(preferred[i] >= -1 && preferred[i] < METRICS_DIGITS, "unit %d prefers %d", i, preferred[i]);
        EXPECT(selectivity[i] >= 0.0f && selectivity[i] <= 1.0f, "unit %d selectivity %g", i,
               (double)selectivity[i]);
        if (preferred[i] < 0) {
            silent++;
            EXPECT(selectivity[i] == 0.0f, "silent unit %d selectivity %g", i, (double)selectivity[i]);
        } else {
            count[preferred[i]]++;
        }
    }
    ck_assert_int_ge(silent, 7);
    ck_assert_float_eq_tol(m.unresponsive_fraction, (float)silent / UNITS, TOL);
    for (int d = 0; d < METRICS_DIGITS; d++)
        ck_assert_float_eq_tol(m.area_fraction[d], (float)count[d] / UNITS, TOL);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_compute_leaves_the_model_untouched)
{
    Model *model = trained_small_hand();
    const size_t weights = (size_t)UNITS * RECEPTORS * sizeof(float), units = (size_t)UNITS * sizeof(float);
    static float w[UNITS * RECEPTORS], e[UNITS * RECEPTORS], t[UNITS], a[UNITS], v[UNITS];
    memcpy(w, model_weights(model), weights);
    memcpy(e, model_early(model), weights);
    memcpy(t, model_thresholds(model), units);
    memcpy(a, model_activity(model), units);
    memcpy(v, model_field(model), units);
    ModelScalars before, after;
    model_get_scalars(model, &before);

    MapMetrics first, second;
    MetricsProbe *probe = compute(model, &first);
    metrics_compute(probe, model, &second);
    ck_assert(memcmp(&first, &second, sizeof first) == 0); /* the same answer twice */

    ck_assert(memcmp(w, model_weights(model), weights) == 0);
    ck_assert(memcmp(e, model_early(model), weights) == 0);
    ck_assert(memcmp(t, model_thresholds(model), units) == 0);
    ck_assert(memcmp(a, model_activity(model), units) == 0);
    ck_assert(memcmp(v, model_field(model), units) == 0);
    model_get_scalars(model, &after);
    ck_assert(memcmp(&before.time_s, &after.time_s, sizeof before.time_s) == 0);
    ck_assert_uint_eq(before.stimuli, after.stimuli);
    ck_assert(memcmp(&before.capture_resource, &after.capture_resource, sizeof before.capture_resource) == 0);
    ck_assert_uint_eq(before.rng.state, after.rng.state);
    ck_assert_uint_eq(before.rng.increment, after.rng.increment);
    metrics_probe_free(probe);
    model_free(model);
}
END_TEST

START_TEST(test_torus_grid_is_not_a_hand)
{
    ModelParams params;
    model_params_reference(&params);
    char err[256] = "";
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "model_create: %s", err);
    MapMetrics m;
    MetricsProbe *probe = compute(model, &m);
    ck_assert_int_eq(m.valid, 0);
    ck_assert_int_eq(m.risk_pair, -1);
    assert_metrics_sane(&m);
    metrics_probe_free(probe);
    model_free(model);
    metrics_probe_free(NULL);
}
END_TEST

START_TEST(test_pair_names)
{
    ck_assert_str_eq(metrics_pair_name(0), "D1-D2");
    ck_assert_str_eq(metrics_pair_name(1), "D2-D3");
    ck_assert_str_eq(metrics_pair_name(2), "D3-D4");
    ck_assert_str_eq(metrics_pair_name(3), "D4-D5");
    /* out of range: a label, never a crash */
    ck_assert_ptr_nonnull(metrics_pair_name(-1));
    ck_assert_ptr_nonnull(metrics_pair_name(METRICS_PAIRS));
}
END_TEST

Suite *metrics_suite(void)
{
    Suite *suite = suite_create("metrics");

    TCase *start = tcase_create("ordered start");
    tcase_set_timeout(start, 60);
    tcase_add_test(start, test_ordered_start_areas_are_the_column_shares);
    tcase_add_test(start, test_ordered_start_centroids_and_distances);
    tcase_add_test(start, test_sheet_width_scales_mm_only);
    tcase_add_test(start, test_clean_start_is_fully_differentiated);
    suite_add_tcase(suite, start);

    TCase *painted = tcase_create("maps by hand");
    tcase_set_timeout(painted, 60);
    tcase_add_test(painted, test_painted_layout_areas_and_centroids);
    tcase_add_test(painted, test_silent_digit_is_not_merged_but_absorbed_is);
    tcase_add_test(painted, test_receptive_field_points_by_hand);
    tcase_add_test(painted, test_receptive_field_is_the_interpolated_half_maximum_width);
    tcase_add_test(painted, test_d3_d4_merged_everywhere);
    tcase_add_test(painted, test_d3_d4_blur_is_localised);
    tcase_add_test(painted, test_risk_grows_with_merging);
    tcase_add_test(painted, test_silent_map_is_unresponsive_and_finite);
    tcase_add_test(painted, test_largest_patch_of_a_split_digit);
    tcase_add_test(painted, test_largest_patch_of_a_digit_in_two_pieces);
    suite_add_tcase(suite, painted);

    TCase *views = tcase_create("views");
    tcase_set_timeout(views, 60);
    tcase_add_test(views, test_per_unit_views_agree_with_the_areas);
    tcase_add_test(views, test_compute_leaves_the_model_untouched);
    tcase_add_test(views, test_sliced_computation_equals_the_whole);
    tcase_add_test(views, test_torus_grid_is_not_a_hand);
    tcase_add_test(views, test_pair_names);
    suite_add_tcase(suite, views);

    return suite;
}
