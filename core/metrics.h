/* metrics: what a researcher reads off a hand's map — territory per digit, receptive
 * fields, multi-digit units, overlap between digits, distances, border sharpness and the
 * de-differentiation index ("overlap risk"). Computed from probe stimuli through the
 * afferent weights: nothing here learns or touches the model's homeostasis. */
#ifndef HM_METRICS_H
#define HM_METRICS_H

#include <stdint.h>

#include "model.h"

#define METRICS_DIGITS SKIN_DIGITS
#define METRICS_PAIRS (SKIN_DIGITS - 1) /* neighbouring digits D1-D2 .. D4-D5 */

typedef struct {
    int valid;                  /* 0 if the model has no hand layout (no digits to probe) */
    float area_fraction[METRICS_DIGITS]; /* share of the sheet preferring each digit */
    float area_mm2[METRICS_DIGITS];
    float unresponsive_fraction; /* units that respond to no probe */
    float rf_points[METRICS_DIGITS]; /* mean receptive-field size (receptor points) of units preferring d */
    float rf_digits[METRICS_DIGITS]; /* mean digits driving those units above 50 % */
    float rf_points_mean;       /* over all responsive units */
    float rf_digits_mean;
    float multi_digit_fraction; /* share of all units driven above 50 % by >= 2 digits */
    float overlap[METRICS_DIGITS][METRICS_DIGITS]; /* Dice of the response maps */
    float centroid_mm[METRICS_DIGITS][2]; /* x (across digits), y (tip to base) */
    float largest_patch_fraction[METRICS_DIGITS]; /* of a digit's units, the share in its largest connected patch */
    int patches[METRICS_DIGITS]; /* 4-connected patches of units preferring each digit (0: no territory) */
    float order_index;          /* 1: every row runs D1..D5 in order; share of in-order digit changes along rows */
    float d1_d5_distance_mm;
    float neighbour_distance_mm[METRICS_PAIRS];
    float border_sharpness[METRICS_PAIRS]; /* 1: clean border, 0: no border left */
    float pair_risk[METRICS_PAIRS]; /* each neighbouring pair's part of the overlap risk */
    float overlap_risk;         /* de-differentiation index: 0 as the healthy baseline, 1 merged */
    int risk_pair;              /* the pair driving the risk (0 = D1-D2 .. 3 = D4-D5), -1 if none */
} MapMetrics;

typedef struct MetricsProbe MetricsProbe;

/* Sizes a probe workspace for model's geometry (allocates; not for real-time threads). */
MetricsProbe *metrics_probe_create(const Model *model);

/* Frees a probe; NULL is allowed. */
void metrics_probe_free(MetricsProbe *probe);

/* Computes every metric of model into out, using only the probe's memory. */
HM_REALTIME void metrics_compute(MetricsProbe *probe, const Model *model, MapMetrics *out);

/* The same computation in slices, so that an audio thread can spread it over blocks:
 * metrics_begin, then metrics_run with a budget of units per call (returns the units still
 * to probe), then metrics_finish (probes what is left, then the map-wide measures) fills
 * out. With the model unchanged in between, the result equals metrics_compute's. The
 * per-unit arrays below are only complete after metrics_finish. */
HM_REALTIME void metrics_begin(MetricsProbe *probe);
HM_REALTIME int metrics_run(MetricsProbe *probe, const Model *model, int max_units);
HM_REALTIME void metrics_finish(MetricsProbe *probe, const Model *model, MapMetrics *out);

/* Per-unit results of the last metrics_compute (for pictures): the preferred digit
 * (-1: unresponsive) and selectivity in [0, 1] (1: responds to one digit only). */
const int8_t *metrics_preferred_digit(const MetricsProbe *probe);
const float *metrics_selectivity(const MetricsProbe *probe);

/* Per-unit receptive-field size (receptor points at >= 50 % of the unit's strongest
 * weight) of the last metrics_compute; 0 for unresponsive units. */
const float *metrics_receptive_field(const MetricsProbe *probe);

/* Per-unit digits driving the unit above 50 % of its maximum (bit d: digit d) of the
 * last metrics_compute; 0 for unresponsive units. */
const uint8_t *metrics_driving_digits(const MetricsProbe *probe);

/* Short label of a neighbouring pair, e.g. "D3-D4". */
const char *metrics_pair_name(int pair);

#endif
