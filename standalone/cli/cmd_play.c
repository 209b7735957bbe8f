/* homunculus play: a recording (Standard MIDI File, or a PIG fingering file) fed through the
 * engine, in real time with sound and the live view, or offline as fast as possible with the
 * sonification to a WAV file; the learned state to a file or a profile. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_settings.h"
#include "commands.h"
#include "engine.h"
#include "audio_out.h"
#include "engine_file.h"
#include "files.h"
#include "live_playback.h"
#include "offline_render.h"
#include "pig.h"
#include "practice_log.h"
#include "practice_session.h"
#include "profile.h"
#include "profile_session.h"
#include "smf.h"

static void print_play_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " play FILE [OPTIONS]\n"
            "Plays a Standard MIDI File, or a PIG fingering file (fingers as annotated), through the\n"
            "engine in real time, with its sound and the live view (keys: s sonification, q stop),\n"
            "then prints what the practice did to the finger maps.\n"
            "  --offline            as fast as possible, no sound device (with --wav: to a file)\n"
            "  --wav OUT.wav        write the sonification up to the file's end of track (stereo,\n"
            "                       32-bit float WAV; --offline)\n"
            "  --audio NAME|INDEX   the PortAudio output device (real time; see '" PROGRAM " devices')\n"
            "  --no-audio           real time without sound\n"
            "  --no-ui              plain lines instead of the live view\n"
            "  --block N            frames per engine block, 1..8192 (default %u)\n"
            "  --rate HZ            sample rate, 8000..192000 (default: the device's, offline %.0f)\n"

            "  --state IN           start from a saved engine state (the time since it was saved\n"
            "                       is not applied: a recording is practice, not a night)\n"
            "  --save-state OUT     write the learned state (atomically; SOURCE_DATE_EPOCH, when\n"
            "                       set, is recorded as the time of saving)\n"
            "  --profile NAME       learn into a profile instead (in $XDG_DATA_HOME/homunculus): the\n"
            "                       time since it was saved counts as rest and sleep, the session is\n"
            "                       added to its practice log (see '" PROGRAM " history')\n"
            "  --sleep H-H          local hours that count as sleep (default 23-7; with --profile)\n",
            CLI_DEFAULT_BLOCK, CLI_DEFAULT_RATE);
    cli_settings_help(out);
    fprintf(out, "A PIG file is played with --fingering channel unless another is given.\n");
}

typedef struct {
    const char *input, *wav, *state_in, *state_out, *profile, *audio;
    int offline, no_audio, no_ui;
    SleepWindow sleep_window;
    uint32_t block;
    double rate;
    CliSettings settings; /* the player's controls given */
} PlayOptions;

