/* Map metrics from digit probes (definitions and baseline values in docs/model.md §4).
 *
 * The probe of digit d is its best touch: a fingertip-sized touch centred on each of d's
 * receptor points in turn; a unit's response is the most any of them gives it (the linear
 * part of its drive), so a unit tuned to the fingertip counts as fully as one tuned to the
 * whole digit.
 * Receptive fields are read from the weights, not from a settled bump: for any one probe
 * the bump leaves most units silent, which would make fields look tiny. */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A unit whose best probe response is below this has learned nothing it can show (its
 * weights are start-up noise); it counts as unresponsive. */
#define RESPONSE_FLOOR 0.1f
/* "Drives a unit" means reaching half of the unit's maximum (DESIGN.md §4). */
#define HALF_MAXIMUM 0.5f

/* Healthy baseline for the overlap risk: the steady state of everyday use, the default hand
 * after 5 days of it (16 waking hours a day, core/everyday.h), the mean over seeds 1-7,
 * rounded (docs/model.md §4.7: re-taken for one-digit arbors and the best-touch probe). */
#define BASELINE_NEIGHBOUR_DICE 0.17f
#define BASELINE_BORDER_SHARPNESS 0.37f
#define BASELINE_MULTI_DIGIT 0.17f

struct MetricsProbe {
    int units, n;
    float *response;      /* units x digits */
    float *selectivity;   /* units */
    float *rf_points;     /* units: receptive-field size in receptor points (0: unresponsive) */
    int8_t *preferred;    /* units */
    uint8_t *driven_mask; /* units: bit d set when digit d drives the unit above half maximum */
    uint8_t *visited;     /* units */
    int *queue;           /* units */
    /* a computation in progress (metrics_begin .. metrics_finish) */
    int next_unit;
    MapMetrics partial;   /* per-digit sums so far */
    int digit_units[METRICS_DIGITS], responsive, multi;
    float rf_points_all, rf_digits_all;
    /* the probe's touch: touch[k][j] is receptor j's share of a fingertip-sized touch centred
     * on receptor k of a digit (rows sum to 1) */
    int per_digit;
    float touch[SKIN_MAX_PER_DIGIT][SKIN_MAX_PER_DIGIT];
};

/* The probe's touches along a digit: a touch as wide as the skin's (sigma_t) centred on each
 * receptor point, each receptor weighted by its activation. */
static void probe_touch_init(MetricsProbe *p, const Skin *skin)
{
    const int k = skin->per_digit;
    p->per_digit = k > SKIN_MAX_PER_DIGIT ? 0 : k;
    const float sigma = skin->touch_width;
    for (int c = 0; c < p->per_digit; c++) {
        float sum = 0.0f;
        for (int j = 0; j < k; j++) {
            float d = (float)(j - c) / (float)(k - 1);
            p->touch[c][j] = expf(-d * d / (2.0f * sigma * sigma));
            sum += p->touch[c][j];
        }
        for (int j = 0; j < k; j++)
            p->touch[c][j] /= sum;
    }
}

/* A unit's response to its best touch on a digit: the most its weights give any touch
 * along the digit (w: the digit's K weights). A mapping electrode calls a unit responsive
 * to a digit when touching the digit anywhere drives it; a unit tuned to the fingertip is
 * as responsive as one tuned to the whole digit. */
static float best_touch_response(const MetricsProbe *p, const float *w)
{
    float best = 0.0f;
    for (int c = 0; c < p->per_digit; c++) {
        float r = 0.0f;
        for (int j = 0; j < p->per_digit; j++)
            r += p->touch[c][j] * w[j];
        best = r > best ? r : best;
    }
    return best;
}

