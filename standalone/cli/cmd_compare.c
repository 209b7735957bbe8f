/* homunculus compare: several schedules simulated (in parallel), their final measurements
 * side by side as a table, a CSV and one plot. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "files.h"
#include "plot.h"
#include "replicates.h"
#include "schedule.h"
#include "sim_start.h"
#include "simulate.h"

static void print_compare_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " compare SCHEDULE SCHEDULE... [OPTIONS]\n"
            "Simulates each schedule and prints their final maps side by side.\n"
            "  -o, --output OUT.csv the final measurement of each schedule and hand ('-': stdout)\n"
            "  --plot OUT.png|svg   metrics over time of all schedules in one chart, final maps below\n"
            "  -j, --jobs N         simulations run in parallel, 1..256 (default 1)\n"
            "  --seeds LIST         replicates: every schedule at every seed of LIST (1-8, 1,3,8-10;\n"
            "                       at most %d); the table shows mean +/- SD over the seeds, the CSV\n"
            "                       a row per seed and the rows mean, sd and n per schedule and hand\n"
            "%s",
            REPLICATES_MAX_SEEDS, SIMULATE_OPTIONS_HELP);
}

/* Schedules whose file names coincide (a/x.ini, b/x.ini) are named by their paths as given,
 * without extension, so every column and plot legend says which schedule it is. */
static void disambiguate_names(char (*names)[64], char *const *paths, int count)
{
    unsigned char *shared = calloc((size_t)count, 1); /* decided before any name changes */
    for (int i = 0; shared && i < count; i++)
        for (int j = 0; j < count && !shared[i]; j++)
            shared[i] = j != i && strcmp(names[i], names[j]) == 0 && strcmp(paths[i], paths[j]) != 0;
    for (int i = 0; shared && i < count; i++) {
        if (!shared[i])
            continue;
        const char *dot = strrchr(paths[i], '.'), *slash = strrchr(paths[i], '/');
        int keep = dot && (!slash || dot > slash + 1) ? (int)(dot - paths[i]) : (int)strlen(paths[i]);
        snprintf(names[i], sizeof names[i], "%.*s", keep, paths[i]);
    }
    free(shared); /* out of memory: the short names stay */
}

/* The simulations of schedule i are jobs[i * seed_count .. i * seed_count + seed_count - 1]. */
typedef struct {
    const SimJob *jobs;
    char (*names)[64];
    int count;
    int seed_count;
    int replicates; /* --seeds given: summary rows and mean +/- SD */
} CompareTable;

static const SimResult *result_of(const CompareTable *t, int schedule, int seed)
{
    return &t->jobs[schedule * t->seed_count + seed].result;
}

static void write_compare_csv(FILE *out, const void *context)
{
    const CompareTable *t = context;
    simulate_csv_header(out, "schedule,seed,");
    for (int i = 0; i < t->count; i++) {
        const SimResult *seeds[REPLICATES_MAX_SEEDS];
        char leading[96];
        for (int k = 0; k < t->seed_count; k++) {
            const SimResult *r = seeds[k] = result_of(t, i, k);
            snprintf(leading, sizeof leading, "%s,%u,", t->names[i], r->seed);
            simulate_csv_rows(out, leading, r, r->count - 1);
        }
        snprintf(leading, sizeof leading, "%s,", t->names[i]);
        if (t->replicates)
            replicates_csv_rows(out, leading, ",", seeds, t->seed_count);
    }
}

typedef double (*FinalReading)(const SimPoint *p, int hand, int digit);
static double final_practice(const SimPoint *p, int h, int d) { return (void)h, (void)d, p->practice_h; }
static double final_area(const SimPoint *p, int h, int d) { return 100.0 * p->map[h].area_fraction[d]; }
static double final_rf(const SimPoint *p, int h, int d) { return (void)d, p->map[h].rf_points_mean; }
static double final_multi(const SimPoint *p, int h, int d) { return (void)d, 100.0 * p->map[h].multi_digit_fraction; }
static double final_d1_d5(const SimPoint *p, int h, int d) { return (void)d, p->map[h].d1_d5_distance_mm; }
static double final_dice(const SimPoint *p, int h, int d) { return p->map[h].overlap[d][d + 1]; }
static double final_risk(const SimPoint *p, int h, int d) { return (void)d, p->map[h].overlap_risk; }
static double final_early(const SimPoint *p, int h, int d) { return (void)d, 100.0 * p->early_share[h]; }

