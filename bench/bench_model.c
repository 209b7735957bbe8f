/* bench-model: how long one hand's model takes per stimulus (settle + learn), split into
 * drive, settling steps and learning; how long the map metrics take; and how much memory a
 * hand needs. Figures are printed for reading, never asserted (DESIGN.md section 7).
 *
 * Stimuli are drawn before timing from the model's skin: random single-digit touches for the
 * hand configurations, uniform random points for the published reference set-up. Each figure
 * is the mean over several runs after a warm-up, with the fastest run beside it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"
#include "model.h"

#define STIMULUS_POOL 256   /* distinct stimuli cycled through while timing */
#define RUNS 5              /* timed runs per figure; the mean and the fastest run are shown */
#define WARMUP_S 0.15       /* untimed work before the runs (caches, branch predictors) */
#define RUN_S 0.5           /* target duration of one timed run of model_present */
#define SPLIT_RUN_S 0.3     /* target duration of one timed run of the split */
#define METRICS_RUN_S 0.25  /* target duration of one timed run of metrics_compute */
#define CREATE_REPEATS 20   /* metrics_probe_create calls timed */

typedef struct {
    const char *name;
    int reference; /* 1: model_params_reference, 0: model_params_default */
    int sheet_size;
} BenchConfig;

static const BenchConfig CONFIGS[] = {
    {"default", 0, 16},
    {"default", 0, 32},
    {"default", 0, 64},
    {"reference", 1, 32},
};
#define CONFIG_COUNT (sizeof CONFIGS / sizeof CONFIGS[0])

/* Mean and fastest run, both in microseconds per item. */
typedef struct {
    double mean_us, min_us;
} Timing;

typedef struct {
    Timing present, begin, run, finish, metrics_compute;
    double metrics_create_us;
    int metrics_valid;
    double step_us; /* settle run time / settle steps */
    size_t bytes_weights, bytes_scratch, bytes_total;
    int units, receptors, steps, per_run;
} BenchResult;

/* CPU time of this thread: on a machine shared with other work, wall time counts theirs. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void make_stimuli(const Model *model, int reference, float *pool, Rng *rng)
{
    const Skin *skin = model_skin(model);
    const int receptors = model_receptor_count(model);
    for (int i = 0; i < STIMULUS_POOL; i++) {
        float *s = pool + (size_t)i * (size_t)receptors;
        skin_clear(skin, s);
        if (reference) {
            float x = rng_uniform(rng), y = rng_uniform(rng);
            skin_touch_at(skin, s, x, y, 1.0f);
        } else {
            int digit = (int)rng_below(rng, SKIN_DIGITS);
            float along = rng_uniform(rng);
            float velocity = 0.5f + 0.5f * rng_uniform(rng);
            skin_touch_digit(skin, s, digit, along, velocity);
        }
    }
}

static Model *make_model(const BenchConfig *config)
{
    ModelParams params;
    if (config->reference)
        model_params_reference(&params);
    else
        model_params_default(&params);
    params.sheet_size = config->sheet_size;
    char err[256];
    Model *model = model_create(&params, err, sizeof err);
    if (!model)
        fprintf(stderr, "bench-model: %s %dx%d: %s\n", config->name, config->sheet_size,
                config->sheet_size, err);
    return model;
}

/* Runs of `count` presentations; returns the mean and fastest microseconds per stimulus. */
static Timing time_present(Model *model, const float *pool, int receptors, int count, int *cursor)
{
    double total = 0.0, best = INFINITY;
    for (int run = 0; run < RUNS; run++) {
        double start = now_s();
        for (int i = 0; i < count; i++) {
            model_present(model, pool + (size_t)(*cursor) * (size_t)receptors);
            *cursor = (*cursor + 1) % STIMULUS_POOL;
        }
        double per = (now_s() - start) / count;
        total += per;
        if (per < best)
            best = per;
    }
    return (Timing){1e6 * total / RUNS, 1e6 * best};
}

