/* The LV2 shell around the real-time engine (core/engine.h): ports, atom MIDI in and
 * through, control outputs from the engine's snapshots, settings applied live at block
 * boundaries (the learned maps and queued touches stay), and the engine's state saved in
 * the host's project.
 *
 * Threads. run() is the audio thread. Two other entry points touch the engine: save()
 * (which the LV2 state spec lets a host call while run() runs) and restore(). They take
 * the engine exclusively through
 * one atomic owner flag: run() only ever tries to take it (compare-and-swap, never waits);
 * when another thread holds it, run() passes MIDI through, writes silence and keeps the
 * block's MIDI and length in a backlog that it plays into the engine as soon as it owns it
 * again, so nothing played is lost and the engine's time stays exact. The other threads
 * wait for run() to finish its block (it holds the engine for one block at most). */
#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lv2/atom/atom.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/core/lv2_util.h>
#include <lv2/log/log.h>
#include <lv2/log/logger.h>
#include <lv2/midi/midi.h>
#include <lv2/options/options.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include "engine.h"
#include "files.h"
#include "wall_clock.h"
#include "inline_display.h"
#include "ports.h"
#include "ui_message.h"
#include "uris.h"

#define MAX_BLOCK_EVENTS 1024   /* MIDI events of one block given to the engine */
#define BACKLOG_EVENTS 4096     /* MIDI events kept while another thread holds the engine */
/* The engine is called with at most this many frames (longer host blocks are cut into
 * pieces): its work budget may run ahead by two calls' worth, so a short call bounds the
 * work of any one host block of the nominal size, whatever the maximum block length. */
#define ENGINE_PIECE_FRAMES 64u
#define PROFILE_PATH_BYTES 4096   /* longest profile path a patch:Set may carry, with its NUL */
#define PROFILE_FILE_MAX_BYTES ((size_t)64 << 20) /* a profile larger than this is refused unread */
#define OWNER_FREE 0
#define OWNER_RUN 1
#define OWNER_OTHER 2

/* The settings held in control ports that shape learning (run() applies changes live). */
typedef struct {
    int hand;          /* 0 auto (both), 1 right, 2 left */
    int fingering;     /* FingeringMode */
    int root_note;
    float window_ms;
    float plasticity;
    float inhibition;
    float age;
} Settings;

/* Jobs for the worker thread (and their answers back): load or save a profile file; make
 * a hand's model (the first time the hand is played) or free one that came too late. */
typedef enum { PROFILE_LOAD, PROFILE_SAVE, PROFILE_PATH_TOO_LONG, HAND_MAKE, HAND_RELEASE } JobKind;
typedef struct {
    uint32_t kind;  /* JobKind */
    uint32_t ok;    /* in the answer: 1 done */
    char path[PROFILE_PATH_BYTES];
} ProfileJob;
typedef struct {
    uint32_t kind;  /* HAND_MAKE or HAND_RELEASE */
    uint32_t ok;    /* in the answer: 1 made */
    EngineHand made;
} HandJob;

typedef struct {
    const LV2_Atom_Sequence *midi_in;
    LV2_Atom_Sequence *midi_out;
    float *audio[2];
    LV2_Atom_Sequence *notify;                       /* to the custom UI */
    const float *control_in[PORT_FIRST_CONTROL_OUT]; /* indexed by PortIndex */
    float *control_out[PORT_COUNT];                  /* indexed by PortIndex */

    HomunculusUris uris;
    LV2_Log_Logger logger;
    LV2_Inline_Display *queue_draw; /* the host shows an inline display */
    LV2_Worker_Schedule *schedule;  /* the host's worker: profile files are read and written there */
    ProfileJob answer;              /* a finished job, told to the host in the next run() */
    int answer_pending;
    unsigned hands_asked;           /* hands whose model the worker was asked to make */
    HandJob hand_arrived[ENGINE_HANDS]; /* made by the worker, installed by the next run() */
    InlineDisplay *display;
    double rate;
    uint32_t piece_frames;      /* frames per engine call (host blocks may be longer) */

    Engine *engine;
    EngineConfig engine_config; /* as created: save() sizes its capture from it */
    atomic_int owner;
    Settings applied;           /* what the engine runs with (written by the owner) */

    EngineEvent events[MAX_BLOCK_EVENTS]; /* this block's MIDI for the engine */
    EngineEvent piece[MAX_BLOCK_EVENTS];  /* one engine call's share of it */
    EngineEvent backlog[BACKLOG_EVENTS]; /* frame: frames since the backlog began */
    uint32_t backlog_count;
    uint64_t backlog_frames;
    uint64_t events_lost;       /* beyond MAX_BLOCK_EVENTS or BACKLOG_EVENTS */
    float *scratch[2];          /* piece_frames frames each, for catch-up audio */

    uint8_t note_down[16][128]; /* keys the engine has seen pressed (bypass releases them) */
    int bypassed;

    LV2_Atom_Forge forge;       /* the notify port's messages */
    uint64_t frames_since_ui;   /* since the last frame sent to the UI */
    uint32_t notify_capacity;   /* bytes the host gave the notify port this block */
    LV2_Atom_Forge_Frame notify_frame; /* the notify port's sequence while run() writes it */
    UiFrame ui_frame;           /* filled in place, then written to the notify port */
} Plugin;

