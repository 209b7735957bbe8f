/* homunculus practice: a live session. MIDI in (ALSA sequencer or JACK) -> the engine in the
 * audio thread (PortAudio, or a silent clock without a device) -> a live terminal view (or
 * plain lines), with the player's profile opened at the start (the time away applied as rest
 * and sleep), saved atomically every few minutes, on quit and on SIGINT/SIGTERM, and one
 * practice-log line per session. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio_out.h"
#include "cli.h"
#include "cli_settings.h"
#include "commands.h"
#include "midi_alsa.h"
#include "midi_jack.h"
#include "practice_log.h"
#include "session_recorder.h"
#include "practice_session.h"
#include "practice_view.h"
#include "coach.h"
#include "practice_window.h"
#include "profile.h"
#include "profile_session.h"
#include "terminal.h"

#define PRACTICE_DEFAULT_BLOCK 256u    /* 5.3 ms at 48 kHz: prompt enough for feedback sounds */
#define PRACTICE_MAX_CONNECTIONS 16
#define DEFAULT_SAVE_EVERY_MIN 2.0
#define VIEW_PERIOD_S 0.1              /* the terminal view redraws at 10 Hz */
#define LINE_PERIOD_S 2.0              /* --no-ui: one plain line this often */
#define CAPTURE_TIMEOUT_MS 2000
#define NEW_SOURCES_PERIOD_S 2.0       /* JACK: MIDI sources that appeared are connected this often */
#define CLIENT_NAME PROGRAM

typedef enum { INPUT_ALSA, INPUT_JACK, INPUT_NONE } MidiInputKind;

typedef struct {
    const char *profile, *audio;
    const char *connect[PRACTICE_MAX_CONNECTIONS];
    int connect_count;
    MidiInputKind midi;
    int no_audio, no_ui, no_connect, window;
    double duration_s; /* 0: until quit */
    double rate;       /* 0: the audio device's own rate */
    uint32_t block;
    CliSettings settings; /* the player's controls given */
    SleepWindow sleep;
    double save_every_s;
} PracticeOptions;

static void print_practice_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " practice [OPTIONS]   (also what '" PROGRAM "' alone does)\n"
            "A live practice session: notes from a MIDI keyboard shape the finger maps of the\n"
            "profile's two hands as you play; the terminal shows the maps and warnings.\n"
            "Keys: s cycles the sonification (off, map, echo, alarm), + and - change the volume\n"
            "(3 dB a press), q quits (and saves).\n"
            "  --profile NAME       the player (default '" PROFILE_DEFAULT_NAME "'), kept in $XDG_DATA_HOME/" PROGRAM "/\n"
            "  --audio NAME|INDEX   PortAudio output device (default: the default device; see\n"
            "                       '" PROGRAM " devices'); without any device practice runs silently\n"
            "  --no-audio           no sound at all\n"
            "  --midi alsa|jack|none  MIDI input (default alsa, falling back to jack, then none)\n"
            "  --connect SRC        connect this MIDI source: ALSA CLIENT:PORT, or a JACK port\n"
            "                       name (repeatable; ALSA hardware keyboards connect by themselves)\n"
            "  --no-connect         connect no MIDI source by itself (default: ALSA hardware\n"
            "                       keyboards; JACK's physical MIDI outputs, else every other\n"
            "                       program's MIDI output)\n"
            "  --no-ui              plain text lines instead of the live view (also when stdout\n"
            "                       is not a terminal)\n"
            "  --window             the live view in a window (X11; keys s and q in it), plain\n"
            "                       lines in the terminal; no display: the terminal view\n"
            "  --duration S         stop after S seconds (default: until q or a signal)\n"
            "  --rate HZ            sample rate, 8000..192000 (default: the device's, else %.0f)\n"
            "  --block N            frames per engine block, 16..4096 (default %u)\n"
            "  --sleep H-H          local hours counted as sleep while away (default 23-7)\n"
            "  --save-every MIN     save the profile this often (default %.0f minutes)\n"
            "The view fits any terminal from 80x24 and follows its size; NO_COLOR set: no colours.\n",
            CLI_DEFAULT_RATE, PRACTICE_DEFAULT_BLOCK, DEFAULT_SAVE_EVERY_MIN);
    cli_settings_help(out);
}

