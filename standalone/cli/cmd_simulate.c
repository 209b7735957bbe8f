/* homunculus simulate: plays a practice schedule with a simulated player and writes the
 * metrics of every measurement point (CSV, JSON), a plot and the learned state. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "engine_file.h"
#include "files.h"
#include "plot.h"
#include "schedule.h"
#include "sim_start.h"
#include "simulate.h"

static void print_simulate_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " simulate SCHEDULE [OPTIONS]\n"
            "Plays a practice schedule (docs/schedules.md) with a simulated player and reports the\n"
            "finger maps at every measurement point. Without -o, --json or --plot it prints the maps\n"
            "at the start and the end.\n"
            "  -o, --output OUT.csv one row per measurement point and hand ('-': stdout)\n"
            "  --json OUT.json      the same as JSON ('-': stdout)\n"
            "  --plot OUT.png|svg   metrics over time and the final maps\n"
            "  --save-state FILE    the learned state, for 'play --state', the live program and the\n"
            "                       plugin (same sheet size needed; SOURCE_DATE_EPOCH is recorded as the\n"
            "                       time of saving when set)\n"
            "  --quiet              no progress bar, no summary\n"
            "%s",
            SIMULATE_OPTIONS_HELP);
}

typedef struct {
    int last_percent;
    struct timespec started;
} ProgressBar;

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + 1e-9 * (double)(now.tv_nsec - start->tv_nsec);
}

/* A progress bar on a terminal, with the time left (from the pace so far) or, at 100 %, the
 * time taken. */
static void show_progress(void *user, double fraction)
{
    ProgressBar *bar_state = user;
    int percent = (int)(100.0 * fraction);
    if (percent == bar_state->last_percent)
        return;
    bar_state->last_percent = percent;
    char bar[41];
    int filled = percent * 40 / 100;
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '.', (size_t)(40 - filled));
    bar[40] = 0;
    double elapsed = seconds_since(&bar_state->started);
    double shown = percent >= 100 ? elapsed : (fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0);
    long s = lround(shown);
    fprintf(stderr, "\r[%s] %3d %% %s %ld:%02ld:%02ld ", bar, percent, percent >= 100 ? "took" : "ETA", s / 3600,
            s / 60 % 60, s % 60);
    fflush(stderr);
}

static void write_csv(FILE *out, const void *result) { simulate_write_csv(out, result); }

typedef struct {
    const char *schedule_path;
    const SimResult *result;
} JsonContext;

static void write_json(FILE *out, const void *context)
{
    const JsonContext *c = context;
    simulate_write_json(out, c->schedule_path, c->result);
}