static float clampf(float v, float lo, float hi, float fallback)
{
    if (!(v == v))
        return fallback;
    return v < lo ? lo : v > hi ? hi : v;
}

/* A control input's value clamped to its declared range (its default when unconnected). */
static float port_value(const Plugin *p, PortIndex port)
{
    const PortInput *in = &port_inputs[port - PORT_ENABLED];
    const float *v = p->control_in[port];
    return v ? clampf(*v, in->minimum, in->maximum, in->fallback) : in->fallback;
}

static Settings settings_from_ports(const Plugin *p)
{
    Settings s;
    s.hand = (int)lrintf(port_value(p, PORT_HAND));
    s.fingering = (int)lrintf(port_value(p, PORT_FINGERING));
    s.root_note = (int)lrintf(port_value(p, PORT_ROOT_NOTE));
    s.window_ms = port_value(p, PORT_WINDOW_MS);
    s.plasticity = port_value(p, PORT_PLASTICITY);
    s.inhibition = port_value(p, PORT_INHIBITION);
    s.age = port_value(p, PORT_AGE);
    return s;
}

static bool settings_equal(const Settings *a, const Settings *b)
{
    return a->hand == b->hand && a->fingering == b->fingering && a->root_note == b->root_note &&
           a->window_ms == b->window_ms && a->plasticity == b->plasticity && a->inhibition == b->inhibition &&
           a->age == b->age;
}

/* The fingering the hand, mode and root-note settings ask for (always a valid one). */
HM_REALTIME static void fingering_from_settings(const Settings *s, FingeringConfig *f)
{
    static const HandChoice hands[3] = {HANDS_BOTH, HANDS_RIGHT, HANDS_LEFT};
    fingering_config_for_player(f, (FingeringMode)s->fingering, hands[s->hand], s->root_note);
}

/* The engine's configuration for settings s, into p->engine_config; 0, or -1 with the
 * reason in err (checked at instantiation: the engine itself is made in activate()). */
static int configure_engine(Plugin *p, const Settings *s, char *err, size_t err_size)
{
    EngineConfig *c = &p->engine_config;
    engine_config_default(c, p->rate, p->piece_frames);
    fingering_from_settings(s, &c->fingering);
    c->coincidence_window_ms = s->window_ms;
    c->model.plasticity_gain = s->plasticity;
    c->model.inhibition_strength = s->inhibition;
    c->model.age_years = s->age;
    /* with a worker, a hand's model (half a MiB, most of the cost of starting) is made when
     * the hand is first played: a one-hand track never holds the other; without one, both
     * are made in activate() */
    c->hands_on_demand = 1;
    return engine_config_check(c, err, err_size);
}

/* Brings the engine to the settings in the ports, keeping what it has learned. Called by
 * the engine's owner (run(), or activate()). */
HM_REALTIME static void apply_settings(Plugin *p, const Settings *s)
{
    Settings *a = &p->applied;
    if (s->plasticity != a->plasticity || s->inhibition != a->inhibition || s->age != a->age)
        engine_set_model_controls(p->engine, s->plasticity, s->inhibition, s->age);
    if (s->window_ms != a->window_ms)
        engine_set_coincidence_window_ms(p->engine, s->window_ms);
    if (s->hand != a->hand || s->fingering != a->fingering || s->root_note != a->root_note) {
        FingeringConfig f;
        fingering_from_settings(s, &f);
        engine_set_fingering(p->engine, &f);
    }
    *a = *s;
}

/* ---- exclusive use of the engine by non-real-time threads ---- */

static bool take_engine(Plugin *p)
{
    struct timespec pause = {0, 100000}; /* 0.1 ms */
    for (int i = 0; i < 50000; i++) {  /* 5 s at most: run() holds it for one block */
        int expected = OWNER_FREE;
        if (atomic_compare_exchange_strong(&p->owner, &expected, OWNER_OTHER))
            return true;
        nanosleep(&pause, NULL);
    }
    return false;
}

static void give_engine(Plugin *p) { atomic_store(&p->owner, OWNER_FREE); }

/* ---- instantiation ---- */

static void cleanup(LV2_Handle instance)
{
    Plugin *p = instance;
    if (!p)
        return;
    for (int h = 0; h < ENGINE_HANDS; h++)
        engine_hand_release(&p->hand_arrived[h].made);
    engine_free(p->engine);
    inline_display_free(p->display);
    free(p->scratch[0]);
    free(p->scratch[1]);
    free(p);
}