/* Parses practice's options; returns 0, 1 when help was printed, or 2 after a usage message. */
static int parse_practice(int argc, char **argv, PracticeOptions *o)
{
    static const struct option options[] = {
        {"profile", required_argument, NULL, 'p'},  {"audio", required_argument, NULL, 'a'},
        {"no-audio", no_argument, NULL, 'A'},       {"midi", required_argument, NULL, 'm'},
        {"connect", required_argument, NULL, 'c'},  {"no-ui", no_argument, NULL, 'U'},
        {"no-connect", no_argument, NULL, 'N'},
        {"duration", required_argument, NULL, 'd'}, {"rate", required_argument, NULL, 'r'},
        {"block", required_argument, NULL, 'b'},    CLI_SETTINGS_OPTIONS,
        {"sleep", required_argument, NULL, 'S'},
        {"save-every", required_argument, NULL, 'e'}, {"help", no_argument, NULL, 'h'},
        {"window", no_argument, NULL, 'W'},
        {NULL, 0, NULL, 0}};
    *o = (PracticeOptions){.profile = PROFILE_DEFAULT_NAME, .midi = INPUT_ALSA, .rate = 0,
                           .block = PRACTICE_DEFAULT_BLOCK,
                           .sleep = SLEEP_WINDOW_DEFAULT, .save_every_s = 60 * DEFAULT_SAVE_EVERY_MIN};
    int option;
    double value;
    long whole = 0;
    optind = 1;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        const char *bad = NULL;
        switch (option) {
        case 'p':
            o->profile = optarg;
            break;
        case 'a':
            o->audio = optarg;
            break;
        case 'A':
            o->no_audio = 1;
            break;
        case 'm':
            if (strcmp(optarg, "alsa") == 0)
                o->midi = INPUT_ALSA;
            else if (strcmp(optarg, "jack") == 0)
                o->midi = INPUT_JACK;
            else if (strcmp(optarg, "none") == 0)
                o->midi = INPUT_NONE;
            else
                bad = "--midi '%s' is not alsa, jack or none";
            break;
        case 'c':
            if (o->connect_count == PRACTICE_MAX_CONNECTIONS)
                bad = "--connect %s: at most 16 connections";
            else
                o->connect[o->connect_count++] = optarg;
            break;
        case 'U':
            o->no_ui = 1;
            break;
        case 'W':
            o->window = 1;
            break;
        case 'N':
            o->no_connect = 1;
            break;
        case 'd':
            if (cli_parse_number(optarg, 0.001, 1e7, &o->duration_s) != 0)
                bad = "--duration '%s' is not a number of seconds in 0.001..10000000";
            break;
        case 'r':
            if (cli_parse_number(optarg, 8000, 192000, &o->rate) != 0)
                bad = "--rate '%s' is not a number in 8000..192000";
            break;
        case 'b':
            if (cli_parse_whole(optarg, 16, 4096, &whole) != 0)
                bad = "--block '%s' is not a whole number in 16..4096";
            o->block = (uint32_t)whole;
            break;
        case 'S':
            if (profile_parse_sleep_window(optarg, &o->sleep) != 0)
                bad = "--sleep '%s' is not START-END in whole hours 0..23 (e.g. 23-7)";
            break;
        case 'e':
            if (cli_parse_number(optarg, 0.01, 1440, &value) != 0)
                bad = "--save-every '%s' is not a number of minutes in 0.01..1440";
            o->save_every_s = 60 * value;
            break;
        case 'h':
            print_practice_help(stdout);
            return 1;
        default: /* a setting's option, else a usage error (said) */
            if (cli_settings_option(&o->settings, option, optarg, "practice", print_practice_help) != 0)
                return 2;
        }
        if (bad) {
            fprintf(stderr, PROGRAM " practice: ");
            fprintf(stderr, bad, optarg);
            fprintf(stderr, "\n");
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, PROGRAM " practice: unexpected argument '%s' (see --help)\n", argv[optind]);
        return 2;
    }
    return 0;
}

/* ---- MIDI input ---- */

typedef struct {
    MidiAlsa *alsa;
    MidiJack *jack;
    char description[2048];
} MidiInput;