/* Parses play's options; returns 0, 1 when help was printed, or 2 after a usage message. */
static int parse_play(int argc, char **argv, PlayOptions *o)
{
    static const struct option options[] = {
        {"offline", no_argument, NULL, 'o'},     {"wav", required_argument, NULL, 'w'},
        {"block", required_argument, NULL, 'b'}, {"rate", required_argument, NULL, 'r'},
        CLI_SETTINGS_OPTIONS,
        {"state", required_argument, NULL, 'i'}, {"save-state", required_argument, NULL, 'O'},
        {"profile", required_argument, NULL, 'p'}, {"sleep", required_argument, NULL, 'S'},
        {"audio", required_argument, NULL, 'a'}, {"no-audio", no_argument, NULL, 'A'},
        {"no-ui", no_argument, NULL, 'U'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    *o = (PlayOptions){.block = CLI_DEFAULT_BLOCK, .rate = 0, .sleep_window = SLEEP_WINDOW_DEFAULT};
    char err[256];
    int option;
    double value;
    optind = 1;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (option) {
        case 'o':
            o->offline = 1;
            break;
        case 'a':
            o->audio = optarg;
            break;
        case 'A':
            o->no_audio = 1;
            break;
        case 'U':
            o->no_ui = 1;
            break;
        case 'w':
            o->wav = optarg;
            break;
        case 'b':
            if (cli_parse_number(optarg, 1, 8192, &value) != 0 || value != floor(value)) {
                fprintf(stderr, PROGRAM " play: --block '%s' is not a whole number in 1..8192\n", optarg);
                return 2;
            }
            o->block = (uint32_t)value;
            break;
        case 'r':
            if (cli_parse_number(optarg, 8000, 192000, &value) != 0) {
                fprintf(stderr, PROGRAM " play: --rate '%s' is not a number in 8000..192000\n", optarg);
                return 2;
            }
            o->rate = value;
            break;
        case 'i':
            o->state_in = optarg;
            break;
        case 'O':
            o->state_out = optarg;
            break;
        case 'p':
            if (profile_check_name(optarg, err, sizeof err) != 0) {
                fprintf(stderr, PROGRAM " play: --profile: %s\n", err);
                return 2;
            }
            o->profile = optarg;
            break;
        case 'S':
            if (profile_parse_sleep_window(optarg, &o->sleep_window) != 0) {
                fprintf(stderr, PROGRAM " play: --sleep '%s' is not START-END in hours 0..23 (e.g. 23-7)\n",
                        optarg);
                return 2;
            }
            break;
        case 'h':
            print_play_help(stdout);
            return 1;
        default: /* a setting's option, else a usage error (said) */
            if (cli_settings_option(&o->settings, option, optarg, "play", print_play_help) != 0)
                return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, PROGRAM " play: expected exactly one FILE\n");
        print_play_help(stderr);
        return 2;
    }
    if (o->wav && !o->offline) {
        fprintf(stderr, PROGRAM " play: --wav renders offline: add --offline\n");
        return 2;
    }
    if (o->profile && (o->state_in || o->state_out)) {
        fprintf(stderr, PROGRAM " play: --profile keeps its own state: it does not go with --state or --save-state\n");
        return 2;
    }
    o->input = argv[optind];
    return 0;
}

static int ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

/* Reads the recording into time-sorted events; PIG files become channel-coded notes. *end_s
 * is where the recording ends: a MIDI file's end of track, a PIG file's last event. */
static int read_events(const char *path, SmfEvent **events, size_t *count, double *end_s, int *is_pig, char *err,
                       size_t err_size)
{
    *end_s = 0.0;
    *is_pig = ends_with(path, ".txt") || ends_with(path, ".pig");
    if (*is_pig) {
        PigNote *notes = NULL;
        size_t notes_count = 0;
        if (pig_read_file(path, &notes, &notes_count, err, err_size) != 0)
            return -1;
        int status = pig_to_channel_events(notes, notes_count, events, err, err_size);
        *count = 2 * notes_count;
        pig_free(notes);
        return status;
    }
    SmfSong *song = NULL;
    if (smf_read_file(path, &song, err, err_size) != 0)
        return -1;
    *count = smf_event_count(song);
    *end_s = smf_duration_s(song);
    *events = malloc((*count ? *count : 1) * sizeof **events);
    if (!*events) {
        snprintf(err, err_size, "%s: out of memory", path);
        smf_free(song);
        return -1;
    }
    memcpy(*events, smf_events(song), *count * sizeof **events);
    smf_free(song);
    return 0;
}

/* Time spent playing: the recording's stretches between events, breaks excluded. */
static double playing_seconds(const SmfEvent *events, size_t count, double break_s)
{
    double played = 0.0;
    for (size_t i = 1; i < count; i++) {
        double interval = events[i].time_s - events[i - 1].time_s;
        if (interval < break_s)
            played += interval;
    }
    return played;
}

/* Locks the profile for the session (*lock), opens it into engine (the time since its saving
 * applied) and begins its session record; -1 after a message, nothing written. */
static int open_profile(const PlayOptions *o, Engine *engine, ProfilePaths *paths, int *lock,
                        PracticeSessionRecord *session)
{
    char err[1024];
    int64_t now = cli_clock_unix();
    ProfileOpening opening;
    if (profile_paths(o->profile, paths, err, sizeof err) != 0 || (*lock = profile_lock(paths, err, sizeof err)) < 0 ||
        profile_session_open(paths, engine, now, o->sleep_window, &opening, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return -1;
    }
    if (opening.settled[0])
        fprintf(stderr, PROGRAM ": profile '%s': %s\n", paths->name, opening.settled);
    if (opening.existed)
        printf("profile '%s': %.1f h awake and %.1f h asleep since it was saved\n", paths->name,
               opening.awake_s / 3600.0, opening.asleep_s / 3600.0);
    else
        printf("profile '%s': new, in %s\n", paths->name, paths->directory);
    practice_log_begin(session, now, engine_snapshot(engine));
    return 0;
}

/* Every warning the engine gives while the recording plays, in the session's record. */
typedef struct {
    PracticeSessionRecord *record;
    Warning last;
} WarningWatch;

static void watch_warnings(void *user, const EngineSnapshot *snapshot)
{
    WarningWatch *watch = user;
    practice_log_observe_warning(watch->record, &snapshot->warning, &watch->last);
}

/* Saves the engine into the profile, then appends the session to its log (a session without
 * a note is not logged); -1 after a message. */
static int close_profile(const Engine *engine, const ProfilePaths *paths, PracticeSessionRecord *session,
                         double played_s, const EngineSnapshot *end)
{
    char err[1024];
    int64_t now = cli_clock_unix();
    practice_log_finish(session, now, played_s, end);
    size_t size;
    uint8_t *state = engine_file_serialise(engine, now, &size);
    char note[1024] = "";
    int status = -1;
    if (state && session->notes == 0 && profile_save(paths, state, size, err, sizeof err) == 0) {
        printf("profile '%s' saved; no note was played, so the practice log is unchanged\n", paths->name);
        free(state);
        return 0;
    }
    if (state && session->notes > 0)
        status = profile_session_save(paths, state, size, session, note, sizeof note, err, sizeof err);
    status = status == 0 ? 0 : -1;
    if (!state)
        snprintf(err, sizeof err, "cannot save profile '%s': out of memory", paths->name);
    if (note[0])
        fprintf(stderr, PROGRAM ": %s\n", note);
    if (status != 0)
        fprintf(stderr, PROGRAM ": %s\n", err);
    else
        printf("profile '%s' saved; the session is in its practice log\n", paths->name);
    free(state);
    return status;
}

int command_play(int argc, char **argv)
{
    PlayOptions o;
    int parsed = parse_play(argc, argv, &o);
    if (parsed != 0)
        return parsed == 1 ? EXIT_OK : EXIT_USAGE;
    char err[1024] = "";
    SmfEvent *events = NULL;
    size_t count = 0;
    int is_pig = 0;
    double end_s = 0.0;
    if (read_events(o.input, &events, &count, &end_s, &is_pig, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return 1;
    }
    if (o.state_out && files_check_directory(o.state_out, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        free(events);
        return 1;
    }
    if (o.rate == 0) {
        audio_out_quiet_libraries();
        o.rate = cli_session_rate(o.offline || o.no_audio ? 0 : audio_out_device_rate(o.audio));
    }
    PlayerSettings settings; /* a profile's remembered controls, the ones given laid over them */
    player_settings_default(&settings);
    ProfilePaths paths;
    if (o.profile && (profile_paths(o.profile, &paths, err, sizeof err) != 0 ||
                      player_settings_load(&paths, &settings, err, sizeof err) != 0)) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        free(events);
        return 1;
    }
    cli_settings_over(&o.settings, &settings);
    EngineConfig config;
    engine_config_default(&config, o.rate, o.block);
    PlayerSettings session_settings = settings; /* a PIG file's fingers are on its channels */
    if (is_pig && !(o.settings.given & 1u << SETTING_FINGERING))
        session_settings.fingering = FINGERING_CHANNEL;
    player_settings_apply(&session_settings, &config);
    PracticeSession *live = practice_session_create(&config, err, sizeof err);
    if (!live) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        free(events);
        return 1;
    }
    Engine *engine = practice_session_engine(live);
    PracticeSessionRecord session = {0};
    WarningWatch watch = {.record = &session};
    int status = 0, lock = -1;
    if (o.profile)
        status = open_profile(&o, engine, &paths, &lock, &session);
    else if (o.state_in)
        status = engine_file_load(engine, o.state_in, NULL);
    if (status == 0) {
        char settings_line[512];
        player_settings_describe(&session_settings, o.settings.given, settings_line, sizeof settings_line);
        printf("%s\n", settings_line);
    }
    if (status == 0 && o.offline) {
        /* the WAV lasts as long as the file: up to its end of track, not a tail after its last note */
        OfflineRenderConfig render = {.rate = o.rate, .block = o.block, .end_s = end_s, .wav_path = o.wav,
                                      .observe = watch_warnings, .observe_user = &watch};
        status = offline_render(engine, events, count, &render, err, sizeof err);
    } else if (status == 0) {
        LivePlaybackConfig playback = {.audio = o.audio, .no_audio = o.no_audio, .no_ui = o.no_ui, .rate = o.rate,
                                       .block = o.block, .title = o.input, .profile = o.profile, .end_s = end_s,
                                       .observe = watch_warnings, .observe_user = &watch};
        int stopped_early;
        status = live_playback(live, events, count, &playback, &stopped_early, err, sizeof err);
    }
    if (status != 0 && err[0])
        fprintf(stderr, PROGRAM ": %s\n", err);
    if (status == 0) {
        engine_finish(engine);
        const EngineSnapshot *s = engine_snapshot(engine);
        printf("%s: %llu notes, %llu + %llu stimuli (right + left), %llu merged, %llu without a finger\n", o.input,
               (unsigned long long)s->notes, (unsigned long long)s->stimuli[0], (unsigned long long)s->stimuli[1],
               (unsigned long long)s->stimuli_merged, (unsigned long long)s->notes_unfingered);
        for (int h = 0; h < 2; h++)
            cli_print_map_summary(stdout, CLI_HAND_NAMES[h], &s->map[h]);
        watch_warnings(&watch, s);
        for (unsigned i = 0; i < session.warnings_count && i < PRACTICE_LOG_WARNINGS; i++)
            printf("warning: %s\n", session.warnings[i]);
        if (session.warnings_count > PRACTICE_LOG_WARNINGS)
            printf("(%u warnings in all)\n", session.warnings_count);
        if (o.state_out)
            status = engine_file_save(engine, o.state_out, cli_clock_unix());
        else if (o.profile)
            status = close_profile(engine, &paths, &session, playing_seconds(events, count, config.break_s), s);
        if (status == 0 && o.profile) {
            settings.sonify = practice_session_sonify(live); /* as the keys left them */
            settings.volume_db = practice_session_volume_db(live);
            if (player_settings_save(&paths, &settings, err, sizeof err) != 0) {
                fprintf(stderr, PROGRAM ": the settings were not remembered: %s\n", err);
                status = -1;
            }
        }
    }
    profile_unlock(lock);
    practice_session_free(live);
    free(events);
    return status == 0 ? 0 : 1;
}

