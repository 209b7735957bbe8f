/* homunculus profile list|show|reset|export|import|rm: a player's profiles as a whole. Every
 * command that writes or exports a profile takes its lock first, so none runs while a
 * session holds the profile; rm and reset ask before removing, and refuse without --yes
 * when nobody can be asked (stdin not a terminal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "engine_file.h"
#include "practice_log.h"
#include "profile.h"
#include "profile_files.h"
#include "profile_session.h"

static void print_profile_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " profile list\n"
            "       " PROGRAM " profile show NAME\n"
            "       " PROGRAM " profile reset NAME [--yes]\n"
            "       " PROGRAM " profile export NAME FILE\n"
            "       " PROGRAM " profile import FILE [NAME]\n"
            "       " PROGRAM " profile rm NAME [--yes]\n"
            "The profiles in $XDG_DATA_HOME/homunculus (else ~/.local/share/homunculus):\n"
            "  list     every profile: when it was saved, its sessions, its size\n"
            "  show     one profile: its files, its sessions, both hands' maps as saved\n"
            "  reset    forget the learned hands (the next session starts from a fresh map); the\n"
            "           practice log is kept\n"
            "  export   the profile's hands and practice log in one FILE, to move or keep\n"
            "  import   a FILE from export as profile NAME (default: the name it was exported as);\n"
            "           an existing profile is never replaced\n"
            "  rm       remove the profile: its hands, its practice log and its other files\n"
            "  --yes    reset and rm: do not ask (required when stdin is not a terminal)\n"
            "A profile in use by a practice session is left alone (the command says which process).\n");
}

/* Asks "question [y/N]" on a terminal; 1 when the answer is yes. Without a terminal, and
 * without --yes, the caller refuses before asking. */
static int confirmed(const char *question)
{
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    char answer[16];
    if (!fgets(answer, sizeof answer, stdin))
        return 0;
    return strcmp(answer, "y\n") == 0 || strcmp(answer, "yes\n") == 0 || strcmp(answer, "Y\n") == 0;
}

/* Paths of a NAME argument; prints the error. */
static int paths_of(const char *name, ProfilePaths *paths)
{
    char err[512];
    if (profile_paths(name, paths, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM " profile: %s\n", err);
        return -1;
    }
    return 0;
}

static void format_time(int64_t unix_time, char *out, size_t size)
{
    time_t t = (time_t)unix_time;
    struct tm local;
    if (!localtime_r(&t, &local) || strftime(out, size, "%Y-%m-%d %H:%M", &local) == 0)
        snprintf(out, size, "?");
}

