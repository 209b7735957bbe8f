/* homunculus sweep: one schedule over a grid of player parameters, run in parallel on local
 * cores, or one share of the grid at a time (--task I/N) for GNU parallel or a Slurm job
 * array. One CSV per point and a summary of the final measurements. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "replicates.h"
#include "schedule.h"
#include "sim_start.h"
#include "simulate.h"

#define SWEEP_MAX_KEYS 8
#define SWEEP_MAX_VALUES 64
#define SWEEP_MAX_POINTS 100000

typedef struct {
    char key[64];
    int count;
    char value[SWEEP_MAX_VALUES][32];
} SweepAxis;

static void print_sweep_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " sweep SCHEDULE --vary KEY=V1,V2,... [--vary ...] [OPTIONS]\n"
            "Simulates SCHEDULE at every combination of the varied player keys (hands, age,\n"
            "plasticity, inhibition, sheet, seed, window_ms or any model parameter). Point i is\n"
            "numbered from 0, the last --vary changing fastest. Every point runs at the same seeds:\n"
            "the schedule's seed (or --seed), or each seed of --seeds. Writes DIR/point-NNNN.csv per\n"
            "point (with --seeds: DIR/point-NNNN-seed-S.csv per point and seed) and DIR/summary.csv\n"
            "(with --task: DIR/summary-I-of-N.csv) with each run's final measurement; with --seeds\n"
            "also the rows mean, sd and n of each point, and a table of them on stdout.\n"
            "  --vary KEY=V1,V2,... a key and its values (up to %d keys, %d values each)\n"
            "  --seeds LIST         replicates: every point at every seed of LIST (1-8, 1,3,8-10)\n"
            "  -j, --jobs N         points run in parallel, 1..256 (default 1)\n"
            "  -o, --output DIR     where the CSVs go (default sweep-out; created if missing)\n"
            "  --task I/N           only the I-th of N shares (points i with i %% N = I - 1), for\n"
            "                       cluster job arrays; the shares together are the whole sweep\n"
            "%s",
            SWEEP_MAX_KEYS, SWEEP_MAX_VALUES, SIMULATE_OPTIONS_HELP);
}

/* Parses "KEY=V1,V2" into axis, checking every value on a copy of the schedule. */
static int parse_axis(const char *text, const Schedule *schedule, SweepAxis *axis, char *err, size_t err_size)
{
    const char *equals = strchr(text, '=');
    if (!equals || equals == text || (size_t)(equals - text) >= sizeof axis->key || !equals[1]) {
        snprintf(err, err_size, "--vary '%s': expected KEY=V1,V2,...", text);
        return -1;
    }
    memset(axis, 0, sizeof *axis);
    snprintf(axis->key, sizeof axis->key, "%.*s", (int)(equals - text), text);
    const char *at = equals + 1;
    while (*at) {
        size_t length = strcspn(at, ",");
        if (length == 0 || length >= sizeof axis->value[0] || axis->count == SWEEP_MAX_VALUES) {
            snprintf(err, err_size, "--vary '%s': expected up to %d comma-separated values", text, SWEEP_MAX_VALUES);
            return -1;
        }
        snprintf(axis->value[axis->count], sizeof axis->value[0], "%.*s", (int)length, at);
        for (int v = 0; v < axis->count; v++)
            if (!strcmp(axis->value[v], axis->value[axis->count])) {
                snprintf(err, err_size, "--vary '%s': the value '%s' is listed twice", text, axis->value[v]);
                return -1;
            }
        Schedule copy = *schedule;
        if (schedule_set_player(&copy, axis->key, axis->value[axis->count], err, err_size) != 0)
            return -1;
        axis->count++;
        at += length + (at[length] == ',');
    }
    return 0;
}

/* The runs of the k-th point of the share are jobs[k * seed_count .. + seed_count - 1]. */
typedef struct {
    const SweepAxis *axes;
    int axis_count;
    const SimJob *jobs;
    const int *points;
    int count;
    int seed_count;
    int replicates; /* --seeds given: the rows mean, sd and n */
} Summary;

/* Which value of each axis point i takes (the last axis changes fastest). */
static void point_values(const SweepAxis *axes, int axis_count, int point, int *which)
{
    for (int a = axis_count - 1; a >= 0; a--) {
        which[a] = point % axes[a].count;
        point /= axes[a].count;
    }
}

