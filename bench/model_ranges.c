/* The model's documented ranges, checked value by value. */
#include "model_ranges.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

/* Late weights are w - w_early computed in float: rounding may leave them this far outside
 * [0, 1] (their exact values are convex combinations of values in [0, 1]). */
#define LATE_ROUNDING 1e-5f

void model_ranges_init(ModelRanges *seen)
{
    float *ranges[] = {seen->weight, seen->late, seen->early, seen->threshold, seen->activity, seen->field,
                       seen->resource};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        ranges[i][0] = INFINITY;
        ranges[i][1] = -INFINITY;
    }
    seen->models_checked = seen->metrics_checked = 0;
}

/* Widens range by values[0..count) and checks each is finite and in [low, high]. */
static int check_array(const char *what, const float *values, size_t count, float low, float high, float *range,
                       char *err, size_t err_size)
{
    for (size_t i = 0; i < count; i++) {
        float x = values[i];
        if (!(x >= low && x <= high)) { /* NaN fails too */
            snprintf(err, err_size, "%s[%zu] = %g is outside [%g, %g]", what, i, (double)x, (double)low,
                     (double)high);
            return -1;
        }
        range[0] = x < range[0] ? x : range[0];
        range[1] = x > range[1] ? x : range[1];
    }
    return 0;
}

int model_ranges_check(const Model *model, ModelRanges *seen, char *err, size_t err_size)
{
    const ModelParams *p = model_get_params(model);
    size_t units = (size_t)model_unit_count(model), weights = units * (size_t)model_receptor_count(model);
    const float *w = model_weights(model), *e = model_early(model);
    float ceiling = p->activity_ceiling > 0.0f ? p->activity_ceiling : INFINITY;
    const bool gains = p->homeostasis_rule == HOMEOSTASIS_SCALING; /* model v2: gains, else thresholds */
    const float low = gains ? 1.0f / p->gain_limit : -p->threshold_limit;
    const float high = gains ? p->gain_limit : p->threshold_limit;
    /* the saturation of early depression and potentiation (docs/model.md §3.6), up to a float rounding */
    const float deepest = p->early_depression_limit > 0.0f ? p->early_depression_limit * (1.0f + LATE_ROUNDING) : 1.0f;
    const float highest = p->early_potentiation_limit > 0.0f ? p->early_potentiation_limit * (1.0f + LATE_ROUNDING) : 1.0f;
    if (check_array("weight", w, weights, 0.0f, 1.0f, seen->weight, err, err_size) != 0 ||
        check_array("early weight", e, weights, -deepest, highest, seen->early, err, err_size) != 0 ||
        check_array(gains ? "gain" : "threshold", model_thresholds(model), units, low, high, seen->threshold, err,
                    err_size) != 0 ||
        check_array("activity", model_activity(model), units, 0.0f, 1.0f, seen->activity, err, err_size) != 0 ||
        check_array("field", model_field(model), units, 0.0f, ceiling, seen->field, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < weights; i++) {
        float late = w[i] - e[i];
        if (check_array("late weight", &late, 1, -LATE_ROUNDING, 1.0f + LATE_ROUNDING, seen->late, err,
                        err_size) != 0)
            return -1;
    }
    ModelScalars scalars;
    model_get_scalars(model, &scalars);
    if (check_array("capture resource", &scalars.capture_resource, 1, 0.0f, 1.0f, seen->resource, err, err_size) !=
        0)
        return -1;
    if (!isfinite(scalars.time_s) || scalars.time_s < 0.0) {
        snprintf(err, err_size, "model time %g s is not a time", scalars.time_s);
        return -1;
    }
    seen->models_checked++;
    return 0;
}

int model_ranges_check_metrics(const MapMetrics *m, ModelRanges *seen, char *err, size_t err_size)
{
    float scratch[2];
    const struct {
        const char *name;
        const float *values;
        size_t count;
        float low, high;
    } figures[] = {
        {"area_fraction", m->area_fraction, METRICS_DIGITS, 0.0f, 1.0f},
        {"area_mm2", m->area_mm2, METRICS_DIGITS, 0.0f, INFINITY},
        {"unresponsive_fraction", &m->unresponsive_fraction, 1, 0.0f, 1.0f},
        {"rf_points", m->rf_points, METRICS_DIGITS, 0.0f, INFINITY},
        {"rf_digits", m->rf_digits, METRICS_DIGITS, 0.0f, METRICS_DIGITS},
        {"rf_points_mean", &m->rf_points_mean, 1, 0.0f, INFINITY},
        {"rf_digits_mean", &m->rf_digits_mean, 1, 0.0f, METRICS_DIGITS},
        {"multi_digit_fraction", &m->multi_digit_fraction, 1, 0.0f, 1.0f},
        {"overlap", &m->overlap[0][0], METRICS_DIGITS * METRICS_DIGITS, 0.0f, 1.0f},
        {"centroid_mm", &m->centroid_mm[0][0], METRICS_DIGITS * 2, -INFINITY, INFINITY},
        {"largest_patch_fraction", m->largest_patch_fraction, METRICS_DIGITS, 0.0f, 1.0f},
        {"d1_d5_distance_mm", &m->d1_d5_distance_mm, 1, 0.0f, INFINITY},
        {"neighbour_distance_mm", m->neighbour_distance_mm, METRICS_PAIRS, 0.0f, INFINITY},
        {"border_sharpness", m->border_sharpness, METRICS_PAIRS, 0.0f, 1.0f},
        {"pair_risk", m->pair_risk, METRICS_PAIRS, 0.0f, 1.0f},
        {"overlap_risk", &m->overlap_risk, 1, 0.0f, 1.0f},
    };
    for (size_t f = 0; f < sizeof figures / sizeof figures[0]; f++)
        for (size_t i = 0; i < figures[f].count; i++) {
            float x = figures[f].values[i];
            if (!isfinite(x)) {
                snprintf(err, err_size, "metric %s[%zu] = %g is not finite", figures[f].name, i, (double)x);
                return -1;
            }
            scratch[0] = INFINITY, scratch[1] = -INFINITY;
            if (check_array(figures[f].name, &x, 1, figures[f].low, figures[f].high, scratch, err, err_size) != 0)
                return -1;
        }
    seen->metrics_checked++;
    return 0;
}

void model_ranges_print(const ModelRanges *seen)
{
    const struct {
        const char *name;
        const float *range;
    } rows[] = {{"weights w", seen->weight},        {"late weights w - w_early", seen->late},
                {"early weights", seen->early},     {"thresholds or gains", seen->threshold},
                {"activity averages", seen->activity}, {"settled field", seen->field},
                {"capture resource", seen->resource}};
    printf("  ranges seen over %ld model checks and %ld metrics checks:\n", seen->models_checked,
           seen->metrics_checked);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        printf("    %-26s min %+.6g  max %+.6g\n", rows[i].name, (double)rows[i].range[0], (double)rows[i].range[1]);
}
