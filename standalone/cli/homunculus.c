/* homunculus: the command-line program. main() finds the subcommand in the COMMANDS table
 * (a name may be two words, "state show") and hands it the rest of the arguments. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

const Command COMMANDS[] = {
    {"demo", "[OPTIONS]", "a built-in practice session through the engine, then what changed in the maps",
     command_demo},
    {"play", "FILE", "feed a recording (.mid, or a PIG fingering .txt) through the engine", command_play},
    {"state show", "FILE", "the metrics of a saved state", command_state_show},
    {"practice", "[OPTIONS]", "a live session: MIDI in, sound out, the maps on screen (the default)",
     command_practice},
    {"devices", "", "audio devices and MIDI sources a practice session can use", command_devices},
    {"profile", "ACTION", "profiles: list, show NAME, reset NAME, export NAME FILE, import FILE [NAME], rm NAME",
     command_profile},
    {"plan", "[OPTIONS]", "the coach: the next session for a profile, and the week as a schedule to simulate",
     command_plan},
    {"history", "[OPTIONS]", "a profile's practice sessions (--profile NAME) as a table, or plotted", command_history},
    {"report", "-o OUT.png|svg", "a picture of both hands' maps and their metrics", command_report},
    {"experiment", "ACTION", "replicate published experiments: list, run NAME..., all", command_experiment},
    {"simulate", "SCHEDULE", "play a practice schedule with a simulated player (CSV, JSON, plot, state)",
     command_simulate},
    {"compare", "SCHEDULE...", "several schedules' outcomes side by side, a table and one plot", command_compare},
    {"sweep", "SCHEDULE --vary K=V,...", "a parameter grid of a schedule, in parallel or as cluster shares",
     command_sweep},
    {NULL, NULL, NULL, NULL},
};

static void print_usage(FILE *out)
{
    fprintf(out, "usage: " PROGRAM " COMMAND [OPTIONS]\ncommands:\n");
    for (const Command *c = COMMANDS; c->name; c++) {
        char head[64];
        snprintf(head, sizeof head, "%s %s", c->name, c->args);
        fprintf(out, "  %-22s %s\n", head, c->summary);
    }
    fprintf(out, "  --help, --version\n"
                 "'" PROGRAM " COMMAND --help' describes a command. Exit status: 0 success, 1 runtime\n"
                 "failure (a file cannot be read or written, a device cannot be opened), 2 usage error.\n");
}

/* How many of argv's words (1 or 2) spell the command's name, or 0 if they do not. */
static int match_command(const Command *c, int argc, char **argv)
{
    const char *space = strchr(c->name, ' ');
    if (!space)
        return strcmp(argv[0], c->name) == 0;
    size_t first = (size_t)(space - c->name);
    if (argc < 2 || strlen(argv[0]) != first || strncmp(argv[0], c->name, first) != 0)
        return 0;
    return strcmp(argv[1], space + 1) == 0 ? 2 : 0;
}

/* The command's exit status, unless what it printed could not all be written (a full disk, a
 * closed pipe): then that is said and the status is 1. */
static int with_output_checked(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROGRAM ": cannot write the output: %s\n", strerror(errno));
        return status == EXIT_OK ? EXIT_RUNTIME : status;
    }
    return status;
}

static int run(int argc, char **argv)
{
    if (argc < 2) { /* no command: practise */
        char *practice_argv[] = {"practice", NULL};
        return command_practice(1, practice_argv);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf(PROGRAM " " VERSION "\n");
        return EXIT_OK;
    }
    for (const Command *c = COMMANDS; c->name; c++) {
        int words = match_command(c, argc - 1, argv + 1);
        if (words)
            return c->run(argc - words, argv + words);
    }
    fprintf(stderr, PROGRAM ": unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    return with_output_checked(run(argc, argv));
}