static int profile_list(void)
{
    ProfilePaths paths;
    char err[1024];
    if (paths_of(PROFILE_DEFAULT_NAME, &paths) != 0)
        return EXIT_RUNTIME;
    ProfileEntry *entries = NULL;
    size_t count = 0;
    if (profile_files_list(paths.directory, &entries, &count, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    if (count == 0)
        printf("no profiles yet in %s (a practice or play session with --profile NAME makes one)\n",
               paths.directory);
    else {
        printf("%zu profile%s in %s\n", count, count == 1 ? "" : "s", paths.directory);
        printf("%-24s %-16s %8s %9s\n", "name", "saved", "sessions", "size KiB");
    }
    for (size_t i = 0; i < count; i++) {
        ProfilePaths each;
        char saved[32] = "never", sessions[24] = "-";
        PracticeSessionRecord *records = NULL;
        size_t logged = 0;
        if (entries[i].has_state)
            format_time(entries[i].saved_unix, saved, sizeof saved);
        if (profile_paths(entries[i].name, &each, err, sizeof err) == 0 &&
            practice_log_read(each.log_path, &records, &logged, err, sizeof err) == 0)
            snprintf(sessions, sizeof sessions, "%zu", logged);
        else
            snprintf(sessions, sizeof sessions, "unreadable");
        free(records);
        printf("%-24s %-16s %8s %9.1f\n", entries[i].name, saved, sessions,
               (double)(entries[i].state_bytes + entries[i].log_bytes) / 1024.0);
    }
    free(entries);
    return EXIT_OK;
}

static int profile_show(const char *name)
{
    ProfilePaths paths;
    char err[1024], note[768] = "";
    if (paths_of(name, &paths) != 0)
        return EXIT_RUNTIME;
    if (!profile_files_exist(&paths)) {
        fprintf(stderr, PROGRAM ": profile '%s' does not exist ('%s' is missing)\n", paths.name, paths.state_path);
        return EXIT_RUNTIME;
    }
    PracticeSessionRecord *records = NULL;
    size_t count = 0;
    if (profile_session_settle_if_free(&paths, note, sizeof note, err, sizeof err) != 0 ||
        practice_log_read(paths.log_path, &records, &count, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    if (note[0])
        fprintf(stderr, PROGRAM ": profile '%s': %s\n", paths.name, note);
    double played_s = 0.0;
    for (size_t i = 0; i < count; i++)
        played_s += records[i].played_s;
    printf("profile '%s'\n  state: %s\n  log:   %s\n", paths.name, paths.state_path, paths.log_path);
    printf("  sessions logged: %zu, %.1f h played", count, played_s / 3600.0);
    if (count > 0) {
        char last[32];
        format_time(records[count - 1].start_unix, last, sizeof last);
        printf(", the last on %s", last);
    }
    printf("\n");
    free(records);
    if (access(paths.state_path, F_OK) != 0) {
        printf("  no learned state yet (reset, or never saved): the next session starts from a fresh map\n");
        return EXIT_OK;
    }
    EngineConfig config;
    engine_config_default(&config, CLI_DEFAULT_RATE, CLI_DEFAULT_BLOCK);
    Engine *engine = engine_file_read_as_saved(paths.state_path, &config);
    if (!engine)
        return EXIT_RUNTIME;
    const EngineSnapshot *s = engine_snapshot(engine);
    printf("  the hands as last saved (%llu notes practised):\n", (unsigned long long)s->load.notes);
    for (int h = 0; h < ENGINE_HANDS; h++)
        cli_print_map_summary(stdout, CLI_HAND_NAMES[h], &s->map[h]);
    engine_free(engine);
    return EXIT_OK;
}

/* Takes the profile's lock (refused naming the session that holds it); -1 after a message. */
static int lock_profile(const ProfilePaths *paths)
{
    char err[1024];
    int lock = profile_lock(paths, err, sizeof err);
    if (lock < 0)
        fprintf(stderr, PROGRAM ": %s\n", err);
    return lock;
}

/* reset (whole = 0) and rm (whole = 1). */
static int profile_remove(const char *name, int whole, int yes)
{
    ProfilePaths paths;
    if (paths_of(name, &paths) != 0)
        return EXIT_RUNTIME;
    const char *verb = whole ? "remove" : "reset";
    if (!profile_files_exist(&paths)) {
        fprintf(stderr, PROGRAM ": profile '%s' does not exist ('%s' is missing): nothing to %s\n", paths.name,
                paths.state_path, verb);
        return EXIT_RUNTIME;
    }
    if (!yes && !isatty(STDIN_FILENO)) {
        fprintf(stderr, PROGRAM " profile %s: refusing to %s profile '%s' without --yes (no terminal to ask)\n",
                whole ? "rm" : "reset", verb, paths.name);
        return EXIT_USAGE;
    }
    int lock = lock_profile(&paths);
    if (lock < 0)
        return EXIT_RUNTIME;
    char err[1024], note[768] = "", removed[4096];
    /* a session cut after its save is logged first, so the log keeps it */
    if (profile_session_settle(&paths, note, sizeof note, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        profile_unlock(lock);
        return EXIT_RUNTIME;
    }
    if (note[0])
        fprintf(stderr, PROGRAM ": profile '%s': %s\n", paths.name, note);
    if (!yes) {
        char question[256];
        snprintf(question, sizeof question,
                 whole ? "Remove profile '%s': its learned hands and its practice log?"
                       : "Reset profile '%s': forget its learned hands (the practice log is kept)?",
                 paths.name);
        if (!confirmed(question)) {
            printf("profile '%s' left as it was\n", paths.name);
            profile_unlock(lock);
            return EXIT_OK;
        }
    }
    int status = profile_files_remove(&paths, whole, removed, sizeof removed, err, sizeof err);
    profile_unlock(lock);
    if (removed[0])
        printf("removed:\n%s", removed);
    if (status != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    if (whole)
        printf("profile '%s' removed\n", paths.name);
    else
        printf("profile '%s' reset: the next session starts from a fresh map%s\n", paths.name,
               access(paths.log_path, F_OK) == 0 ? "; its practice log is kept" : "");
    return EXIT_OK;
}

static int profile_export(const char *name, const char *file)
{
    ProfilePaths paths;
    if (paths_of(name, &paths) != 0)
        return EXIT_RUNTIME;
    if (!profile_files_exist(&paths)) {
        fprintf(stderr, PROGRAM ": profile '%s' does not exist ('%s' is missing)\n", paths.name, paths.state_path);
        return EXIT_RUNTIME;
    }
    int lock = lock_profile(&paths); /* the state and the log of one moment */
    if (lock < 0)
        return EXIT_RUNTIME;
    char err[1024], note[768] = "";
    ProfileExport export;
    int status = profile_session_settle(&paths, note, sizeof note, err, sizeof err) == 0 &&
                         profile_export_load(&paths, &export, err, sizeof err) == 0
                     ? 0
                     : -1;
    profile_unlock(lock);
    if (status == 0) {
        status = profile_export_write(&export, file, err, sizeof err);
        if (status == 0)
            printf("profile '%s' exported to %s: %s, %zu logged session%s\n", paths.name, file,
                   export.state ? "its hands" : "no hands saved", export.sessions, export.sessions == 1 ? "" : "s");
        profile_export_clear(&export);
    }
    if (status != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

static int profile_import(const char *file, const char *name)
{
    char err[2048];
    ProfileExport export;
    if (profile_export_read(file, &export, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_RUNTIME;
    }
    ProfilePaths paths;
    int status = EXIT_RUNTIME;
    if (paths_of(name ? name : export.name, &paths) == 0) {
        int lock = lock_profile(&paths);
        if (lock >= 0) {
            if (profile_export_install(&export, &paths, err, sizeof err) == 0) {
                printf("imported %s as profile '%s': %s, %zu logged session%s\n", file, paths.name,
                       export.state ? "its hands" : "no hands saved", export.sessions,
                       export.sessions == 1 ? "" : "s");
                status = EXIT_OK;
            } else
                fprintf(stderr, PROGRAM ": %s\n", err);
            profile_unlock(lock);
        }
    }
    profile_export_clear(&export);
    return status;
}

int command_profile(int argc, char **argv)
{
    int yes = 0;
    /* the action and its words; --yes anywhere among them */
    const char *words[4];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--yes") == 0)
            yes = 1;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_profile_help(stdout);
            return EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, PROGRAM " profile: unknown option '%s'\n", argv[i]);
            return EXIT_USAGE;
        } else if (count == 4) {
            fprintf(stderr, PROGRAM " profile: unexpected '%s'\n", argv[i]);
            return EXIT_USAGE;
        } else
            words[count++] = argv[i];
    }
    static const struct {
        const char *action;
        int min_words, max_words, takes_yes;
    } forms[] = {{"list", 1, 1, 0},   {"show", 2, 2, 0},   {"reset", 2, 2, 1},
                 {"export", 3, 3, 0}, {"import", 2, 3, 0}, {"rm", 2, 2, 1}};
    if (count == 0) {
        fprintf(stderr, PROGRAM " profile: expected an action: list, show, reset, export, import or rm\n");
        print_profile_help(stderr);
        return EXIT_USAGE;
    }
    size_t form = 0;
    while (form < sizeof forms / sizeof forms[0] && strcmp(words[0], forms[form].action) != 0)
        form++;
    if (form == sizeof forms / sizeof forms[0]) {
        fprintf(stderr, PROGRAM " profile: unknown action '%s': expected list, show, reset, export, import or rm\n",
                words[0]);
        return EXIT_USAGE;
    }
    if (count < forms[form].min_words || count > forms[form].max_words || (yes && !forms[form].takes_yes)) {
        fprintf(stderr, PROGRAM " profile %s: wrong arguments (see " PROGRAM " profile --help)\n", words[0]);
        return EXIT_USAGE;
    }
    switch (form) {
    case 0:
        return profile_list();
    case 1:
        return profile_show(words[1]);
    case 2:
        return profile_remove(words[1], 0, yes);
    case 3:
        return profile_export(words[1], words[2]);
    case 4:
        return profile_import(words[1], count == 3 ? words[2] : NULL);
    default:
        return profile_remove(words[1], 1, yes);
    }
}