/* Appends name to a comma-separated list (cut to size: the list is for people to read). */
static void list_append(char *list, size_t size, const char *name)
{
    size_t used = strlen(list);
    if (used + 1 < size && snprintf(list + used, size - used, "%s%s", used ? ", " : "", name) < 0)
        list[used] = '\0';
}

/* Connects the --connect sources, saying what each did; the ones connected are added to
 * list (comma-separated). Returns how many were connected. */
static int connect_sources(MidiInput *in, const PracticeOptions *o, char *list, size_t size)
{
    char err[512];
    int connected = 0;
    for (int i = 0; i < o->connect_count; i++) {
        int status = in->alsa ? midi_alsa_connect(in->alsa, o->connect[i], err, sizeof err)
                              : midi_jack_connect(in->jack, o->connect[i], err, sizeof err);
        if (status != 0) {
            printf("midi: %s\n", err);
            continue;
        }
        printf("midi: connected %s (--connect)\n", o->connect[i]);
        list_append(list, size, o->connect[i]);
        connected++;
    }
    return connected;
}

/* Opens the input asked for, falling back from ALSA to JACK to none, saying what happened. */
static void open_midi(const PracticeOptions *o, EventQueue *queue, MidiInput *in)
{
    char err[512], fallback[600] = "";
    MidiInputKind kind = o->midi;
    snprintf(in->description, sizeof in->description, "midi: none (--midi none): the maps rest");
    if (kind == INPUT_ALSA) {
        in->alsa = midi_alsa_open(CLIENT_NAME, queue, err, sizeof err);
        if (!in->alsa) {
            printf("midi: %s; trying JACK MIDI\n", err);
            snprintf(fallback, sizeof fallback, " (no ALSA MIDI: %s)", err);
            kind = INPUT_JACK;
        } else if (midi_alsa_start(in->alsa, err, sizeof err) != 0) {
            snprintf(in->description, sizeof in->description, "midi: %s: no MIDI input, the maps rest", err);
            midi_alsa_close(in->alsa);
            in->alsa = NULL;
        } else {
            char address[32], keyboards[256], given[256] = "";
            midi_alsa_address(in->alsa, address, sizeof address);
            int count = connect_sources(in, o, given, sizeof given);
            int found = o->no_connect ? 0 : midi_alsa_connect_hardware(in->alsa, keyboards, sizeof keyboards);
            snprintf(in->description, sizeof in->description, "midi: ALSA sequencer port %s '" CLIENT_NAME
                     ":practice in'%s%s%s%s", address, found || count ? ", connected to " : " (connect a keyboard to it)",
                     given, found && count ? ", " : "", found ? keyboards : "");
        }
    }
    if (kind == INPUT_JACK) {
        in->jack = midi_jack_open(CLIENT_NAME, queue, err, sizeof err);
        if (!in->jack) {
            snprintf(in->description, sizeof in->description,
                     "midi: %s: no MIDI input, the maps rest (see '" PROGRAM " devices')%s", err, fallback);
        } else {
            char sources[512] = "", found[512] = "";
            int count = connect_sources(in, o, sources, sizeof sources);
            if (!o->no_connect && midi_jack_connect_sources(in->jack, found, sizeof found) > 0) {
                printf("midi: connected %s (found by itself; --no-connect not to)\n", found);
                list_append(sources, sizeof sources, found);
                count++;
            }
            snprintf(in->description, sizeof in->description, "midi: JACK port %s%s%s%s",
                     midi_jack_port_name(in->jack), count ? ", connected to " : " (connect a MIDI source to it)",
                     sources, fallback);
        }
    }
    printf("%s\n", in->description);
}

static void close_midi(MidiInput *in)
{
    midi_alsa_close(in->alsa);
    midi_jack_close(in->jack);
    in->alsa = NULL;
    in->jack = NULL;
}

/* ---- the session's record for the log ---- */

typedef struct {
    PracticeSessionRecord record;
    uint64_t notes_at_start, finger_notes_at_start[ENGINE_HANDS][5];
    double last_note_change_s, last_seen_s;
    uint64_t last_notes;
    Warning last_warning;
} SessionTally;