static LV2_Handle instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
                              const LV2_Feature *const *features)
{
    (void)descriptor;
    (void)bundle_path;
    Plugin *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    LV2_URID_Map *map = NULL;
    LV2_Log_Log *log = NULL;
    const LV2_Options_Option *options = NULL;
    const char *missing = lv2_features_query(features, LV2_LOG__log, &log, false, LV2_URID__map, &map, true,
                                             LV2_OPTIONS__options, &options, true, LV2_INLINEDISPLAY__queue_draw,
                                             &p->queue_draw, false, LV2_WORKER__schedule, &p->schedule, false, NULL);
    lv2_log_logger_init(&p->logger, map, log);
    if (missing) {
        lv2_log_error(&p->logger, "Homunculus: the host lacks the required feature <%s>\n", missing);
        free(p);
        return NULL;
    }
    homunculus_map_uris(&p->uris, map);
    lv2_atom_forge_init(&p->forge, map);
    int64_t max_block = 0;
    for (const LV2_Options_Option *o = options; o && o->key; o++)
        if (o->key == p->uris.bufsz_maxBlockLength && o->type == p->uris.atom_Int && o->size == sizeof(int32_t))
            max_block = *(const int32_t *)o->value;
        else if (o->key == p->uris.bufsz_maxBlockLength && o->type == p->uris.atom_Long && o->size == sizeof(int64_t))
            max_block = *(const int64_t *)o->value;
    if (max_block < 1 || max_block > 65536) {
        lv2_log_error(&p->logger, "Homunculus: the host gives no usable bufsz:maxBlockLength (%lld; 1..65536 needed)\n",
                      (long long)max_block);
        free(p);
        return NULL;
    }
    p->rate = rate;
    p->piece_frames = (uint32_t)max_block < ENGINE_PIECE_FRAMES ? (uint32_t)max_block : ENGINE_PIECE_FRAMES;
    p->scratch[0] = calloc(p->piece_frames, sizeof(float));
    p->scratch[1] = calloc(p->piece_frames, sizeof(float));
    /* the defaults of the TTL; the ports' values reach the engine in activate() and run() */
    p->applied = (Settings){0, FINGERING_AUTO, 60, 30.0f, 1.0f, 9.6f, 30.0f};
    char err[256] = "out of memory";
    if (!p->scratch[0] || !p->scratch[1] || configure_engine(p, &p->applied, err, sizeof err) != 0) {
        lv2_log_error(&p->logger, "Homunculus: cannot start the engine: %s\n", err);
        cleanup(p);
        return NULL;
    }
    if (p->queue_draw && !(p->display = inline_display_create(p->engine_config.model.sheet_size)))
        p->queue_draw = NULL; /* no memory for it: no display, the plugin still works */
    atomic_init(&p->owner, OWNER_FREE);
    return p;
}

/* The engine is made on first need, not at instantiation (hosts instantiate plugins to scan
 * or list them): in activate(), or in restore() or save() when a host calls them first.
 * Those are never concurrent with run() before the first activate(). False, with a message
 * through the log, when there is no memory for it. */
static bool ensure_engine(Plugin *p)
{
    char err[256];
    if (!p->engine && !(p->engine = engine_create(&p->engine_config, err, sizeof err)))
        lv2_log_error(&p->logger, "Homunculus: cannot start the engine: %s\n", err);
    return p->engine != NULL;
}

static void connect_port(LV2_Handle instance, uint32_t port, void *data)
{
    Plugin *p = instance;
    switch ((PortIndex)port) {
    case PORT_MIDI_IN: p->midi_in = data; break;
    case PORT_MIDI_OUT: p->midi_out = data; break;
    case PORT_AUDIO_LEFT: p->audio[0] = data; break;
    case PORT_AUDIO_RIGHT: p->audio[1] = data; break;
    case PORT_NOTIFY: p->notify = data; break;
    default:
        if (port < PORT_FIRST_CONTROL_OUT)
            p->control_in[port] = data;
        else if (port < PORT_CONTROL_OUT_END)
            p->control_out[port] = data;
        break;
    }
}

/* Ports hold the host's values by now (run() is not running: the engine is ours). */
static void activate(LV2_Handle instance)
{
    Plugin *p = instance;
    char err[256];
    if (!ensure_engine(p))
        return; /* run() passes MIDI through and stays silent */
    if (!p->schedule && engine_make_hands(p->engine, err, sizeof err) != 0)
        lv2_log_error(&p->logger, "Homunculus: cannot make the hands' maps: %s\n", err);
    Settings s = settings_from_ports(p);
    if (!settings_equal(&s, &p->applied))
        apply_settings(p, &s);
}

/* ---- the audio thread ---- */

/* Runs the engine over frames (any length), in pieces of at most piece_frames frames, with
 * events (frames relative to the start, sorted) placed in their piece. Without audio
 * buffers (ports not connected) the sound goes to scratch memory. */
HM_REALTIME static void process_span(Plugin *p, const EngineEvent *events, uint32_t count, float *left,
                                     float *right, uint32_t frames)
{
    uint32_t done = 0, next = 0;
    EngineEvent *piece = p->piece;
    while (done < frames) {
        uint32_t n = frames - done < p->piece_frames ? frames - done : p->piece_frames;
        uint32_t k = 0;
        while (next < count && events[next].frame < done + n && k < MAX_BLOCK_EVENTS) {
            piece[k] = events[next++];
            piece[k++].frame -= done;
        }
        float *l = left && right ? left + done : p->scratch[0];
        float *r = left && right ? right + done : p->scratch[1];
        engine_process(p->engine, piece, k, l, r, n);
        done += n;
    }
}

/* Plays the MIDI and time that passed while another thread held the engine (its audio is
 * discarded: those blocks went out silent). */
