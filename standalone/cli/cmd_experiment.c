/* homunculus experiment: lists and runs the built-in replications of published experiments
 * (experiments.h), printing each one's protocol, the published expectation and source, the
 * observed values and PASS/FAIL; optionally as JSON and with one PNG figure per experiment. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "experiment_plot.h"
#include "experiments.h"

#define MAX_SEEDS 64
#define MAX_JOBS 256

static void print_experiment_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " experiment list\n"
            "       " PROGRAM " experiment run NAME... [OPTIONS]\n"
            "       " PROGRAM " experiment all [OPTIONS]\n"
            "Replicates published experiments on the default hand model: each prints its protocol, what\n"
            "the paper reports and where, the model's criteria with the observed values, and PASS/FAIL.\n"
            "options:\n"
            "  --plot DIR   write DIR/NAME.png per experiment: maps at each stage, key figure, criteria\n"
            "  --json       print the results as one JSON object instead of text\n"
            "  --seed N     random seed of the maps and touches (default %u, the criteria's)\n"
            "  --seeds LIST run at every seed of LIST (e.g. 1-7 or 1,3,8-10; at most %d) and print\n"
            "               how many seeds each experiment passes, with the failed criteria\n"
            "  -j, --jobs N with --seeds: run N seeds at a time (default 1)\n"
            "  --help       this text\n"
            "Exit status: 0 every experiment passed (at every seed), 1 one failed (or a figure could\n"
            "not be written), 2 usage error (e.g. an unknown NAME). docs/validation.md describes each\n"
            "experiment and how robust each is across seeds.\n",
            EXPERIMENT_DEFAULT_SEED, MAX_SEEDS);
}

typedef struct {
    const char *plot_dir;
    bool json;
    uint32_t seed;
    bool seed_given;
    int seed_count; /* > 0: --seeds */
    uint32_t seeds[MAX_SEEDS];
    int jobs;
} ExperimentOptions;

