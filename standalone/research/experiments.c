/* experiments: the published experiments replicated on the default hand model. Every protocol
 * but Byl's and Candia's starts from one shared baseline map; model time runs as
 * docs/validation.md says. */
#include "experiments.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diet.h"
#include "everyday.h"
#include "metrics.h"
#include "model.h"
#include "state.h"

#define BASELINE_TOUCHES 20000
#define TOUCH_INTERVAL_S 0.25 /* everyday use and the animal protocols: a touch every 0.25 s */
#define HOUR_S 3600.0
#define DAY_S (24 * HOUR_S)

/* Digits as bit masks and indices (0 = D1 thumb .. 4 = D5 little). */
#define D2 1
#define D3 2
#define D4 3
#define D5 4
#define BIT(d) (1u << (d))
#define ALL_DIGITS 0x1Fu
#define PAIR_D2_D3 1 /* neighbouring-pair indices of MapMetrics */
#define PAIR_D3_D4 2

struct ExperimentLab {
    uint32_t seed;
    uint8_t *baseline; /* the baseline model as a state blob */
    size_t baseline_size;
};

/* One hand under experiment: a model, its probe, the random stream of its touches. */
typedef struct {
    Model *model;
    MetricsProbe *probe;
    Rng rng;
    float *stimulus;
} Subject;

/* The model's own seed for a lab seed: offset so that the default seed gives the default
 * model (its start-up noise) and every other seed a different one. */
static uint32_t model_seed(uint32_t lab_seed, uint32_t default_model_seed)
{
    return default_model_seed + (lab_seed - EXPERIMENT_DEFAULT_SEED);
}

static void subject_free(Subject *s)
{
    metrics_probe_free(s->probe);
    model_free(s->model);
    free(s->stimulus);
    memset(s, 0, sizeof *s);
}

/* Completes a subject whose model is set: probe, scratch, touch stream. */
static int subject_complete(Subject *s, uint64_t touch_seed, char *err, size_t err_size)
{
    s->probe = metrics_probe_create(s->model);
    s->stimulus = malloc((size_t)model_receptor_count(s->model) * sizeof *s->stimulus);
    if (!s->probe || !s->stimulus) {
        snprintf(err, err_size, "out of memory for a model's probe");
        subject_free(s);
        return -1;
    }
    rng_seed(&s->rng, touch_seed);
    return 0;
}

/* A fresh default hand (params may change it) with the lab's seed. */
static int subject_create(const ExperimentLab *lab, const ModelParams *params, Subject *s, char *err,
                          size_t err_size)
{
    memset(s, 0, sizeof *s);
    ModelParams seeded = *params;
    ModelParams defaults;
    model_params_default(&defaults);
    seeded.seed = model_seed(lab->seed, defaults.seed);
    s->model = model_create(&seeded, err, err_size);
    if (!s->model)
        return -1;
    return subject_complete(s, lab->seed, err, err_size);
}

static void practise(Subject *s, const Diet *diet, int touches, double interval_s)
{
    diet_practise(diet, s->model, &s->rng, touches, interval_s, s->stimulus);
}

/* A hand of params after the baseline's BASELINE_TOUCHES of everyday use. */
static int subject_baseline(const ExperimentLab *lab, const ModelParams *params, Subject *s, char *err,
                            size_t err_size)
{
    if (subject_create(lab, params, s, err, err_size) < 0)
        return -1;
    Diet mixed;
    diet_mixed_use(&mixed);
    practise(s, &mixed, BASELINE_TOUCHES, TOUCH_INTERVAL_S);
    return 0;
}

/* The model as a new state blob (free()), or NULL with a message. */
static uint8_t *model_blob(const Model *model, size_t *size, char *err, size_t err_size)
{
    *size = state_model_size(model);
    uint8_t *blob = malloc(*size);
    if (!blob || state_model_write(model, 0, blob, *size) != *size) {
        snprintf(err, err_size, "out of memory keeping a copy of a model (%zu bytes)", *size);
        free(blob);
        return NULL;
    }
    return blob;
}

/* Trains the lab's baseline: the default hand after the baseline's everyday use. */
static int lab_train_baseline(ExperimentLab *lab, char *err, size_t err_size)
{
    ModelParams params;
    model_params_default(&params);
    Subject s;
    if (subject_baseline(lab, &params, &s, err, err_size) < 0)
        return -1;
    lab->baseline = model_blob(s.model, &lab->baseline_size, err, err_size);
    subject_free(&s);
    return lab->baseline ? 0 : -1;
}

/* A copy of a model kept as a state blob, with its own touch stream. */
static int subject_from_blob(const uint8_t *blob, size_t size, uint64_t touch_seed, Subject *s, char *err,
                             size_t err_size)
{
    memset(s, 0, sizeof *s);
    int64_t saved;
    if (state_model_read(blob, size, &s->model, &saved, err, err_size) != STATE_OK)
        return -1;
    return subject_complete(s, touch_seed, err, err_size);
}

/* A copy of the baseline hand; its touches follow the stream seed + 1. */
static int subject_from_baseline(const ExperimentLab *lab, Subject *s, char *err, size_t err_size)
{
    return subject_from_blob(lab->baseline, lab->baseline_size, (uint64_t)lab->seed + 1, s, err, err_size);
}

/* Copies a subject's model (through a state blob) into a new subject with the given stream. */
static int subject_copy(const Subject *from, uint64_t touch_seed, Subject *to, char *err, size_t err_size)
{
    memset(to, 0, sizeof *to);
    size_t size;
    uint8_t *blob = model_blob(from->model, &size, err, err_size);
    if (!blob)
        return -1;
    int status = subject_from_blob(blob, size, touch_seed, to, err, err_size);
    free(blob);
    return status;
}

/* Two copies of from (touch seeds lab seed + 2 and + 3), for protocols with two arms beside
 * the original; on failure neither is left to free. */
static int subject_two_copies(const Subject *from, uint64_t lab_seed, Subject *first, Subject *second, char *err,
                              size_t err_size)
{
    if (subject_copy(from, lab_seed + 2, first, err, err_size) < 0)
        return -1;
    if (subject_copy(from, lab_seed + 3, second, err, err_size) < 0) {
        subject_free(first);
        return -1;
    }
    return 0;
}

/* Metrics of the subject's map now (the probe's per-unit arrays follow it). */
static MapMetrics measure(Subject *s)
{
    MapMetrics m;
    metrics_compute(s->probe, s->model, &m);
    return m;
}

/* Measures and keeps the map for the experiment's picture. Returns the metrics. */
static MapMetrics snapshot(Subject *s, ExperimentResult *r, const char *label)
{
    MapMetrics m = measure(s);
    if (r->map_count >= EXPERIMENT_MAX_MAPS)
        return m;
    int units = model_unit_count(s->model);
    ExperimentMap *map = &r->map[r->map_count];
    map->preferred = malloc((size_t)units * sizeof *map->preferred);
    map->selectivity = malloc((size_t)units * sizeof *map->selectivity);
    if (!map->preferred || !map->selectivity) { /* the picture loses this map, the figures stay */
        free(map->preferred);
        free(map->selectivity);
        memset(map, 0, sizeof *map);
        return m;
    }
    memcpy(map->preferred, metrics_preferred_digit(s->probe), (size_t)units * sizeof *map->preferred);
    memcpy(map->selectivity, metrics_selectivity(s->probe), (size_t)units * sizeof *map->selectivity);
    snprintf(map->label, sizeof map->label, "%s", label);
    map->sheet_size = model_sheet_size(s->model);
    map->overlap_risk = m.overlap_risk;
    r->map_count++;
    return m;
}

/* Records one criterion: its text, what was observed, whether it held. */
static void check(ExperimentResult *r, bool passed, const char *criterion, const char *observed_format, ...)
    __attribute__((format(printf, 4, 5)));
static void check(ExperimentResult *r, bool passed, const char *criterion, const char *observed_format, ...)
{
    if (r->check_count >= EXPERIMENT_MAX_CHECKS)
        return;
    ExperimentCheck *c = &r->check[r->check_count++];
    snprintf(c->criterion, sizeof c->criterion, "%s", criterion);
    va_list args;
    va_start(args, observed_format);
    vsnprintf(c->observed, sizeof c->observed, observed_format, args);
    va_end(args);
    c->passed = passed;
}

static void bar(ExperimentResult *r, const char *label, double value)
{
    if (r->bar_count >= EXPERIMENT_MAX_BARS)
        return;
    snprintf(r->bar[r->bar_count].label, sizeof r->bar[0].label, "%s", label);
    r->bar[r->bar_count++].value = value;
}