/* A varied seed is the point's seed: the summary's seed column shows it once. */
static int axis_is_seed(const SweepAxis *axis) { return strcmp(axis->key, "seed") == 0; }

static void write_summary(FILE *out, const void *context)
{
    const Summary *s = context;
    char leading[512];
    int used = snprintf(leading, sizeof leading, "sweep_point,seed");
    for (int a = 0; a < s->axis_count; a++)
        if (!axis_is_seed(&s->axes[a]))
            used += snprintf(leading + used, sizeof leading - (size_t)used, ",%s", s->axes[a].key);
    snprintf(leading + used, sizeof leading - (size_t)used, ",");
    simulate_csv_header(out, leading);
    for (int i = 0; i < s->count; i++) {
        int which[SWEEP_MAX_KEYS];
        point_values(s->axes, s->axis_count, s->points[i], which);
        char values[400] = "";
        used = 0;
        for (int a = 0; a < s->axis_count; a++)
            if (!axis_is_seed(&s->axes[a]))
                used += snprintf(values + used, sizeof values - (size_t)used, ",%s", s->axes[a].value[which[a]]);
        const SimResult *runs[REPLICATES_MAX_SEEDS];
        for (int k = 0; k < s->seed_count; k++) {
            const SimResult *r = runs[k] = &s->jobs[i * s->seed_count + k].result;
            snprintf(leading, sizeof leading, "%d,%u%s,", s->points[i], r->seed, values);
            simulate_csv_rows(out, leading, r, r->count - 1);
        }
        if (s->replicates) {
            char before[32], after[420];
            snprintf(before, sizeof before, "%d,", s->points[i]);
            snprintf(after, sizeof after, "%s,", values);
            replicates_csv_rows(out, before, after, runs, s->seed_count);
        }
    }
}

/* For people: each point's varied values and the mean +/- SD over the seeds of a few readings
 * of each hand's final map (percent here, fractions in the files). */
static void print_replicates(const Summary *s)
{
    printf("%-6s %-28s %-6s %22s %22s %22s\n", "point", "values", "hand", "overlap risk", "multi-digit %",
           "D1-D5 mm");
    for (int i = 0; i < s->count; i++) {
        int which[SWEEP_MAX_KEYS], used = 0;
        char values[400] = "";
        point_values(s->axes, s->axis_count, s->points[i], which);
        for (int a = 0; a < s->axis_count; a++)
            used += snprintf(values + used, sizeof values - (size_t)used, "%s%s=%s", a ? " " : "", s->axes[a].key,
                             s->axes[a].value[which[a]]);
        const SimResult *first = &s->jobs[i * s->seed_count].result;
        int hands[SIM_HANDS], hand_count = simulate_hands(first->hands, hands);
        for (int k = 0; k < hand_count; k++) {
            double risk[REPLICATES_MAX_SEEDS], multi[REPLICATES_MAX_SEEDS], span[REPLICATES_MAX_SEEDS];
            for (int r = 0; r < s->seed_count; r++) {
                const SimResult *run = &s->jobs[i * s->seed_count + r].result;
                const MapMetrics *m = &run->points[run->count - 1].map[hands[k]];
                risk[r] = m->overlap_risk, multi[r] = 100.0 * m->multi_digit_fraction, span[r] = m->d1_d5_distance_mm;
            }
            ReplicateStat a = replicates_of(risk, s->seed_count), b = replicates_of(multi, s->seed_count),
                          c = replicates_of(span, s->seed_count);
            char cells[3][48];
            snprintf(cells[0], sizeof cells[0], "%.3f +/- %.3f", a.mean, a.sd);
            snprintf(cells[1], sizeof cells[1], "%.2f +/- %.2f", b.mean, b.sd);
            snprintf(cells[2], sizeof cells[2], "%.3f +/- %.3f", c.mean, c.sd);
            printf("%-6d %-28s %-6s %22s %22s %22s\n", s->points[i], values, CLI_HAND_NAMES[hands[k]], cells[0],
                   cells[1], cells[2]);
        }
    }
    printf("(mean +/- SD over %d seeds)\n", s->seed_count);
}