/* Parses the options; returns 0, 1 when help was printed, or 2 after a usage message. */
static int parse_experiment(int argc, char **argv, ExperimentOptions *o)
{
    static const struct option options[] = {{"plot", required_argument, NULL, 'p'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"seed", required_argument, NULL, 's'},
                                             {"seeds", required_argument, NULL, 'S'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    *o = (ExperimentOptions){.seed = EXPERIMENT_DEFAULT_SEED, .jobs = 1};
    int option;
    long value;
    char err[160];
    optind = 1;
    while ((option = getopt_long(argc, argv, "j:", options, NULL)) != -1) {
        switch (option) {
        case 'p':
            o->plot_dir = optarg;
            break;
        case 'J':
            o->json = true;
            break;
        case 's':
            if (cli_parse_whole(optarg, 0, 4294967295L, &value) != 0) {
                fprintf(stderr, PROGRAM " experiment: --seed '%s' is not a whole number in 0..4294967295\n",
                        optarg);
                return 2;
            }
            o->seed = (uint32_t)value;
            o->seed_given = true;
            break;
        case 'S':
            if ((o->seed_count = cli_parse_seed_list(optarg, o->seeds, MAX_SEEDS, err, sizeof err)) < 0) {
                fprintf(stderr, PROGRAM " experiment: --seeds: %s\n", err);
                return 2;
            }
            break;
        case 'j':
            if (cli_parse_whole(optarg, 1, MAX_JOBS, &value) != 0) {
                fprintf(stderr, PROGRAM " experiment: --jobs '%s' is not a whole number in 1..%d\n", optarg,
                        MAX_JOBS);
                return 2;
            }
            o->jobs = (int)value;
            break;
        case 'h':
            print_experiment_help(stdout);
            return 1;
        default:
            print_experiment_help(stderr);
            return 2;
        }
    }
    const char *clash = o->seed_count > 0 && o->seed_given ? "--seed" : o->seed_count > 0 && o->plot_dir ? "--plot" : NULL;
    if (clash) {
        fprintf(stderr, PROGRAM " experiment: --seeds cannot be combined with %s (run one seed with --seed N%s)\n",
                clash, o->plot_dir ? " --plot DIR for its figures" : "");
        return 2;
    }
    return 0;
}

static void print_names(FILE *out)
{
    for (int i = 0; i < experiment_count(); i++)
        fprintf(out, "%s%s", i ? ", " : "", experiment_info(i)->name);
    fprintf(out, "\n");
}

static void list_experiments(void)
{
    for (int i = 0; i < experiment_count(); i++)
        printf("%-12s %s\n", experiment_info(i)->name, experiment_info(i)->title);
}

/* A JSON string: text with quotes, backslashes and control characters escaped. */
static void print_json_string(const char *text)
{
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            putchar(*c);
    }
    putchar('"');
}

static void print_json_field(const char *key, const char *value, const char *after)
{
    printf("\"%s\": ", key);
    print_json_string(value);
    printf("%s", after);
}

static void print_result_json(const ExperimentResult *r)
{
    printf("{");
    print_json_field("name", r->info->name, ", ");
    print_json_field("title", r->info->title, ", ");
    print_json_field("source", r->info->source, ", ");
    print_json_field("protocol", r->info->protocol, ", ");
    print_json_field("published", r->info->published, ", ");
    printf("\"passed\": %s, \"checks\": [", r->passed ? "true" : "false");
    for (int i = 0; i < r->check_count; i++) {
        printf("%s{", i ? ", " : "");
        print_json_field("criterion", r->check[i].criterion, ", ");
        print_json_field("observed", r->check[i].observed, ", ");
        printf("\"passed\": %s}", r->check[i].passed ? "true" : "false");
    }
    printf("], \"figure\": {");
    print_json_field("title", r->figure_title, ", \"bars\": [");
    for (int i = 0; i < r->bar_count; i++) {
        printf("%s{", i ? ", " : "");
        print_json_field("label", r->bar[i].label, ", ");
        printf("\"value\": %.6g}", r->bar[i].value);
    }
    printf("]}}");
}

static void print_result_text(const ExperimentResult *r)
{
    printf("== %s: %s\n", r->info->name, r->info->title);
    printf("source:    %s\nprotocol:  %s\npublished: %s\n", r->info->source, r->info->protocol, r->info->published);
    for (int i = 0; i < r->check_count; i++)
        printf("  %s  %s: %s\n", r->check[i].passed ? "PASS" : "FAIL", r->check[i].criterion, r->check[i].observed);
    printf("result:    %s\n\n", r->passed ? "PASS" : "FAIL");
    fflush(stdout);
}

/* Creates the plot directory if it is missing. Returns 0, or -1 after a message. */
static int prepare_plot_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
        struct stat info;
        if (stat(dir, &info) == 0 && S_ISDIR(info.st_mode))
            return 0;
        fprintf(stderr, PROGRAM " experiment: --plot '%s' is not a directory\n", dir);
        return -1;
    }
    fprintf(stderr, PROGRAM " experiment: cannot create the plot directory '%s': %s\n", dir, strerror(errno));
    return -1;
}

/* Runs the experiments of indices[0..count-1]; returns the exit status. */
static int run_experiments(const int *indices, int count, const ExperimentOptions *o)
{
    if (o->plot_dir && prepare_plot_dir(o->plot_dir) < 0)
        return EXIT_RUNTIME;
    char err[512];
    ExperimentLab *lab = experiment_lab_create(o->seed, err, sizeof err);
    if (!lab) {
        fprintf(stderr, PROGRAM " experiment: %s\n", err);
        return EXIT_RUNTIME;
    }
    int passed = 0, status = EXIT_OK;
    if (o->json)
        printf("{\"seed\": %u, \"experiments\": [", (unsigned)o->seed);
    for (int i = 0; i < count; i++) {
        ExperimentResult result;
        if (experiment_run(lab, indices[i], &result, err, sizeof err) < 0) {
            fprintf(stderr, PROGRAM " experiment %s: %s\n", experiment_info(indices[i])->name, err);
            status = EXIT_RUNTIME;
            continue;
        }
        passed += result.passed;
        if (!result.passed)
            status = EXIT_RUNTIME;
        if (o->json) {
            printf("%s", i ? ", " : "");
            print_result_json(&result);
        } else
            print_result_text(&result);
        if (o->plot_dir) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.png", o->plot_dir, result.info->name);
            if (experiment_plot_write(&result, path, err, sizeof err) < 0) {
                fprintf(stderr, PROGRAM " experiment: %s\n", err);
                status = EXIT_RUNTIME;
            }
        }
        experiment_result_free(&result);
    }
    if (o->json)
        printf("], \"passed\": %d, \"failed\": %d}\n", passed, count - passed);
    else
        printf("%d of %d experiments passed (seed %u)\n", passed, count, (unsigned)o->seed);
    experiment_lab_free(lab);
    return status;
}