static void tally_start(SessionTally *tally, const EngineSnapshot *s, int64_t now_unix)
{
    memset(tally, 0, sizeof *tally);
    tally->record.start_unix = now_unix;
    tally->last_note_change_s = -1;
    if (s) {
        tally->notes_at_start = s->notes;
        tally->last_notes = s->notes;
        memcpy(tally->finger_notes_at_start, s->load.notes_per_finger, sizeof tally->finger_notes_at_start);
        practice_log_note_start(&tally->record, s); /* "what changed today" */
    }
}

/* Follows the session as the main loop sees it: time played (silences shorter than a break
 * count), warnings given (each new one once). */
static void tally_observe(SessionTally *tally, const EngineSnapshot *s, double elapsed_s, double break_s)
{
    if (!s)
        return;
    if (s->notes != tally->last_notes) {
        tally->last_notes = s->notes;
        tally->last_note_change_s = elapsed_s;
    }
    if (tally->last_note_change_s >= 0 && elapsed_s - tally->last_note_change_s < break_s)
        tally->record.played_s += elapsed_s - tally->last_seen_s;
    tally->last_seen_s = elapsed_s;
    practice_log_observe_warning(&tally->record, &s->warning, &tally->last_warning);
}

static void tally_finish(SessionTally *tally, const EngineSnapshot *s, int64_t now_unix)
{
    PracticeSessionRecord *r = &tally->record;
    r->end_unix = now_unix;
    r->notes = s->notes - tally->notes_at_start;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        for (int d = 0; d < 5; d++) {
            r->notes_per_finger[h][d] = s->load.notes_per_finger[h][d] - tally->finger_notes_at_start[h][d];
            if (r->notes_per_finger[h][d])
                r->hands_used |= 1 << h;
        }
        r->map[h] = s->map[h];
    }
}

/* ---- saving ---- */

/* While the audio clock runs: a capture taken by the audio thread, serialised here. Returns 0,
 * or -1 with the reason in err. */
static int save_live(PracticeSession *session, const ProfilePaths *paths, char *err, size_t err_size)
{
    uint8_t *data = NULL;
    size_t size = 0;
    char why[768];
    int status = practice_session_save_live(session, cli_clock_unix(), CAPTURE_TIMEOUT_MS, &data, &size, why,
                                            sizeof why);
    if (status == 0)
        status = profile_save(paths, data, size, why, sizeof why);
    if (status != 0)
        snprintf(err, err_size, "cannot save the profile: %s", why); /* why names the file */
    free(data);
    return status;
}

/* With the audio clock stopped: the engine's own state, directly, and the session's record,
 * as one unit (profile_session.h); a session without a note saves the state only. Sets *saved
 * and *logged (1 logged, 0 not logged for a failure, -1 nothing to log). */
static void save_final(Engine *engine, const ProfilePaths *paths, const PracticeSessionRecord *record, int *saved,
                       int *logged)
{
    size_t size = engine_state_size(engine);
    uint8_t *data = malloc(size ? size : 1);
    char err[1024] = "out of memory", note[1024] = "";
    int status = data && engine_state_save(engine, record->end_unix, data, size) == size ? 0 : -1;
    if (status == 0 && record->notes == 0) /* nothing played: the state (its rest) saved, nothing logged */
        status = profile_save(paths, data, size, err, sizeof err) == 0 ? -3 : -1;
    else if (status == 0)
        status = profile_session_save(paths, data, size, record, note, sizeof note, err, sizeof err);
    if (note[0])
        fprintf(stderr, PROGRAM " practice: %s\n", note);
    if (status != 0 && status != -3)
        fprintf(stderr, PROGRAM " practice: %s '%s': %s\n",
                status == -2 ? "saved, but cannot log the session of" : "cannot save profile", paths->name, err);
    *saved = status != -1;
    *logged = status == 0 ? 1 : status == -3 ? -1 : 0; /* -1: not to be logged */
    free(data);
}