HM_REALTIME static void catch_up(Plugin *p)
{
    uint64_t done = 0;
    uint32_t next = 0;
    while (done < p->backlog_frames) {
        uint64_t left = p->backlog_frames - done;
        uint32_t n = left < p->piece_frames ? (uint32_t)left : p->piece_frames;
        uint32_t k = 0;
        while (next < p->backlog_count && p->backlog[next].frame < done + n && k < MAX_BLOCK_EVENTS) {
            p->piece[k] = p->backlog[next++];
            p->piece[k++].frame -= (uint32_t)done;
        }
        for (; next < p->backlog_count && p->backlog[next].frame < done + n; next++)
            p->events_lost++; /* more than one engine call takes */
        engine_process(p->engine, p->piece, k, p->scratch[0], p->scratch[1], n);
        done += n;
    }
    p->backlog_count = 0;
    p->backlog_frames = 0;
}

/* Copies the input sequence to the output, every event unchanged, as far as it fits. */
HM_REALTIME static void pass_midi_through(Plugin *p)
{
    LV2_Atom_Sequence *out = p->midi_out;
    if (!out)
        return;
    uint32_t capacity = out->atom.size;
    lv2_atom_sequence_clear(out);
    out->atom.type = p->uris.atom_Sequence;
    out->body.unit = 0;
    out->body.pad = 0;
    if (!p->midi_in)
        return;
    LV2_ATOM_SEQUENCE_FOREACH (p->midi_in, ev) {
        if (!lv2_atom_sequence_append_event(out, capacity, ev))
            break;
    }
}

/* Gathers the block's MIDI events for the engine, frames clamped into the block. */
HM_REALTIME static uint32_t gather_events(Plugin *p, uint32_t frames)
{
    uint32_t count = 0;
    if (!p->midi_in)
        return 0;
    LV2_ATOM_SEQUENCE_FOREACH (p->midi_in, ev) {
        if (ev->body.type != p->uris.midi_MidiEvent || ev->body.size < 1 || ev->body.size > 3)
            continue;
        if (count == MAX_BLOCK_EVENTS) {
            p->events_lost++;
            continue;
        }
        const uint8_t *bytes = LV2_ATOM_BODY_CONST(&ev->body);
        EngineEvent *e = &p->events[count++];
        int64_t frame = ev->time.frames;
        e->frame = frame < 0 ? 0 : frame >= (int64_t)frames ? (frames ? frames - 1 : 0) : (uint32_t)frame;
        e->size = (uint8_t)ev->body.size;
        memset(e->bytes, 0, sizeof e->bytes);
        memcpy(e->bytes, bytes, ev->body.size);
    }
    return count;
}

/* Keeps track of pressed keys, so that bypassing can let go of them. */
HM_REALTIME static void track_keys(Plugin *p, const EngineEvent *events, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *b = events[i].bytes;
        if (events[i].size < 3)
            continue;
        uint8_t kind = b[0] & 0xF0, channel = b[0] & 0x0F, note = b[1] & 0x7F;
        if (kind == 0x90 && b[2] > 0)
            p->note_down[channel][note] = 1;
        else if (kind == 0x80 || kind == 0x90)
            p->note_down[channel][note] = 0;
    }
}

/* Bypass begins: every key the engine holds is released (at the block's first frame). */
HM_REALTIME static uint32_t release_keys(Plugin *p)
{
    uint32_t count = 0;
    for (int c = 0; c < 16; c++)
        for (int n = 0; n < 128; n++)
            if (p->note_down[c][n] && count < MAX_BLOCK_EVENTS) {
                p->events[count++] = (EngineEvent){0, 3, {(uint8_t)(0x80 | c), (uint8_t)n, 0}};
                p->note_down[c][n] = 0;
            }
    return count;
}

/* Writes the control outputs from the newest snapshot and returns it (NULL before the
 * first). */
HM_REALTIME static const EngineSnapshot *write_outputs(Plugin *p)
{
    const EngineSnapshot *s = engine_snapshot(p->engine);
    if (!s)
        return NULL;
    float v[PORT_COUNT] = {0};
    for (int h = 0; h < ENGINE_HANDS; h++) {
        const MapMetrics *m = &s->map[h];
        for (int d = 0; d < METRICS_DIGITS; d++)
            v[PORT_RIGHT_AREA_D1 + 5 * h + d] = 100.0f * m->area_fraction[d];
        v[PORT_RIGHT_RISK + h] = m->overlap_risk;
        v[PORT_RIGHT_D1_D5_MM + h] = m->d1_d5_distance_mm;
        v[PORT_RIGHT_MULTI_DIGIT + h] = m->multi_digit_fraction;
        v[PORT_RIGHT_RF_SIZE + h] = m->rf_points_mean;
    }
    v[PORT_NOTES_PER_MINUTE] = s->load.notes_per_minute;
    v[PORT_MINUTES_PLAYING] = (float)(s->load.playing_s / 60.0);
    v[PORT_WARNING] = (float)s->warning.level;
    v[PORT_MERGED] = (float)s->stimuli_merged;
    v[PORT_WARNING_REASON] = (float)s->warning.reason;
    for (int i = PORT_FIRST_CONTROL_OUT; i < PORT_CONTROL_OUT_END; i++)
        if (p->control_out[i]) {
            const float *range = port_output_range[i - PORT_FIRST_CONTROL_OUT];
            *p->control_out[i] = clampf(v[i], range[0], range[1], range[0]); /* a host may trust the TTL's range */
        }
    return s;
}

/* The hands the settings play with (bit 0 right, bit 1 left), for the display. */
HM_REALTIME static int hands_shown(const Settings *s)
{
    if (s->hand == 1)
        return 1;
    if (s->hand == 2 || s->fingering == FINGERING_FRET)
        return 2;
    return 3;
}