MetricsProbe *metrics_probe_create(const Model *model)
{
    MetricsProbe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->units = model_unit_count(model);
    p->n = model_sheet_size(model);
    probe_touch_init(p, model_skin(model));
    size_t units = (size_t)p->units;
    p->response = calloc(units * METRICS_DIGITS, sizeof(float));
    p->selectivity = calloc(units, sizeof(float));
    p->rf_points = calloc(units, sizeof(float));
    p->preferred = calloc(units, sizeof(int8_t));
    p->driven_mask = calloc(units, sizeof(uint8_t));
    p->visited = calloc(units, sizeof(uint8_t));
    p->queue = calloc(units, sizeof(int));
    if (!p->response || !p->selectivity || !p->rf_points || !p->preferred || !p->driven_mask || !p->visited || !p->queue) {
        metrics_probe_free(p);
        return NULL;
    }
    return p;
}

void metrics_probe_free(MetricsProbe *p)
{
    if (!p)
        return;
    free(p->response);
    free(p->selectivity);
    free(p->rf_points);
    free(p->preferred);
    free(p->driven_mask);
    free(p->visited);
    free(p->queue);
    free(p);
}

const int8_t *metrics_preferred_digit(const MetricsProbe *p) { return p->preferred; }
const float *metrics_selectivity(const MetricsProbe *p) { return p->selectivity; }
const float *metrics_receptive_field(const MetricsProbe *p) { return p->rf_points; }
const uint8_t *metrics_driving_digits(const MetricsProbe *p) { return p->driven_mask; }

const char *metrics_pair_name(int pair)
{
    static const char *const names[METRICS_PAIRS] = {"D1-D2", "D2-D3", "D3-D4", "D4-D5"};
    return pair >= 0 && pair < METRICS_PAIRS ? names[pair] : "none";
}

static float clamp01(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }

static int popcount8(unsigned x)
{
    int c = 0;
    for (; x; x &= x - 1u)
        c++;
    return c;
}

/* The unit's strongest weight. Taken in four independent running maxima (a single chain
 * of max instructions was half of all metrics time); max is exact in any order. */