/* The table on stdout: one row per measurement, one column per schedule. */
static void print_table(const CompareTable *t)
{
    static const struct {
        const char *name;
        FinalReading read;
        int digits; /* rows: one per digit (5), per pair (4) or one */
    } rows[] = {{"practice h", final_practice, 1}, {"area %% D%d", final_area, 5},
                {"mean RF points", final_rf, 1},  {"multi-digit %%", final_multi, 1},
                {"D1-D5 mm", final_d1_d5, 1},     {"Dice D%d-D%d", final_dice, 4},
                {"overlap risk", final_risk, 1},  {"early share %%", final_early, 1}};
    int width = t->replicates ? 19 : 12; /* columns as wide as the longest name: names are never cut */
    if (t->replicates)
        printf("mean +/- SD over %d seeds (n = %d per cell)\n", t->seed_count, t->seed_count);
    for (int i = 0; i < t->count; i++)
        width = (int)strlen(t->names[i]) > width ? (int)strlen(t->names[i]) : width;
    printf("%-22s", "");
    for (int i = 0; i < t->count; i++)
        printf(" %*s", width, t->names[i]);
    printf("\n");
    for (int h = 0; h < SIM_HANDS; h++) {
        int any = 0;
        for (int i = 0; i < t->count; i++) {
            int hands[SIM_HANDS], n = simulate_hands(result_of(t, i, 0)->hands, hands);
            any |= hands[0] == h || (n > 1 && hands[1] == h);
        }
        if (!any)
            continue;
        for (size_t row = 0; row < sizeof rows / sizeof rows[0]; row++)
            for (int d = 0; d < rows[row].digits; d++) {
                char label[40], name[32];
                snprintf(name, sizeof name, rows[row].name, d + 1, d + 2);
                snprintf(label, sizeof label, "%s %s", CLI_HAND_NAMES[h], name);
                printf("%-22s", label);
                for (int i = 0; i < t->count; i++) {
                    const SimResult *r = result_of(t, i, 0);
                    int hands[SIM_HANDS], n = simulate_hands(r->hands, hands);
                    char cell[64] = "-";
                    double values[REPLICATES_MAX_SEEDS];
                    for (int k = 0; k < t->seed_count; k++) {
                        const SimResult *rk = result_of(t, i, k);
                        values[k] = rows[row].read(&rk->points[rk->count - 1], h, d);
                    }
                    ReplicateStat stat = replicates_of(values, t->seed_count);
                    if ((hands[0] == h || (n > 1 && hands[1] == h)) && t->replicates)
                        snprintf(cell, sizeof cell, "%.3f +/- %.3f", stat.mean, stat.sd);
                    else if (hands[0] == h || (n > 1 && hands[1] == h))
                        snprintf(cell, sizeof cell, "%.3f", stat.mean);
                    printf(" %*s", width, cell);
                }
                printf("\n");
            }
    }
}