/* The share of the sheet given to the fingertips of the digits in mask: units preferring one of
 * them whose weights on it are centred in its distal third (along < 1/3; receptor k of K lies
 * at along k / (K - 1)). Uses the preferred digits of the subject's last measure. sites (if not
 * NULL, one per unit) is set to 1 at those units, 0 elsewhere. */
static float fingertip_share(const Subject *s, unsigned mask, uint8_t *sites)
{
    const Skin *skin = model_skin(s->model);
    const int units = model_unit_count(s->model), receptors = model_receptor_count(s->model);
    const int per_digit = skin->per_digit;
    const int8_t *preferred = metrics_preferred_digit(s->probe);
    const float *w = model_weights(s->model);
    int tips = 0;
    for (int i = 0; i < units; i++) {
        if (sites)
            sites[i] = 0;
        if (preferred[i] < 0 || !(mask & BIT(preferred[i])))
            continue;
        const float *row = w + (size_t)i * receptors + (size_t)preferred[i] * per_digit;
        float sum = 0.0f, moment = 0.0f;
        for (int k = 0; k < per_digit; k++) {
            sum += row[k];
            moment += row[k] * (float)k / (float)(per_digit - 1);
        }
        const int tip = sum > 0.0f && moment < sum / 3.0f;
        tips += tip;
        if (sites)
            sites[i] = (uint8_t)tip;
    }
    return (float)tips / (float)units;
}

/* Everyday mixed use in which every pattern touching a digit of glued_mask touches all of them. */
static void diet_glued(Diet *diet, unsigned glued_mask)
{
    everyday_diet(diet, 0, glued_mask);
}

/* Everyday mixed use with digit alone touched factor times as often as each other digit alone
 * (pattern d of diet_mixed_use is digit d alone). */
static void diet_overused(Diet *diet, int digit, float factor)
{
    diet_mixed_use(diet);
    diet->pattern[digit].weight *= factor;
}

/* A diet of one pattern. */
static void diet_only(Diet *diet, unsigned digit_mask)
{
    diet_init(diet);
    diet_add(diet, digit_mask, 1.0f);
}

/* Mean, over the responsive units marked in site, of the receptive-field size (points) and of
 * how many digits drive them (an unresponsive unit has no field to average in). */