/* Starts the notify port's sequence for this block (empty unless a frame goes out). */
HM_REALTIME static void begin_notify(Plugin *p)
{
    if (!p->notify)
        return;
    p->notify_capacity = p->notify->atom.size;
    lv2_atom_forge_set_buffer(&p->forge, (uint8_t *)p->notify, p->notify_capacity);
    lv2_atom_forge_sequence_head(&p->forge, &p->notify_frame, 0);
}

/* Ends the notify port's sequence. */
HM_REALTIME static void end_notify(Plugin *p)
{
    if (p->notify && p->forge.stack == &p->notify_frame)
        lv2_atom_forge_pop(&p->forge, &p->notify_frame);
}

/* Every UI_MESSAGE_PERIOD_S, the newest snapshot goes to the UI as one UiFrame (skipped if
 * the host's buffer is too small: rsz:minimumSize in the TTL asks for enough). */
HM_REALTIME static void send_ui_frame(Plugin *p, const EngineSnapshot *snapshot, uint32_t frames)
{
    p->frames_since_ui += frames;
    if (!p->notify || !snapshot || (double)p->frames_since_ui < UI_MESSAGE_PERIOD_S * p->rate)
        return;
    /* the event, the object and its one property's headers, then the frame */
    if (p->forge.size - p->forge.offset < 4 * sizeof(LV2_Atom_Event) + sizeof p->ui_frame)
        return;
    p->frames_since_ui = 0;
    ui_frame_fill(&p->ui_frame, snapshot, hands_shown(&p->applied));
    LV2_Atom_Forge_Frame object;
    if (!lv2_atom_forge_frame_time(&p->forge, 0) ||
        !lv2_atom_forge_object(&p->forge, &object, 0, p->uris.hm_UiSnapshot))
        return;
    lv2_atom_forge_key(&p->forge, p->uris.hm_uiFrame);
    lv2_atom_forge_atom(&p->forge, sizeof p->ui_frame, p->uris.atom_Chunk);
    lv2_atom_forge_write(&p->forge, &p->ui_frame, sizeof p->ui_frame);
    lv2_atom_forge_pop(&p->forge, &object);
}

/* A patch:Set of #profileLoad or #profileSave (an atom:Path) in the control input: a job for
 * the worker, which reads or writes the file. A path too long for a job is sent as such, so
 * that the worker can say so (real-time code does not log). Without a worker the parameters
 * do nothing (the TTL lists the worker as optional). */
HM_REALTIME static void take_patch_messages(Plugin *p)
{
    if (!p->midi_in || !p->schedule)
        return;
    LV2_ATOM_SEQUENCE_FOREACH (p->midi_in, ev) {
        const LV2_Atom_Object *o = (const LV2_Atom_Object *)&ev->body;
        if (o->atom.type != p->uris.atom_Object || o->body.otype != p->uris.patch_Set)
            continue;
        const LV2_Atom_URID *property = NULL;
        const LV2_Atom *value = NULL;
        lv2_atom_object_get(o, p->uris.patch_property, &property, p->uris.patch_value, &value, 0);
        if (!property || property->atom.type != p->uris.atom_URID || !value || value->type != p->uris.atom_Path)
            continue;
        ProfileJob job;
        if (property->body == p->uris.hm_profileLoad)
            job.kind = PROFILE_LOAD;
        else if (property->body == p->uris.hm_profileSave)
            job.kind = PROFILE_SAVE;
        else
            continue;
        job.ok = 0;
        uint32_t length = (uint32_t)strnlen(LV2_ATOM_BODY_CONST(value), value->size);
        if (length >= sizeof job.path) {
            job.kind = PROFILE_PATH_TOO_LONG;
            length = 64; /* the start of it, for the message */
        }
        memcpy(job.path, LV2_ATOM_BODY_CONST(value), length);
        job.path[length] = '\0';
        p->schedule->schedule_work(p->schedule->handle, (uint32_t)(offsetof(ProfileJob, path) + length + 1), &job);
    }
}

/* A profile loaded or saved: a patch:Set on the notify port names it (hosts show it). */
HM_REALTIME static void tell_answer(Plugin *p)
{
    uint32_t length = (uint32_t)strlen(p->answer.path);
    if (!p->answer_pending || !p->notify || p->forge.size - p->forge.offset < length + 128)
        return;
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_frame_time(&p->forge, 0);
    lv2_atom_forge_object(&p->forge, &object, 0, p->uris.patch_Set);
    lv2_atom_forge_key(&p->forge, p->uris.patch_property);
    lv2_atom_forge_urid(&p->forge, p->answer.kind == PROFILE_LOAD ? p->uris.hm_profileLoad : p->uris.hm_profileSave);
    lv2_atom_forge_key(&p->forge, p->uris.patch_value);
    lv2_atom_forge_path(&p->forge, p->answer.path, length);
    lv2_atom_forge_pop(&p->forge, &object);
    p->answer_pending = 0;
}

/* Gives the engine the hands the worker made (it owns the engine now); one that came after
 * a restore had made the hand goes back to the worker to be freed. */