int command_compare(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"plot", required_argument, NULL, 'P'},
        {"jobs", required_argument, NULL, 'j'},   {"seed", required_argument, NULL, 's'},
        {"fast", no_argument, NULL, 'f'},         {"fast-factor", required_argument, NULL, 'F'},
        {"seeds", required_argument, NULL, 'S'},  {"state", required_argument, NULL, 'T'}, {"profile", required_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *csv = NULL, *plot = NULL;
    uint32_t seeds[REPLICATES_MAX_SEEDS];
    int seed_count = 0; /* > 0: --seeds */
    int jobs_wanted = 1;
    int option, index = 0;
    SimOptions sim;
    simulate_options_default(&sim);
    char err[1600];
    optind = 1;
    while ((option = getopt_long(argc, argv, "o:j:", options, &index)) != -1) {
        switch (option) {
        case 'o':
            csv = optarg;
            break;
        case 'P':
            plot = optarg;
            break;
        case 'S':
            if ((seed_count = cli_parse_seed_list(optarg, seeds, REPLICATES_MAX_SEEDS, err, sizeof err)) < 0) {
                fprintf(stderr, PROGRAM " compare: --seeds: %s\n", err);
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
                fprintf(stderr, PROGRAM " compare: %s\n", err);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            print_compare_help(stdout);
            return EXIT_OK;
        default:
            print_compare_help(stderr);
            return EXIT_USAGE;
        }
    }
    int count = argc - optind;
    if (count < 1) {
        fprintf(stderr, PROGRAM " compare: expected one or more SCHEDULE files\n");
        print_compare_help(stderr);
        return EXIT_USAGE;
    }
    if (seed_count > 0 && sim.has_seed) {
        fprintf(stderr, PROGRAM " compare: --seed and --seeds cannot be combined (one seed: --seeds N)\n");
        return EXIT_USAGE;
    }
    if (plot && !plot_format_known(plot)) {
        fprintf(stderr, PROGRAM " compare: --plot '%s' must end in .png or .svg\n", plot);
        return EXIT_USAGE;
    }
    SimStart start;
    if (sim_start_load(&start, &sim, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    int per_schedule = seed_count > 0 ? seed_count : 1;
    Schedule *schedules = calloc((size_t)count, sizeof *schedules);
    SimJob *jobs = calloc((size_t)count * (size_t)per_schedule, sizeof *jobs);
    char(*names)[64] = calloc((size_t)count, sizeof *names);
    const char **name_list = calloc((size_t)count, sizeof *name_list);
    int loaded = 0, status = schedules && jobs && names && name_list ? 0 : -1;
    if (status != 0)
        fprintf(stderr, PROGRAM ": out of memory\n");
    for (; status == 0 && loaded < count; loaded++) {
        if (schedule_load(argv[optind + loaded], &schedules[loaded], err, sizeof err) != 0) {
            fprintf(stderr, PROGRAM ": %s\n", err);
            status = -1;
            break;
        }
        for (int k = 0; k < per_schedule; k++) {
            SimJob *job = &jobs[loaded * per_schedule + k];
            job->schedule = &schedules[loaded];
            job->options = sim;
            if (seed_count > 0)
                job->options.has_seed = 1, job->options.seed = seeds[k];
        }
        schedule_name(argv[optind + loaded], names[loaded], sizeof names[loaded]);
        name_list[loaded] = names[loaded];
    }
    if (status == 0)
        disambiguate_names(names, argv + optind, count);
    if (status == 0 && simulate_run_jobs(jobs, count * per_schedule, jobs_wanted) != 0) {
        for (int i = 0; i < count * per_schedule; i++)
            if (jobs[i].status != 0)
                fprintf(stderr, PROGRAM ": %s: %s\n", argv[optind + i / per_schedule], jobs[i].err);
        status = -1;
    }
    CompareTable table = {jobs, names, count, per_schedule, seed_count > 0};
    if (status == 0) {
        if (!csv || strcmp(csv, "-") != 0)
            print_table(&table);
        if (csv && simulate_save_text(csv, write_compare_csv, &table, err, sizeof err) != 0) {
            fprintf(stderr, PROGRAM ": %s\n", err);
            status = -1;
        }
    }
    if (status == 0 && plot) {
        SimResult *results = malloc((size_t)count * (size_t)per_schedule * sizeof *results);
        for (int i = 0; results && i < count * per_schedule; i++)
            results[i] = jobs[i].result;
        if (!results || plot_comparison(plot, name_list, results, count, per_schedule, err, sizeof err) != 0) {
            fprintf(stderr, PROGRAM ": %s\n", results ? err : "out of memory");
            status = -1;
        }
        free(results);
    }
    for (int i = 0; jobs && i < count * per_schedule; i++)
        simulate_result_free(&jobs[i].result);
    for (int i = 0; i < loaded; i++)
        schedule_free(&schedules[i]);
    free(schedules), free(jobs), free(names), free(name_list);
    sim_start_free(&start);
    return status == 0 ? EXIT_OK : EXIT_RUNTIME;
}
