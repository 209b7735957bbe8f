/* bench_simulate: how fast the simulated player practises (practice hours per minute on one
 * core, full resolution and --fast), how close --fast comes to full resolution on a long
 * schedule, and the sweep speed-up with two threads. Prints figures; asserts nothing.
 *   bench-simulate [--quick | --speed]
 *   bench-simulate --month
 *   valgrind --tool=callgrind bench-simulate --day
 *   bench-simulate --speed|--month|--day --lanes 8
 * --quick: shorter runs, for a smoke test; --speed: only the full-resolution speed, the
 * best of three one-hour runs (for a loaded machine, where the best run shows the code);
 * --month: the same on issue 16's target run, a month of 1.5 h a day of the five kinds
 * with the everyday background (least CPU time of three runs); --day: one run of the day the
 * instruction counts in docs/schedules.md are taken on (15 minutes of the five kinds and 2
 * hours of everyday use), to be run under callgrind. --lanes N holds the models to vectors of N
 * floats (8: a machine with AVX but not AVX-512; the same results, model_limit_lanes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schedule.h"
#include "simulate.h"

static double now_s(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Writes a schedule of days days with hours_per_day of practice (default tempo: 0.15 s
 * steps, the five kinds a practising pianist mixes) and everyday_hours of everyday use a day
 * (negative: the default, the whole waking day) and loads it. */
static void practice_schedule(Schedule *s, int days, double hours_per_day, double everyday_hours)
{
    char path[] = "/tmp/bench-simulate-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    double block_min = hours_per_day * 60.0 / 5.0;
    fprintf(f, "[player]\nhands = right\nseed = 1\n[calendar]\ndays = %d\n[measure]\nsessions = yes\n"
               "[session]\nat = 08:00\n",
            days);
    if (everyday_hours >= 0.0)
        fprintf(f, "[everyday]\nhours = %g\n", everyday_hours);
    const char *kinds[5] = {"scale", "arpeggio", "five_finger", "random", "trill"};
    for (int k = 0; k < 5; k++)
        fprintf(f, "[exercise]\nkind = %s\nduration = %.3f min\n", kinds[k], block_min);
    fclose(f);
    char err[1600];
    if (schedule_load(path, s, err, sizeof err) != 0) {
        fprintf(stderr, "bench-simulate: %s\n", err);
        exit(1);
    }
    remove(path);
}

typedef struct {
    double wall_s, cpu_s, practice_h;
    SimResult result;
} Timed;

/* --lanes N (0: the widest this machine runs) */
static int bench_lanes;

static Timed timed_run_seeded(const Schedule *s, int fast_factor, uint32_t seed)
{
    SimOptions o;
    simulate_options_default(&o);
    o.fast_factor = fast_factor;
    o.lanes = bench_lanes;
    o.has_seed = seed != 0;
    o.seed = seed;
    Timed t;
    char err[300];
    double wall = now_s(CLOCK_MONOTONIC), cpu = now_s(CLOCK_THREAD_CPUTIME_ID);
    if (simulate_run(s, &o, &t.result, err, sizeof err) != 0) {
        fprintf(stderr, "bench-simulate: %s\n", err);
        exit(1);
    }
    t.wall_s = now_s(CLOCK_MONOTONIC) - wall;
    t.cpu_s = now_s(CLOCK_THREAD_CPUTIME_ID) - cpu;
    t.practice_h = t.result.points[t.result.count - 1].practice_h;
    return t;
}

static Timed timed_run(const Schedule *s, int fast_factor) { return timed_run_seeded(s, fast_factor, 0); }

#define HEADLINES 6

/* The right hand's final headline metrics averaged over runs. */
static void headlines(const SimResult *runs, int count, double *out)
{
    memset(out, 0, HEADLINES * sizeof *out);
    for (int i = 0; i < count; i++) {
        const MapMetrics *m = &runs[i].points[runs[i].count - 1].map[0];
        double values[HEADLINES] = {m->rf_points_mean, m->multi_digit_fraction, m->overlap_risk,
                                    m->d1_d5_distance_mm, m->area_fraction[0], m->area_fraction[2]};
        for (int q = 0; q < HEADLINES; q++)
            out[q] += values[q] / count;
    }
}

/* Prints how far b's mean headline metrics are from a's: relative to the value, or for
 * fractions in 0..1 (multi-digit share, risk) in points of that scale. */
static void report_difference(const char *title, const SimResult *a, int a_count, const SimResult *b, int b_count)
{
    static const char *const names[HEADLINES] = {"RF points", "multi-digit", "risk", "D1-D5 mm", "area D1",
                                                 "area D3"};
    static const int absolute[HEADLINES] = {0, 1, 1, 0, 0, 0};
    double x[HEADLINES], y[HEADLINES], worst = 0.0;
    headlines(a, a_count, x);
    headlines(b, b_count, y);
    printf("    %-28s", title);
    for (int q = 0; q < HEADLINES; q++) {
        double d = absolute[q] ? fabs(x[q] - y[q]) : fabs(x[q] - y[q]) / fmax(fabs(x[q]), 1e-9);
        worst = fmax(worst, d);
        printf(" %s %.3f/%.3f", names[q], x[q], y[q]);
    }
    printf("  -> largest difference %.1f %%\n", 100.0 * worst);
}

/* The full-resolution speed alone: the best of three runs of days days of hours_per_day's
 * practice (the everyday background on, as schedules have it by default). */