/* The session's MIDI beside the profile (session_recorder.h); says where, or why not. */
static void save_recording(SessionRecorder *recorder, PracticeSession *session, const ProfilePaths *paths,
                           int64_t start_unix)
{
    char said[PROFILE_PATH_MAX + 256], err[PROFILE_PATH_MAX + 256] = "out of memory";
    session_recorder_take(recorder, practice_session_tap(session));
    int status = recorder ? session_recorder_save(recorder, paths, start_unix, said, sizeof said, err, sizeof err) : -1;
    if (status == 0)
        printf("%s\n", said);
    else if (status < 0)
        fprintf(stderr, PROGRAM " practice: the session's recording is not saved: %s\n", err);
}

/* ---- the session ---- */

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + 1e-9 * (double)(now.tv_nsec - start->tv_nsec);
}

static void describe_opening(const ProfilePaths *paths, const ProfileOpening *opening)
{
    if (!opening->existed) {
        printf("profile '%s': new, will be saved as %s\n", paths->name, paths->state_path);
        return;
    }
    char when[64] = "?";
    time_t saved = (time_t)opening->saved_unix;
    struct tm local;
    if (localtime_r(&saved, &local))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", &local);
    printf("profile '%s' (%s): saved %s; away %.1f h awake and %.1f h asleep, applied as rest\n", paths->name,
           paths->state_path, when, opening->awake_s / 3600.0, opening->asleep_s / 3600.0);
}

typedef struct {
    const PracticeOptions *options;
    const ProfilePaths *paths;
    PracticeSession *session;
    MidiInput *midi;
    const char *audio_note;
    SessionRecorder *recorder; /* the session's MIDI with its fingers */
    double break_s; /* the engine's: a silence this long is not playing */
    int ui;
    PracticeWindow *window; /* --window, or NULL */
} LiveSession;

/* A key from the terminal: s cycles the sonification, + and - change the volume (said in
 * notice), q quits. Returns 1 on q. */
static int handle_key(LiveSession *live, char key, char *notice, size_t notice_size)
{
    if (key == 'q' || key == 'Q')
        return 1;
    if (key == 's' || key == 'S')
        practice_session_cycle_sonify(live->session);
    if (key == '+' || key == '=' || key == '-') {
        float db = practice_session_change_volume(live->session, key == '-' ? -PLAYER_VOLUME_STEP_DB
                                                                            : PLAYER_VOLUME_STEP_DB);
        if (db <= SONIFY_LEVEL_MIN_DB)
            snprintf(notice, notice_size, "volume: muted (+ to hear it again)");
        else
            snprintf(notice, notice_size, "volume: %.0f dB", (double)db);
    }
    return 0;
}

/* The main thread's loop: view or lines, keys, autosaves, until quit, a signal or the
 * duration. Returns 0, or -1 when an autosave failed. */