static float strongest_weight(const float *w, int receptors)
{
    float lane[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    int r = 0;
    for (; r + 4 <= receptors; r += 4)
        for (int j = 0; j < 4; j++)
            lane[j] = w[r + j] > lane[j] ? w[r + j] : lane[j];
    for (; r < receptors; r++)
        lane[0] = w[r] > lane[0] ? w[r] : lane[0];
    return fmaxf(fmaxf(lane[0], lane[1]), fmaxf(lane[2], lane[3]));
}

/* Length of one digit's skin (in receptor spacings) where the unit's weight profile is at
 * least level: the profile is linear between neighbouring receptor points, and each end
 * point owns half a spacing beyond it (its skin cell), so a step profile of m points at or
 * above level measures m, as the thresholded count did, while a smooth one measures where
 * its flanks actually cross the level (the recorded RF's extent on the skin). */
static float digit_width_above(const float *w, int k, float level)
{
    float width = 0.5f * (float)(w[0] >= level) + 0.5f * (float)(w[k - 1] >= level);
    for (int j = 0; j + 1 < k; j++) {
        const float a = w[j], b = w[j + 1];
        if (a >= level && b >= level)
            width += 1.0f;
        else if (a >= level || b >= level) /* one flank crosses the level inside the spacing */
            width += (fmaxf(a, b) - level) / fabsf(a - b);
    }
    return width;
}

/* Receptive-field size in receptor points: the skin, summed over the digits, where the
 * unit's weights reach half of its strongest weight, with the half-maximum crossings
 * interpolated linearly between receptor points (docs/model.md §4). */
static float receptive_field_points(const float *w, int digits, int per_digit)
{
    const float peak = strongest_weight(w, digits * per_digit);
    if (peak <= 0.0f)
        return 0.0f;
    float width = 0.0f;
    for (int d = 0; d < digits; d++)
        width += digit_width_above(w + d * per_digit, per_digit, HALF_MAXIMUM * peak);
    return width;
}

/* Probe responses, preferred digit, selectivity and driving digits of units [from, to);
 * the per-digit sums (receptive fields, centroids) accumulate in the probe's partial
 * result (divided in metrics_finish). */
static void probe_units(MetricsProbe *p, const Model *model, int from, int to)
{
    const Skin *skin = model_skin(model);
    const float *weights = model_weights(model);
    const int receptors = model_receptor_count(model), k = skin->per_digit;
    MapMetrics *out = &p->partial;
    for (int i = from; i < to; i++) {
        const float *w = weights + (size_t)i * (size_t)receptors;
        float *resp = p->response + (size_t)i * METRICS_DIGITS;
        int best = 0;
        for (int d = 0; d < METRICS_DIGITS; d++) {
            resp[d] = best_touch_response(p, w + d * k);
            if (resp[d] > resp[best])
                best = d;
        }
        float peak = resp[best], second = 0.0f;
        unsigned mask = 0;
        for (int d = 0; d < METRICS_DIGITS; d++) {
            if (d != best && resp[d] > second)
                second = resp[d];
            if (resp[d] >= HALF_MAXIMUM * peak)
                mask |= 1u << d;
        }
        if (peak < RESPONSE_FLOOR) {
            p->preferred[i] = -1;
            p->selectivity[i] = 0.0f;
            p->rf_points[i] = 0.0f;
            p->driven_mask[i] = 0;
            continue;
        }
        p->preferred[i] = (int8_t)best;
        p->selectivity[i] = 1.0f - second / peak;
        p->driven_mask[i] = (uint8_t)mask;
        int digits = popcount8(mask);
        float points = receptive_field_points(w, skin->digits, k);
        p->rf_points[i] = points;
        p->responsive++;
        p->multi += digits >= 2;
        p->digit_units[best]++;
        out->rf_points[best] += points;
        out->rf_digits[best] += (float)digits;
        out->centroid_mm[best][0] += (float)(i % p->n) + 0.5f;
        out->centroid_mm[best][1] += (float)(i / p->n) + 0.5f;
        p->rf_points_all += points;
        p->rf_digits_all += (float)digits;
    }
}

/* A patch smaller than this many units is a single unit or two flipped at a border, not a
 * territory: at least 2 units and 1 mm² (4 units of the default 32 x 32 sheet of 16 mm,
 * 2 of a 16 x 16 one), below the resolution of the digit maps the metric is compared with
 * (MEG and fMRI: millimetres). docs/model.md §4. */
static int patch_min_units(float mm_per_unit)
{
    int units = (int)ceilf(1.0f / (mm_per_unit * mm_per_unit) - 1e-4f);
    return units > 2 ? units : 2;
}

/* The 4-connected patches of units preferring digit (breadth-first): returns how many hold
 * at least min_units (all of them, if none does), with the size of the largest in
 * *largest_out. */
static int digit_patches(MetricsProbe *p, int digit, int min_units, int *largest_out)
{
    const int n = p->n;
    memset(p->visited, 0, (size_t)p->units);
    int largest = 0, patches = 0, territories = 0;
    for (int start = 0; start < p->units; start++) {
        if (p->visited[start] || p->preferred[start] != digit)
            continue;
        patches++;
        int head = 0, tail = 0;
        p->queue[tail++] = start;
        p->visited[start] = 1;
        while (head < tail) { /* each unit enters the queue at most once */
            int i = p->queue[head++], x = i % n, y = i / n;
            const int neighbours[4] = {x > 0 ? i - 1 : -1, x < n - 1 ? i + 1 : -1,
                                       y > 0 ? i - n : -1, y < n - 1 ? i + n : -1};
            for (int j = 0; j < 4; j++) {
                int nb = neighbours[j];
                if (nb >= 0 && !p->visited[nb] && p->preferred[nb] == digit) {
                    p->visited[nb] = 1;
                    p->queue[tail++] = nb;
                }
            }
        }
        largest = tail > largest ? tail : largest;
        territories += tail >= min_units;
    }
    *largest_out = largest;
    return territories > 0 ? territories : patches;
}

/* Along each row, from one responsive unit to the next that prefers another digit: the
 * share of those changes that go from a lower to a higher digit (D1 towards D5). An
 * ordered hand has only such changes (1); a digit split by its neighbour, or a row
 * running backwards, adds changes the other way. No change at all counts as ordered. */
static float order_index(const MetricsProbe *p)
{
    int forward = 0, changes = 0;
    for (int y = 0; y < p->n; y++) {
        int last = -1;
        for (int x = 0; x < p->n; x++) {
            int digit = p->preferred[y * p->n + x];
            if (digit < 0)
                continue;
            if (last >= 0 && digit != last) {
                changes++;
                forward += digit > last;
            }
            last = digit;
        }
    }
    return changes > 0 ? (float)forward / (float)changes : 1.0f;
}

/* Mean selectivity between digits a and b of the units on their shared border (units of
 * either digit with a 4-neighbour of the other). No border: 1 if both digits still have
 * territory (they do not touch), 0 if one was absorbed. */
static float border_sharpness(const MetricsProbe *p, int a, int b, const int *digit_units)
{
    const int n = p->n;
    float sum = 0.0f;
    int count = 0;
    for (int i = 0; i < p->units; i++) {
        int mine = p->preferred[i];
        if (mine != a && mine != b)
            continue;
        int other = mine == a ? b : a, x = i % n, y = i / n;
        int on_border = (x > 0 && p->preferred[i - 1] == other) ||
                        (x < n - 1 && p->preferred[i + 1] == other) ||
                        (y > 0 && p->preferred[i - n] == other) ||
                        (y < n - 1 && p->preferred[i + n] == other);
        if (!on_border)
            continue;
        const float *resp = p->response + (size_t)i * METRICS_DIGITS;
        float hi = fmaxf(resp[a], resp[b]);
        sum += hi > 0.0f ? fabsf(resp[a] - resp[b]) / hi : 0.0f;
        count++;
    }
    if (count > 0)
        return sum / (float)count;
    if (digit_units[a] > 0 && digit_units[b] > 0)
        return 1.0f;
    /* one has no territory: absorbed by the other if it still drives units (merged: no
     * border), silent if it drives none (its input removed: nothing merged, no border lost) */
    int silent = digit_units[a] == 0 ? a : b, drives = 0;
    for (int i = 0; i < p->units && !drives; i++)
        drives = (p->driven_mask[i] >> silent) & 1u;
    return drives ? 0.0f : 1.0f;
}

static void dice_overlaps(const MetricsProbe *p, MapMetrics *out)
{
    int size[METRICS_DIGITS] = {0}, both[METRICS_DIGITS][METRICS_DIGITS] = {{0}};
    for (int i = 0; i < p->units; i++) {
        unsigned mask = p->driven_mask[i];
        for (int d = 0; d < METRICS_DIGITS; d++) {
            if (!(mask & (1u << d)))
                continue;
            size[d]++;
            for (int e = d + 1; e < METRICS_DIGITS; e++)
                both[d][e] += (mask >> e) & 1u;
        }
    }
    for (int d = 0; d < METRICS_DIGITS; d++) {
        out->overlap[d][d] = size[d] > 0 ? 1.0f : 0.0f;
        for (int e = d + 1; e < METRICS_DIGITS; e++) {
            int total = size[d] + size[e];
            float dice = total > 0 ? 2.0f * (float)both[d][e] / (float)total : 0.0f;
            out->overlap[d][e] = out->overlap[e][d] = dice;
        }
    }
}

/* The de-differentiation index (docs/model.md §4.7): per neighbouring pair, the mean of
 * its Dice rise and its border loss relative to the healthy baseline; overall, half the
 * worst pair, a quarter the mean pair and a quarter the rise of multi-digit units. */
static void overlap_risk(MapMetrics *out)
{
    float worst = 0.0f, sum = 0.0f;
    out->risk_pair = -1;
    for (int pair = 0; pair < METRICS_PAIRS; pair++) {
        float dice_rise = clamp01((out->overlap[pair][pair + 1] - BASELINE_NEIGHBOUR_DICE) /
                                  (1.0f - BASELINE_NEIGHBOUR_DICE));
        float border_loss = clamp01((BASELINE_BORDER_SHARPNESS - out->border_sharpness[pair]) /
                                    BASELINE_BORDER_SHARPNESS);
        float risk = 0.5f * (dice_rise + border_loss);
        out->pair_risk[pair] = risk;
        sum += risk;
        if (risk > worst) {
            worst = risk;
            out->risk_pair = pair;
        }
    }
    float multi_rise = clamp01((out->multi_digit_fraction - BASELINE_MULTI_DIGIT) / (1.0f - BASELINE_MULTI_DIGIT));
    /* a healthy map leaves no unit silent: each point of silent sheet adds a point of risk */
    out->overlap_risk = clamp01(0.5f * worst + 0.25f * sum / (float)METRICS_PAIRS + 0.25f * multi_rise +
                                out->unresponsive_fraction);
}

HM_REALTIME void metrics_begin(MetricsProbe *p)
{
    memset(&p->partial, 0, sizeof p->partial);
    memset(p->digit_units, 0, sizeof p->digit_units);
    p->next_unit = 0;
    p->responsive = p->multi = 0;
    p->rf_points_all = p->rf_digits_all = 0.0f;
}

HM_REALTIME int metrics_run(MetricsProbe *p, const Model *model, int max_units)
{
    int end = max_units < p->units - p->next_unit ? p->next_unit + max_units : p->units;
    if (max_units > 0 && model_skin(model)->layout == SKIN_HAND)
        probe_units(p, model, p->next_unit, end);
    if (max_units > 0)
        p->next_unit = end;
    return p->units - p->next_unit;
}

HM_REALTIME void metrics_finish(MetricsProbe *p, const Model *model, MapMetrics *out)
{
    metrics_run(p, model, p->units); /* whatever is left */
    *out = p->partial;
    out->risk_pair = -1;
    if (model_skin(model)->layout != SKIN_HAND)
        return;
    out->valid = 1;
    out->unresponsive_fraction = (float)(p->units - p->responsive) / (float)p->units;
    out->multi_digit_fraction = (float)p->multi / (float)p->units;
    out->rf_points_mean = p->responsive ? p->rf_points_all / (float)p->responsive : 0.0f;
    out->rf_digits_mean = p->responsive ? p->rf_digits_all / (float)p->responsive : 0.0f;
    const float width_mm = model_get_params(model)->sheet_width_mm;
    const float mm_per_unit = width_mm / (float)p->n;
    const int *digit_units = p->digit_units;
    for (int d = 0; d < METRICS_DIGITS; d++) {
        float units = (float)digit_units[d];
        out->area_fraction[d] = units / (float)p->units;
        out->area_mm2[d] = out->area_fraction[d] * width_mm * width_mm;
        if (digit_units[d] > 0) {
            out->rf_points[d] /= units;
            out->rf_digits[d] /= units;
            out->centroid_mm[d][0] *= mm_per_unit / units;
            out->centroid_mm[d][1] *= mm_per_unit / units;
            int largest;
            out->patches[d] = digit_patches(p, d, patch_min_units(mm_per_unit), &largest);
            out->largest_patch_fraction[d] = (float)largest / units;
        }
    }
    out->d1_d5_distance_mm = hypotf(out->centroid_mm[0][0] - out->centroid_mm[4][0],
                                    out->centroid_mm[0][1] - out->centroid_mm[4][1]);
    for (int pair = 0; pair < METRICS_PAIRS; pair++) {
        out->neighbour_distance_mm[pair] =
            hypotf(out->centroid_mm[pair][0] - out->centroid_mm[pair + 1][0],
                   out->centroid_mm[pair][1] - out->centroid_mm[pair + 1][1]);
        out->border_sharpness[pair] = border_sharpness(p, pair, pair + 1, digit_units);
    }
    out->order_index = order_index(p);
    dice_overlaps(p, out);
    overlap_risk(out);
}

HM_REALTIME void metrics_compute(MetricsProbe *p, const Model *model, MapMetrics *out)
{
    metrics_begin(p);
    metrics_finish(p, model, out);
}