HM_REALTIME static void install_hands(Plugin *p)
{
    for (int h = 0; h < ENGINE_HANDS; h++) {
        HandJob *job = &p->hand_arrived[h];
        if (!job->ok)
            continue;
        if (engine_hand_install(p->engine, &job->made) != 0) {
            job->kind = HAND_RELEASE;
            if (p->schedule->schedule_work(p->schedule->handle, sizeof *job, job) != LV2_WORKER_SUCCESS)
                continue; /* tried again next block; cleanup() frees it at the latest */
        }
        job->ok = 0;
    }
}

/* Asks the worker for the model of each hand played for the first time (once: a hand it
 * could not make waits, its stimuli merged and counted). */
HM_REALTIME static void ask_for_hands(Plugin *p)
{
    unsigned wanted = engine_hands_wanted(p->engine) & ~p->hands_asked;
    for (int h = 0; h < ENGINE_HANDS && p->schedule; h++) {
        if (!(wanted & (1u << h)))
            continue;
        HandJob job = {.kind = HAND_MAKE, .ok = 0, .made = {.hand = h}};
        if (p->schedule->schedule_work(p->schedule->handle, sizeof job, &job) == LV2_WORKER_SUCCESS)
            p->hands_asked |= 1u << h;
    }
}

HM_REALTIME static void run(LV2_Handle instance, uint32_t frames)
{
    Plugin *p = instance;
    pass_midi_through(p);
    begin_notify(p);
    if (!p->engine) { /* activate() found no memory for it (and said so) */
        for (int c = 0; c < 2; c++)
            if (p->audio[c])
                memset(p->audio[c], 0, frames * sizeof(float));
        end_notify(p);
        return;
    }
    take_patch_messages(p);
    tell_answer(p);
    int enabled = p->control_in[PORT_ENABLED] ? *p->control_in[PORT_ENABLED] > 0.5f : 1;
    uint32_t count = enabled ? gather_events(p, frames) : 0;
    float *left = p->audio[0], *right = p->audio[1];
    int expected = OWNER_FREE;
    if (!atomic_compare_exchange_strong(&p->owner, &expected, OWNER_RUN)) {
        /* another thread holds the engine: keep this block for later, output silence */
        for (uint32_t i = 0; i < count; i++) {
            uint64_t frame = p->backlog_frames + p->events[i].frame;
            if (p->backlog_count == BACKLOG_EVENTS || frame > UINT32_MAX) { /* a day held: never */
                p->events_lost++;
                continue;
            }
            p->backlog[p->backlog_count] = p->events[i];
            p->backlog[p->backlog_count++].frame = (uint32_t)frame;
        }
        track_keys(p, p->events, count);
        p->backlog_frames += frames;
        if (left)
            memset(left, 0, frames * sizeof(float));
        if (right)
            memset(right, 0, frames * sizeof(float));
        end_notify(p);
        return;
    }
    install_hands(p);
    if (p->backlog_frames > 0)
        catch_up(p);
    if (!enabled && !p->bypassed)
        count = release_keys(p);
    p->bypassed = !enabled;
    track_keys(p, p->events, count);
    Settings settings = settings_from_ports(p);
    if (!settings_equal(&settings, &p->applied))
        apply_settings(p, &settings);
    int mode = (int)lrintf(port_value(p, PORT_SONIFY));
    engine_set_sonify_mode(p->engine, enabled ? (SonifyMode)mode : SONIFY_OFF);
    engine_set_level_db(p->engine, port_value(p, PORT_LEVEL_DB));
    process_span(p, p->events, count, left, right, frames);
    ask_for_hands(p);
    const EngineSnapshot *snapshot = write_outputs(p);
    if (p->display && inline_display_publish(p->display, snapshot, hands_shown(&p->applied)))
        p->queue_draw->queue_draw(p->queue_draw->handle);
    send_ui_frame(p, snapshot, frames);
    end_notify(p);
    atomic_store(&p->owner, OWNER_FREE);
}

/* ---- state: the engine's saved state, one atom:Chunk, plus the time of saving ---- */

/* The engine's state serialised with the time now (a new buffer, free() it; NULL with the
 * reason in err). The capture (two model copies, about 1 MiB) exists only while saving: it
 * is made before run() is held off, so that only the copy into it happens then (memory
 * copies, a fraction of a block); the serialisation (milliseconds) works on the copy with
 * run() going on. Not real-time. */
static uint8_t *serialise_state(Plugin *p, int64_t now, size_t *size, char *err, size_t err_size)
{
    EngineCapture *capture = engine_capture_create_for(&p->engine_config, err, err_size);
    if (!capture)
        return NULL;
    if (!take_engine(p)) {
        engine_capture_free(capture);
        snprintf(err, err_size, "the audio thread never released the engine");
        return NULL;
    }
    int captured = engine_capture(p->engine, capture);
    give_engine(p);
    size_t bytes = captured == 0 ? engine_capture_size(capture) : 0;
    uint8_t *blob = bytes ? malloc(bytes) : NULL;
    *size = blob ? engine_capture_save(capture, now, blob, bytes) : 0;
    engine_capture_free(capture);
    if (*size == 0) {
        free(blob);
        if (captured != 0)
            snprintf(err, err_size, "the state capture does not fit the engine");
        else
            snprintf(err, err_size, "out of memory for %zu bytes", bytes);
        return NULL;
    }
    return blob;
}

