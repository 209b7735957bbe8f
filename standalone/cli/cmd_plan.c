/* homunculus plan: the coach's proposal for a profile's next session (core/coach.h), from
 * its hands as they are now and its practice log, and the proposed week as a schedule that
 * `simulate --profile NAME` previews. Reads the profile, never writes it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "coach.h"
#include "commands.h"
#include "files.h"
#include "plan.h"
#include "practice_log.h"
#include "profile.h"
#include "profile_session.h"

#define DAY_S 86400
#define WEEK_S (7 * DAY_S)

static void print_plan_help(FILE *out)
{
    fprintf(out, "usage: " PROGRAM " plan [--profile NAME] [-o WEEK.ini] [--sleep H-H]\n"
                 "Proposes the next practice session from the profile's hands as they are now and its\n"
                 "practice log: a rest when the load is high, exercises that separate two fingers whose\n"
                 "maps are merging, or varied practice; and when to come back (rules: docs/coach.md).\n"
                 "  --profile NAME   the profile (default '" PROFILE_DEFAULT_NAME "'); read, never written\n"
                 "  -o, --output F   write the proposed week as a schedule to F (else to stdout); preview\n"
                 "                   it with: " PROGRAM " simulate F --profile NAME\n"
                 "  --sleep H-H      local hours that count as sleep since the last save (default 23-7)\n");
}

typedef struct {
    const char *profile, *output;
    SleepWindow sleep_window;
} PlanOptions;

/* Returns 0, 1 when help was printed, 2 after a usage message. */
static int parse_plan(int argc, char **argv, PlanOptions *o)
{
    static const struct option options[] = {{"profile", required_argument, NULL, 'p'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"sleep", required_argument, NULL, 's'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    *o = (PlanOptions){.profile = PROFILE_DEFAULT_NAME, .sleep_window = SLEEP_WINDOW_DEFAULT};
    int option;
    optind = 1;
    while ((option = getopt_long(argc, argv, "o:", options, NULL)) != -1) {
        switch (option) {
        case 'p':
            if (cli_option_profile("plan", optarg, &o->profile) != 0)
                return 2;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 's':
            if (cli_option_sleep("plan", optarg, &o->sleep_window) != 0)
                return 2;
            break;
        case 'h':
            print_plan_help(stdout);
            return 1;
        default:
            print_plan_help(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, PROGRAM " plan: unexpected '%s'\n", argv[optind]);
        return 2;
    }
    return 0;
}

/* What the log adds to the coach's input: the maps a week ago (the last session that ended
 * at least a week before now, else the oldest), the hours of the last 24 h, the hands. */
static void input_from_log(CoachInput *input, const PracticeSessionRecord *s, size_t count, int64_t now)
{
    const PracticeSessionRecord *before = NULL;
    for (size_t i = 0; i < count; i++) {
        if (s[i].end_unix <= now - WEEK_S || !before)
            before = &s[i];
        if (s[i].end_unix > now - DAY_S)
            input->played_day_s += s[i].played_s;
        if (s[i].end_unix > now - WEEK_S)
            input->hands_used |= s[i].hands_used;
    }
    if (before && count > 1) { /* a single session: its end is the profile now, no trend */
        for (int h = 0; h < ENGINE_HANDS; h++)
            input->before[h] = before->map[h];
        input->has_before = 1;
    }
}

int command_plan(int argc, char **argv)
{
    PlanOptions o;
    int parsed = parse_plan(argc, argv, &o);
    if (parsed != 0)
        return parsed == 1 ? EXIT_OK : EXIT_USAGE;
    char err[1024], note[768] = "";
    ProfilePaths paths;
    PracticeSessionRecord *sessions = NULL;
    size_t count = 0;
    if (profile_paths(o.profile, &paths, err, sizeof err) != 0 ||
        profile_session_settle_if_free(&paths, note, sizeof note, err, sizeof err) != 0 ||
        practice_log_read(paths.log_path, &sessions, &count, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    if (note[0])
        fprintf(stderr, PROGRAM ": profile '%s': %s\n", paths.name, note);
    EngineConfig config;
    engine_config_default(&config, CLI_DEFAULT_RATE, CLI_DEFAULT_BLOCK);
    Engine *engine = engine_create(&config, err, sizeof err);
    int64_t now = cli_clock_unix();
    ProfileOpening opening;
    if (!engine || profile_open(&paths, engine, now, o.sleep_window, &opening, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        engine_free(engine);
        free(sessions);
        return EXIT_RUNTIME;
    }
    if (!opening.existed) {
        fprintf(stderr, PROGRAM ": profile '%s' does not exist yet ('%s' is missing): practise with it first\n",
                paths.name, paths.state_path);
        engine_free(engine);
        free(sessions);
        return EXIT_RUNTIME;
    }
    CoachInput input;
    coach_input_from_snapshot(&input, engine_snapshot(engine), NULL);
    engine_free(engine);
    input.hands_used = 0;
    input.playing_s = input.played_day_s = 0.0; /* between sessions: the log says what was played */
    input_from_log(&input, sessions, count, now);
    CoachProposal proposal;
    coach_propose(&input, &proposal);

    time_t made = (time_t)now, last = count ? (time_t)sessions[count - 1].start_unix : (time_t)now;
    struct tm made_local, last_local;
    char made_on[32] = "?";
    PlanContext context = {.profile = paths.name, .made_on = made_on, .hands_used = input.hands_used, .hour = 10};
    if (localtime_r(&made, &made_local))
        strftime(made_on, sizeof made_on, "%Y-%m-%d %H:%M", &made_local);
    if (count && localtime_r(&last, &last_local))
        context.hour = last_local.tm_hour, context.minute = last_local.tm_min;
    free(sessions);
    char summary[320];
    coach_summary(&proposal, summary, sizeof summary);
    if (!o.output)
        return plan_week_schedule(&proposal, &context, stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
    char *text = NULL;
    size_t length = 0;
    FILE *week = open_memstream(&text, &length);
    int written = week && plan_week_schedule(&proposal, &context, week) == 0;
    if (week)
        fclose(week);
    int status = EXIT_OK;
    if (!written) {
        fprintf(stderr, PROGRAM ": cannot write the plan: out of memory\n");
        status = EXIT_RUNTIME;
    } else if (files_check_directory(o.output, err, sizeof err) != 0 ||
               files_write_atomic(o.output, (const uint8_t *)text, length, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        status = EXIT_RUNTIME;
    } else
        printf("profile '%s': %s\nthe week: %s (preview: " PROGRAM " simulate %s --profile %s)\n", paths.name,
               summary, o.output, o.output, paths.name);
    free(text);
    return status;
}