static void speed_only(int days, double hours_per_day)
{
    Schedule hour;
    practice_schedule(&hour, days, hours_per_day, -1.0);
    double best_cpu = INFINITY, practice_h = 0.0;
    uint64_t stimuli = 0;
    for (int run = 0; run < 3; run++) {
        Timed t = timed_run(&hour, 1);
        if (t.cpu_s < best_cpu)
            best_cpu = t.cpu_s;
        practice_h = t.practice_h;
        stimuli = t.result.points[t.result.count - 1].stimuli[HAND_RIGHT];
        simulate_result_free(&t.result);
    }
    printf("  full resolution, best of 3: %.2f practice h (%llu stimuli) in %.2f s CPU: %.1f practice h per CPU "
           "minute, %.1f us per stimulus\n",
           practice_h, (unsigned long long)stimuli, best_cpu, practice_h * 60.0 / best_cpu,
           1e6 * best_cpu / (double)stimuli);
    schedule_free(&hour);
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    if (argc > 3 && strcmp(argv[2], "--lanes") == 0)
        bench_lanes = atoi(argv[3]);
    printf("bench-simulate: default player (32 x 32 sheet), default tempo (0.15 s steps, 6.7 notes/s)\n");
    if (bench_lanes)
        printf("  vectors of at most %d floats\n", bench_lanes);
    if (argc > 1 && strcmp(argv[1], "--speed") == 0) {
        speed_only(1, 1.0);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--day") == 0) {
        Schedule day;
        practice_schedule(&day, 1, 0.25, 2.0);
        Timed t = timed_run(&day, 1);
        printf("  the callgrind day: %llu practice stimuli (and the everyday touches) in %.2f s CPU\n",
               (unsigned long long)t.result.points[t.result.count - 1].stimuli[HAND_RIGHT], t.cpu_s);
        simulate_result_free(&t.result);
        schedule_free(&day);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--month") == 0) {
        speed_only(30, 1.5);
        return 0;
    }

    Schedule day;
    practice_schedule(&day, 1, quick ? 0.1 : 1.0, -1.0);
    Timed full = timed_run(&day, 1);
    printf("  full resolution: %.2f practice h in %.2f s CPU (%.2f s wall): %.1f practice h per CPU minute\n",
           full.practice_h, full.cpu_s, full.wall_s, full.practice_h * 60.0 / full.cpu_s);
    simulate_result_free(&full.result);
    for (int k = 16; k <= 256; k *= 4) {
        Timed fast = timed_run(&day, k);
        printf("  fast x%-4d       %.2f practice h in %.2f s CPU: %.1f practice h per CPU minute\n", k,
               fast.practice_h, fast.cpu_s, fast.practice_h * 60.0 / fast.cpu_s);
        simulate_result_free(&fast.result);
    }
    schedule_free(&day);

    int days = quick ? 2 : 5;
    Schedule long_run;
    practice_schedule(&long_run, days, 2.0, -1.0);
    printf("  accuracy of --fast on %d days x 2 h, final map of the right hand, mean of seeds 1 and 2\n"
           "  (the spread between the two seeds at full resolution shows the model's own noise):\n",
           days);
    Timed reference[2];
    for (int seed = 0; seed < 2; seed++)
        reference[seed] = timed_run_seeded(&long_run, 1, (uint32_t)seed + 1);
    printf("    full resolution: %.1f s CPU per run\n", reference[0].cpu_s);
    SimResult full_runs[2] = {reference[0].result, reference[1].result};
    report_difference("seed 2 vs seed 1 (noise)", &full_runs[0], 1, &full_runs[1], 1);
    for (int k = 4; k <= (quick ? 16 : 1024); k *= 4) {
        Timed fast[2];
        for (int seed = 0; seed < 2; seed++)
            fast[seed] = timed_run_seeded(&long_run, k, (uint32_t)seed + 1);
        char title[64];
        snprintf(title, sizeof title, "fast x%d (%.0f x faster)", k, reference[0].cpu_s / fast[0].cpu_s);
        SimResult fast_runs[2] = {fast[0].result, fast[1].result};
        report_difference(title, full_runs, 2, fast_runs, 2);
        for (int seed = 0; seed < 2; seed++)
            simulate_result_free(&fast[seed].result);
    }
    for (int seed = 0; seed < 2; seed++)
        simulate_result_free(&reference[seed].result);

    SimJob jobs[2][4];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 4; i++) {
        jobs[0][i].schedule = &long_run;
        simulate_options_default(&jobs[0][i].options);
        jobs[0][i].options.has_seed = 1;
        jobs[0][i].options.seed = (uint32_t)i + 1;
        jobs[0][i].options.fast_factor = 16;
        jobs[1][i] = jobs[0][i];
    }
    double wall[2];
    for (int j = 0; j < 2; j++) {
        double start = now_s(CLOCK_MONOTONIC);
        simulate_run_jobs(jobs[j], 4, j + 1);
        wall[j] = now_s(CLOCK_MONOTONIC) - start;
        for (int i = 0; i < 4; i++)
            simulate_result_free(&jobs[j][i].result);
    }
    printf("  sweep of 4 points (fast x16): -j 1 %.1f s, -j 2 %.1f s wall: speed-up %.2f\n", wall[0], wall[1],
           wall[0] / wall[1]);
    schedule_free(&long_run);
    return 0;
}