static LV2_State_Status save(LV2_Handle instance, LV2_State_Store_Function store, LV2_State_Handle handle,
                             uint32_t flags, const LV2_Feature *const *features)
{
    (void)flags;
    (void)features;
    Plugin *p = instance;
    char err[256];
    int64_t now = wall_clock_unix();
    size_t written = 0;
    if (!ensure_engine(p)) /* saved before the first activate() */
        return LV2_STATE_ERR_NO_SPACE;
    uint8_t *blob = serialise_state(p, now, &written, err, sizeof err);
    if (!blob) {
        lv2_log_error(&p->logger, "Homunculus: could not save: %s\n", err);
        return LV2_STATE_ERR_NO_SPACE;
    }
    LV2_State_Status status = store(handle, p->uris.hm_engineState, blob, written, p->uris.atom_Chunk,
                                    LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
    if (status == LV2_STATE_SUCCESS)
        status = store(handle, p->uris.hm_savedUnixTime, &now, sizeof now, p->uris.atom_Long,
                       LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
    free(blob);
    return status;
}

/* Splits an offline gap into wake and sleep: 8 hours of sleep in each full day, and the
 * part of the last day beyond 16 waking hours. */
static void split_gap(double gap_s, double *awake_s, double *asleep_s)
{
    const double day = 86400.0, wake = 16 * 3600.0;
    double days = floor(gap_s / day), rest = gap_s - days * day;
    *asleep_s = days * (day - wake) + (rest > wake ? rest - wake : 0.0);
    *awake_s = gap_s - *asleep_s;
}

/* Loads a saved engine state (the LV2 state's chunk, or a profile file's contents) into the
 * engine, all or nothing, and applies the time since it was saved as rest. Returns 0, or -1
 * with what was wrong in err (the engine untouched). Not real-time. */
static int load_state(Plugin *p, const uint8_t *data, size_t size, char *err, size_t err_size)
{
    if (!take_engine(p)) {
        snprintf(err, err_size, "the audio thread never released the engine");
        return -1;
    }
    int64_t saved = 0;
    char reason[256];
    StateStatus status = engine_state_load(p->engine, data, size, &saved, reason, sizeof reason);
    if (status == STATE_OK) {
        double gap = (double)(wall_clock_unix() - saved);
        if (gap > 0) {
            double awake, asleep;
            split_gap(gap, &awake, &asleep);
            engine_apply_gap(p->engine, awake, asleep);
        }
    }
    give_engine(p);
    if (status != STATE_OK) {
        snprintf(err, err_size, "%s: %s", state_strerror(status), reason);
        return -1;
    }
    return 0;
}

static LV2_State_Status restore(LV2_Handle instance, LV2_State_Retrieve_Function retrieve, LV2_State_Handle handle,
                                uint32_t flags, const LV2_Feature *const *features)
{
    (void)flags;
    (void)features;
    Plugin *p = instance;
    size_t size = 0;
    uint32_t type = 0, vflags = 0;
    const void *blob = retrieve(handle, p->uris.hm_engineState, &size, &type, &vflags);
    if (!blob)
        return LV2_STATE_SUCCESS; /* nothing saved: a fresh map */
    if (type != p->uris.atom_Chunk) {
        lv2_log_error(&p->logger, "Homunculus: refusing the saved state: it is not an atom:Chunk\n");
        return LV2_STATE_ERR_BAD_TYPE;
    }
    if (!ensure_engine(p)) /* restored before the first activate(), as hosts do */
        return LV2_STATE_ERR_UNKNOWN;
    char err[512];
    if (load_state(p, blob, size, err, sizeof err) != 0) {
        lv2_log_error(&p->logger, "Homunculus: refusing the saved state (%s); the current map is kept\n", err);
        return LV2_STATE_ERR_UNKNOWN;
    }
    return LV2_STATE_SUCCESS;
}

/* ---- profiles: the #profileLoad and #profileSave atom:Path parameters (patch:Set) ---- */

/* A profile file is the engine's saved state as the program's profiles keep it (docs/state.md),
 * so the hands trained at home with `homunculus practice` load here and back. */
static int load_profile(Plugin *p, const char *path)
{
    uint8_t *data = NULL;
    size_t size = 0;
    char err[512];
    if (files_read(path, PROFILE_FILE_MAX_BYTES, &data, &size, err, sizeof err) != 0) {
        lv2_log_error(&p->logger, "Homunculus: could not load the profile: %s\n", err);
        return 0;
    }
    int status = load_state(p, data, size, err, sizeof err);
    free(data);
    if (status != 0) {
        lv2_log_error(&p->logger, "Homunculus: refusing the profile '%s' (%s); the current map is kept\n", path, err);
        return 0;
    }
    lv2_log_note(&p->logger, "Homunculus: loaded the profile '%s'\n", path);
    return 1;
}

/* Written to a temporary file and renamed over path: a crash leaves the old file or the new. */
static int save_profile(Plugin *p, const char *path)
{
    char err[512];
    long holder;
    int lock = files_lock(path, &holder, err, sizeof err); /* the program's sessions take it too */
    if (lock < 0) {
        if (holder > 0)
            lv2_log_error(&p->logger,
                          "Homunculus: not saving the profile '%s': it is in use by a homunculus session "
                          "(pid %ld); save it when that session has ended\n",
                          path, holder);
        else
            lv2_log_error(&p->logger, "Homunculus: could not save the profile '%s': %s\n", path, err);
        return 0;
    }
    size_t size = 0;
    uint8_t *blob = serialise_state(p, wall_clock_unix(), &size, err, sizeof err);
    int ok = blob && files_write_atomic(path, blob, size, err, sizeof err) == 0;
    free(blob);
    files_unlock(lock);
    if (!ok)
        lv2_log_error(&p->logger, "Homunculus: could not save the profile '%s': %s\n", path, err);
    else
        lv2_log_note(&p->logger, "Homunculus: saved the profile '%s'\n", path);
    return ok;
}

/* A job's kind (its first field), from a host's buffer of any alignment. */
HM_REALTIME static uint32_t job_kind(const void *data)
{
    uint32_t kind;
    memcpy(&kind, data, sizeof kind);
    return kind;
}

/* The worker thread's hand jobs: make a hand's model (answered with it) or free one. */
static LV2_Worker_Status work_on_hand(Plugin *p, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle,
                                      const void *data)
{
    HandJob job;
    memcpy(&job, data, sizeof job);
    if (job.kind == HAND_RELEASE) {
        engine_hand_release(&job.made);
        return LV2_WORKER_SUCCESS;
    }
    if (job.kind != HAND_MAKE || job.made.hand < 0 || job.made.hand >= ENGINE_HANDS)
        return LV2_WORKER_ERR_UNKNOWN;
    char err[256];
    job.ok = engine_hand_make(&p->engine_config, job.made.hand, &job.made, err, sizeof err) == 0;
    if (!job.ok) {
        lv2_log_error(&p->logger, "Homunculus: cannot make the %s hand's map (%s); its notes wait, merged\n",
                      job.made.hand ? "left" : "right", err);
        return LV2_WORKER_SUCCESS;
    }
    if (respond(handle, sizeof job, &job) != LV2_WORKER_SUCCESS) {
        engine_hand_release(&job.made); /* the host could not take it: the hand waits */
        return LV2_WORKER_ERR_NO_SPACE;
    }
    return LV2_WORKER_SUCCESS;
}

/* The worker thread: one job, then its answer to the audio thread. */
static LV2_Worker_Status work(LV2_Handle instance, LV2_Worker_Respond_Function respond,
                              LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    Plugin *p = instance;
    if (size == sizeof(HandJob) && job_kind(data) >= HAND_MAKE)
        return work_on_hand(p, respond, handle, data);
    ProfileJob job;
    size_t header = offsetof(ProfileJob, path);
    if (size <= header || size > sizeof job)
        return LV2_WORKER_ERR_UNKNOWN;
    memcpy(&job, data, size);
    if (memchr(job.path, '\0', size - header) == NULL)
        return LV2_WORKER_ERR_UNKNOWN;
    if (job.kind == PROFILE_PATH_TOO_LONG)
        lv2_log_error(&p->logger, "Homunculus: refusing a profile path of %d bytes or more (%s...)\n",
                      PROFILE_PATH_BYTES, job.path);
    else
        job.ok = (uint32_t)(job.kind == PROFILE_LOAD ? load_profile(p, job.path) : save_profile(p, job.path));
    return respond(handle, (uint32_t)(header + strlen(job.path) + 1), &job);
}

/* The audio thread: a finished job, said to the host in the next run() (a patch:Set on the
 * notify port, so that a host shows the profile now in use). */
HM_REALTIME static LV2_Worker_Status work_response(LV2_Handle instance, uint32_t size, const void *data)
{
    Plugin *p = instance;
    if (size == sizeof(HandJob) && job_kind(data) == HAND_MAKE) {
        HandJob job;
        memcpy(&job, data, sizeof job);
        if (job.made.hand >= 0 && job.made.hand < ENGINE_HANDS && !p->hand_arrived[job.made.hand].ok)
            p->hand_arrived[job.made.hand] = job; /* installed by the next run() that owns the engine */
        return LV2_WORKER_SUCCESS;
    }
    if (size <= offsetof(ProfileJob, path) || size > sizeof p->answer)
        return LV2_WORKER_ERR_UNKNOWN;
    memcpy(&p->answer, data, size);
    p->answer.path[sizeof p->answer.path - 1] = '\0';
    p->answer_pending = p->answer.ok != 0;
    return LV2_WORKER_SUCCESS;
}

/* Ardour's inline display: called in the host's GUI thread. */
static LV2_Inline_Display_Image_Surface *render(LV2_Handle instance, uint32_t w, uint32_t h)
{
    Plugin *p = instance;
    return p->display ? inline_display_render(p->display, w, h) : NULL;
}

static const void *extension_data(const char *uri)
{
    static const LV2_Inline_Display_Interface display = {render};
    static const LV2_State_Interface state = {save, restore};
    static const LV2_Worker_Interface worker = {work, work_response, NULL};
    if (!strcmp(uri, LV2_WORKER__interface))
        return &worker;
    if (!strcmp(uri, LV2_STATE__interface))
        return &state;
    if (!strcmp(uri, LV2_INLINEDISPLAY__interface))
        return &display;
    return NULL;
}

static const LV2_Descriptor descriptor = {HOMUNCULUS_URI, instantiate, connect_port, activate, run, NULL, cleanup,
                                          extension_data};

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index) { return index == 0 ? &descriptor : NULL; }
