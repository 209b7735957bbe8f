/* homunculus demo: the README's first command. A built-in practice session (demo_session.h)
 * through the engine, live with sound and the view when there is a sound device and a
 * terminal, else as fast as possible with the sound to a WAV file and progress as text; then
 * what changed in the maps. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_out.h"
#include "cli.h"
#include "commands.h"
#include "demo_session.h"
#include "live_playback.h"
#include "offline_render.h"
#include "practice_session.h"
#include "practice_view.h"

#define DEMO_PLASTICITY 10.0f /* minutes of demo show what weeks of practice would */
#define DEMO_WAV "homunculus-demo.wav"
#define DEMO_PROGRESS_S 20.0

typedef struct {
    const char *wav, *audio;
    int offline, no_audio, no_ui;
    double rate;
    uint32_t block;
    unsigned long seed;
} DemoOptions;

static void print_demo_help(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " demo [OPTIONS]\n"
            "Plays a built-in practice session (about 100 s: five-finger patterns, a scale, an\n"
            "arpeggio, a trill, then D3 and D4 struck together over and over, both hands) through\n"
            "the engine and prints what changed in the finger maps. With a sound device and a\n"
            "terminal it plays in real time with the live view (s: sonification, q: stop); else\n"
            "as fast as possible, the sonification written to " DEMO_WAV ". The demo player learns\n"
            "%.0fx faster than the default so that minutes show what weeks would; it starts from a\n"
            "fresh map and touches no profile.\n"
            "  --offline            as fast as possible, even with a device and a terminal\n"
            "  --wav OUT.wav        where the offline sonification goes (default " DEMO_WAV ")\n"
            "  --audio NAME|INDEX   the PortAudio output device (see '" PROGRAM " devices')\n"
            "  --no-audio           real time without sound (on a terminal)\n"
            "  --no-ui              plain lines instead of the live view\n"
            "  --block N            frames per engine block, 16..4096 (default %u)\n"
            "  --rate HZ            sample rate, 8000..192000 (default: the device's, offline %.0f)\n"
            "  --seed N             the session's velocities (default 1)\n",
            (double)DEMO_PLASTICITY, CLI_DEFAULT_BLOCK, CLI_DEFAULT_RATE);
}

