/* homunculus report: a picture (PNG or SVG) of both hands' maps, coloured by preferred
 * finger, with a legend and the metrics beside them, from a profile or a saved state. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "engine.h"
#include "engine_file.h"
#include "files.h"
#include "map_picture.h"
#include "picture_file.h"
#include "profile.h"
#include "profile_session.h"

#define PAGE_WIDTH 960
#define PAGE_HEIGHT 520
#define MAP_SIZE 260.0
#define MAP_TOP 90.0

static void print_report_help(FILE *out)
{
    fprintf(out, "usage: " PROGRAM " report [--profile NAME | --state FILE] -o OUT.png|OUT.svg\n"
                 "Draws both hands' finger maps (each unit coloured by the finger it prefers, darker\n"
                 "where it answers to several) with their overlap-risk bars and the metrics beside them.\n"
                 "  --profile NAME   a profile (default '" PROFILE_DEFAULT_NAME "'), as it is now: the time since it\n"
                 "                   was saved is applied as rest and sleep (the profile is not changed)\n"
                 "  --state FILE     a saved engine state, as it was saved\n"
                 "  --sleep H-H      local hours that count as sleep (default 23-7; with --profile)\n"
                 "  -o, --output OUT the picture; PNG or SVG by the extension\n");
}

typedef struct {
    const char *profile, *state, *output;
    SleepWindow sleep_window;
    PictureFormat format;
} ReportOptions;

/* Returns 0, 1 when help was printed, 2 after a usage message. */
static int parse_report(int argc, char **argv, ReportOptions *o)
{
    static const struct option options[] = {{"profile", required_argument, NULL, 'p'},
                                            {"state", required_argument, NULL, 's'},
                                            {"sleep", required_argument, NULL, 'S'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    *o = (ReportOptions){.sleep_window = SLEEP_WINDOW_DEFAULT};
    int option;
    optind = 1;
    while ((option = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
        switch (option) {
        case 'p':
            if (cli_option_profile("report", optarg, &o->profile) != 0)
                return 2;
            break;
        case 's':
            o->state = optarg;
            break;
        case 'S':
            if (cli_option_sleep("report", optarg, &o->sleep_window) != 0)
                return 2;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'h':
            print_report_help(stdout);
            return 1;
        default:
            print_report_help(stderr);
            return 2;
        }
    }
    const char *problem = NULL;
    if (optind != argc)
        problem = "unexpected arguments after the options";
    else if (o->profile && o->state)
        problem = "--profile and --state are alternatives: give one";
    else if (!o->output)
        problem = "expected -o OUT.png or OUT.svg";
    else if ((int)(o->format = (PictureFormat)picture_format_of(o->output)) < 0)
        problem = "the output's extension must be .png or .svg";
    if (problem) {
        fprintf(stderr, PROGRAM " report: %s\n", problem);
        print_report_help(stderr);
        return 2;
    }
    if (!o->state && !o->profile)
        o->profile = PROFILE_DEFAULT_NAME;
    return 0;
}

/* Loads the profile into engine (gap applied, nothing saved), and a title saying which; -1
 * after a message. */
static int load_profile(const ReportOptions *o, Engine *engine, char *title, size_t title_size)
{
    char err[1024];
    ProfilePaths paths;
    ProfileOpening opening;
    char note[768] = "";
    if (profile_paths(o->profile, &paths, err, sizeof err) != 0 ||
        profile_session_settle_if_free(&paths, note, sizeof note, err, sizeof err) != 0 ||
        profile_open(&paths, engine, cli_clock_unix(), o->sleep_window, &opening, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return -1;
    }
    if (note[0])
        fprintf(stderr, PROGRAM ": profile '%s': %s\n", paths.name, note);
    if (!opening.existed) {
        fprintf(stderr, PROGRAM ": profile '%s' does not exist yet ('%s' is missing)\n", paths.name,
                paths.state_path);
        return -1;
    }
    time_t saved = (time_t)opening.saved_unix;
    struct tm local;
    char when[32] = "?";
    if (localtime_r(&saved, &local))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &local);
    snprintf(title, title_size, "Homunculus: profile '%s', saved %s, now (%.1f h rest, %.1f h sleep since)",
             paths.name, when, opening.awake_s / 3600.0, opening.asleep_s / 3600.0);
    return 0;
}

/* The metrics table: one row per figure, a column per hand. */
static void draw_metrics(cairo_t *cr, const EngineSnapshot *s, double x, double y)
{
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    picture_text(cr, x, y, 15, 1, 0, "Metrics");
    for (int h = 0; h < ENGINE_HANDS; h++)
        picture_text(cr, x + 190 + 70 * h, y, 13, 1, 1, "%s", CLI_HAND_NAMES[h]);
    double row = y + 24;
    for (int d = 0; d < METRICS_DIGITS; d++, row += 20) {
        picture_text(cr, x, row, 13, 0, 0, "area D%d (%%)", d + 1);
        for (int h = 0; h < ENGINE_HANDS; h++)
            picture_text(cr, x + 190 + 70 * h, row, 13, 0, 1, "%.1f", 100.0 * s->map[h].area_fraction[d]);
    }
    static const char *const labels[] = {"multi-digit (%)", "mean RF (points)", "D1-D5 (mm)", "overlap risk"};
    for (int i = 0; i < 4; i++, row += 20) {
        picture_text(cr, x, row, 13, 0, 0, "%s", labels[i]);
        for (int h = 0; h < ENGINE_HANDS; h++) {
            const MapMetrics *m = &s->map[h];
            double value = i == 0 ? 100.0 * m->multi_digit_fraction
                         : i == 1 ? m->rf_points_mean
                         : i == 2 ? m->d1_d5_distance_mm
                                  : m->overlap_risk;
            picture_text(cr, x + 190 + 70 * h, row, 13, 0, 1, i == 3 ? "%.2f" : "%.1f", value);
        }
    }
    picture_text(cr, x, row, 13, 0, 0, "risk from");
    for (int h = 0; h < ENGINE_HANDS; h++)
        picture_text(cr, x + 190 + 70 * h, row, 13, 0, 1, "%s",
                     s->map[h].risk_pair >= 0 ? metrics_pair_name(s->map[h].risk_pair) : "-");
    row += 34;
    picture_text(cr, x, row, 11, 0, 0, "%llu notes practised in all", (unsigned long long)s->load.notes);
    picture_text(cr, x, row + 18, 11, 0, 0, "Overlap risk: 0 as a healthy map, 1 merged;");
    picture_text(cr, x, row + 34, 11, 0, 0, "a sign to watch, not a diagnosis.");
}

static void draw_report(cairo_t *cr, const EngineSnapshot *s, const char *title)
{
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    picture_text(cr, 30, 40, 18, 1, 0, "%s", title);
    for (int h = 0; h < ENGINE_HANDS; h++) {
        double x = 30 + h * (MAP_SIZE + 40);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        picture_text(cr, x, MAP_TOP - 10, 15, 1, 0, "%s hand", CLI_HAND_NAMES[h]);
        map_picture_draw(cr, s->preferred_digit[h], s->selectivity[h], s->sheet_size, s->map[h].overlap_risk, x,
                         MAP_TOP, MAP_SIZE, 12);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        picture_text(cr, x, MAP_TOP + MAP_SIZE + 32, 11, 0, 0, "overlap risk %.2f", s->map[h].overlap_risk);
    }
    double legend_y = MAP_TOP + MAP_SIZE + 62;
    for (int d = 0; d < 5; d++) {
        double x = 30 + d * 80;
        map_picture_set_digit_colour(cr, d, 1.0);
        cairo_rectangle(cr, x, legend_y - 12, 14, 14);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        picture_text(cr, x + 20, legend_y, 13, 0, 0, "D%d", d + 1);
    }
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    picture_text(cr, 30, legend_y + 24, 11, 0, 0,
                 "D1 thumb .. D5 little finger; darker: the unit answers to several fingers, dark grey: to none");
    draw_metrics(cr, s, 30 + 2 * (MAP_SIZE + 40) + 10, MAP_TOP);
}

int command_report(int argc, char **argv)
{
    ReportOptions o;
    int parsed = parse_report(argc, argv, &o);
    if (parsed != 0)
        return parsed == 1 ? EXIT_OK : EXIT_USAGE;
    char err[1024], title[256];
    EngineConfig config;
    engine_config_default(&config, CLI_DEFAULT_RATE, CLI_DEFAULT_BLOCK);
    Engine *engine;
    int status = 0;
    if (o.state) { /* as it was saved, whatever its sheet size */
        engine = engine_file_read_as_saved(o.state, &config);
        snprintf(title, sizeof title, "Homunculus: state %s", o.state);
    } else if ((engine = engine_create(&config, err, sizeof err)) != NULL) {
        status = load_profile(&o, engine, title, sizeof title);
    } else {
        fprintf(stderr, PROGRAM ": %s\n", err);
    }
    if (!engine)
        return EXIT_RUNTIME;
    const EngineSnapshot *s = status == 0 ? engine_snapshot(engine) : NULL;
    PictureFile *picture = s ? picture_file_create(o.output, o.format, PAGE_WIDTH, PAGE_HEIGHT, err, sizeof err) : NULL;
    if (s && !picture)
        fprintf(stderr, PROGRAM ": %s\n", err);
    if (picture) {
        draw_report(picture_file_context(picture), s, title);
        status = picture_file_finish(picture, files_write_atomic, err, sizeof err);
        if (status != 0)
            fprintf(stderr, PROGRAM ": %s\n", err);
        else
            printf("%s: both hands' maps and metrics\n", o.output);
    } else
        status = -1;
    engine_free(engine);
    return status == 0 ? EXIT_OK : EXIT_RUNTIME;
}
