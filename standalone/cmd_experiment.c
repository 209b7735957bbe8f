/* homunculus experiment: lists and runs the built-in replications of published experiments
 * (experiments.h), printing each one's protocol, the published expectation and source, the
 * observed values and PASS/FAIL; optionally as JSON and with one PNG figure per experiment. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "experiment_plot.h"
#include "experiments.h"

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
            "  --help       this text\n"
            "Exit status: 0 every experiment passed, 1 one failed (or a figure could not be written),\n"
            "2 usage error (e.g. an unknown NAME). docs/validation.md describes each experiment.\n",
            EXPERIMENT_DEFAULT_SEED);
}

typedef struct {
    const char *plot_dir;
    bool json;
    uint32_t seed;
} ExperimentOptions;

/* Parses the options; returns 0, 1 when help was printed, or 2 after a usage message. */
static int parse_experiment(int argc, char **argv, ExperimentOptions *o)
{
    static const struct option options[] = {{"plot", required_argument, NULL, 'p'},
                                             {"json", no_argument, NULL, 'j'},
                                             {"seed", required_argument, NULL, 's'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    *o = (ExperimentOptions){.seed = EXPERIMENT_DEFAULT_SEED};
    int option;
    long seed;
    optind = 1;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (option) {
        case 'p':
            o->plot_dir = optarg;
            break;
        case 'j':
            o->json = true;
            break;
        case 's':
            if (cli_parse_whole(optarg, 0, 4294967295L, &seed) != 0) {
                fprintf(stderr, PROGRAM " experiment: --seed '%s' is not a whole number in 0..4294967295\n",
                        optarg);
                return 2;
            }
            o->seed = (uint32_t)seed;
            break;
        case 'h':
            print_experiment_help(stdout);
            return 1;
        default:
            print_experiment_help(stderr);
            return 2;
        }
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
    return run_experiments(indices, count, &o);
}