/* Returns 0, 1 after --help, or 2 after a usage message. */
static int parse_demo(int argc, char **argv, DemoOptions *o)
{
    static const struct option options[] = {
        {"offline", no_argument, NULL, 'o'},   {"wav", required_argument, NULL, 'w'},
        {"audio", required_argument, NULL, 'a'}, {"no-audio", no_argument, NULL, 'A'},
        {"no-ui", no_argument, NULL, 'U'},     {"block", required_argument, NULL, 'b'},
        {"rate", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
    *o = (DemoOptions){.wav = DEMO_WAV, .block = CLI_DEFAULT_BLOCK, .seed = 1};
    int option;
    long whole;
    optind = 1;
    while ((option = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (option) {
        case 'o': o->offline = 1; break;
        case 'w': o->wav = optarg; break;
        case 'a': o->audio = optarg; break;
        case 'A': o->no_audio = 1; break;
        case 'U': o->no_ui = 1; break;
        case 'b':
            if (cli_parse_whole(optarg, 16, 4096, &whole) != 0) {
                fprintf(stderr, PROGRAM " demo: --block '%s' is not a whole number in 16..4096\n", optarg);
                return 2;
            }
            o->block = (uint32_t)whole;
            break;
        case 'r':
            if (cli_parse_number(optarg, 8000, 192000, &o->rate) != 0) {
                fprintf(stderr, PROGRAM " demo: --rate '%s' is not a number in 8000..192000\n", optarg);
                return 2;
            }
            break;
        case 's':
            if (cli_parse_whole(optarg, 0, 2147483647L, &whole) != 0) {
                fprintf(stderr, PROGRAM " demo: --seed '%s' is not a whole number >= 0\n", optarg);
                return 2;
            }
            o->seed = (unsigned long)whole;
            break;
        case 'h': print_demo_help(stdout); return 1;
        default: print_demo_help(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, PROGRAM " demo: unexpected '%s'\n", argv[optind]);
        return 2;
    }
    return 0;
}

/* Offline progress: one plain status line every DEMO_PROGRESS_S of the session. */
static void print_progress(void *user, double rendered_s, double total_s)
{
    (void)total_s;
    Engine *engine = user;
    char line[2048];
    PracticeViewStatus view = {.profile = "demo", .audio = "offline", .midi = "the built-in session",
                               .sonify = SONIFY_MAP, .elapsed_s = rendered_s};
    practice_view_line(engine_snapshot(engine), &view, line, sizeof line);
    printf("%s\n", line);
}

static void print_row(const char *label, const float before[2], const float after[2], float scale, const char *unit)
{
    printf("  %-22s", label);
    for (int h = 0; h < 2; h++)
        printf("   %7.2f -> %7.2f%s", scale * before[h], scale * after[h], unit);
    printf("\n");
}

/* What the session did to each hand's map. */
static void print_changes(const MapMetrics before[2], const MapMetrics after[2])
{
    printf("\nwhat changed           %-22s   %-22s\n", "right hand", "left hand");
    float b[2], a[2];
    for (int d = 0; d < METRICS_DIGITS; d++) {
        char label[32];
        snprintf(label, sizeof label, "D%d area", d + 1);
        for (int h = 0; h < 2; h++)
            b[h] = before[h].area_fraction[d], a[h] = after[h].area_fraction[d];
        print_row(label, b, a, 100.0f, " %");
    }
#define ROW(label, field, scale, unit)                                                                     \
    do {                                                                                                   \
        for (int h = 0; h < 2; h++)                                                                        \
            b[h] = before[h].field, a[h] = after[h].field;                                                 \
        print_row(label, b, a, scale, unit);                                                               \
    } while (0)
    ROW("multi-digit units", multi_digit_fraction, 100.0f, " %");
    ROW("mean receptive field", rf_points_mean, 1.0f, " pt");
    ROW("D3-D4 overlap (Dice)", overlap[2][3], 1.0f, "   ");
    ROW("D3-D4 border sharpness", border_sharpness[2], 1.0f, "   ");
    ROW("D1-D5 distance", d1_d5_distance_mm, 1.0f, " mm");
    ROW("overlap risk", overlap_risk, 1.0f, "   ");
#undef ROW
    for (int h = 0; h < 2; h++)
        if (after[h].overlap[2][3] > before[h].overlap[2][3] + 0.1f)
            printf("%s hand: the repetitive D3+D4 chords began to merge those fingers' maps (overlap %.2f -> %.2f,\n"
                   "  border %.2f -> %.2f); the overlap risk is a model index, never a diagnosis\n",
                   CLI_HAND_NAMES[h], before[h].overlap[2][3], after[h].overlap[2][3], before[h].border_sharpness[2],
                   after[h].border_sharpness[2]);
}

int command_demo(int argc, char **argv)
{
    DemoOptions o;
    int parsed = parse_demo(argc, argv, &o);
    if (parsed != 0)
        return parsed == 1 ? EXIT_OK : EXIT_USAGE;
    char err[1024] = "";
    SmfEvent *events = NULL;
    size_t count = 0;
    if (demo_session_events(o.seed, &events, &count, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM " demo: %s\n", err);
        return EXIT_RUNTIME;
    }
    audio_out_quiet_libraries();
    double device_rate = o.offline || o.no_audio ? 0 : audio_out_device_rate(o.audio);
    int terminal = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    int live = !o.offline && terminal && (o.no_audio || device_rate > 0);
    if (o.rate == 0)
        o.rate = live ? cli_session_rate(device_rate) : CLI_DEFAULT_RATE;

    EngineConfig config;
    engine_config_default(&config, o.rate, o.block);
    fingering_config_default(&config.fingering, FINGERING_CHANNEL);
    config.model.plasticity_gain = DEMO_PLASTICITY;
    PracticeSession *session = practice_session_create(&config, err, sizeof err);
    if (!session) {
        fprintf(stderr, PROGRAM " demo: %s\n", err);
        free(events);
        return EXIT_RUNTIME;
    }
    Engine *engine = practice_session_engine(session);
    engine_finish(engine);
    MapMetrics before[2], after[2];
    memcpy(before, engine_snapshot(engine)->map, sizeof before);

    size_t parts;
    const DemoPart *part = demo_session_parts(&parts);
    printf("homunculus demo: a practice session of %.0f s, %zu notes, fingers known (channel-coded)\n",
           part[parts - 1].start_s + part[parts - 1].length_s, count / 2);
    for (size_t i = 0; i < parts; i++)
        printf("  %5.0f s  %s\n", part[i].start_s, part[i].what);
    if (!live)
        printf("%s: rendering as fast as possible, the sound to %s\n",
               o.offline ? "--offline" : terminal ? "no sound device" : "not a terminal", o.wav);

    int status;
    if (live) {
        LivePlaybackConfig playback = {.audio = o.audio, .no_audio = o.no_audio, .no_ui = o.no_ui, .rate = o.rate,
                                       .block = o.block, .title = "demo"};
        int stopped_early;
        status = live_playback(session, events, count, &playback, &stopped_early, err, sizeof err);
    } else {
        OfflineRenderConfig render = {.rate = o.rate, .block = o.block, .tail_s = 1.0, .wav_path = o.wav,
                                      .progress = print_progress, .progress_user = engine,
                                      .progress_every_s = DEMO_PROGRESS_S};
        status = offline_render(engine, events, count, &render, err, sizeof err);
    }
    if (status != 0) {
        fprintf(stderr, PROGRAM " demo: %s\n", err);
    } else {
        engine_finish(engine);
        const EngineSnapshot *s = engine_snapshot(engine);
        memcpy(after, s->map, sizeof after);
        printf("%llu notes, %llu + %llu stimuli (right + left), %llu merged\n", (unsigned long long)s->notes,
               (unsigned long long)s->stimuli[0], (unsigned long long)s->stimuli[1],
               (unsigned long long)s->stimuli_merged);
        print_changes(before, after);
        if (!live)
            printf("the sonification: %s\n", o.wav);
    }
    practice_session_free(session);
    free(events);
    return status == 0 ? EXIT_OK : EXIT_RUNTIME;
}