/* Runs over seeds: every chosen experiment at every seed, seeds shared out to workers (each
 * seed has its own lab, so which worker runs it changes nothing). */
typedef struct {
    const ExperimentOptions *options;
    const int *indices;
    int count;
    ExperimentResult *results; /* seed-major: results[seed * count + experiment] */
    char (*errors)[512];       /* per seed: why it could not run ("" if it ran) */
    atomic_int next;
} SeedRuns;

static void *run_seeds(void *user)
{
    SeedRuns *runs = user;
    for (int k; (k = atomic_fetch_add(&runs->next, 1)) < runs->options->seed_count;) {
        ExperimentLab *lab = experiment_lab_create(runs->options->seeds[k], runs->errors[k], sizeof runs->errors[k]);
        for (int i = 0; lab && i < runs->count; i++) {
            ExperimentResult *result = &runs->results[k * runs->count + i];
            if (experiment_run(lab, runs->indices[i], result, runs->errors[k], sizeof runs->errors[k]) < 0)
                break;
            experiment_result_free(result); /* only the checks are reported */
        }
        experiment_lab_free(lab);
    }
    return NULL;
}

/* "1 (criterion: observed; ...)": the failed checks of one run. */
static void print_failed_checks(const ExperimentResult *r)
{
    printf("%u (", (unsigned)r->seed);
    for (int c = 0, shown = 0; c < r->check_count; c++)
        if (!r->check[c].passed)
            printf("%s%s: %s", shown++ ? "; " : "", r->check[c].criterion, r->check[c].observed);
    printf(")");
}

static void print_seed_runs_json(const SeedRuns *runs, int passed_runs)
{
    const ExperimentOptions *o = runs->options;
    printf("{\"seeds\": [");
    for (int k = 0; k < o->seed_count; k++)
        printf("%s%u", k ? ", " : "", (unsigned)o->seeds[k]);
    printf("], \"experiments\": [");
    for (int i = 0; i < runs->count; i++) {
        printf("%s{", i ? ", " : "");
        print_json_field("name", experiment_info(runs->indices[i])->name, ", \"passed_seeds\": [");
        for (int k = 0, shown = 0; k < o->seed_count; k++)
            if (runs->results[k * runs->count + i].passed)
                printf("%s%u", shown++ ? ", " : "", (unsigned)o->seeds[k]);
        printf("], \"failed\": [");
        for (int k = 0, shown = 0; k < o->seed_count; k++) {
            const ExperimentResult *r = &runs->results[k * runs->count + i];
            if (r->passed)
                continue;
            printf("%s{\"seed\": %u, \"checks\": [", shown++ ? ", " : "", (unsigned)o->seeds[k]);
            for (int c = 0, listed = 0; c < r->check_count; c++)
                if (!r->check[c].passed) {
                    printf("%s{", listed++ ? ", " : "");
                    print_json_field("criterion", r->check[c].criterion, ", ");
                    print_json_field("observed", r->check[c].observed, "}");
                }
            printf("]}");
        }
        printf("]}");
    }
    printf("], \"runs\": %d, \"passed\": %d}\n", o->seed_count * runs->count, passed_runs);
}

