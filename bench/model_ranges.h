/* model_ranges: checks a hand's model and its metrics against the ranges docs/model.md
 * documents (weights and late weights in [0, 1], thresholds within +-threshold_limit,
 * activity in [0, 1], field in [0, ceiling], capture resource in [0, 1], every metric
 * finite), and keeps the least and greatest values seen, for the stress and long-run
 * benches. */
#ifndef HM_MODEL_RANGES_H
#define HM_MODEL_RANGES_H

#include <stddef.h>

#include "metrics.h"
#include "model.h"

typedef struct {
    float weight[2], late[2], early[2], threshold[2], activity[2], field[2], resource[2]; /* min, max */
    long models_checked, metrics_checked;
} ModelRanges;

/* Empty ranges (nothing seen yet). */
void model_ranges_init(ModelRanges *seen);

/* Checks every weight, early and late weight, threshold, activity, field value and the
 * capture resource of model, widening seen. Returns 0, or -1 with the first value out of
 * range (which array, which index, the value, the range) in err. */
int model_ranges_check(const Model *model, ModelRanges *seen, char *err, size_t err_size);

/* Checks that every figure of metrics is finite (and the shares and the risk in [0, 1]).
 * Returns 0, or -1 naming the figure in err. */
int model_ranges_check_metrics(const MapMetrics *metrics, ModelRanges *seen, char *err, size_t err_size);

/* Prints the ranges seen, one line per array. */
void model_ranges_print(const ModelRanges *seen);

#endif
