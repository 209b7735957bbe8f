/* homunculus-core-demo: trains one right hand's finger map on a built-in practice diet and
 * prints the map before and after, side by side, with the metrics a researcher reads off it.
 * It stands in for the full `homunculus` program until that exists (README: the main job).
 *
 * Exit status: 0 ok, 1 runtime failure (files), 2 usage (options, numbers, parameters). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diet.h"
#include "files.h"
#include "metrics.h"
#include "model.h"
#include "params.h"
#include "state.h"

#ifndef HM_VERSION
#define HM_VERSION "0.1.0"
#endif

#define PROGRAM "homunculus-core-demo"
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

#define DEFAULT_STIMULI 20000u
#define MAX_STIMULI 100000000u
#define TOUCH_INTERVAL_S 0.25   /* model time between two touches, awake */
#define MAX_SETS 64
#define MAX_KEY 64
#define MAX_STATE_FILE (256u * 1024u * 1024u) /* above any valid state (64 x 64 sheet, 32 x 32 grid: ~34 MB) */
#define SCREEN_COLUMNS 100
#define MAP_GAP 4               /* columns between the two maps */
#define ERR_SIZE 512

typedef enum { DIET_MIXED, DIET_D2_HEAVY, DIET_GLUED_D3D4, DIET_GRASP, DIET_KINDS } DietKind;

static const char *const DIET_NAMES[DIET_KINDS] = {"mixed", "d2-heavy", "glued-d3d4", "grasp"};
static const char *const DIGIT_NAMES[SKIN_DIGITS] = {"thumb", "index", "middle", "ring", "little"};
/* ANSI 256-colour backgrounds, one per digit: light red, amber, green, blue, violet */
static const int DIGIT_COLOURS[SKIN_DIGITS] = {210, 222, 150, 117, 183};

typedef struct {
    char key[MAX_KEY];
    double value;
} ParamOverride;

typedef struct {
    uint64_t stimuli;
    uint32_t seed;
    DietKind diet;
    const char *save_path;
    const char *load_path;
    bool no_color;
    int set_count;
    ParamOverride sets[MAX_SETS];
} Options;

/* One map picture: per unit the preferred digit (-1 none) and its selectivity. */
typedef struct {
    int8_t *digit;
    float *selectivity;
} MapPicture;

/* The map and its metrics at one moment. */
typedef struct {
    MapPicture picture;
    MapMetrics metrics;
} Snapshot;

typedef enum { PARSE_RUN, PARSE_DONE, PARSE_USAGE } ParseResult;

/* ---------------------------------------------------------------- messages and help */

/* Prints "homunculus-core-demo: <message>" on stderr. */
static void complain(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void complain(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "%s: ", PROGRAM);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

/* Formats a parameter value short: whole numbers in full, others to float precision. */
static void format_number(double value, char *text, size_t size)
{
    if (value == floor(value) && fabs(value) < 1e10)
        snprintf(text, size, "%.0f", value);
    else
        snprintf(text, size, "%.6g", value);
}

/* Prints the usage text and every model parameter with its range and default. */
static void print_help(FILE *out)
{
    fprintf(out,
            "Usage: %s [OPTION]...\n"
            "Train a model of a right hand's finger map in somatosensory cortex on a built-in\n"
            "practice diet and print the map before and after, with its metrics.\n"
            "\n"
            "  --stimuli N        touches to train on (default %u, at most %u)\n"
            "  --seed N           seed of the model and of the diet's random draws (default 1;\n"
            "                     with --load only the diet's: the saved model keeps its own)\n"
            "  --diet NAME        mixed       everyday use: single digits (90 %%), neighbour pairs (10 %%)\n"
            "                     d2-heavy    mixed, with D2 alone touched 4x as often as each other\n"
            "                                 digit alone (over-stimulation, Jenkins 1990)\n"
            "                     glued-d3d4  mixed, but D3 and D4 always together (syndactyly, Clark 1988)\n"
            "                     grasp       all five digits together every time (Byl 1996)\n"
            "  --set KEY=VALUE    set a model parameter (repeatable; list below)\n"
            "  --save FILE        write the trained state to FILE (via FILE.tmp, then renamed)\n"
            "  --load FILE        start from a saved state instead of a new ordered hand map;\n"
            "                     --set then changes the saved parameters (not its geometry)\n"
            "  --no-color         no colours (also when NO_COLOR is set or stdout is not a terminal)\n"
            "  --help             show this help\n"
            "  --version          show the version\n"
            "\n"
            "Between two touches %.2f s of model time pass awake (a touch every quarter second);\n"
            "no night of sleep is applied after training, so the early (labile) part of the\n"
            "change is still in the map.\n"
            "\n"
            "Exit status: 0 ok, 1 runtime failure (files), 2 usage error.\n"
            "\n"
            "Model parameters (--set KEY=VALUE), with their range and default (docs/model.md):\n",
            PROGRAM, DEFAULT_STIMULI, MAX_STIMULI, TOUCH_INTERVAL_S);
    ModelParams defaults;
    model_params_default(&defaults);
    size_t count;
    const ParamInfo *table = model_param_table(&count);
    for (size_t i = 0; i < count; i++)
    {
        char min[32], max[32], value[32];
        format_number(table[i].min, min, sizeof min);
        format_number(table[i].max, max, sizeof max);
        format_number(model_param_get(&defaults, &table[i]), value, sizeof value);
        fprintf(out, "  %-25s %s .. %s%s%s, default %s\n      %s\n", table[i].key, min, max,
                table[i].unit[0] ? " " : "", table[i].unit, value, table[i].help);
    }
}

/* ---------------------------------------------------------------- option parsing */

/* Parses a whole decimal number in [min, max]; returns 0, or -1 on anything else. */
static int parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    if (text[0] < '0' || text[0] > '9')
        return -1; /* no sign, no space, not empty */
    errno = 0;
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max)
        return -1;
    *out = value;
    return 0;
}