int command_simulate(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},    {"json", required_argument, NULL, 'J'},
        {"plot", required_argument, NULL, 'P'},      {"save-state", required_argument, NULL, 'S'},
        {"seed", required_argument, NULL, 's'},      {"fast", no_argument, NULL, 'f'},
        {"fast-factor", required_argument, NULL, 'F'}, {"quiet", no_argument, NULL, 'q'},
        {"state", required_argument, NULL, 'T'}, {"profile", required_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0}};
    const char *csv = NULL, *json = NULL, *plot = NULL, *state = NULL;
    int quiet = 0, option, index = 0;
    SimOptions sim;
    simulate_options_default(&sim);
    char err[1600];
    optind = 1;
    while ((option = getopt_long(argc, argv, "o:", options, &index)) != -1) {
        switch (option) {
        case 'o':
            csv = optarg;
            break;
        case 'J':
            json = optarg;
            break;
        case 'P':
            plot = optarg;
            break;
        case 'S':
            state = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 's':
        case 'f':
        case 'F':
        case 'T':
        case 'R':
            if (simulate_set_option(&sim, NULL, options[index].name, optarg, err, sizeof err) != 0) {
                fprintf(stderr, PROGRAM " simulate: %s\n", err);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            print_simulate_help(stdout);
            return EXIT_OK;
        default:
            print_simulate_help(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, PROGRAM " simulate: expected exactly one SCHEDULE\n");
        print_simulate_help(stderr);
        return EXIT_USAGE;
    }
    if (plot && !plot_format_known(plot)) {
        fprintf(stderr, PROGRAM " simulate: --plot '%s' must end in .png or .svg\n", plot);
        return EXIT_USAGE;
    }
    const char *outputs[] = {csv, json, plot, state};
    static const char *const output_options[] = {"-o", "--json", "--plot", "--save-state"};
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (outputs[i] && outputs[j] && !strcmp(outputs[i], outputs[j])) {
                fprintf(stderr, PROGRAM " simulate: %s and %s both write to '%s'; give each its own%s\n",
                        output_options[i], output_options[j], outputs[i],
                        strcmp(outputs[i], "-") ? " file" : " (one of them can be '-')");
                return EXIT_USAGE;
            }
    for (int i = 0; i < 4; i++)
        if (outputs[i] && strcmp(outputs[i], "-") != 0 && files_check_directory(outputs[i], err, sizeof err) != 0) {
            fprintf(stderr, PROGRAM ": %s\n", err);
            return EXIT_RUNTIME;
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
    ProgressBar bar = {.last_percent = -1};
    clock_gettime(CLOCK_MONOTONIC, &bar.started);
    if (!quiet && isatty(STDERR_FILENO)) {
        sim.progress = show_progress;
        sim.progress_user = &bar;
    }
    struct timespec started, finished;
    clock_gettime(CLOCK_MONOTONIC, &started);
    sim.all_hands = state != NULL; /* the saved state carries both hands */
    SimResult result;
    err[0] = 0;
    int status = simulate_run(&schedule, &sim, &result, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &finished);
    if (sim.progress)
        fprintf(stderr, "\n");
    sim_start_free(&start);
    if (status != 0) {
        fprintf(stderr, PROGRAM ": %s: %s\n", argv[optind], err);
        schedule_free(&schedule);
        return EXIT_RUNTIME;
    }
    JsonContext context = {argv[optind], &result};
    if (status == 0 && csv)
        status = simulate_save_text(csv, write_csv, &result, err, sizeof err);
    if (status == 0 && json)
        status = simulate_save_text(json, write_json, &context, err, sizeof err);
    if (status == 0 && plot) {
        char name[256];
        schedule_name(argv[optind], name, sizeof name);
        status = plot_simulation(plot, name, &schedule, &result, err, sizeof err);
    }
    if (status != 0)
        fprintf(stderr, PROGRAM ": %s\n", err);
    if (status == 0 && state) {
        Engine *engine = simulate_make_engine(&schedule, &result, err, sizeof err);
        if (!engine)
            fprintf(stderr, PROGRAM ": %s\n", err);
        status = engine ? engine_file_save(engine, state, cli_clock_unix()) : -1;
        engine_free(engine);
    }
    int to_stdout = (csv && !strcmp(csv, "-")) || (json && !strcmp(json, "-"));
    if (status == 0 && !quiet && !to_stdout) {
        const SimPoint *first = &result.points[0], *end = &result.points[result.count - 1];
        double wall_s = (double)(finished.tv_sec - started.tv_sec) + 1e-9 * (double)(finished.tv_nsec - started.tv_nsec);
        printf("%s: %d days, %.2f h of practice, %d measurement points, seed %u%s (%.1f s, %.1f practice h per "
               "minute)\n",
               argv[optind], schedule.days, end->practice_h, result.count, result.seed,
               result.fast_factor > 1 ? ", fast" : "", wall_s, wall_s > 0 ? end->practice_h * 60.0 / wall_s : 0.0);
        int hands[SIM_HANDS], hand_count = simulate_hands(result.hands, hands);
        for (int k = 0; k < hand_count; k++) {
            char title[64];
            snprintf(title, sizeof title, "%s at the start", CLI_HAND_NAMES[hands[k]]);
            cli_print_map_summary(stdout, title, &first->map[hands[k]]);
            snprintf(title, sizeof title, "%s at the end", CLI_HAND_NAMES[hands[k]]);
            cli_print_map_summary(stdout, title, &end->map[hands[k]]);
        }
    }
    simulate_result_free(&result);
    schedule_free(&schedule);
    return status == 0 ? EXIT_OK : EXIT_RUNTIME;
}