static void write_point(FILE *out, const void *result) { simulate_write_csv(out, result); }

/* Parses "I/N" with 1 <= I <= N. */
static int parse_task(const char *text, int *task, int *tasks)
{
    int used = 0;
    if (sscanf(text, "%d/%d%n", task, tasks, &used) != 2 || text[used] || *tasks < 1 || *task < 1 || *task > *tasks)
        return -1;
    return 0;
}

int command_sweep(int argc, char **argv)
{
    static const struct option options[] = {
        {"vary", required_argument, NULL, 'v'},   {"jobs", required_argument, NULL, 'j'},
        {"output", required_argument, NULL, 'o'}, {"task", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},   {"fast", no_argument, NULL, 'f'},
        {"fast-factor", required_argument, NULL, 'F'}, {"seeds", required_argument, NULL, 'S'},
        {"state", required_argument, NULL, 'T'}, {"profile", required_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    uint32_t seeds[REPLICATES_MAX_SEEDS];
    int seed_count = 0; /* > 0: --seeds */
    const char *vary[SWEEP_MAX_KEYS], *dir = "sweep-out";
    int vary_count = 0, task = 1, tasks = 1, option, index = 0;
    int jobs_wanted = 1;
    SimOptions sim;
    simulate_options_default(&sim);
    char err[1600];
    optind = 1;
    while ((option = getopt_long(argc, argv, "j:o:", options, &index)) != -1) {
        switch (option) {
        case 'v':
            if (vary_count == SWEEP_MAX_KEYS) {
                fprintf(stderr, PROGRAM " sweep: at most %d --vary keys\n", SWEEP_MAX_KEYS);
                return EXIT_USAGE;
            }
            vary[vary_count++] = optarg;
            break;
        case 'o':
            dir = optarg;
            break;
        case 'S':
            if ((seed_count = cli_parse_seed_list(optarg, seeds, REPLICATES_MAX_SEEDS, err, sizeof err)) < 0) {
                fprintf(stderr, PROGRAM " sweep: --seeds: %s\n", err);
                return EXIT_USAGE;
            }
            break;
        case 't':
            if (parse_task(optarg, &task, &tasks) != 0) {
                fprintf(stderr, PROGRAM " sweep: --task '%s': expected I/N with 1 <= I <= N\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'j':
        case 's':
        case 'f':
        case 'F':
        case 'T':
        case 'R':
            if (simulate_set_option(&sim, &jobs_wanted, option == 'j' ? "jobs" : options[index].name, optarg, err,
                                    sizeof err) != 0) {
                fprintf(stderr, PROGRAM " sweep: %s\n", err);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            print_sweep_help(stdout);
            return EXIT_OK;
        default:
            print_sweep_help(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || vary_count == 0) {
        fprintf(stderr, PROGRAM " sweep: expected one SCHEDULE and at least one --vary KEY=V1,V2,...\n");
        print_sweep_help(stderr);
        return EXIT_USAGE;
    }
    if (seed_count > 0 && sim.has_seed) {
        fprintf(stderr, PROGRAM " sweep: --seed and --seeds cannot be combined (one seed: --seeds N)\n");
        return EXIT_USAGE;
    }
    Schedule schedule;
    if (schedule_load(argv[optind], &schedule, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    SimStart start;
    if (sim_start_load(&start, &sim, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        schedule_free(&schedule);
        return EXIT_RUNTIME;
    }
    SweepAxis axes[SWEEP_MAX_KEYS];
    long total = 1;
    int seed_varied = 0;
    for (int a = 0; a < vary_count; a++) {
        int failed = parse_axis(vary[a], &schedule, &axes[a], err, sizeof err) != 0;
        for (int b = 0; b < a && !failed; b++)
            if (!strcmp(axes[b].key, axes[a].key)) {
                snprintf(err, sizeof err, "--vary '%.200s': %.63s is already varied by --vary '%.200s'", vary[a], axes[a].key,
                         vary[b]);
                failed = 1;
            }
        if (failed) {
            fprintf(stderr, PROGRAM " sweep: %s\n", err);
            schedule_free(&schedule);
            sim_start_free(&start);
            return EXIT_USAGE;
        }
        seed_varied |= !strcmp(axes[a].key, "seed");
        if (seed_varied && seed_count > 0) {
            fprintf(stderr, PROGRAM " sweep: --vary seed and --seeds cannot be combined (replicates: --seeds)\n");
            schedule_free(&schedule);
            sim_start_free(&start);
            return EXIT_USAGE;
        }
        total *= axes[a].count;
        if (total > SWEEP_MAX_POINTS) {
            fprintf(stderr, PROGRAM " sweep: more than %d points\n", SWEEP_MAX_POINTS);
            schedule_free(&schedule);
            sim_start_free(&start);
            return EXIT_USAGE;
        }
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, PROGRAM ": cannot create the folder '%s': %s\n", dir, strerror(errno));
        schedule_free(&schedule);
        sim_start_free(&start);
        return EXIT_RUNTIME;
    }
    int share = 0;
    for (long i = task - 1; i < total; i += tasks)
        share++;
    /* every point runs at the same seeds, so that a difference between values is not the seed's */
    int per_point = seed_count > 0 ? seed_count : 1;
    if (seed_count == 0)
        seeds[0] = sim.has_seed ? sim.seed : schedule.params.seed;
    int *points = malloc((size_t)(share ? share : 1) * sizeof *points);
    SimJob *jobs = calloc((size_t)(share ? share : 1) * (size_t)per_point, sizeof *jobs);
    Schedule *copies = calloc((size_t)(share ? share : 1), sizeof *copies);
    int status = points && jobs && copies ? 0 : -1;
    for (int k = 0; status == 0 && k < share; k++) {
        points[k] = (int)(task - 1 + (long)k * tasks);
        int which[SWEEP_MAX_KEYS];
        point_values(axes, vary_count, points[k], which);
        copies[k] = schedule; /* shares the read-only sessions and recordings */
        for (int a = 0; a < vary_count; a++)
            schedule_set_player(&copies[k], axes[a].key, axes[a].value[which[a]], err, sizeof err);
        for (int r = 0; r < per_point; r++) {
            SimJob *job = &jobs[k * per_point + r];
            job->schedule = &copies[k];
            job->options = sim;
            job->options.has_seed = 1;
            job->options.seed = seed_varied ? copies[k].params.seed : seeds[r];
        }
    }
    if (status != 0)
        fprintf(stderr, PROGRAM ": out of memory\n");
    if (status == 0 && simulate_run_jobs(jobs, share * per_point, jobs_wanted) != 0) {
        for (int k = 0; k < share * per_point; k++)
            if (jobs[k].status != 0)
                fprintf(stderr, PROGRAM ": point %d, seed %u: %s\n", points[k / per_point], jobs[k].options.seed,
                        jobs[k].err);
        status = -1;
    }
    for (int k = 0; status == 0 && k < share * per_point; k++) {
        char path[1024];
        if (seed_count > 0)
            snprintf(path, sizeof path, "%s/point-%04d-seed-%u.csv", dir, points[k / per_point], jobs[k].options.seed);
        else
            snprintf(path, sizeof path, "%s/point-%04d.csv", dir, points[k]);
        if (simulate_save_text(path, write_point, &jobs[k].result, err, sizeof err) != 0) {
            fprintf(stderr, PROGRAM ": %s\n", err);
            status = -1;
        }
    }
    if (status == 0) {
        char path[1024];
        if (tasks > 1)
            snprintf(path, sizeof path, "%s/summary-%d-of-%d.csv", dir, task, tasks);
        else
            snprintf(path, sizeof path, "%s/summary.csv", dir);
        Summary summary = {axes, vary_count, jobs, points, share, per_point, seed_count > 0};
        if (simulate_save_text(path, write_summary, &summary, err, sizeof err) != 0) {
            fprintf(stderr, PROGRAM ": %s\n", err);
            status = -1;
        } else {
            if (seed_count > 0)
                print_replicates(&summary);
            printf("%s: %d of %ld points (share %d/%d) -> %s\n", argv[optind], share, total, task, tasks, path);
        }
    }
    for (int k = 0; jobs && k < share * per_point; k++)
        simulate_result_free(&jobs[k].result);
    free(points), free(jobs), free(copies);
    schedule_free(&schedule);
    sim_start_free(&start);
    return status == 0 ? EXIT_OK : EXIT_RUNTIME;
}