/* The same work through model_settle_begin / run / finish, each phase timed on its own. */
static void time_split(Model *model, const float *pool, int receptors, int count, int *cursor,
                       BenchResult *result)
{
    double sum[3] = {0.0, 0.0, 0.0}, best[3] = {INFINITY, INFINITY, INFINITY};
    for (int run = 0; run < RUNS; run++) {
        double phase[3] = {0.0, 0.0, 0.0};
        for (int i = 0; i < count; i++) {
            const float *s = pool + (size_t)(*cursor) * (size_t)receptors;
            *cursor = (*cursor + 1) % STIMULUS_POOL;
            double t0 = now_s();
            model_settle_begin(model, s);
            double t1 = now_s();
            while (model_settle_run(model, result->steps) > 0)
                ;
            double t2 = now_s();
            model_settle_finish(model);
            double t3 = now_s();
            phase[0] += t1 - t0;
            phase[1] += t2 - t1;
            phase[2] += t3 - t2;
        }
        for (int k = 0; k < 3; k++) {
            double per = phase[k] / count;
            sum[k] += per;
            if (per < best[k])
                best[k] = per;
        }
    }
    Timing *out[3] = {&result->begin, &result->run, &result->finish};
    for (int k = 0; k < 3; k++)
        *out[k] = (Timing){1e6 * sum[k] / RUNS, 1e6 * best[k]};
    result->step_us = result->run.mean_us / result->steps;
}

static void time_metrics(const Model *model, BenchResult *result)
{
    double start = now_s();
    MetricsProbe *probes[CREATE_REPEATS];
    for (int i = 0; i < CREATE_REPEATS; i++)
        probes[i] = metrics_probe_create(model);
    result->metrics_create_us = 1e6 * (now_s() - start) / CREATE_REPEATS;
    for (int i = 1; i < CREATE_REPEATS; i++)
        metrics_probe_free(probes[i]);
    MetricsProbe *probe = probes[0];
    if (!probe) {
        result->metrics_valid = -1;
        return;
    }
    MapMetrics metrics;
    start = now_s();
    int warm = 0;
    while (now_s() - start < WARMUP_S / 3 || warm < 2) {
        metrics_compute(probe, model, &metrics);
        warm++;
    }
    double per_call = (now_s() - start) / warm;
    int count = (int)(METRICS_RUN_S / per_call);
    if (count < 1)
        count = 1;
    double total = 0.0, best = INFINITY;
    for (int run = 0; run < RUNS; run++) {
        double t0 = now_s();
        for (int i = 0; i < count; i++)
            metrics_compute(probe, model, &metrics);
        double per = (now_s() - t0) / count;
        total += per;
        if (per < best)
            best = per;
    }
    result->metrics_compute = (Timing){1e6 * total / RUNS, 1e6 * best};
    result->metrics_valid = metrics.valid;
    metrics_probe_free(probe);
}

/* Memory as model_create allocated it (model_heap_bytes): the weights and their early part,
 * the struct (skin layout, parameters, scalars), and the rest: per-unit arrays, the lateral
 * kernels' factors, the settle's deferral history and bookkeeping. */
static void measure_memory(const Model *model, BenchResult *result)
{
    const size_t units = (size_t)model_unit_count(model), receptors = (size_t)model_receptor_count(model);
    result->bytes_weights = 2u * units * receptors * sizeof(float);
    result->bytes_total = model_heap_bytes(model);
    result->bytes_scratch = result->bytes_total - result->bytes_weights;
}

static int bench_config(const BenchConfig *config, BenchResult *result)
{
    memset(result, 0, sizeof *result);
    Model *model = make_model(config);
    if (!model)
        return -1;
    const int receptors = model_receptor_count(model);
    result->units = model_unit_count(model);
    result->receptors = receptors;
    result->steps = model_get_params(model)->settle_steps;
    measure_memory(model, result);

    float *pool = malloc((size_t)STIMULUS_POOL * (size_t)receptors * sizeof *pool);
    if (!pool) {
        model_free(model);
        return -1;
    }
    Rng rng;
    rng_seed(&rng, 2012u + (uint64_t)config->sheet_size);
    make_stimuli(model, config->reference, pool, &rng);

    /* warm-up, which also sizes the runs */
    int cursor = 0, warm = 0;
    double start = now_s();
    while (now_s() - start < WARMUP_S || warm < 10) {
        model_present(model, pool + (size_t)cursor * (size_t)receptors);
        cursor = (cursor + 1) % STIMULUS_POOL;
        warm++;
    }
    double per_stimulus = (now_s() - start) / warm;
    int count = (int)(RUN_S / per_stimulus);
    int split_count = (int)(SPLIT_RUN_S / per_stimulus);
    result->per_run = count > 10 ? count : 10;

    result->present = time_present(model, pool, receptors, result->per_run, &cursor);
    time_split(model, pool, receptors, split_count > 10 ? split_count : 10, &cursor, result);
    time_metrics(model, result);

    free(pool);
    model_free(model);
    return 0;
}