static int run_live(LiveSession *live, SessionTally *tally, const struct timespec *start)
{
    const PracticeOptions *o = live->options;
    Engine *engine = practice_session_engine(live->session);
    char notice[1024] = "";
    double next_draw = 0, next_save = o->save_every_s, next_sources = NEW_SOURCES_PERIOD_S;
    int status = 0, jack_lost_told = 0;
    for (;;) {
        double elapsed = seconds_since(start);
        if (terminal_quit_signal() || (o->duration_s > 0 && elapsed >= o->duration_s))
            break;
        const EngineSnapshot *s = engine_snapshot(engine);
        tally_observe(tally, s, elapsed, live->break_s);
        session_recorder_take(live->recorder, practice_session_tap(live->session));
        if (elapsed >= next_save) {
            char err[sizeof notice];
            if (save_live(live->session, live->paths, err, sizeof err) == 0) {
                time_t now = (time_t)cli_clock_unix();
                struct tm local;
                strftime(notice, sizeof notice, "profile saved at %H:%M:%S", localtime_r(&now, &local));
                if (!live->ui)
                    printf("%s\n", notice);
            } else {
                status = -1;
                snprintf(notice, sizeof notice, "%s", err);
                if (!live->ui)
                    fprintf(stderr, PROGRAM " practice: %s\n", err);
            }
            next_save += o->save_every_s;
        }
        if (live->midi->jack && !o->no_connect && elapsed >= next_sources && !midi_jack_lost(live->midi->jack)) {
            char found[512];
            if (midi_jack_connect_new_sources(live->midi->jack, found, sizeof found) > 0) {
                snprintf(notice, sizeof notice, "midi: connected %s (appeared)", found);
                if (!live->ui)
                    printf("%s\n", notice);
            }
            next_sources = elapsed + NEW_SOURCES_PERIOD_S;
        }
        if (live->midi->jack && !jack_lost_told && midi_jack_lost(live->midi->jack)) {
            snprintf(notice, sizeof notice, "midi: the JACK server went away: no more MIDI input");
            if (!live->ui)
                printf("%s\n", notice);
            jack_lost_told = 1;
        }
        PracticeViewStatus view = {.profile = live->paths->name, .audio = live->audio_note,
                                   .midi = live->midi->description, .sonify = practice_session_sonify(live->session),
                                   .elapsed_s = elapsed,
                                   .dropped = event_queue_dropped(practice_session_queue(live->session)),
                                   .notice = notice[0] ? notice : NULL};
        if (live->window) { /* the window shows the coach's proposal for what comes next */
            CoachInput coach_input;
            CoachProposal proposal;
            char proposal_text[160];
            coach_input_from_snapshot(&coach_input, s, NULL);
            coach_propose(&coach_input, &proposal);
            coach_summary(&proposal, proposal_text, sizeof proposal_text);
            practice_window_set_coach(live->window, proposal_text);
            if (handle_key(live, practice_window_update(live->window, s, &view), notice, sizeof notice))
                return status;
        }
        if (elapsed >= next_draw) {
            practice_view_show(stdout, s, &view, live->ui);
            next_draw += live->ui ? VIEW_PERIOD_S : LINE_PERIOD_S;
            if (next_draw < elapsed)
                next_draw = elapsed;
        }
        double wait_s = next_draw - seconds_since(start);
        int wait_ms = wait_s > 0 ? (int)ceil(wait_s * 1000) : 0;
        if (wait_ms > 100)
            wait_ms = 100;
        if (live->ui) {
            char key = terminal_read_key(wait_ms);
            if (key && handle_key(live, key, notice, sizeof notice))
                return status;
        } else {
            struct timespec pause = {wait_ms / 1000, (long)(wait_ms % 1000) * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
    return status;
}

/* Prints what the session did and the final line. */
static void print_ending(const EngineSnapshot *s, const SessionTally *tally, const ProfilePaths *paths,
                         double elapsed_s, int saved, int logged)
{
    const PracticeSessionRecord *r = &tally->record;
    printf("session: %llu notes in %.1f s (%.1f s playing), %u warnings\n", (unsigned long long)r->notes, elapsed_s,
           r->played_s, r->warnings_count);
    for (int h = 0; h < ENGINE_HANDS; h++)
        cli_print_map_summary(stdout, CLI_HAND_NAMES[h], &s->map[h]);
    printf("profile %s: %s\n", saved ? "saved" : "NOT saved (the last good save is kept)", paths->state_path);
    if (logged < 0)
        printf("log: no note was played: the session is not logged\n");
    else if (logged)
        printf("log: %s\n", paths->log_path);
    else
        printf("log: session NOT appended to %s%s\n", paths->log_path,
               saved ? "" : " (the profile was not saved: the log keeps the sessions the profile holds)");
}

int command_practice(int argc, char **argv)
{
    PracticeOptions o;
    int parsed = parse_practice(argc, argv, &o);
    if (parsed != 0)
        return parsed == 1 ? EXIT_OK : EXIT_USAGE;
    char err[1024];
    ProfilePaths paths;
    if (profile_paths(o.profile, &paths, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM " practice: --profile '%s': %s\n", o.profile, err);
        return EXIT_USAGE;
    }
    audio_out_quiet_libraries();
    if (o.rate == 0) {
        o.rate = cli_session_rate(o.no_audio ? 0 : audio_out_device_rate(o.audio));
    }
    PlayerSettings settings; /* the profile's remembered controls, the ones given laid over them */
    player_settings_default(&settings);
    if (player_settings_load(&paths, &settings, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM " practice: %s (fix or remove it: the defaults are used then)\n", err);
        return EXIT_RUNTIME;
    }
    cli_settings_over(&o.settings, &settings);
    EngineConfig config;
    engine_config_default(&config, o.rate, o.block);
    player_settings_apply(&settings, &config);
    PracticeSession *session = practice_session_create(&config, err, sizeof err);
    if (!session) {
        fprintf(stderr, PROGRAM " practice: %s\n", err);
        return EXIT_RUNTIME;
    }
    Engine *engine = practice_session_engine(session);
    ProfileOpening opening;
    int lock = profile_lock(&paths, err, sizeof err); /* held until the last save */
    if (lock < 0 || profile_session_open(&paths, engine, cli_clock_unix(), o.sleep, &opening, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM " practice: %s\n", err);
        profile_unlock(lock);
        practice_session_free(session);
        return EXIT_RUNTIME;
    }
    if (opening.settled[0])
        fprintf(stderr, PROGRAM " practice: profile '%s': %s\n", paths.name, opening.settled);
    describe_opening(&paths, &opening);
    char settings_line[512];
    player_settings_describe(&settings, o.settings.given, settings_line, sizeof settings_line);
    printf("%s\n", settings_line);
    engine_finish(engine); /* the maps as they stand, for the first view */

    char audio_note[768];
    AudioOutConfig audio_config = {.device = o.audio, .silent = o.no_audio, .rate = o.rate, .block = o.block};
    AudioOut *audio = audio_out_start(&audio_config, practice_session_block, session, audio_note, sizeof audio_note);
    if (!audio) {
        fprintf(stderr, PROGRAM " practice: %s\n", audio_note);
        profile_unlock(lock);
        practice_session_free(session);
        return EXIT_RUNTIME;
    }
    printf("%s\n", audio_note);
    MidiInput midi = {0};
    open_midi(&o, practice_session_queue(session), &midi);

    terminal_catch_quit_signals();
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    SessionTally tally;
    tally_start(&tally, engine_snapshot(engine), cli_clock_unix());
    Terminal terminal = {0};
    PracticeWindow *window = o.window ? practice_window_open(err, sizeof err) : NULL;
    if (o.window)
        printf(window ? "window: open (s: sonification, q or closing it: quit)\n"
                      : "window: %s; the terminal shows the view\n", err);
    int ui = !o.no_ui && !window && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    if (ui)
        terminal_enter(&terminal);
    SessionRecorder *recorder = session_recorder_create(config.sample_rate);
    LiveSession live = {.options = &o, .paths = &paths, .session = session, .midi = &midi,
                        .audio_note = audio_note, .recorder = recorder, .break_s = config.break_s,
                        .ui = ui && terminal.active, .window = window};
    int status = run_live(&live, &tally, &start);
    terminal_leave(&terminal);
    practice_window_close(window);
    if (terminal_quit_signal())
        printf("stopping on signal %d\n", terminal_quit_signal());

    /* Inputs first, then the audio clock: after that the engine is the main thread's. */
    close_midi(&midi);
    audio_out_stop(audio);
    practice_session_finish(session); /* engine_finish, the last fingers to the recording */
    const EngineSnapshot *s = engine_snapshot(engine);
    double elapsed = seconds_since(&start);
    tally_observe(&tally, s, elapsed, config.break_s);
    PracticeViewStatus view = {.profile = paths.name, .audio = audio_note, .midi = midi.description,
                               .sonify = practice_session_sonify(session), .elapsed_s = elapsed,
                               .dropped = event_queue_dropped(practice_session_queue(session))};
    char line[2048];
    practice_view_line(s, &view, line, sizeof line);
    printf("%s\n", line);
    tally_finish(&tally, s, cli_clock_unix());
    int saved, logged;
    save_final(engine, &paths, &tally.record, &saved, &logged);
    if (!saved || !logged)
        status = -1;
    print_ending(s, &tally, &paths, elapsed, saved, logged);
    save_recording(recorder, session, &paths, tally.record.start_unix);
    session_recorder_free(recorder);
    settings.sonify = practice_session_sonify(session); /* as the keys left them */
    settings.volume_db = practice_session_volume_db(session);
    if (saved && player_settings_save(&paths, &settings, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM " practice: the settings were not remembered: %s\n", err);
        status = -1;
    }
    profile_unlock(lock);
    practice_session_free(session);
    return status == 0 ? EXIT_OK : EXIT_RUNTIME;
}
