/* homunculus history: a profile's practice log as a table (one row per session), or plotted
 * over time with --plot. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "history_plot.h"
#include "practice_log.h"
#include "profile.h"
#include "profile_session.h"
#include "session_changes.h"

static void print_history_help(FILE *out)
{
    fprintf(out, "usage: " PROGRAM " history [--profile NAME] [--plot OUT.png|OUT.svg] [--json]\n"
                 "Prints a profile's practice sessions: date, start, minutes played, notes, each finger's\n"
                 "share of the notes (both hands), each hand's territory per finger (%% of the sheet),\n"
                 "overlap risk and the warnings given; below each session, per hand played, what changed:\n"
                 "each finger's area (points of %% of the sheet), the overlap of the pair closest at the end\n"
                 "and the overlap risk, against the session's start and against a week before.\n"
                 "  --profile NAME   the profile (default '" PROFILE_DEFAULT_NAME "')\n"
                 "  --plot OUT       also draw territory and overlap risk over the sessions (PNG or SVG\n"
                 "                   by the extension)\n"
                 "  --json           print the sessions as a JSON array of the log's records instead\n");
}

typedef struct {
    const char *profile, *plot;
    PictureFormat plot_format;
    int json;
} HistoryOptions;

/* Returns 0, 1 when help was printed, 2 after a usage message. */
static int parse_history(int argc, char **argv, HistoryOptions *o)
{
    static const struct option options[] = {{"profile", required_argument, NULL, 'p'},
                                            {"plot", required_argument, NULL, 'P'},
                                            {"json", no_argument, NULL, 'j'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    *o = (HistoryOptions){.profile = PROFILE_DEFAULT_NAME};
    int option;
    optind = 1;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (option) {
        case 'p':
            if (cli_option_profile("history", optarg, &o->profile) != 0)
                return 2;
            break;
        case 'P':
            if ((int)(o->plot_format = (PictureFormat)picture_format_of(optarg)) < 0) {
                fprintf(stderr, PROGRAM " history: --plot '%s': the extension must be .png or .svg\n", optarg);
                return 2;
            }
            o->plot = optarg;
            break;
        case 'j':
            o->json = 1;
            break;
        case 'h':
            print_history_help(stdout);
            return 1;
        default:
            print_history_help(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, PROGRAM " history: unexpected '%s'\n", argv[optind]);
        return 2;
    }
    return 0;
}

/* What changed in the session, per hand played: against its start and a week before. */
static void print_changes(const PracticeSessionRecord *s)
{
    for (int h = 0; h < ENGINE_HANDS; h++) {
        if (!(s->hands_used & (1 << h)) && !(s->hands_used == 0 && h == 0))
            continue;
        char today[256], week[256];
        int known_today = session_changes_text(s, h, CHANGES_SINCE_START, today, sizeof today) == 0;
        int known_week = session_changes_text(s, h, CHANGES_SINCE_WEEK_AGO, week, sizeof week) == 0;
        if (known_today)
            printf("    %s, today:      %s\n", CLI_HAND_NAMES[h], today);
        if (known_week)
            printf("    %s, since %s: %s\n", CLI_HAND_NAMES[h], "a week", week);
    }
}

static void print_table(const PracticeSessionRecord *s, size_t count)
{
    printf("%-10s %-5s %6s %6s  %-19s  %-19s  %-19s  %-5s %-5s %s\n", "date", "start", "min", "notes",
           "finger share %", "right area %", "left area %", "risk", "risk", "warn");
    printf("%-10s %-5s %6s %6s  %-19s  %-19s  %-19s  %-5s %-5s\n", "", "", "played", "", " D1  D2  D3  D4  D5",
           " D1  D2  D3  D4  D5", " D1  D2  D3  D4  D5", "right", "left");
    for (size_t i = 0; i < count; i++) {
        time_t start = (time_t)s[i].start_unix;
        struct tm local;
        char day[16] = "?", hour[8] = "?";
        if (localtime_r(&start, &local)) {
            strftime(day, sizeof day, "%Y-%m-%d", &local);
            strftime(hour, sizeof hour, "%H:%M", &local);
        }
        printf("%-10s %-5s %6.1f %6llu ", day, hour, s[i].played_s / 60.0, (unsigned long long)s[i].notes);
        uint64_t fingered = 0;
        for (int h = 0; h < ENGINE_HANDS; h++)
            for (int f = 0; f < 5; f++)
                fingered += s[i].notes_per_finger[h][f];
        for (int f = 0; f < 5; f++) {
            uint64_t n = s[i].notes_per_finger[0][f] + s[i].notes_per_finger[1][f];
            printf(" %3.0f", fingered ? 100.0 * (double)n / (double)fingered : 0.0);
        }
        printf(" ");
        for (int h = 0; h < ENGINE_HANDS; h++) {
            for (int d = 0; d < 5; d++)
                printf(" %3.0f", 100.0 * s[i].map[h].area_fraction[d]);
            printf(" ");
        }
        printf(" %5.2f %5.2f %u\n", s[i].map[0].overlap_risk, s[i].map[1].overlap_risk, s[i].warnings_count);
        for (unsigned w = 0; w < PRACTICE_LOG_WARNINGS && w < s[i].warnings_count; w++)
            if (s[i].warnings[w][0])
                printf("    warning: %s\n", s[i].warnings[w]);
        print_changes(&s[i]);
    }
}

/* The records as a JSON array, each in the log's own format. */
static int print_json(const PracticeSessionRecord *s, size_t count)
{
    char *line = malloc(PRACTICE_LOG_LINE_MAX);
    if (!line) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        return -1;
    }
    printf("[");
    for (size_t i = 0; i < count; i++) {
        int length = practice_log_format(&s[i], line, PRACTICE_LOG_LINE_MAX);
        printf("%s\n%.*s", i ? "," : "", length > 0 ? length - 1 : 0, line); /* without its newline */
    }
    printf("%s]\n", count ? "\n" : "");
    free(line);
    return 0;
}

int command_history(int argc, char **argv)
{
    HistoryOptions o;
    int parsed = parse_history(argc, argv, &o);
    if (parsed != 0)
        return parsed == 1 ? EXIT_OK : EXIT_USAGE;
    char err[1024];
    ProfilePaths paths;
    PracticeSessionRecord *sessions = NULL;
    size_t count = 0;
    char note[768] = "";
    if (profile_paths(o.profile, &paths, err, sizeof err) != 0 ||
        profile_session_settle_if_free(&paths, note, sizeof note, err, sizeof err) != 0 ||
        practice_log_read(paths.log_path, &sessions, &count, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    if (note[0])
        fprintf(stderr, PROGRAM ": profile '%s': %s\n", paths.name, note);
    int status = EXIT_OK;
    if (o.json)
        status = print_json(sessions, count) == 0 ? EXIT_OK : EXIT_RUNTIME;
    else if (count == 0)
        printf("profile '%s' has no practice sessions logged yet (%s)%s\n", paths.name, paths.log_path,
               o.plot ? "; nothing to plot" : "");
    else {
        printf("profile '%s': %zu session%s\n", paths.name, count, count == 1 ? "" : "s");
        print_table(sessions, count);
    }
    if (o.plot && count > 0 && status == EXIT_OK) {
        char title[128];
        snprintf(title, sizeof title, "Homunculus: profile '%s', %zu session%s", paths.name, count,
                 count == 1 ? "" : "s");
        if (history_plot_write(o.plot, o.plot_format, title, sessions, count, err, sizeof err) != 0) {
            fprintf(stderr, PROGRAM ": %s\n", err);
            status = EXIT_RUNTIME;
        } else if (!o.json) /* JSON output stays JSON */
            printf("%s: territory and overlap risk over the sessions\n", o.plot);
    }
    free(sessions);
    return status;
}
