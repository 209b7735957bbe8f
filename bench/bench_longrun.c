/* bench_longrun: a long career through the simulated player (standalone/research/simulate.h, the
 * model's real update code): bench/longrun.ini, 8 hours a day of dense mixed exercises
 * with both hands and nights asleep, for 10,000 practice hours by default, in fast mode
 * (one stimulus in K at K x the learning and homeostasis rates). At every measurement
 * point (after each session, before and after each night) both hands' weights,
 * thresholds, activity, field and capture resource must lie in their documented ranges
 * and every metric must be finite (bench/model_ranges.h). Prints the runtime and the
 * least and greatest values seen; exits 1 on the first violation.
 *   bench-longrun [--hours H] [--fast-factor K] [--schedule FILE] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_ranges.h"
#include "schedule.h"
#include "simulate.h"

#define HOURS_PER_DAY 8 /* bench/longrun.ini's practice a day */

typedef struct {
    ModelRanges ranges;
    long points;
    double next_progress_h; /* a line every PROGRESS_HOURS of practice */
    char violation[400];    /* the first one, empty while none */
} Watch;

#define PROGRESS_HOURS 1000.0

static void check_point(void *user, const SimPoint *point, const Model *const *models)
{
    Watch *w = user;
    char err[300];
    w->points++;
    for (int h = 0; h < SIM_HANDS && !w->violation[0]; h++)
        if (model_ranges_check(models[h], &w->ranges, err, sizeof err) != 0 ||
            model_ranges_check_metrics(&point->map[h], &w->ranges, err, sizeof err) != 0)
            snprintf(w->violation, sizeof w->violation, "day %d, %.1f practice hours (%s), hand %d: %s", point->day,
                     point->practice_h, point->label, h, err);
    if (point->practice_h >= w->next_progress_h) {
        printf("  %6.0f practice hours: weights %g..%g, thresholds or gains %g..%g, all in range so far\n", point->practice_h,
               (double)w->ranges.weight[0], (double)w->ranges.weight[1], (double)w->ranges.threshold[0],
               (double)w->ranges.threshold[1]);
        fflush(stdout);
        w->next_progress_h += PROGRESS_HOURS;
    }
}

static double now_s(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    const char *path = "bench/longrun.ini";
    long hours = 10000, fast = 128;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (!strcmp(argv[i], "--hours") && i + 1 < argc) {
            hours = strtol(argv[++i], &end, 10);
        } else if (!strcmp(argv[i], "--fast-factor") && i + 1 < argc) {
            fast = strtol(argv[++i], &end, 10);
        } else if (!strcmp(argv[i], "--schedule") && i + 1 < argc) {
            path = argv[++i];
            end = "";
        }
        if (!end || *end || hours < HOURS_PER_DAY || hours > 100000 || fast < 1 || fast > 10000) {
            fprintf(stderr, "usage: bench-longrun [--hours 8..100000] [--fast-factor 1..10000] [--schedule FILE]\n");
            return 2;
        }
    }
    Schedule schedule;
    char err[1600];
    if (schedule_load(path, &schedule, err, sizeof err) != 0) {
        fprintf(stderr, "bench-longrun: %s\n", err);
        return 1;
    }
    schedule.days = (int)(hours / HOURS_PER_DAY);
    static Watch watch;
    model_ranges_init(&watch.ranges);
    watch.next_progress_h = PROGRESS_HOURS;
    SimOptions options;
    simulate_options_default(&options);
    options.fast_factor = (int)fast;
    options.measured = check_point;
    options.measured_user = &watch;
    SimResult result;
    double wall = now_s(CLOCK_MONOTONIC), cpu = now_s(CLOCK_PROCESS_CPUTIME_ID);
    int status = simulate_run(&schedule, &options, &result, err, sizeof err);
    wall = now_s(CLOCK_MONOTONIC) - wall;
    cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    if (status != 0) {
        fprintf(stderr, "bench-longrun: %s\n", err);
        schedule_free(&schedule);
        return 1;
    }
    const SimPoint *end = &result.points[result.count - 1];
    printf("bench-longrun: %s, %d days, %.0f practice hours, both hands, fast x%ld: %.1f s CPU (%.1f s wall)\n",
           path, schedule.days, end->practice_h, fast, cpu, wall);
    printf("  stimuli formed: %llu right, %llu left (one in %ld presented); %ld measurement points checked\n",
           (unsigned long long)end->stimuli[0], (unsigned long long)end->stimuli[1], fast, watch.points);
    for (int h = 0; h < SIM_HANDS; h++)
        printf("  %s hand at the end: overlap risk %.3f, multi-digit %.1f %%, D1-D5 %.1f mm\n", h ? "left" : "right",
               (double)end->map[h].overlap_risk, 100.0 * end->map[h].multi_digit_fraction,
               (double)end->map[h].d1_d5_distance_mm);
    if (watch.violation[0]) {
        fprintf(stderr, "bench-longrun: %s\n", watch.violation);
        status = -1;
    } else {
        model_ranges_print(&watch.ranges);
    }
    simulate_result_free(&result);
    schedule_free(&schedule);
    return status == 0 ? 0 : 1;
}