static void format_bytes(size_t bytes, char *text, size_t size)
{
    if (bytes >= 1024u * 1024u)
        snprintf(text, size, "%.2f MiB", (double)bytes / (1024.0 * 1024.0));
    else
        snprintf(text, size, "%.1f KiB", (double)bytes / 1024.0);
}

int main(void)
{
    BenchResult results[CONFIG_COUNT];
    double start = now_s();
    for (size_t c = 0; c < CONFIG_COUNT; c++)
        if (bench_config(&CONFIGS[c], &results[c]) != 0)
            return 1;

    printf("Homunculus model benchmark: one hand, one core, microseconds of CPU time per stimulus\n");
    printf("(mean of %d runs after a warm-up; 'min' = fastest run)\n\n", RUNS);
    printf("%-10s %5s %6s %5s %8s | %10s %10s | %9s %9s %9s %8s\n", "config", "sheet", "units",
           "recep", "steps", "present", "min", "drive", "settle", "learn", "/step");
    printf("%-10s %5s %6s %5s %8s | %10s %10s | %9s %9s %9s %8s\n", "", "", "", "", "", "us",
           "us", "us", "us", "us", "us");
    for (size_t c = 0; c < CONFIG_COUNT; c++) {
        const BenchResult *r = &results[c];
        char sheet[16];
        snprintf(sheet, sizeof sheet, "%dx%d", CONFIGS[c].sheet_size, CONFIGS[c].sheet_size);
        printf("%-10s %5s %6d %5d %8d | %10.1f %10.1f | %9.1f %9.1f %9.1f %8.2f\n", CONFIGS[c].name,
               sheet, r->units, r->receptors, r->steps, r->present.mean_us, r->present.min_us,
               r->begin.mean_us, r->run.mean_us, r->finish.mean_us, r->step_us);
    }
    printf("\ndrive = model_settle_begin (clamp, input drive, field reset); settle = all Euler steps\n"
           "(model_settle_run); learn = model_settle_finish (learning and homeostasis).\n");

    printf("\nMetrics (metrics_probe_create once, metrics_compute per snapshot)\n");
    printf("%-10s %5s | %12s | %12s %12s\n", "config", "sheet", "create us", "compute us", "min us");
    for (size_t c = 0; c < CONFIG_COUNT; c++) {
        const BenchResult *r = &results[c];
        char sheet[16];
        snprintf(sheet, sizeof sheet, "%dx%d", CONFIGS[c].sheet_size, CONFIGS[c].sheet_size);
        if (r->metrics_valid < 0)
            printf("%-10s %5s | %12s |\n", CONFIGS[c].name, sheet, "failed");
        else
            printf("%-10s %5s | %12.1f | %12.1f %12.1f%s\n", CONFIGS[c].name, sheet,
                   r->metrics_create_us, r->metrics_compute.mean_us, r->metrics_compute.min_us,
                   r->metrics_valid ? "" : "  (no digits: not a hand layout)");
    }

    printf("\nMemory per hand, as model_create allocated it (model_heap_bytes; metrics probe not\n"
           "included): weights = units x receptors x 2 floats (w and its early part); the rest =\n"
           "the per-unit arrays, the kernels' n x n factors, the settle's deferral history (32 sheets\n"
           "of terms) and bookkeeping, the skin layout, parameters and scalars\n");
    printf("%-10s %5s | %12s %12s | %12s\n", "config", "sheet", "weights", "the rest", "total");
    for (size_t c = 0; c < CONFIG_COUNT; c++) {
        const BenchResult *r = &results[c];
        char sheet[16], w[32], s[32], t[32];
        snprintf(sheet, sizeof sheet, "%dx%d", CONFIGS[c].sheet_size, CONFIGS[c].sheet_size);
        format_bytes(r->bytes_weights, w, sizeof w);
        format_bytes(r->bytes_scratch, s, sizeof s);
        format_bytes(r->bytes_total, t, sizeof t);
        printf("%-10s %5s | %12s %12s | %12s  (%zu bytes)\n", CONFIGS[c].name, sheet, w, s, t, r->bytes_total);
    }
    printf("\nThe same work in NumPy (the published algorithm): bench/reference_numpy.py\n");
    printf("\nbench time %.1f s\n", now_s() - start);
    return 0;
}