static void print_seed_runs_text(const SeedRuns *runs, int passed_runs)
{
    const ExperimentOptions *o = runs->options;
    printf("%d experiment%s at %d seeds (", runs->count, runs->count == 1 ? "" : "s", o->seed_count);
    for (int k = 0; k < o->seed_count; k++)
        printf("%s%u", k ? " " : "", (unsigned)o->seeds[k]);
    printf("):\n");
    for (int i = 0; i < runs->count; i++) {
        int passed = 0;
        for (int k = 0; k < o->seed_count; k++)
            passed += runs->results[k * runs->count + i].passed;
        printf("  %-12s %d of %d seeds", experiment_info(runs->indices[i])->name, passed, o->seed_count);
        for (int k = 0, shown = 0; k < o->seed_count; k++)
            if (!runs->results[k * runs->count + i].passed) {
                printf(shown++ ? ", " : "; failed at ");
                print_failed_checks(&runs->results[k * runs->count + i]);
            }
        printf("\n");
    }
    printf("%d of %d runs passed\n", passed_runs, o->seed_count * runs->count);
}

/* Runs the experiments of indices[0..count-1] at every seed of --seeds; returns the exit status. */
static int run_over_seeds(const int *indices, int count, const ExperimentOptions *o)
{
    SeedRuns runs = {o, indices, count, calloc((size_t)(o->seed_count * count), sizeof *runs.results),
                     calloc((size_t)o->seed_count, sizeof *runs.errors), 0};
    int jobs = o->jobs < o->seed_count ? o->jobs : o->seed_count;
    pthread_t workers[MAX_JOBS];
    int started = 0;
    if (!runs.results || !runs.errors) {
        fprintf(stderr, PROGRAM " experiment: out of memory\n");
        free(runs.results), free(runs.errors);
        return EXIT_RUNTIME;
    }
    while (started < jobs - 1 && pthread_create(&workers[started], NULL, run_seeds, &runs) == 0)
        started++;
    run_seeds(&runs); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(workers[t], NULL);
    int status = EXIT_OK, passed_runs = 0;
    for (int k = 0; k < o->seed_count; k++)
        if (runs.errors[k][0]) {
            fprintf(stderr, PROGRAM " experiment: seed %u: %s\n", (unsigned)o->seeds[k], runs.errors[k]);
            status = EXIT_RUNTIME;
        }
    for (int r = 0; r < o->seed_count * count; r++)
        passed_runs += runs.results[r].passed;
    if (status == EXIT_OK) {
        if (o->json)
            print_seed_runs_json(&runs, passed_runs);
        else
            print_seed_runs_text(&runs, passed_runs);
        if (passed_runs < o->seed_count * count)
            status = EXIT_RUNTIME;
    }
    free(runs.results), free(runs.errors);
    return status;
}

int command_experiment(int argc, char **argv)
{
    ExperimentOptions o;
    int parsed = parse_experiment(argc, argv, &o);
    if (parsed)
        return parsed == 1 ? EXIT_OK : EXIT_USAGE;
    if (optind >= argc) {
        fprintf(stderr, PROGRAM " experiment: expected list, run NAME... or all\n");
        print_experiment_help(stderr);
        return EXIT_USAGE;
    }
    const char *action = argv[optind];
    int names = argc - optind - 1;
    if (strcmp(action, "list") == 0 && names == 0) {
        list_experiments();
        return EXIT_OK;
    }
    int indices[64];
    int count = 0;
    if (strcmp(action, "all") == 0 && names == 0) {
        for (int i = 0; i < experiment_count() && i < 64; i++)
            indices[count++] = i;
    } else if (strcmp(action, "run") == 0 && names > 0 && names <= 64) {
        for (int i = 0; i < names; i++) {
            const char *name = argv[optind + 1 + i];
            if ((indices[count++] = experiment_find(name)) < 0) {
                fprintf(stderr, PROGRAM " experiment: no experiment '%s'; the experiments are: ", name);
                print_names(stderr);
                return EXIT_USAGE;
            }
        }
    } else {
        fprintf(stderr, PROGRAM " experiment: expected list, run NAME... or all, not '%s'%s\n", action,
                strcmp(action, "run") == 0 ? " without names" : (names ? " with more words" : ""));
        print_experiment_help(stderr);
        return EXIT_USAGE;
    }
    return o.seed_count > 0 ? run_over_seeds(indices, count, &o) : run_experiments(indices, count, &o);
}