/* Parses --diet's name. */
static int parse_diet(const char *text, DietKind *out)
{
    for (int k = 0; k < DIET_KINDS; k++)
        if (strcmp(text, DIET_NAMES[k]) == 0) {
            *out = (DietKind)k;
            return 0;
        }
    return -1;
}

/* Parses one --set KEY=VALUE and checks it against the parameter table (name and range). */
static int parse_set(const char *text, Options *opts)
{
    const char *equals = strchr(text, '=');
    if (!equals || equals == text) {
        complain("--set '%s': expected KEY=VALUE, e.g. --set inhibition_strength=1.5", text);
        return -1;
    }
    size_t key_length = (size_t)(equals - text);
    if (opts->set_count >= MAX_SETS) {
        complain("--set: at most %d parameters can be set", MAX_SETS);
        return -1;
    }
    ParamOverride *set = &opts->sets[opts->set_count];
    if (key_length >= sizeof set->key) {
        complain("--set: unknown model parameter '%.*s' (see --help)", (int)key_length, text);
        return -1;
    }
    memcpy(set->key, text, key_length);
    set->key[key_length] = '\0';
    const char *value_text = equals + 1;
    char *end;
    errno = 0;
    set->value = strtod(value_text, &end);
    if (value_text[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(set->value)) {
        complain("--set %s: '%s' is not a number", set->key, value_text);
        return -1;
    }
    ModelParams scratch;
    model_params_default(&scratch);
    char err[ERR_SIZE];
    if (model_param_set(&scratch, set->key, set->value, err, sizeof err) != 0) {
        complain("--set: %s%s", err, model_param_find(set->key) ? "" : " (see --help for the list)");
        return -1;
    }
    opts->set_count++;
    return 0;
}

/* Handles one option with an argument; returns 0, or -1 after a message. */
static int parse_argument(int option, const char *arg, Options *opts)
{
    uint64_t number;
    switch (option) {
    case 'n':
        if (parse_uint(arg, 0, MAX_STIMULI, &number) != 0) {
            complain("--stimuli: '%s' is not a whole number in 0..%u", arg, MAX_STIMULI);
            return -1;
        }
        opts->stimuli = number;
        return 0;
    case 's':
        if (parse_uint(arg, 0, UINT32_MAX, &number) != 0) {
            complain("--seed: '%s' is not a whole number in 0..%" PRIu32, arg, UINT32_MAX);
            return -1;
        }
        opts->seed = (uint32_t)number;
        return 0;
    case 'd':
        if (parse_diet(arg, &opts->diet) != 0) {
            complain("--diet: unknown diet '%s' (expected mixed, d2-heavy, glued-d3d4 or grasp)", arg);
            return -1;
        }
        return 0;
    case 'p':
        return parse_set(arg, opts);
    case 'w':
        opts->save_path = arg;
        return 0;
    case 'l':
        opts->load_path = arg;
        return 0;
    default:
        return -1;
    }
}

/* Reads the command line into opts. */
static ParseResult parse_options(int argc, char **argv, Options *opts)
{
    static const struct option long_options[] = {
        {"stimuli", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
        {"diet", required_argument, NULL, 'd'},    {"set", required_argument, NULL, 'p'},
        {"save", required_argument, NULL, 'w'},    {"load", required_argument, NULL, 'l'},
        {"no-color", no_argument, NULL, 'c'},      {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
    };
    memset(opts, 0, sizeof *opts);
    opts->stimuli = DEFAULT_STIMULI;
    opts->seed = 1;
    opts->diet = DIET_MIXED;
    int option;
    while ((option = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (option == 'h') {
            print_help(stdout);
            return PARSE_DONE;
        }
        if (option == 'V') {
            printf("%s %s (saved state format %d)\n", PROGRAM, HM_VERSION, STATE_MODEL_VERSION);
            return PARSE_DONE;
        }
        if (option == 'c') {
            opts->no_color = true;
            continue;
        }
        if (option == '?' || parse_argument(option, optarg, opts) != 0)
            goto usage; /* getopt_long has named an unknown option itself */
    }
    if (optind < argc) {
        complain("unexpected argument '%s' (this program takes options only)", argv[optind]);
        goto usage;
    }
    return PARSE_RUN;
usage:
    fprintf(stderr, "Try '%s --help' for more information.\n", PROGRAM);
    return PARSE_USAGE;
}

/* ---------------------------------------------------------------- files */

/* Checks that the directory a file would be written into exists (before any training). */
static int check_save_directory(const char *path)
{
    char err[512];
    if (files_check_directory(path, err, sizeof err) != 0) {
        complain("%s", err);
        return -1;
    }
    return 0;
}

static int write_file_atomic(const char *path, const uint8_t *data, size_t size)
{
    char err[512];
    if (files_write_atomic(path, data, size, err, sizeof err) != 0) {
        complain("%s", err);
        return -1;
    }
    return 0;
}

static int read_file(const char *path, uint8_t **data, size_t *size)
{
    char err[512];
    if (files_read(path, MAX_STATE_FILE, data, size, err, sizeof err) != 0) {
        complain("%s", err);
        return -1;
    }
    return 0;
}

/* Saves the model's state to path (as state_model_write lays it out). */
static int save_model(const Model *model, const char *path)
{
    size_t size = state_model_size(model);
    uint8_t *data = size ? malloc(size) : NULL;
    if (!data) {
        complain("cannot save to '%s': %s", path, size ? "out of memory" : "the model cannot be serialised");
        return -1;
    }
    size_t written = state_model_write(model, (int64_t)time(NULL), data, size);
    int status = written == size ? write_file_atomic(path, data, size) : -1;
    if (written != size)
        complain("cannot save to '%s': serialising the model failed", path);
    free(data);
    return status;
}

/* ---------------------------------------------------------------- the model */

/* Applies the --set overrides to params; returns 0, or -1 after a message. */
static int apply_sets(const Options *opts, ModelParams *params)
{
    char err[ERR_SIZE];
    for (int i = 0; i < opts->set_count; i++)
        if (model_param_set(params, opts->sets[i].key, opts->sets[i].value, err, sizeof err) != 0) {
            complain("--set: %s", err);
            return -1;
        }
    return 0;
}

/* A new model from the defaults, the seed and the overrides; exit status in *status. */
static Model *create_model(const Options *opts, int *status)
{
    ModelParams params;
    model_params_default(&params);
    params.seed = opts->seed;
    char err[ERR_SIZE];
    if (apply_sets(opts, &params) != 0) {
        *status = EXIT_USAGE;
        return NULL;
    }
    Model *model = model_create(&params, err, sizeof err);
    if (!model) {
        complain("cannot create the model: %s", err);
        *status = EXIT_USAGE;
    }
    return model;
}

/* A model made from the saved state's parameters changed by --set, with the saved learned
 * state restored into it; NULL after a message (a usage error: the --set does not fit). */
static Model *load_with_sets(const Options *opts, const Model *saved, const uint8_t *data, size_t size)
{
    ModelParams params = *model_get_params(saved);
    if (apply_sets(opts, &params) != 0)
        return NULL;
    char err[ERR_SIZE];
    Model *model = model_create(&params, err, sizeof err);
    if (!model) {
        complain("cannot apply --set to the state in '%s': %s", opts->load_path, err);
        return NULL;
    }
    StateStatus result = state_model_restore(model, data, size, NULL, err, sizeof err);
    if (result != STATE_OK) {
        complain("--set does not fit the state saved in '%s': %s: %s", opts->load_path,
                 state_strerror(result), err);
        model_free(model);
        return NULL;
    }
    return model;
}

/* A model from the state saved in opts->load_path (with --set applied); exit status in
 * *status when it fails. */
static Model *load_model(const Options *opts, int *status)
{
    uint8_t *data;
    size_t size;
    *status = EXIT_RUNTIME;
    if (read_file(opts->load_path, &data, &size) != 0)
        return NULL;
    char err[ERR_SIZE] = "";
    Model *model = NULL;
    StateStatus result = state_model_read(data, size, &model, NULL, err, sizeof err);
    if (result != STATE_OK) {
        complain("cannot load '%s': %s: %s", opts->load_path, state_strerror(result), err);
    } else if (opts->set_count > 0) {
        Model *changed = load_with_sets(opts, model, data, size);
        model_free(model);
        model = changed;
        *status = EXIT_USAGE;
    }
    free(data);
    return model;
}

/* Builds the practice diet of kind from everyday mixed use. */
static void build_diet(DietKind kind, Diet *diet)
{
    diet_mixed_use(diet);
    if (kind == DIET_GRASP) {
        diet_init(diet);
        diet_add(diet, (1u << SKIN_DIGITS) - 1u, 1.0f);
        return;
    }
    const unsigned d2 = 1u << 1, d3d4 = (1u << 2) | (1u << 3);
    for (int i = 0; i < diet->count; i++) {
        TouchPattern *pattern = &diet->pattern[i];
        if (kind == DIET_D2_HEAVY && pattern->digits == d2)
            pattern->weight *= 4.0f;
        if (kind == DIET_GLUED_D3D4 && (pattern->digits & d3d4))
            pattern->digits |= d3d4; /* a touch of D3 or D4 lands on both */
    }
}

/* Shows training progress on stderr as a percentage (only called when stderr is a tty). */
static void show_progress(uint64_t done, uint64_t total)
{
    fprintf(stderr, "\rtraining: %" PRIu64 " / %" PRIu64 " stimuli (%3d %%)", done, total,
            (int)(100.0 * (double)done / (double)total));
    fflush(stderr);
}

/* Presents count stimuli drawn from diet, letting TOUCH_INTERVAL_S pass awake after each,
 * in 100 chunks so that progress can be shown. */
static void train(Model *model, const Diet *diet, uint32_t seed, uint64_t count)
{
    Rng rng;
    rng_seed(&rng, (uint64_t)seed ^ 0x9e3779b97f4a7c15ULL); /* a stream apart from the model's */
    float stimulus[SKIN_MAX_RECEPTORS];
    bool progress = count > 0 && isatty(STDERR_FILENO);
    uint64_t chunk = count / 100 + 1;
    for (uint64_t done = 0; done < count; done += chunk) {
        if (progress)
            show_progress(done, count);
        uint64_t touches = count - done < chunk ? count - done : chunk;
        diet_practise(diet, model, &rng, (int)touches, TOUCH_INTERVAL_S, stimulus);
    }
    if (progress)
        fputs("\r\033[K", stderr);
}

/* Computes the metrics of model into snapshot and keeps a copy of the per-unit picture. */
static void take_snapshot(MetricsProbe *probe, const Model *model, Snapshot *snapshot)
{
    size_t units = (size_t)model_unit_count(model);
    metrics_compute(probe, model, &snapshot->metrics);
    memcpy(snapshot->picture.digit, metrics_preferred_digit(probe), units * sizeof *snapshot->picture.digit);
    memcpy(snapshot->picture.selectivity, metrics_selectivity(probe),
           units * sizeof *snapshot->picture.selectivity);
}

/* Allocates a snapshot's picture for units units; returns 0 or -1. */
static int snapshot_alloc(Snapshot *snapshot, int units)
{
    snapshot->picture.digit = calloc((size_t)units, sizeof *snapshot->picture.digit);
    snapshot->picture.selectivity = calloc((size_t)units, sizeof *snapshot->picture.selectivity);
    return snapshot->picture.digit && snapshot->picture.selectivity ? 0 : -1;
}

static void snapshot_free(Snapshot *snapshot)
{
    free(snapshot->picture.digit);
    free(snapshot->picture.selectivity);
}

/* ---------------------------------------------------------------- output */

/* Whether stdout should get ANSI colours. */
static bool use_colour(const Options *opts)
{
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return !opts->no_color && isatty(STDOUT_FILENO) && !(no_color && no_color[0]) &&
           !(term && strcmp(term, "dumb") == 0);
}

/* Prints one unit: its preferred digit 1..5, or '.' when unresponsive. In colour the
 * background is the digit's colour, bold black when the unit is selective (>= 0.5), grey
 * when several digits drive it. */
static void print_unit(int digit, float selectivity, bool colour)
{
    char glyph = digit < 0 ? '.' : (char)('1' + digit);
    if (!colour || digit < 0)
        putchar(glyph);
    else if (selectivity >= 0.5f)
        printf("\033[1;38;5;16;48;5;%dm%c\033[0m", DIGIT_COLOURS[digit], glyph);
    else
        printf("\033[38;5;241;48;5;%dm%c\033[0m", DIGIT_COLOURS[digit], glyph);
}

/* Prints row of a map picture (n units). */
static void print_map_row(const MapPicture *picture, int n, int row, bool colour)
{
    for (int col = 0; col < n; col++)
        print_unit(picture->digit[row * n + col], picture->selectivity[row * n + col], colour);
}

/* Prints the before and after maps: side by side when they fit, else one above the other. */
static void print_maps(const Snapshot *before, const Snapshot *after, int n, const char *before_title,
                       const char *after_title, bool colour)
{
    int before_width = (int)strlen(before_title) > n ? (int)strlen(before_title) : n;
    int after_width = (int)strlen(after_title) > n ? (int)strlen(after_title) : n;
    bool side_by_side = before_width + MAP_GAP + after_width <= SCREEN_COLUMNS;
    if (side_by_side) {
        printf("%-*s%s\n", before_width + MAP_GAP, before_title, after_title);
        for (int row = 0; row < n; row++) {
            print_map_row(&before->picture, n, row, colour);
            printf("%*s", before_width - n + MAP_GAP, "");
            print_map_row(&after->picture, n, row, colour);
            putchar('\n');
        }
        return;
    }
    const Snapshot *maps[2] = {before, after};
    const char *titles[2] = {before_title, after_title};
    for (int m = 0; m < 2; m++) {
        printf("%s%s\n", m ? "\n" : "", titles[m]);
        for (int row = 0; row < n; row++) {
            print_map_row(&maps[m]->picture, n, row, colour);
            putchar('\n');
        }
    }
}

/* Explains the map's characters (and colours). */
static void print_legend(bool colour)
{
    printf("each unit shows the digit that drives it most:");
    for (int d = 0; d < SKIN_DIGITS; d++) {
        putchar(' ');
        print_unit(d, 1.0f, colour);
        printf(" %s", DIGIT_NAMES[d]);
    }
    printf(", . none\n");
    if (colour)
        printf("bold: selective, only that digit drives the unit; grey: other digits drive it too\n");
    printf("left to right: across the digits; top to bottom: fingertip to base\n");
}

/* Prints a table's two heading lines: each group's title centred over its before/after
 * columns, then the column names beside the row label's heading. */
static void print_table_heading(const char *row_heading, const char *const *titles, int groups)
{
    enum { LABEL = 18, GROUP = 19, NUMBERS = 16 }; /* a group: 3 spaces, then two 8-wide numbers */
    char line[SCREEN_COLUMNS + 1];
    memset(line, ' ', sizeof line);
    int end = 0;
    for (int g = 0; g < groups; g++) {
        int length = (int)strlen(titles[g]);
        int start = LABEL + g * GROUP + (GROUP - NUMBERS) + (NUMBERS - length + 1) / 2 + 1;
        if (start + length > SCREEN_COLUMNS)
            break;
        memcpy(line + start, titles[g], (size_t)length);
        end = start + length;
    }
    line[end] = '\0';
    printf("%s\n%-*s", line, LABEL, row_heading);
    for (int g = 0; g < groups; g++)
        printf("   %8s%8s", "before", "after");
    putchar('\n');
}

/* One table row of a before/after pair per column group. */
static void print_row(const char *label, const float *before, const float *after, int groups,
                      const char *format)
{
    printf("%-18s", label);
    for (int g = 0; g < groups; g++) {
        printf("   ");
        printf(format, (double)before[g]);
        printf(format, (double)after[g]);
    }
    putchar('\n');
}

/* The per-digit table: area %, area mm^2, RF size, largest patch %. */
static void print_digit_table(const MapMetrics *b, const MapMetrics *a)
{
    static const char *const titles[4] = {"area %", "area mm2", "RF (points)", "largest patch %"};
    print_table_heading("digit", titles, 4);
    for (int d = 0; d < SKIN_DIGITS; d++) {
        float before[4] = {100.0f * b->area_fraction[d], b->area_mm2[d], b->rf_points[d],
                           100.0f * b->largest_patch_fraction[d]};
        float after[4] = {100.0f * a->area_fraction[d], a->area_mm2[d], a->rf_points[d],
                          100.0f * a->largest_patch_fraction[d]};
        char label[32];
        snprintf(label, sizeof label, "D%d %s", d + 1, DIGIT_NAMES[d]);
        print_row(label, before, after, 4, "%8.1f");
    }
    float before_none = 100.0f * b->unresponsive_fraction, after_none = 100.0f * a->unresponsive_fraction;
    print_row("unresponsive", &before_none, &after_none, 1, "%8.1f");
}

/* The neighbouring-pair table: Dice overlap, border sharpness, centroid distance. */
static void print_pair_table(const MapMetrics *b, const MapMetrics *a)
{
    static const char *const titles[3] = {"Dice overlap", "border sharp.", "distance mm"};
    putchar('\n');
    print_table_heading("neighbours", titles, 3);
    for (int pair = 0; pair < METRICS_PAIRS; pair++) {
        float before[3] = {b->overlap[pair][pair + 1], b->border_sharpness[pair], b->neighbour_distance_mm[pair]};
        float after[3] = {a->overlap[pair][pair + 1], a->border_sharpness[pair], a->neighbour_distance_mm[pair]};
        printf("%-18s", metrics_pair_name(pair));
        for (int g = 0; g < 3; g++)
            printf("   %8.2f%8.2f", (double)before[g], (double)after[g]);
        putchar('\n');
    }
}

/* The whole-map rows: multi-digit fraction, mean RF size, D1-D5 distance, overlap risk. */
static void print_map_table(const MapMetrics *b, const MapMetrics *a)
{
    printf("\n%-30s%10s%16s\n", "whole map", "before", "after");
    printf("%-30s%10.1f%16.1f\n", "multi-digit units %", 100.0 * b->multi_digit_fraction,
           100.0 * a->multi_digit_fraction);
    printf("%-30s%10.1f%16.1f\n", "mean RF size (points)", (double)b->rf_points_mean, (double)a->rf_points_mean);
    printf("%-30s%10.1f%16.1f\n", "D1-D5 distance mm", (double)b->d1_d5_distance_mm,
           (double)a->d1_d5_distance_mm);
    printf("%-30s%10.2f %-5s%10.2f %-5s\n", "overlap risk (0 healthy..1)", (double)b->overlap_risk,
           b->risk_pair >= 0 ? metrics_pair_name(b->risk_pair) : "", (double)a->overlap_risk,
           a->risk_pair >= 0 ? metrics_pair_name(a->risk_pair) : "");
    printf("\noverlap risk: how far the map has moved from a healthy baseline toward merged digits,\n"
           "and the neighbouring pair driving it. A model index, never a diagnosis: imaging studies\n"
           "disagree on such changes in musicians (Elbert 1998 vs Sadnicka 2021).\n");
}

/* Formats seconds of model time in the unit a reader expects (s, min or h). */
static void format_duration(double seconds, char *text, size_t size)
{
    if (seconds < 120.0)
        snprintf(text, size, "%.0f s", seconds);
    else if (seconds < 7200.0)
        snprintf(text, size, "%.0f min", seconds / 60.0);
    else
        snprintf(text, size, "%.1f h", seconds / 3600.0);
}

/* Prints the header: what was trained, on what, for how long. */
static void print_header(const Options *opts, const Model *model, uint64_t stimuli_before)
{
    const ModelParams *p = model_get_params(model);
    printf("Homunculus core demo: right hand | seed %" PRIu32 " | %" PRIu64 " stimuli | diet %s | "
           "sheet %dx%d (%g mm)\n",
           opts->seed, opts->stimuli, DIET_NAMES[opts->diet], p->sheet_size, p->sheet_size,
           (double)p->sheet_width_mm);
    char duration[32];
    format_duration((double)opts->stimuli * TOUCH_INTERVAL_S, duration, sizeof duration);
    printf("a touch every %.2f s awake: %s of model time; no night of sleep applied\n", TOUCH_INTERVAL_S,
           duration);
    if (opts->load_path)
        printf("started from '%s' (%" PRIu64 " stimuli learned before)\n", opts->load_path, stimuli_before);
    putchar('\n');
}

/* Prints everything: header, maps, legend and the metric tables. */
static void print_report(const Options *opts, const Model *model, const Snapshot *before,
                         const Snapshot *after, uint64_t stimuli_before)
{
    bool colour = use_colour(opts);
    char before_title[64], after_title[64];
    snprintf(before_title, sizeof before_title, "before (%s)", opts->load_path ? "loaded" : "ordered start");
    snprintf(after_title, sizeof after_title, "after %" PRIu64 " stimuli", opts->stimuli);
    print_header(opts, model, stimuli_before);
    print_maps(before, after, model_sheet_size(model), before_title, after_title, colour);
    print_legend(colour);
    putchar('\n');
    print_digit_table(&before->metrics, &after->metrics);
    print_pair_table(&before->metrics, &after->metrics);
    print_map_table(&before->metrics, &after->metrics);
}

/* ---------------------------------------------------------------- main */

/* Trains model on the chosen diet between a before and an after snapshot and prints them;
 * returns an exit status. */
static int run(const Options *opts, Model *model)
{
    if (model_get_params(model)->skin_layout != SKIN_HAND) {
        complain("the demo needs the hand layout (skin_layout = 0) to touch digits and measure them");
        return opts->load_path ? EXIT_RUNTIME : EXIT_USAGE;
    }
    MetricsProbe *probe = metrics_probe_create(model);
    Snapshot before = {0}, after = {0};
    int status = EXIT_RUNTIME;
    if (!probe || snapshot_alloc(&before, model_unit_count(model)) != 0 ||
        snapshot_alloc(&after, model_unit_count(model)) != 0) {
        complain("out of memory");
        goto done;
    }
    ModelScalars scalars;
    model_get_scalars(model, &scalars);
    Diet diet;
    build_diet(opts->diet, &diet);
    take_snapshot(probe, model, &before);
    train(model, &diet, opts->seed, opts->stimuli);
    take_snapshot(probe, model, &after);
    print_report(opts, model, &before, &after, scalars.stimuli);
    fflush(stdout);
    status = EXIT_SUCCESS;
    if (opts->save_path) {
        if (save_model(model, opts->save_path) != 0)
            status = EXIT_RUNTIME;
        else
            printf("\nsaved the trained state to '%s'\n", opts->save_path);
    }
done:
    snapshot_free(&before);
    snapshot_free(&after);
    metrics_probe_free(probe);
    return status;
}

int main(int argc, char **argv)
{
    static Options opts; /* large (the --set list): not on the stack */
    switch (parse_options(argc, argv, &opts)) {
    case PARSE_DONE:
        return EXIT_SUCCESS;
    case PARSE_USAGE:
        return EXIT_USAGE;
    case PARSE_RUN:
        break;
    }
    if (opts.save_path && check_save_directory(opts.save_path) != 0)
        return EXIT_RUNTIME;
    int status = EXIT_SUCCESS;
    Model *model = opts.load_path ? load_model(&opts, &status) : create_model(&opts, &status);
    if (!model)
        return status;
    status = run(&opts, model);
    model_free(model);
    return status;
}