static void site_fields(const MetricsProbe *probe, int units, const uint8_t *site, float *points, float *digits)
{
    const float *rf = metrics_receptive_field(probe);
    const uint8_t *driving = metrics_driving_digits(probe);
    double sum_points = 0.0, sum_digits = 0.0;
    int count = 0;
    for (int i = 0; i < units; i++) {
        if (!site[i] || !driving[i])
            continue;
        sum_points += rf[i];
        sum_digits += __builtin_popcount(driving[i]);
        count++;
    }
    *points = count ? (float)(sum_points / count) : 0.0f;
    *digits = count ? (float)(sum_digits / count) : 0.0f;
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

static size_t weight_count(const Model *model)
{
    return (size_t)model_unit_count(model) * (size_t)model_receptor_count(model);
}

/* Mean |w - reference| over all weights: how far the map has moved. */
static double weight_change(const Model *model, const float *reference)
{
    const float *w = model_weights(model);
    double sum = 0.0;
    for (size_t i = 0; i < weight_count(model); i++)
        sum += fabs((double)w[i] - (double)reference[i]);
    return sum / (double)weight_count(model);
}

/* Mean |w_early|: the labile part of the weights. */
static double early_magnitude(const Model *model)
{
    const float *e = model_early(model);
    double sum = 0.0;
    for (size_t i = 0; i < weight_count(model); i++)
        sum += fabs((double)e[i]);
    return sum / (double)weight_count(model);
}

/* A copy of the model's weights, or NULL. */
static float *weights_copy(const Model *model, char *err, size_t err_size)
{
    float *copy = malloc(weight_count(model) * sizeof *copy);
    if (!copy)
        snprintf(err, err_size, "out of memory for a copy of %zu weights", weight_count(model));
    else
        memcpy(copy, model_weights(model), weight_count(model) * sizeof *copy);
    return copy;
}

#define CANDIA_SHEET 16
#define CANDIA_HABIT_DAYS 12
#define CANDIA_HABIT_HOURS 2.0
#define CANDIA_DAYS 8
#define CANDIA_SESSION_INTERVAL_S 2.0   /* practice sampled at a note every 2 s */
#define CANDIA_EVERYDAY_INTERVAL_S 30.0 /* everyday use off-session, sampled: a touch every 30 s */
#define CANDIA_AWAKE_H 16.0

/* One day: a session of hours_practised of the session diet, the rest of the waking day with
 * everyday use sampled at a touch every everyday_interval_s, then a night asleep. */
static void live_day(Subject *s, const Diet *session, double hours_practised, double session_interval_s,
                     const Diet *everyday, double everyday_interval_s)
{
    int touches = (int)lround(hours_practised * HOUR_S / session_interval_s);
    practise(s, session, touches, session_interval_s);
    double rest_s = CANDIA_AWAKE_H * HOUR_S - touches * session_interval_s;
    practise(s, everyday, (int)(rest_s / everyday_interval_s), everyday_interval_s);
    model_elapse(s->model, DAY_S - CANDIA_AWAKE_H * HOUR_S, MODEL_ASLEEP);
}

/* ---- the experiments ---- */

static int run_baseline(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject s;
    if (subject_from_baseline(lab, &s, err, err_size) < 0)
        return -1;
    MapMetrics m = snapshot(&s, r, "baseline");
    int first_out_of_order = -1;
    for (int d = 0; d + 1 < METRICS_DIGITS && first_out_of_order < 0; d++)
        if (!(m.centroid_mm[d][0] < m.centroid_mm[d + 1][0]))
            first_out_of_order = d;
    check(r, first_out_of_order < 0, "D1..D5 centroids side by side in order",
          "centroids %.2f %.2f %.2f %.2f %.2f mm", m.centroid_mm[0][0], m.centroid_mm[1][0], m.centroid_mm[2][0],
          m.centroid_mm[3][0], m.centroid_mm[4][0]);
    float smallest_patch = 1.0f, largest_deviation = 0.0f;
    for (int d = 0; d < METRICS_DIGITS; d++) {
        smallest_patch = fminf(smallest_patch, m.largest_patch_fraction[d]);
        largest_deviation = fmaxf(largest_deviation, fabsf(m.area_fraction[d] - 0.20f));
    }
    check(r, smallest_patch >= 0.70f, "each digit's largest patch holds >= 70 % of its units", "smallest %.0f %%",
          100.0 * smallest_patch);
    check(r, largest_deviation <= 0.08f, "each area 20 +- 8 % of the sheet",
          "areas %.1f %.1f %.1f %.1f %.1f %%", 100.0 * m.area_fraction[0], 100.0 * m.area_fraction[1],
          100.0 * m.area_fraction[2], 100.0 * m.area_fraction[3], 100.0 * m.area_fraction[4]);
    /* no more multi-digit units than the steady state of everyday use (the overlap risk's
     * healthy reference, docs/model.md §4.7: 16-18 % at seeds 1-7) */
    check(r, m.multi_digit_fraction <= 0.25f, "multi-digit units <= 25 % (everyday use: 16-18 %)",
          "%.1f %%, overlap risk %.2f", 100.0 * m.multi_digit_fraction, m.overlap_risk);
    int split = 0;
    for (int d = 0; d < METRICS_DIGITS; d++)
        split += m.patches[d] != 1;
    check(r, split == 0 && m.order_index >= 0.9f, "each digit one patch, order index >= 0.9",
          "patches %d %d %d %d %d, order %.2f", m.patches[0], m.patches[1], m.patches[2], m.patches[3], m.patches[4],
          m.order_index);
    check(r, m.unresponsive_fraction <= 0.01f, "no more than 1 % of the sheet unresponsive", "%.1f %%",
          100.0 * m.unresponsive_fraction);
    snprintf(r->figure_title, sizeof r->figure_title, "area per digit (%% of the sheet)");
    static const char *const digit_names[METRICS_DIGITS] = {"D1", "D2", "D3", "D4", "D5"};
    for (int d = 0; d < METRICS_DIGITS; d++)
        bar(r, digit_names[d], 100.0 * m.area_fraction[d]);
    subject_free(&s);
    return 0;
}

/* Jenkins et al. (1990) trained their monkeys in daily sessions for weeks: here three weeks of
 * daily 2 h sessions, sampled like Candia's (synaptic scaling acts over hours of use, so an
 * expansion takes days, not one long session: docs/model.md §3.5). */
#define JENKINS_DAYS 21
#define JENKINS_SESSION_H 2.0

/* Jenkins et al. report the receptive fields recorded in the stimulated skin's representation:
 * here the sites that represented D2's tip before (D2's units centred in its distal third),
 * mapped again after. D2's sites further along the digit represent skin the disk never
 * touched; their fields grow as the tip takes their rows (docs/validation.md, jenkins1990). */
static int run_overstimulation(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject s;
    if (subject_from_baseline(lab, &s, err, err_size) < 0)
        return -1;
    const int units = model_unit_count(s.model);
    uint8_t *tip_sites = calloc((size_t)units, 1), *grown_sites = calloc((size_t)units, 1);
    if (!tip_sites || !grown_sites) {
        snprintf(err, err_size, "out of memory");
        free(tip_sites);
        free(grown_sites);
        subject_free(&s);
        return -1;
    }
    MapMetrics before = snapshot(&s, r, "baseline");
    const float tip_before = fingertip_share(&s, BIT(D2), tip_sites);
    float points_before, digits_before, points_after, digits_after, grown_points, grown_digits;
    site_fields(s.probe, units, tip_sites, &points_before, &digits_before);

    Diet diet, everyday;
    /* the everyday mix with D2's tip touched 3x as often again as D2 alone (the rotating disk
     * touched the distal segment): D2 4x each other digit */
    diet_mixed_use(&diet);
    diet_add_at(&diet, BIT(D2), 3.0f * diet.pattern[D2].weight, 0.0f, 0.2f);
    diet_mixed_use(&everyday);
    for (int day = 0; day < JENKINS_DAYS; day++)
        live_day(&s, &diet, JENKINS_SESSION_H, CANDIA_SESSION_INTERVAL_S, &everyday, CANDIA_EVERYDAY_INTERVAL_S);
    MapMetrics after = snapshot(&s, r, "D2 over-stimulated, three weeks");
    const float tip_after = fingertip_share(&s, BIT(D2), grown_sites);
    site_fields(s.probe, units, tip_sites, &points_after, &digits_after);
    site_fields(s.probe, units, grown_sites, &grown_points, &grown_digits);

    const float growth = tip_after / fmaxf(tip_before, 1e-6f);
    check(r, growth >= 2.0f, "the stimulated skin's (D2's tip) territory grows >= 2x",
          "%.1f %% -> %.1f %% of the sheet (%.2fx; all of D2 %.1f %% -> %.1f %%)", 100.0 * tip_before,
          100.0 * tip_after, growth, 100.0 * before.area_fraction[D2], 100.0 * after.area_fraction[D2]);
    check(r, points_after < points_before, "RFs at the sites of D2's tip shrink (receptor points)",
          "%.2f -> %.2f points (the whole grown territory: %.2f)", points_before, points_after, grown_points);
    /* a field spans at least one digit: where every one did before, "fewer" cannot hold */
    check(r, digits_after <= digits_before, "... and no more digits drive them", "%.3f -> %.3f digits (grown: %.3f)",
          digits_before, digits_after, grown_digits);
    snprintf(r->figure_title, sizeof r->figure_title, "D2's tip territory (%% of the sheet)");
    bar(r, "before", 100.0 * tip_before);
    bar(r, "after", 100.0 * tip_after);
    free(tip_sites);
    free(grown_sites);
    subject_free(&s);
    return 0;
}

static int run_syndactyly(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject s;
    if (subject_from_baseline(lab, &s, err, err_size) < 0)
        return -1;
    const int units = model_unit_count(s.model);
    MapMetrics before = snapshot(&s, r, "baseline");
    float multi_before = pair_multi_digit_share(s.probe, units, D3, D4);

    Diet glued, mixed;
    diet_glued(&glued, BIT(D3) | BIT(D4));
    diet_mixed_use(&mixed);
    practise(&s, &glued, 20000, TOUCH_INTERVAL_S);
    MapMetrics fused = snapshot(&s, r, "D3+D4 sewn together");
    float multi_fused = pair_multi_digit_share(s.probe, units, D3, D4);
    practise(&s, &mixed, 20000, TOUCH_INTERVAL_S);
    MapMetrics separated = snapshot(&s, r, "separated again");

    const float dice0 = before.overlap[D3][D4], dice1 = fused.overlap[D3][D4], dice2 = separated.overlap[D3][D4];
    const float border0 = before.border_sharpness[PAIR_D3_D4], border1 = fused.border_sharpness[PAIR_D3_D4],
                border2 = separated.border_sharpness[PAIR_D3_D4];
    check(r, multi_fused >= 0.30f && multi_fused >= 3.0f * multi_before,
          "share of D3/D4 units driven by both >= 30 % and >= 3x", "%.1f %% -> %.1f %%", 100.0 * multi_before,
          100.0 * multi_fused);
    check(r, dice1 >= 2.0f * dice0, "Dice D3-D4 at least doubles", "%.3f -> %.3f", dice0, dice1);
    check(r, border1 < 0.5f * border0 && border1 < 0.3f, "D3-D4 border sharpness < 0.3 and < half",
          "%.3f -> %.3f", border0, border1);
    check(r, fused.risk_pair == PAIR_D3_D4, "the overlap risk names D3-D4", "risk %.2f from %s", fused.overlap_risk,
          fused.risk_pair >= 0 ? metrics_pair_name(fused.risk_pair) : "no pair");
    check(r, dice2 < dice1 - 0.25f * (dice1 - dice0), "separation undoes >= 1/4 of the Dice rise",
          "Dice %.3f after separation (fused %.3f)", dice2, dice1);
    check(r, border2 > border1 + 0.1f, "separation sharpens the border by > 0.1", "border %.3f (fused %.3f)", border2,
          border1);
    snprintf(r->figure_title, sizeof r->figure_title, "Dice D3-D4");
    bar(r, "baseline", dice0);
    bar(r, "fused", dice1);
    bar(r, "separated", dice2);
    subject_free(&s);
    return 0;
}

/* Wang et al. (1995) trained their owl monkeys in daily sessions over weeks: here WANG_DAYS days
 * of a WANG_SESSION_H session each, everyday use in the rest of the waking day, nights asleep,
 * measured the morning after the last session (what the training left, not its labile part).
 * A trial every WANG_TRIAL_S: D2 and D3 together, or D2 then D3 (the same touches of each digit). */
#define WANG_DAYS 21
#define WANG_SESSION_H 1.0
#define WANG_TRIAL_S 2.0

static int run_wang(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject sync, alternating;
    if (subject_from_baseline(lab, &sync, err, err_size) < 0)
        return -1;
    if (subject_copy(&sync, (uint64_t)lab->seed + 2, &alternating, err, err_size) < 0) {
        subject_free(&sync);
        return -1;
    }
    snapshot(&sync, r, "baseline");
    Diet everyday, together, one_at_a_time;
    diet_mixed_use(&everyday);
    diet_only(&together, BIT(D2) | BIT(D3));
    diet_init(&one_at_a_time);
    diet_add(&one_at_a_time, BIT(D2), 1.0f);
    diet_add(&one_at_a_time, BIT(D3), 1.0f);
    for (int day = 0; day < WANG_DAYS; day++) {
        live_day(&sync, &together, WANG_SESSION_H, WANG_TRIAL_S, &everyday, CANDIA_EVERYDAY_INTERVAL_S);
        live_day(&alternating, &one_at_a_time, WANG_SESSION_H, 0.5 * WANG_TRIAL_S, &everyday,
                 CANDIA_EVERYDAY_INTERVAL_S);
    }
    MapMetrics s = snapshot(&sync, r, "synchronous D2+D3, three weeks");
    MapMetrics a = snapshot(&alternating, r, "alternating D2, D3, three weeks");
    check(r, s.overlap[D2][D3] >= a.overlap[D2][D3] + 0.2f, "Dice D2-D3 synchronous >= alternating + 0.2",
          "%.3f vs %.3f", s.overlap[D2][D3], a.overlap[D2][D3]);
    check(r, s.border_sharpness[PAIR_D2_D3] < a.border_sharpness[PAIR_D2_D3],
          "D2-D3 border less sharp after synchronous", "%.3f vs %.3f", s.border_sharpness[PAIR_D2_D3],
          a.border_sharpness[PAIR_D2_D3]);
    snprintf(r->figure_title, sizeof r->figure_title, "Dice D2-D3");
    bar(r, "synchronous", s.overlap[D2][D3]);
    bar(r, "alternating", a.overlap[D2][D3]);
    subject_free(&sync);
    subject_free(&alternating);
    return 0;
}

static int run_byl(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    ModelParams params;
    model_params_default(&params);
    params.inhibition_strength *= 0.5f; /* half the surround inhibition */
    Subject s;
    if (subject_create(lab, &params, &s, err, err_size) < 0)
        return -1;
    Diet mixed, grasp;
    diet_mixed_use(&mixed);
    diet_only(&grasp, 0x1Fu);
    practise(&s, &mixed, 5000, TOUCH_INTERVAL_S);
    MapMetrics before = snapshot(&s, r, "5,000 mixed touches");
    practise(&s, &grasp, 20000, TOUCH_INTERVAL_S);
    MapMetrics after = snapshot(&s, r, "20,000 grasps");
    float growth = after.rf_points_mean / fmaxf(before.rf_points_mean, 1e-6f);
    /* A grasp touches each digit at one place (about 3 of its 8 points), so a field grows by
     * whole digits, and a unit's afferents reach its own digit and the nearest neighbour
     * (arbor_reach 1, docs/model.md §3.7): a field can at most double, spanning 2 digits (1 at
     * the outer halves of D1 and D5, 1.8 on average over the sheet). Byl's 10-20x is an area on
     * the 2-D skin, which the digit lines cannot hold (docs/validation.md). */
    check(r, growth >= 1.5f, "mean receptive field grows >= 1.5x", "%.2f -> %.2f points (%.1fx)",
          before.rf_points_mean, after.rf_points_mean, growth);
    check(r, after.rf_digits_mean >= 1.6f, "fields span >= 1.6 digits on average (of at most 1.8)",
          "%.2f -> %.2f digits", before.rf_digits_mean, after.rf_digits_mean);
    check(r, after.multi_digit_fraction > 0.5f, "multi-digit units > 50 %", "%.1f %% -> %.1f %%",
          100.0 * before.multi_digit_fraction, 100.0 * after.multi_digit_fraction);
    check(r, after.overlap_risk >= 0.5f, "overlap risk >= 0.5", "%.2f -> %.2f", before.overlap_risk,
          after.overlap_risk);
    snprintf(r->figure_title, sizeof r->figure_title, "mean receptive field (points)");
    bar(r, "before", before.rf_points_mean);
    bar(r, "after", after.rf_points_mean);
    subject_free(&s);
    return 0;
}

/* Two copies of the baseline whose labile trace has faded (48 h awake), so that only what
 * the experiment adds is measured; reference receives their common weights. */
static int settled_pair(ExperimentLab *lab, Subject *a, Subject *b, float **reference, char *err, size_t err_size)
{
    if (subject_from_baseline(lab, a, err, err_size) < 0)
        return -1;
    if (subject_from_baseline(lab, b, err, err_size) < 0) {
        subject_free(a);
        return -1;
    }
    model_elapse(a->model, 48 * HOUR_S, MODEL_AWAKE);
    model_elapse(b->model, 48 * HOUR_S, MODEL_AWAKE);
    *reference = weights_copy(a->model, err, err_size);
    if (!*reference) {
        subject_free(a);
        subject_free(b);
        return -1;
    }
    return 0;
}

static int run_walker(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject awake, asleep;
    float *reference;
    if (settled_pair(lab, &awake, &asleep, &reference, err, err_size) < 0)
        return -1;
    snapshot(&awake, r, "before the block");
    Diet block;
    diet_overused(&block, D2, 4.0f);
    practise(&awake, &block, 4000, TOUCH_INTERVAL_S);
    practise(&asleep, &block, 4000, TOUCH_INTERVAL_S);
    double learned = weight_change(awake.model, reference);
    double early_before = early_magnitude(awake.model);

    model_elapse(awake.model, 0.5 * HOUR_S, MODEL_AWAKE);
    double early_30min = early_magnitude(awake.model);
    model_elapse(awake.model, 7.5 * HOUR_S, MODEL_AWAKE);
    model_elapse(asleep.model, 8 * HOUR_S, MODEL_ASLEEP);
    double kept_awake = weight_change(awake.model, reference), kept_asleep = weight_change(asleep.model, reference);
    snapshot(&awake, r, "8 h awake");
    snapshot(&asleep, r, "8 h asleep");
    check(r, early_before > 0.0 && early_30min < 0.8 * early_before, "the labile trace fades >= 20 % in 30 min awake",
          "mean |early| %.3g -> %.3g", early_before, early_30min);
    check(r, kept_asleep > 1.2 * kept_awake, "sleep keeps >= 1.2x the change 8 h awake keeps",
          "%.4f asleep vs %.4f awake (%.2fx)", kept_asleep, kept_awake, kept_asleep / fmax(kept_awake, 1e-12));
    check(r, kept_asleep < learned, "sleep keeps less than was learned", "%.4f of %.4f mean |dw|", kept_asleep,
          learned);
    snprintf(r->figure_title, sizeof r->figure_title, "mean |weight change| x 1000");
    bar(r, "learned", 1000.0 * learned);
    bar(r, "kept asleep", 1000.0 * kept_asleep);
    bar(r, "kept awake", 1000.0 * kept_awake);
    free(reference);
    subject_free(&awake);
    subject_free(&asleep);
    return 0;
}

static int run_spacing(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject massed, spaced;
    float *reference;
    if (settled_pair(lab, &massed, &spaced, &reference, err, err_size) < 0)
        return -1;
    snapshot(&massed, r, "before the blocks");
    Diet block;
    diet_overused(&block, D2, 4.0f);
    /* four 10-minute blocks: back to back, or two hours apart; then the same total time */
    for (int session = 0; session < 4; session++) {
        practise(&massed, &block, 2400, TOUCH_INTERVAL_S);
        practise(&spaced, &block, 2400, TOUCH_INTERVAL_S);
        model_elapse(spaced.model, 2 * HOUR_S, MODEL_AWAKE);
    }
    model_elapse(massed.model, 4 * 2 * HOUR_S, MODEL_AWAKE);
    model_elapse(massed.model, DAY_S, MODEL_AWAKE);
    model_elapse(spaced.model, DAY_S, MODEL_AWAKE);
    double kept_massed = weight_change(massed.model, reference), kept_spaced = weight_change(spaced.model, reference);
    snapshot(&massed, r, "massed, a day later");
    snapshot(&spaced, r, "spaced, a day later");
    check(r, kept_spaced > 1.1 * kept_massed, "spaced blocks keep >= 1.1x the change massed ones keep",
          "%.4f spaced vs %.4f massed (%.2fx)", kept_spaced, kept_massed, kept_spaced / fmax(kept_massed, 1e-12));
    snprintf(r->figure_title, sizeof r->figure_title, "kept mean |weight change| x 1000");
    bar(r, "spaced", 1000.0 * kept_spaced);
    bar(r, "massed", 1000.0 * kept_massed);
    free(reference);
    subject_free(&massed);
    subject_free(&spaced);
    return 0;
}

/* Candia 2002: a dystonia-like practice habit fuses D3 and D4; then 8 days either of
 * sensory-motor retuning (the other digits splinted: no input from them; D3 and D4 trained
 * one at a time) or of the usual practice with the habit (untreated). Waking hours off-session
 * carry sparse everyday use. On a 16 x 16 sheet with its own baseline, to keep 16 simulated
 * days cheap. */
/* Candia's day: sparse everyday use. */
static void practise_day(Subject *s, const Diet *session, double hours_practised, double session_interval_s,
                         const Diet *everyday)
{
    live_day(s, session, hours_practised, session_interval_s, everyday, CANDIA_EVERYDAY_INTERVAL_S);
}

static int run_candia(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = CANDIA_SHEET;
    Subject treated, untreated;
    if (subject_baseline(lab, &params, &treated, err, err_size) < 0)
        return -1;
    Diet everyday, habit;
    diet_mixed_use(&everyday);
    MapMetrics baseline = snapshot(&treated, r, "baseline (16 x 16)");
    /* the habit: D3 and D4 strike together in half of the notes of the daily practice */
    diet_mixed_use(&habit);
    float total = 0.0f;
    for (int i = 0; i < habit.count; i++)
        total += habit.pattern[i].weight;
    diet_add(&habit, BIT(D3) | BIT(D4), total);
    for (int day = 0; day < CANDIA_HABIT_DAYS; day++)
        practise_day(&treated, &habit, CANDIA_HABIT_HOURS, CANDIA_SESSION_INTERVAL_S, &everyday);
    MapMetrics affected = snapshot(&treated, r, "D3-D4 habit");
    if (subject_copy(&treated, (uint64_t)lab->seed + 2, &untreated, err, err_size) < 0) {
        subject_free(&treated);
        return -1;
    }

    /* the retuning: D1, D2, D5 splinted; sequential exercises of D3 and D4, one at a time */
    Diet exercises;
    diet_init(&exercises);
    diet_add(&exercises, BIT(D3), 1.0f);
    diet_add(&exercises, BIT(D4), 1.0f);
    static const double session_hours[CANDIA_DAYS] = {1.5, 2.0, 2.5, 2.0, 1.5, 2.0, 2.5, 2.0};
    for (int day = 0; day < CANDIA_DAYS; day++) {
        practise_day(&treated, &exercises, session_hours[day], CANDIA_SESSION_INTERVAL_S, &everyday);
        practise_day(&untreated, &habit, session_hours[day], CANDIA_SESSION_INTERVAL_S, &everyday);
    }
    MapMetrics after = snapshot(&treated, r, "after 8 days of retuning");
    MapMetrics control = snapshot(&untreated, r, "8 days of the habit");

    const float dice0 = baseline.overlap[D3][D4], dice1 = affected.overlap[D3][D4], dice2 = after.overlap[D3][D4],
                dice_control = control.overlap[D3][D4];
    check(r, dice1 >= 2.0f * dice0, "the habit at least doubles Dice D3-D4", "%.3f -> %.3f", dice0, dice1);
    check(r, dice2 <= dice1 - 0.5f * (dice1 - dice0), "retuning undoes >= half the Dice rise",
          "Dice %.3f after retuning (affected %.3f, baseline %.3f)", dice2, dice1, dice0);
    check(r, dice2 < dice_control - 0.1f, "retuned Dice < untreated Dice - 0.1", "%.3f vs %.3f untreated", dice2,
          dice_control);
    check(r, after.overlap_risk < affected.overlap_risk, "overlap risk falls", "%.2f -> %.2f (untreated %.2f)",
          affected.overlap_risk, after.overlap_risk, control.overlap_risk);
    float smallest_area = 1.0f;
    for (int d = 0; d < METRICS_DIGITS; d++)
        smallest_area = fminf(smallest_area, after.area_fraction[d]);
    check(r, smallest_area >= 0.05f, "every digit keeps >= 5 % of the sheet", "areas %.1f %.1f %.1f %.1f %.1f %%",
          100.0 * after.area_fraction[0], 100.0 * after.area_fraction[1], 100.0 * after.area_fraction[2],
          100.0 * after.area_fraction[3], 100.0 * after.area_fraction[4]);
    snprintf(r->figure_title, sizeof r->figure_title, "Dice D3-D4");
    bar(r, "baseline", dice0);
    bar(r, "habit", dice1);
    bar(r, "retuned", dice2);
    bar(r, "untreated", dice_control);
    subject_free(&treated);
    subject_free(&untreated);
    return 0;
}

/* Days of a model-v2 protocol: waking hours carry sampled everyday use (practise_day's touch
 * every 30 s), nights are asleep. */
#define LONG_RUN_DAYS 28

/* The map as a table row for the figure: one bar per digit's area. */
static void area_bars(ExperimentResult *r, const MapMetrics *m)
{
    static const char *const names[METRICS_DIGITS] = {"D1", "D2", "D3", "D4", "D5"};
    for (int d = 0; d < METRICS_DIGITS; d++)
        bar(r, names[d], 100.0 * m->area_fraction[d]);
}

/* Merzenich 1984: one middle digit's input removed for four weeks (its nerve cut, or the digit
 * amputated); the others in everyday use. */
static int run_merzenich(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject s;
    if (subject_from_baseline(lab, &s, err, err_size) < 0)
        return -1;
    MapMetrics before = snapshot(&s, r, "baseline");
    Diet everyday;
    everyday_diet(&everyday, BIT(D3), 0);
    for (int day = 0; day < LONG_RUN_DAYS; day++) {
        practise_day(&s, &everyday, 0.0, CANDIA_SESSION_INTERVAL_S, &everyday);
        if (day == 6)
            snapshot(&s, r, "D3 silent a week");
    }
    MapMetrics after = snapshot(&s, r, "D3 silent four weeks");
    const float d2_gain = after.area_fraction[D2] - before.area_fraction[D2];
    const float d4_gain = after.area_fraction[D4] - before.area_fraction[D4];
    check(r, after.area_fraction[D3] <= 0.02f, "D3's territory <= 2 % of the sheet", "%.1f %% -> %.1f %%",
          100.0 * before.area_fraction[D3], 100.0 * after.area_fraction[D3]);
    check(r, d2_gain >= 0.04f && d4_gain >= 0.04f, "both neighbours take it over: D2 and D4 each >= 4 points larger",
          "D2 %+.1f, D4 %+.1f points", 100.0 * d2_gain, 100.0 * d4_gain);
    check(r, after.unresponsive_fraction <= 0.10f, "<= 10 % of the sheet unresponsive", "%.1f %%",
          100.0 * after.unresponsive_fraction);
    snprintf(r->figure_title, sizeof r->figure_title, "area per digit after four weeks (%% of the sheet)");
    area_bars(r, &after);
    subject_free(&s);
    return 0;
}

/* The healthy control: four weeks of an adult's ordinary varied practice, 1.5 h a day at the
 * fingertips (single notes, neighbours together, chords, thumb and little finger), everyday
 * use in the other waking hours. The player already practises so: four weeks of the same days
 * come first (a map moving from everyday use's steady state to practice's takes about three
 * weeks, its risk rising by 0.02-0.05 and then flat for the next eight: 12-week runs at seeds
 * 2 and 3, docs/validation.md), so that a drift in the measured month is a drift. */
#define HEALTHY_RUN_IN_DAYS 28
#define HEALTHY_SHEET 32
#define HEALTHY_NOTE_INTERVAL_S 1.0     /* practice sampled at a note a second */
#define HEALTHY_EVERYDAY_INTERVAL_S 8.0 /* everyday use sampled at 450 touches an hour */
static int run_healthy_month(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = HEALTHY_SHEET;
    Subject s;
    if (subject_baseline(lab, &params, &s, err, err_size) < 0)
        return -1;
    snapshot(&s, r, "baseline");
    Diet practice, everyday;
    diet_init(&practice);
    for (int d = 0; d < METRICS_DIGITS; d++)
        diet_add_at(&practice, BIT(d), 0.70f / METRICS_DIGITS, 0.1f, 0.1f);
    for (int d = 0; d + 1 < METRICS_DIGITS; d++)
        diet_add_at(&practice, BIT(d) | BIT(d + 1), 0.10f / (METRICS_DIGITS - 1), 0.1f, 0.1f);
    static const unsigned chords[] = {0x15u, 0x0Bu, 0x1Au, 0x0Eu}; /* D1 D3 D5, D1 D2 D4, D2 D4 D5, D2 D3 D4 */
    for (int c = 0; c < 4; c++)
        diet_add_at(&practice, chords[c], 0.10f / 4, 0.1f, 0.1f);
    diet_add_at(&practice, BIT(0) | BIT(4), 0.10f, 0.1f, 0.1f);
    diet_mixed_use(&everyday);
    for (int day = 0; day < HEALTHY_RUN_IN_DAYS; day++)
        live_day(&s, &practice, 1.5, HEALTHY_NOTE_INTERVAL_S, &everyday, HEALTHY_EVERYDAY_INTERVAL_S);
    MapMetrics start = snapshot(&s, r, "the player's usual four weeks");
    double first_week = 0.0, last_week = 0.0;
    MapMetrics m = start;
    for (int day = 0; day < LONG_RUN_DAYS; day++) {
        live_day(&s, &practice, 1.5, HEALTHY_NOTE_INTERVAL_S, &everyday, HEALTHY_EVERYDAY_INTERVAL_S);
        m = measure(&s);
        if (day < 7)
            first_week += m.overlap_risk / 7.0;
        if (day >= LONG_RUN_DAYS - 7)
            last_week += m.overlap_risk / 7.0;
        if (day == 13)
            snapshot(&s, r, "two weeks more");
    }
    m = snapshot(&s, r, "four weeks more");
    int split = 0;
    for (int d = 0; d < METRICS_DIGITS; d++)
        split += m.patches[d] != 1;
    check(r, m.unresponsive_fraction <= 0.05f, "<= 5 % of the sheet unresponsive", "%.1f %%",
          100.0 * m.unresponsive_fraction);
    check(r, split == 0 && m.order_index >= 0.9f, "each digit one patch, order index >= 0.9",
          "patches %d %d %d %d %d, order %.2f", m.patches[0], m.patches[1], m.patches[2], m.patches[3], m.patches[4],
          m.order_index);
    check(r, fabsf(m.d1_d5_distance_mm - start.d1_d5_distance_mm) <= 0.15f * start.d1_d5_distance_mm,
          "D1-D5 distance within 15 % of its start", "%.2f -> %.2f mm", start.d1_d5_distance_mm, m.d1_d5_distance_mm);
    check(r, m.overlap_risk <= 0.15f && last_week <= first_week + 0.03,
          "overlap risk <= 0.15, last week's mean not above the first week's by > 0.03",
          "%.2f at the end; weekly means %.3f -> %.3f", m.overlap_risk, first_week, last_week);
    snprintf(r->figure_title, sizeof r->figure_title, "area per digit after four weeks (%% of the sheet)");
    area_bars(r, &m);
    subject_free(&s);
    return 0;
}

/* Pascual-Leone et al. (1995): a one-handed five-finger exercise, 2 h a day for five days.
 * The practised fingers' representation grew from day to day when mapped after the session and
 * had partly shrunk again by the next morning's map (a transient and a lasting part); a group
 * that did not practise did not change. Here the practised skin is the fingertips: their share
 * of the sheet is measured before and after each day's session. */
#define PASCUAL_LEONE_DAYS 5
#define PASCUAL_LEONE_SESSION_H 2.0
static int run_pascual_leone(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject player, control;
    if (subject_from_baseline(lab, &player, err, err_size) < 0)
        return -1;
    if (subject_copy(&player, (uint64_t)lab->seed + 2, &control, err, err_size) < 0) {
        subject_free(&player);
        return -1;
    }
    Diet exercise, everyday;
    diet_init(&exercise);
    for (int d = 0; d < METRICS_DIGITS; d++)
        diet_add_at(&exercise, BIT(d), 1.0f / METRICS_DIGITS, 0.0f, 0.2f);
    diet_mixed_use(&everyday);
    snapshot(&player, r, "before");
    const float start = fingertip_share(&player, ALL_DIGITS, NULL);
    float morning[PASCUAL_LEONE_DAYS], evening[PASCUAL_LEONE_DAYS];
    for (int day = 0; day < PASCUAL_LEONE_DAYS; day++) {
        measure(&player);
        morning[day] = fingertip_share(&player, ALL_DIGITS, NULL);
        int notes = (int)lround(PASCUAL_LEONE_SESSION_H * HOUR_S / CANDIA_SESSION_INTERVAL_S);
        practise(&player, &exercise, notes, CANDIA_SESSION_INTERVAL_S);
        if (day == 0)
            snapshot(&player, r, "after the first session");
        if (day == PASCUAL_LEONE_DAYS - 1)
            snapshot(&player, r, "after the fifth session");
        else
            measure(&player);
        evening[day] = fingertip_share(&player, ALL_DIGITS, NULL);
        double rest_s = CANDIA_AWAKE_H * HOUR_S - notes * CANDIA_SESSION_INTERVAL_S;
        practise(&player, &everyday, (int)(rest_s / CANDIA_EVERYDAY_INTERVAL_S), CANDIA_EVERYDAY_INTERVAL_S);
        model_elapse(player.model, DAY_S - CANDIA_AWAKE_H * HOUR_S, MODEL_ASLEEP);
        live_day(&control, &everyday, 0.0, CANDIA_SESSION_INTERVAL_S, &everyday, CANDIA_EVERYDAY_INTERVAL_S);
    }
    measure(&player);
    const float next_morning = fingertip_share(&player, ALL_DIGITS, NULL);
    measure(&control);
    const float control_end = fingertip_share(&control, ALL_DIGITS, NULL);
    const int last = PASCUAL_LEONE_DAYS - 1;
    check(r, evening[last] >= 1.15f * start, "after the fifth session the fingertips' territory is >= 1.15x its start",
          "%.1f %% -> %.1f %% of the sheet", 100.0 * start, 100.0 * evening[last]);
    check(r, evening[last] > evening[0], "it grows from the first session's map to the fifth's", "%.1f %% -> %.1f %%",
          100.0 * evening[0], 100.0 * evening[last]);
    int transient = 1;
    for (int day = 1; day < PASCUAL_LEONE_DAYS; day++)
        transient &= morning[day] < evening[day - 1];
    check(r, transient && next_morning < evening[last],
          "every morning's map is smaller than the evening's before (a transient part)",
          "day 5: %.1f %% before, %.1f %% after the session, %.1f %% the next morning", 100.0 * morning[last],
          100.0 * evening[last], 100.0 * next_morning);
    check(r, next_morning > start + 0.5f * (evening[0] - start), "part of it lasts: the morning after the fifth "
          "session keeps more than half the first session's growth", "%.1f %% (start %.1f %%, first session %.1f %%)",
          100.0 * next_morning, 100.0 * start, 100.0 * evening[0]);
    check(r, fabsf(control_end - start) <= 0.03f, "without practice it changes by <= 3 points",
          "%.1f %% -> %.1f %%", 100.0 * start, 100.0 * control_end);
    snprintf(r->figure_title, sizeof r->figure_title, "fingertips' territory (%% of the sheet)");
    bar(r, "start", 100.0 * start);
    bar(r, "day 1 after", 100.0 * evening[0]);
    bar(r, "day 5 before", 100.0 * morning[last]);
    bar(r, "day 5 after", 100.0 * evening[last]);
    bar(r, "day 6 before", 100.0 * next_morning);
    bar(r, "no practice", 100.0 * control_end);
    subject_free(&control);
    subject_free(&player);
    return 0;
}

/* Elbert et al. (1995): string players' left hand. Its fingers D2-D5 press the strings with
 * their tips for years, the thumb rests against the neck; the cortical response to the little
 * finger's tip was larger than in non-musicians, the thumb's hardly different, and the effect
 * larger the earlier the player had begun (before about 12). Here years are compressed into
 * ELBERT_DAYS days of daily practice from the adult baseline, by a player aged 8 and one aged
 * 20 at the start (the critical-period factor, docs/model.md), against a non-musician. */
#define ELBERT_DAYS 28
#define ELBERT_SESSION_H 1.5
#define ELBERT_EARLY_AGE 8.0f
#define ELBERT_LATE_AGE 20.0f
static int run_elbert(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject early, late, control;
    if (subject_from_baseline(lab, &control, err, err_size) < 0)
        return -1;
    if (subject_two_copies(&control, (uint64_t)lab->seed, &early, &late, err, err_size) < 0) {
        subject_free(&control);
        return -1;
    }
    model_set_controls(early.model, NAN, NAN, ELBERT_EARLY_AGE);
    model_set_controls(late.model, NAN, NAN, ELBERT_LATE_AGE);
    Diet strings, everyday;
    diet_init(&strings);
    for (int d = D2; d < METRICS_DIGITS; d++)
        diet_add_at(&strings, BIT(d), 0.85f / 4, 0.0f, 0.2f); /* a finger stops a string */
    diet_add_at(&strings, BIT(0), 0.15f, 0.5f, 0.8f);        /* the thumb against the neck */
    diet_mixed_use(&everyday);
    measure(&control);
    const float d5_start = fingertip_share(&control, BIT(4), NULL), d1_start = fingertip_share(&control, BIT(0), NULL);
    snapshot(&control, r, "start");
    for (int day = 0; day < ELBERT_DAYS; day++) {
        live_day(&early, &strings, ELBERT_SESSION_H, CANDIA_SESSION_INTERVAL_S, &everyday, CANDIA_EVERYDAY_INTERVAL_S);
        live_day(&late, &strings, ELBERT_SESSION_H, CANDIA_SESSION_INTERVAL_S, &everyday, CANDIA_EVERYDAY_INTERVAL_S);
        live_day(&control, &everyday, 0.0, CANDIA_SESSION_INTERVAL_S, &everyday, CANDIA_EVERYDAY_INTERVAL_S);
    }
    snapshot(&early, r, "began at 8");
    snapshot(&late, r, "began at 20");
    snapshot(&control, r, "non-musician");
    const float d5_early = fingertip_share(&early, BIT(4), NULL), d1_early = fingertip_share(&early, BIT(0), NULL);
    const float d5_late = fingertip_share(&late, BIT(4), NULL);
    const float d5_control = fingertip_share(&control, BIT(4), NULL), d1_control = fingertip_share(&control, BIT(0), NULL);
    check(r, d5_late >= d5_control + 0.01f && d5_early >= d5_control + 0.01f,
          "both players' little-finger tip territory exceeds the non-musician's by >= 1 point",
          "%.1f %% (from 8), %.1f %% (from 20), %.1f %% (non-musician; start %.1f %%)", 100.0 * d5_early,
          100.0 * d5_late, 100.0 * d5_control, 100.0 * d5_start);
    check(r, d5_early - d5_control >= 1.2f * (d5_late - d5_control), "the earlier start gives the larger effect (>= 1.2x)",
          "%+.1f against %+.1f points", 100.0 * (d5_early - d5_control), 100.0 * (d5_late - d5_control));
    check(r, fabsf(d1_early - d1_control) < d5_early - d5_control, "the thumb's tip changes less than the little finger's",
          "thumb %+.1f, little finger %+.1f points (thumb at the start %.1f %%)", 100.0 * (d1_early - d1_control),
          100.0 * (d5_early - d5_control), 100.0 * d1_start);
    snprintf(r->figure_title, sizeof r->figure_title, "little finger's tip territory (%% of the sheet)");
    bar(r, "start", 100.0 * d5_start);
    bar(r, "from 8", 100.0 * d5_early);
    bar(r, "from 20", 100.0 * d5_late);
    bar(r, "non-musician", 100.0 * d5_control);
    subject_free(&late);
    subject_free(&early);
    subject_free(&control);
    return 0;
}

/* Days of everyday use before the glue: the baseline is not yet at the steady state of
 * everyday use (docs/model.md §4.7: reached within a few days), and Kolasinski's participants
 * were. */
#define KOLASINSKI_SETTLE_DAYS 2

/* The glued hand's everyday use: everyday_diet's glue (every pattern touching D2 or D3 touches
 * both), and, if d4_with_d5, the paper's explanation of the off-target shift, a change of
 * co-use: with D2 and D3 moving as one, D4 moves with D5 instead of with D3. Modelling choice
 * (docs/validation.md): the touches D3 shared with D4 (D2+D3+D4 once glued) go to D4 with D5. */
static void diet_glued_index_middle(Diet *diet, int d4_with_d5)
{
    everyday_diet(diet, 0, BIT(D2) | BIT(D3));
    for (int i = 0; d4_with_d5 && i < diet->count; i++)
        if (diet->pattern[i].digits == (BIT(D2) | BIT(D3) | BIT(D4)))
            diet->pattern[i].digits = BIT(D4) | BIT(D5);
}

/* How much nearer D4's representation is to D5's than to D3's, in overlap: Dice D4-D5 minus
 * Dice D3-D4. */
static float d4_overlap_balance(const MapMetrics *m)
{
    return m->overlap[D4][D5] - m->overlap[D3][D4];
}

/* A day of everyday use from diet: 16 h awake at the model's everyday rate, 8 h asleep. */
static void everyday_day(Subject *s, const Diet *diet)
{
    const double interval_s = 3600.0 / model_get_params(s->model)->everyday_touches_per_hour;
    live_day(s, diet, 0.0, interval_s, diet, interval_s);
}

/* Kolasinski et al. (2016): the right index and middle fingers (D2, D3) glued together for
 * 24 h of daily life. 7 T fMRI found an off-target change in the fingers left free: the ring
 * finger's (D4) representation moved away from D3 and towards the little finger (D5), Dice
 * D3-D4 fell and Dice D4-D5 rose against two control sessions; no digit's area changed. */
static int run_kolasinski(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size)
{
    Subject glued, control, glue_only;
    if (subject_from_baseline(lab, &glued, err, err_size) < 0)
        return -1;
    Diet everyday;
    diet_mixed_use(&everyday);
    for (int day = 0; day < KOLASINSKI_SETTLE_DAYS; day++) /* a hand at the everyday steady state */
        everyday_day(&glued, &everyday);
    if (subject_two_copies(&glued, (uint64_t)lab->seed, &control, &glue_only, err, err_size) < 0) {
        subject_free(&glued);
        return -1;
    }
    Diet glued_use, glue_only_use;
    diet_glued_index_middle(&glued_use, 1);
    diet_glued_index_middle(&glue_only_use, 0);
    snapshot(&glued, r, "before (everyday use)");
    everyday_day(&glued, &glued_use);
    everyday_day(&control, &everyday);
    everyday_day(&glue_only, &glue_only_use);
    const MapMetrics c = snapshot(&control, r, "control, 24 h");
    const MapMetrics g = snapshot(&glued, r, "D2+D3 glued 24 h");
    const MapMetrics o = measure(&glue_only);
    everyday_day(&glued, &everyday);
    const MapMetrics u = snapshot(&glued, r, "unglued again 24 h");

    check(r, g.overlap[D4][D5] > c.overlap[D4][D5], "Dice D4-D5 after gluing > control's",
          "%.3f vs %.3f (unglued a day later %.3f)", g.overlap[D4][D5], c.overlap[D4][D5], u.overlap[D4][D5]);
    check(r, g.overlap[D3][D4] < c.overlap[D3][D4], "Dice D3-D4 after gluing < control's",
          "%.3f vs %.3f (unglued a day later %.3f)", g.overlap[D3][D4], c.overlap[D3][D4], u.overlap[D3][D4]);
    check(r, d4_overlap_balance(&g) > d4_overlap_balance(&o),
          "the shift comes from the co-use: glue alone moves D4 less towards D5",
          "Dice D4-D5 minus D3-D4: %+.3f glued, %+.3f glue alone, %+.3f control", d4_overlap_balance(&g),
          d4_overlap_balance(&o), d4_overlap_balance(&c));
    snprintf(r->figure_title, sizeof r->figure_title, "Dice 34: D3-D4, 45: D4-D5 (off: a day unglued)");
    bar(r, "34 ctl", c.overlap[D3][D4]);
    bar(r, "34 glued", g.overlap[D3][D4]);
    bar(r, "34 off", u.overlap[D3][D4]);
    bar(r, "45 ctl", c.overlap[D4][D5]);
    bar(r, "45 glued", g.overlap[D4][D5]);
    bar(r, "45 off", u.overlap[D4][D5]);
    subject_free(&glue_only);
    subject_free(&control);
    subject_free(&glued);
    return 0;
}

typedef int (*ExperimentFunction)(ExperimentLab *lab, ExperimentResult *r, char *err, size_t err_size);

typedef struct {
    ExperimentInfo info;
    ExperimentFunction run;
} Experiment;

static const Experiment EXPERIMENTS[] = {
    {{"baseline", "baseline map after everyday use",
      "Penfield & Boldrey 1937 (Brain 60:389-443); Merzenich et al. 1978 (J Comp Neurol 181:41-73)",
      "the default hand after 20,000 touches of everyday mixed use (each digit alone 90 % of touches, "
      "neighbouring pairs together 10 %), a touch every 0.25 s awake (83 min of model time)",
      "the digits are represented side by side in order D1..D5, each in one continuous territory, "
      "with few units answering more than one digit"},
     run_baseline},
    {{"jenkins1990", "over-stimulation of one digit expands its territory (Jenkins 1990, Xerri 1999)",
      "Jenkins, Merzenich, Ochs, Allard & Guic-Robles 1990 (J Neurophysiol 63:82-104); Xerri, Merzenich, "
      "Jenkins & Santucci 1999 (Cereb Cortex 9:264-276)",
      "from the baseline, three weeks of daily 2 h sessions (a touch every 2 s) of the everyday mix with D2's "
      "tip touched 3x as often again as D2 alone (D2 4x each other digit), everyday use for the rest of each "
      "waking day (a touch every 30 s) and nights asleep; receptive fields mapped before and after at the "
      "sites that represented D2's tip before",
      "the stimulated skin's cortical territory expands several-fold; receptive fields in the enlarged "
      "representation become smaller"},
     run_overstimulation},
    {{"clark1988", "sewn digits fuse their representations; separation restores a border (Clark 1988)",
      "Clark, Allard, Jenkins & Merzenich 1988 (Nature 332:444-445); Allard, Clark, Jenkins & Merzenich 1991 "
      "(J Neurophysiol 66:1048-1058); Mogilner et al. 1993 (PNAS 90:3593-3597)",
      "from the baseline, 20,000 touches (83 min) of everyday use in which any touch of D3 or D4 touches "
      "both; then 20,000 touches of ordinary everyday use (separated)",
      "after syndactyly receptive fields span both fused digits and the sharp border between them is "
      "gone; after surgical separation the digits' representations segregate again (within weeks in "
      "Mogilner's patients)"},
     run_syndactyly},
    {{"wang1995", "synchronous touches merge, alternating touches segregate (Wang 1995)",
      "Wang, Merzenich, Sameshima & Jenkins 1995 (Nature 378:71-75)",
      "two copies of the baseline, three weeks of a daily 1 h session, a trial every 2 s: D2 and D3 touched "
      "together, or D2 then D3 (the same number of touches of each digit); everyday use in the rest of each "
      "waking day (a touch every 30 s), nights asleep; mapped the morning after the last session",
      "synchronous stimulation of two digits gives receptive fields spanning both and merged "
      "representations; asynchronous stimulation of the same skin keeps them segregated with a sharp border"},
     run_wang},
    {{"byl1996", "repetitive synchronous grasping de-differentiates the hand map (Byl 1996)",
      "Byl, Merzenich & Jenkins 1996 (Neurology 47:508-520)",
      "a hand with half the default surround inhibition: 5,000 everyday touches (21 min), then 20,000 "
      "grasps touching all five digits at once (83 min)",
      "receptive fields 10-20x larger than normal, many spanning several digits; the border between "
      "digit representations breaks down (a model of focal hand dystonia)"},
     run_byl},
    {{"candia2002", "sensory-motor retuning lowers an induced overlap (Candia 2002)",
      "Candia, Schafer, Taub, Rau, Altenmuller, Rockstroh & Elbert 2002 (Arch Phys Med Rehabil 83:1342-1348); "
      "Candia et al. 2003 (PNAS 100:7942-7946)",
      "on a 16 x 16 sheet, the baseline's 20,000 everyday touches; then a dystonia-like habit: 8 days of 2 h "
      "practice in which D3 and D4 strike together in half the notes; then 8 days of retuning: D1, D2 and "
      "D5 splinted (no input), D3 and D4 exercised one at a time, 1.5-2.5 h a day (16 h in all); control: "
      "8 days more of the habit's practice for the same hours. Practice is sampled at a note every 2 s, "
      "everyday use in the other waking hours at a touch every 30 s, 8 h asleep each night",
      "splinting the compensating fingers and training the dystonic ones individually for 1.5-2.5 h a "
      "day over 8 days improved motor control in pianists and guitarists with focal dystonia; MEG "
      "(Candia 2003) showed the affected hemisphere's digit map moving towards normal"},
     run_candia},
    {{"walker2002", "sleep consolidates practice more than wake (Walker 2002)",
      "Walker, Brakefield, Morgan, Hobson & Stickgold 2002 (Neuron 35:205-211)",
      "two copies of the baseline rested 48 h awake; 4,000 touches (17 min) with D2 emphasised 4x; then 8 h "
      "awake or 8 h asleep",
      "a night of sleep improved a motor sequence skill by about 20 % while the same hours awake gave no "
      "significant gain"},
     run_walker},
    {{"spacing", "spaced practice keeps more than massed practice",
      "Shea, Lai, Black & Park 2000 (Hum Mov Sci 19:737-760); mechanism: Frey & Morris 1997 (Nature 385:533-536)",
      "two copies of the baseline rested 48 h awake; four 10-minute blocks (2,400 touches each) with D2 "
      "emphasised, back to back or 2 h apart; then the same total time and a day awake",
      "distributing the same practice over sessions retains more than massing it in one session"},
     run_spacing},
    {{"merzenich1984", "a silenced digit's territory is taken over by both neighbours (Merzenich 1984)",
      "Merzenich, Nelson, Stryker, Cynader, Schoppmann & Zook 1984 (J Comp Neurol 224:591-605)",
      "from the baseline, four weeks in which D3 gives no input; the other digits in everyday use (a touch "
      "every 30 s of the 16 waking hours, sampled), 8 h asleep each night",
      "after digit amputation in adult owl monkeys the cortical territory of the lost digit was taken over "
      "within weeks by the representations of both neighbouring digits, leaving little or no silent cortex"},
     run_merzenich},
    {{"pascual_leone1995", "daily practice grows the practised skin's territory, partly for the day only (Pascual-Leone 1995)",
      "Pascual-Leone, Nguyet, Cohen, Brasil-Neto, Cammarota & Hallett 1995 (J Neurophysiol 74:1037-1045)",
      "from the baseline, five days of a 2 h five-finger exercise at the fingertips (a note every 2 s), "
      "everyday use in the rest of each waking day (a touch every 30 s), nights asleep; the fingertips' "
      "territory measured before and after each session; a copy without practice as the control",
      "the practised fingers' representation enlarges from day to day when mapped after practice and is "
      "smaller again before the next day's practice; no change without practice"},
     run_pascual_leone},
    {{"elbert1995", "string players' practised fingers gain territory, more after an early start (Elbert 1995)",
      "Elbert, Pantev, Wienbruch, Rockstroh & Taub 1995 (Science 270:305-307)",
      "from the baseline, 28 days (years compressed) of a daily 1.5 h of the left hand's string playing "
      "(D2-D5 stopping strings with their tips, the thumb against the neck; a note every 2 s) and everyday "
      "use, by a player aged 8 and one aged 20; a non-musician has everyday use only",
      "the cortical response to the little finger is larger in string players than in non-musicians, the "
      "thumb's hardly different; the effect is larger the earlier the player began"},
     run_elbert},
    {{"healthy_month", "four weeks of ordinary varied practice keep a healthy map (control)",
      "a control for the model itself: ordinary practice should neither fragment nor merge a healthy map "
      "(Elbert et al. 1995 and 1998: musicians' maps stay ordered)",
      "the baseline's 20,000 everyday touches; then days of 1.5 h of fingertip practice (single notes 70 %, "
      "neighbours together 10 %, chords of three 10 %, thumb and little finger 10 %, sampled at a note a "
      "second) and everyday use in the other waking hours (sampled, 450 touches an hour), 8 h asleep each "
      "night: four weeks of them (the player's usual practice), then four weeks measured",
      "the digits stay in order, each in one territory, no cortex falls silent and the overlap risk stays "
      "at its healthy level"},
     run_healthy_month},
    {{"kolasinski2016", "24 h of gluing D2 and D3: D4 overlaps D5 more, D3 less (Kolasinski 2016)",
      "Kolasinski, Makin, Logan, Jbabdi, Clare, Stagg & Johansen-Berg 2016 (eLife 5:e17280)",
      "from the baseline, two days of everyday use (16 h awake at the model's everyday rate, 900 touches an "
      "hour, 8 h asleep); then a day of everyday use with D2 and D3 glued (every touch of one touches both) and D4 moving with D5 "
      "where it moved with D3; a control copy has a day of ordinary everyday use, a third copy the glue "
      "without the change of co-use; then the glued hand a day unglued",
      "after 24 h of D2 and D3 glued together the representation of the free ring finger (D4) shifted "
      "away from D3 and towards the little finger (D5): cortical overlap D3-D4 fell and D4-D5 rose "
      "against control sessions, with no change in the digits' areas; temporal-order discrimination "
      "of D4-D5 got worse"},
     run_kolasinski},
};

#define EXPERIMENT_COUNT ((int)(sizeof EXPERIMENTS / sizeof EXPERIMENTS[0]))

int experiment_count(void)
{
    return EXPERIMENT_COUNT;
}

const ExperimentInfo *experiment_info(int index)
{
    return index >= 0 && index < EXPERIMENT_COUNT ? &EXPERIMENTS[index].info : NULL;
}

int experiment_find(const char *name)
{
    for (int i = 0; i < EXPERIMENT_COUNT; i++)
        if (strcmp(EXPERIMENTS[i].info.name, name) == 0)
            return i;
    return -1;
}

ExperimentLab *experiment_lab_create(uint32_t seed, char *err, size_t err_size)
{
    ExperimentLab *lab = calloc(1, sizeof *lab);
    if (!lab) {
        snprintf(err, err_size, "out of memory for an experiment lab");
        return NULL;
    }
    lab->seed = seed;
    if (lab_train_baseline(lab, err, err_size) < 0) {
        free(lab);
        return NULL;
    }
    return lab;
}

void experiment_lab_free(ExperimentLab *lab)
{
    if (!lab)
        return;
    free(lab->baseline);
    free(lab);
}

int experiment_run(ExperimentLab *lab, int index, ExperimentResult *result, char *err, size_t err_size)
{
    memset(result, 0, sizeof *result);
    if (index < 0 || index >= EXPERIMENT_COUNT) {
        snprintf(err, err_size, "no experiment %d (there are %d)", index, EXPERIMENT_COUNT);
        return -1;
    }
    result->info = &EXPERIMENTS[index].info;
    result->seed = lab->seed;
    if (EXPERIMENTS[index].run(lab, result, err, err_size) < 0) {
        experiment_result_free(result);
        return -1;
    }
    result->passed = result->check_count > 0;
    for (int i = 0; i < result->check_count; i++)
        result->passed = result->passed && result->check[i].passed;
    return 0;
}

void experiment_result_free(ExperimentResult *result)
{
    for (int i = 0; i < result->map_count; i++) {
        free(result->map[i].preferred);
        free(result->map[i].selectivity);
        result->map[i].preferred = NULL;
        result->map[i].selectivity = NULL;
    }
    result->map_count = 0;
}
