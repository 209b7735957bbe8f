/* A small lilv host that tests the built Homunculus bundle the way a DAW uses it: it loads
 * the plugin by URI from LV2_PATH with urid map/unmap, options (min/max/nominal block
 * length, sequence size, sample rate), bounded block length and log;
 * forges MIDI into the atom input sequence block by block and checks what a user would
 * notice. Exit 0 when every check passes; each failure is printed. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo/cairo.h>
#include <fontconfig/fontconfig.h>
#include <lilv/lilv.h>
#include <malloc.h>
#include <lv2/atom/atom.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/log/log.h>
#include <lv2/midi/midi.h>
#include <lv2/options/options.h>
#include <lv2/parameters/parameters.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>
#include <lv2/patch/patch.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../plugin/inline_display.h"
#include "../../plugin/ports.h"
#include "../../plugin/ui_message.h"
#include "../../plugin/uris.h"

#define RATE 48000
#define MAX_BLOCK 4096
#define SEQ_BYTES 65536
#define MAX_URIS 256

#ifdef HOST_RTSAN
void __rtsan_realtime_enter(void);
void __rtsan_realtime_exit(void);
#define RT_ENTER() __rtsan_realtime_enter()
#define RT_EXIT() __rtsan_realtime_exit()
#else
#define RT_ENTER() ((void)0)
#define RT_EXIT() ((void)0)
#endif

static int failures;

#define CHECK(cond, ...)                                                                                              \
    do {                                                                                                           \
        if (!(cond)) {                                                                                             \
            failures++;                                                                                            \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                            \
            printf(__VA_ARGS__);                                                                                   \
            printf("\n");                                                                                          \
        }                                                                                                          \
    } while (0)

/* ---- host features ---- */

static char *uris[MAX_URIS];
static uint32_t uri_count;

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    (void)handle;
    for (uint32_t i = 0; i < uri_count; i++)
        if (!strcmp(uris[i], uri))
            return i + 1;
    if (uri_count == MAX_URIS)
        return 0;
    uris[uri_count] = strdup(uri);
    return ++uri_count;
}

static const char *unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
    (void)handle;
    return urid >= 1 && urid <= uri_count ? uris[urid - 1] : NULL;
}

static char last_error[1024];
static int errors_logged;
static bool quiet_log;

static int log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap)
{
    (void)handle;
    if (type == map_uri(NULL, LV2_LOG__Error)) {
        errors_logged++;
        va_list copy;
        va_copy(copy, ap);
        vsnprintf(last_error, sizeof last_error, fmt, copy);
        va_end(copy);
    }
    if (quiet_log)
        return 0;
    fprintf(stderr, "[plugin log] ");
    return vfprintf(stderr, fmt, ap);
}

static int log_printf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = log_vprintf(handle, type, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- one plugin instance with its buffers ---- */

/* Ardour's queue_draw: counts the plugin's requests (real-time safe). */
static void queue_draw(LV2_Inline_Display_Handle handle) { atomic_fetch_add((atomic_int *)handle, 1); }

#define WORKER_JOBS 4
#define WORKER_JOB_BYTES 8192

/* The host's worker: what run() schedules is kept (preallocated, so run() stays real-time
 * under the sanitizer) and done after run() returns, as a worker thread would meanwhile;
 * the answers go back to the plugin before the next run(). */
typedef struct {
    uint8_t data[WORKER_JOBS][WORKER_JOB_BYTES];
    uint32_t size[WORKER_JOBS];
    int count;
} WorkerQueue;

typedef struct {
    LilvInstance *instance;
    LV2_Worker_Schedule worker;
    LV2_Feature worker_feature;
    WorkerQueue jobs, answers;
    char echoed_path[WORKER_JOB_BYTES]; /* the last profile patch:Set on the notify port */
    atomic_int draws_queued;
    LV2_Inline_Display display;
    LV2_Feature display_feature;
    float control[PORT_COUNT];
    float *audio[2];
    LV2_Atom_Sequence *in, *out, *notify;
    LV2_Atom_Forge forge;
    int ui_frames;           /* UiFrames received on the notify port */
    uint64_t ui_frame_bytes; /* any other size or layout counts as bad */
    int ui_frames_bad;
    UiFrame *last_ui_frame;
} Host;

static LV2_Worker_Status queue_put(WorkerQueue *q, uint32_t size, const void *data)
{
    if (q->count == WORKER_JOBS || size > WORKER_JOB_BYTES)
        return LV2_WORKER_ERR_NO_SPACE;
    memcpy(q->data[q->count], data, size);
    q->size[q->count++] = size;
    return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size, const void *data)
{
    return queue_put(&((Host *)handle)->jobs, size, data);
}

static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    return queue_put(&((Host *)handle)->answers, size, data);
}

/* Does the jobs run() scheduled, then hands the plugin their answers. */
static void run_worker(Host *h)
{
    const LV2_Worker_Interface *iface = lilv_instance_get_extension_data(h->instance, LV2_WORKER__interface);
    LV2_Handle handle = lilv_instance_get_handle(h->instance);
    for (int i = 0; i < h->jobs.count; i++)
        iface->work(handle, respond, h, h->jobs.size[i], h->jobs.data[i]);
    h->jobs.count = 0;
    for (int i = 0; i < h->answers.count; i++)
        iface->work_response(handle, h->answers.size[i], h->answers.data[i]);
    h->answers.count = 0;
}

static LV2_URID_Map map = {NULL, map_uri};
static LV2_URID_Unmap unmap = {NULL, unmap_uri};
static LV2_Log_Log log_feature = {NULL, log_printf, log_vprintf};
static int32_t min_block = 1, max_block = MAX_BLOCK, nominal_block = 256, seq_size = SEQ_BYTES;
static float sample_rate = RATE;
static LV2_Options_Option options[6];
static LV2_Feature map_feature = {LV2_URID__map, &map}, unmap_feature = {LV2_URID__unmap, &unmap},
                   log_feature_f = {LV2_LOG__log, &log_feature}, options_feature = {LV2_OPTIONS__options, options},
                   bounded_feature = {LV2_BUF_SIZE__boundedBlockLength, NULL};

static void init_options(void)
{
    LV2_URID atom_Int = map_uri(NULL, LV2_ATOM__Int), atom_Float = map_uri(NULL, LV2_ATOM__Float);
    options[0] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, map_uri(NULL, LV2_BUF_SIZE__minBlockLength),
                                      sizeof(int32_t), atom_Int, &min_block};
    options[1] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, map_uri(NULL, LV2_BUF_SIZE__maxBlockLength),
                                      sizeof(int32_t), atom_Int, &max_block};
    options[2] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, map_uri(NULL, LV2_BUF_SIZE__nominalBlockLength),
                                      sizeof(int32_t), atom_Int, &nominal_block};
    options[3] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, map_uri(NULL, LV2_BUF_SIZE__sequenceSize),
                                      sizeof(int32_t), atom_Int, &seq_size};
    options[4] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, map_uri(NULL, LV2_PARAMETERS__sampleRate),
                                      sizeof(float), atom_Float, &sample_rate};
    options[5] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
}

static const LilvPlugin *plugin;
static LilvWorld *world;

/* Default values of the control inputs, from the TTL. */
static void set_defaults(Host *h)
{
    float defaults[PORT_COUNT];
    lilv_plugin_get_port_ranges_float(plugin, NULL, NULL, defaults);
    for (int i = 0; i < PORT_COUNT; i++)
        h->control[i] = isnan(defaults[i]) ? 0.0f : defaults[i];
}

/* Opens an instance with every feature this host has, the worker only if with_worker;
 * activated if activated (a host may restore or save a state before activating). */
static bool host_instantiate(Host *h, bool with_worker, bool activated)
{
    memset(h, 0, sizeof *h);
    atomic_init(&h->draws_queued, 0);
    h->display = (LV2_Inline_Display){&h->draws_queued, queue_draw};
    h->display_feature = (LV2_Feature){LV2_INLINEDISPLAY__queue_draw, &h->display};
    h->worker = (LV2_Worker_Schedule){h, schedule_work};
    h->worker_feature = (LV2_Feature){LV2_WORKER__schedule, &h->worker};
    const LV2_Feature *features[] = {&map_feature,        &unmap_feature,
                                     &log_feature_f,      &options_feature,
                                     &bounded_feature,    &h->display_feature,
                                     with_worker ? &h->worker_feature : NULL, NULL};
    h->instance = lilv_plugin_instantiate(plugin, RATE, features);
    if (!h->instance)
        return false;
    h->audio[0] = calloc(MAX_BLOCK, sizeof(float));
    h->audio[1] = calloc(MAX_BLOCK, sizeof(float));
    h->in = calloc(1, SEQ_BYTES);
    h->out = calloc(1, SEQ_BYTES);
    h->notify = calloc(1, SEQ_BYTES);
    h->last_ui_frame = calloc(1, sizeof *h->last_ui_frame);
    lv2_atom_forge_init(&h->forge, &map);
    set_defaults(h);
    lilv_instance_connect_port(h->instance, PORT_MIDI_IN, h->in);
    lilv_instance_connect_port(h->instance, PORT_MIDI_OUT, h->out);
    lilv_instance_connect_port(h->instance, PORT_AUDIO_LEFT, h->audio[0]);
    lilv_instance_connect_port(h->instance, PORT_AUDIO_RIGHT, h->audio[1]);
    for (int i = PORT_ENABLED; i < PORT_CONTROL_OUT_END; i++)
        lilv_instance_connect_port(h->instance, (uint32_t)i, &h->control[i]);
    lilv_instance_connect_port(h->instance, PORT_NOTIFY, h->notify);
    if (activated)
        lilv_instance_activate(h->instance);
    return true;
}

static bool host_open_with(Host *h, bool with_worker) { return host_instantiate(h, with_worker, true); }

static bool host_open(Host *h) { return host_open_with(h, true); }

static void host_close(Host *h)
{
    lilv_instance_deactivate(h->instance);
    lilv_instance_free(h->instance);
    free(h->audio[0]);
    free(h->audio[1]);
    free(h->in);
    free(h->out);
    free(h->notify);
    free(h->last_ui_frame);
}

/* Takes the UiFrames the plugin wrote to the notify port in the last run(). */
static void read_notify(Host *h)
{
    LV2_URID object = map_uri(NULL, LV2_ATOM__Object), chunk = map_uri(NULL, LV2_ATOM__Chunk),
             snapshot = map_uri(NULL, UI_SNAPSHOT_URI), frame = map_uri(NULL, UI_SNAPSHOT_FRAME_URI);
    LV2_ATOM_SEQUENCE_FOREACH (h->notify, ev) {
        const LV2_Atom_Object *o = (const LV2_Atom_Object *)&ev->body;
        const LV2_Atom *data = NULL;
        if (o->atom.type == object && o->body.otype == map_uri(NULL, LV2_PATCH__Set)) {
            const LV2_Atom *value = NULL;
            lv2_atom_object_get(o, map_uri(NULL, LV2_PATCH__value), &value, 0);
            if (value && value->size < sizeof h->echoed_path)
                memcpy(h->echoed_path, LV2_ATOM_BODY_CONST(value), value->size);
            else
                h->ui_frames_bad++;
            continue;
        }
        if (o->atom.type == object && o->body.otype == snapshot)
            lv2_atom_object_get(o, frame, &data, 0);
        const UiFrame *f = data ? LV2_ATOM_BODY_CONST(data) : NULL;
        if (!f || data->type != chunk || data->size != sizeof(UiFrame) || f->magic != UI_MESSAGE_MAGIC) {
            h->ui_frames_bad++;
            continue;
        }
        memcpy(h->last_ui_frame, f, sizeof *f);
        h->ui_frames++;
    }
}

/* ---- performances ---- */

typedef struct {
    uint64_t frame;
    uint8_t bytes[3];
} Note;

typedef struct {
    Note *notes;
    size_t count, capacity;
    uint64_t length;
} Performance;

static void add(Performance *p, uint64_t frame, uint8_t status, uint8_t note, uint8_t velocity)
{
    if (p->count == p->capacity) {
        p->capacity = p->capacity ? 2 * p->capacity : 1024;
        p->notes = realloc(p->notes, p->capacity * sizeof *p->notes);
    }
    p->notes[p->count++] = (Note){frame, {status, note, velocity}};
    if (frame + 1 > p->length)
        p->length = frame + 1;
}

/* How many times slower than natively this host runs: HM_TIME_SCALE (20 under valgrind,
 * `make check VALGRIND=1`), else 1. A sound card paces a slow host the same. */
static double time_scale(void)
{
    const char *text = getenv("HM_TIME_SCALE");
    double scale = text ? atof(text) : 1.0;
    return scale >= 1.0 ? scale : 1.0;
}

/* The share of each performance played: all of it natively and under the sanitizers; a
 * quarter under valgrind (HM_TIME_SCALE > 1), where the host runs 60-80 times slower and
 * what is checked is memory, not how far minutes of practice move the map: the whole
 * lengths took 10-14 of the valgrind stage's minutes. */
static double performance_share(void) { return time_scale() > 1.0 ? 0.25 : 1.0; }

/* Channel-coded practice (channel 1-5: right thumb..little, 6-10 left): 10 notes a second,
 * the index finger (channel 2) half of the time; every left_every-th note (0: none) is the
 * same finger of the left hand, an octave lower. */
static Performance practice(double seconds, uint32_t seed, int left_every)
{
    Performance p = {0};
    uint32_t x = seed;
    int count = (int)(seconds * 10 * performance_share());
    for (int k = 0; k < count; k++) {
        x = x * 1664525u + 1013904223u;
        int r = (int)((x >> 24) % 8);
        int finger = r < 4 ? 1 : (r == 4 ? 0 : r - 3);
        int left = left_every > 0 && k % left_every == left_every - 1;
        uint64_t f = 1000 + (uint64_t)k * (RATE / 10);
        uint8_t note = (uint8_t)(60 - 12 * left + 2 * finger), channel = (uint8_t)(finger + 5 * left);
        add(&p, f, (uint8_t)(0x90 | channel), note, (uint8_t)(60 + (x >> 16) % 60));
        add(&p, f + RATE / 20, (uint8_t)(0x80 | channel), note, 0);
    }
    p.length += RATE / 2;
    return p;
}

/* The right hand's practice above, D2 half of the time. */
static Performance d2_practice(double seconds, uint32_t seed) { return practice(seconds, seed, 0); }

/* When > 0, play() runs at most this many times faster than real time (a real host's
 * audio thread is paced by the sound card; an unpaced loop would run minutes of audio
 * while another thread holds the engine for a few milliseconds). */
static double pace;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Plays frames [from, from + frames) of p (starting at event index *next) in blocks whose
 * sizes cycle through sizes[]; checks MIDI through, audio finite and bounded. */
static void play(Host *h, const Performance *p, size_t *next, uint64_t from, uint64_t frames, const uint32_t *sizes,
                 int size_count, const char *what)
{
    LV2_URID midi_event = map_uri(NULL, LV2_MIDI__MidiEvent);
    uint64_t pos = from, end = from + frames;
    int block = 0, midi_bad = 0, audio_bad = 0;
    size_t midi_in = 0, midi_out = 0;
    double start = now_s();
    while (pos < end) {
        if (pace > 0) {
            double due = start + (double)(pos - from) / RATE / pace, wait = due - now_s();
            if (wait > 0)
                nanosleep(&(struct timespec){0, (long)(wait * 1e9)}, NULL);
        }
        uint32_t n = sizes[block++ % size_count];
        if (pos + n > end)
            n = (uint32_t)(end - pos);
        /* forge this block's notes */
        lv2_atom_forge_set_buffer(&h->forge, (uint8_t *)h->in, SEQ_BYTES);
        LV2_Atom_Forge_Frame frame;
        lv2_atom_forge_sequence_head(&h->forge, &frame, 0);
        size_t first = *next;
        while (p && *next < p->count && p->notes[*next].frame < pos + n) {
            const Note *note = &p->notes[(*next)++];
            lv2_atom_forge_frame_time(&h->forge, (int64_t)(note->frame - pos));
            lv2_atom_forge_atom(&h->forge, 3, midi_event);
            lv2_atom_forge_write(&h->forge, note->bytes, 3);
        }
        lv2_atom_forge_pop(&h->forge, &frame);
        h->out->atom.type = 0;
        h->out->atom.size = SEQ_BYTES - sizeof(LV2_Atom);
        h->notify->atom.type = 0;
        h->notify->atom.size = SEQ_BYTES - sizeof(LV2_Atom);
        RT_ENTER();
        lilv_instance_run(h->instance, n);
        RT_EXIT();
        read_notify(h);
        run_worker(h);
        /* MIDI out equals MIDI in, event by event */
        size_t i = first;
        LV2_ATOM_SEQUENCE_FOREACH (h->out, ev) {
            midi_out++;
            if (i >= *next || ev->time.frames != (int64_t)(p->notes[i].frame - pos) || ev->body.type != midi_event ||
                ev->body.size != 3 || memcmp(LV2_ATOM_BODY_CONST(&ev->body), p->notes[i].bytes, 3) != 0)
                midi_bad++;
            i++;
        }
        midi_in += *next - first;
        for (uint32_t f = 0; f < n; f++)
            for (int c = 0; c < 2; c++)
                if (!isfinite(h->audio[c][f]) || fabsf(h->audio[c][f]) > 1.0f)
                    audio_bad++;
        pos += n;
    }
    CHECK(midi_bad == 0 && midi_in == midi_out, "%s: MIDI out differs from MIDI in (%d bad, %zu in, %zu out)", what,
          midi_bad, midi_in, midi_out);
    CHECK(audio_bad == 0, "%s: %d audio samples not finite or outside [-1, 1]", what, audio_bad);
}

static double audio_peak(const Host *h, uint32_t frames)
{
    double peak = 0;
    for (uint32_t f = 0; f < frames; f++)
        for (int c = 0; c < 2; c++)
            peak = fmax(peak, fabs(h->audio[c][f]));
    return peak;
}

static void copy_outputs(const Host *h, float *out) { memcpy(out, h->control, sizeof h->control); }

/* ---- the checks ---- */

/* The custom UI's messages after channel-coded right-hand practice of `seconds`: about ten
 * frames a second, each of this build's layout, the last one showing what the control
 * outputs show and the right-hand fingers of the last notes. */
static void check_ui_frames(const Host *h, double seconds)
{
    CHECK(h->ui_frames_bad == 0, "%d notify messages are not UiFrames", h->ui_frames_bad);
    CHECK(h->ui_frames >= 9 * seconds && h->ui_frames <= 11 * seconds, "%d UI frames in %.0f s (10 a second wanted)",
          h->ui_frames, seconds);
    const UiFrame *f = h->last_ui_frame;
    for (int d = 0; d < METRICS_DIGITS; d++)
        CHECK(fabsf(100.0f * f->area[0][d] - h->control[PORT_RIGHT_AREA_D1 + d]) < 1e-3f,
              "UI frame: right D%d area %g %%, the output says %g %%", d + 1, 100.0f * f->area[0][d],
              h->control[PORT_RIGHT_AREA_D1 + d]);
    int counted = 0, units = f->sheet_size * f->sheet_size;
    for (int u = 0; u < units; u++)
        counted += f->preferred_digit[0][u] == 1;
    CHECK(units > 0 && fabsf((float)counted / (float)units - f->area[0][1]) < 1e-6f,
          "UI frame: the map's D2 units (%d of %d) disagree with its D2 area", counted, units);
    CHECK(f->recent_count == ENGINE_RECENT_NOTES, "UI frame: %d recent notes", f->recent_count);
    for (int i = 0; i < f->recent_count; i++)
        CHECK(f->recent[i].hand == 0 && f->recent[i].note == 60 + 2 * f->recent[i].finger,
              "UI frame: recent note %d on hand %d finger %d", f->recent[i].note, f->recent[i].hand,
              f->recent[i].finger);
    printf("UI frames: %d in %.0f s, the last shows D2 %.1f %% and %d recent notes\n", h->ui_frames, seconds,
           100.0f * f->area[0][1], f->recent_count);
}

static const uint32_t SIZES_64[] = {64};
static const uint32_t SIZES_MIXED[] = {1, 37, 256, 4096, 1000, 13, 512};

static void check_ports(void)
{
    CHECK(lilv_plugin_get_num_ports(plugin) == PORT_COUNT, "the plugin has %u ports, ports.h %d",
          lilv_plugin_get_num_ports(plugin), PORT_COUNT);
    LilvNode *input = lilv_new_uri(world, LV2_CORE__InputPort), *output = lilv_new_uri(world, LV2_CORE__OutputPort),
             *control = lilv_new_uri(world, LV2_CORE__ControlPort), *audio = lilv_new_uri(world, LV2_CORE__AudioPort),
             *atom = lilv_new_uri(world, LV2_ATOM__AtomPort);
    for (uint32_t i = 0; i < PORT_COUNT && i < lilv_plugin_get_num_ports(plugin); i++) {
        const LilvPort *port = lilv_plugin_get_port_by_index(plugin, i);
        const char *symbol = lilv_node_as_string(lilv_port_get_symbol(plugin, port));
        CHECK(!strcmp(symbol, port_symbols[i]), "port %u is \"%s\" in the TTL, \"%s\" in ports.h", i, symbol,
              port_symbols[i]);
        bool is_input = i == PORT_MIDI_IN || (i >= PORT_ENABLED && i < PORT_FIRST_CONTROL_OUT);
        CHECK(lilv_port_is_a(plugin, port, is_input ? input : output), "port %s: wrong direction", symbol);
        const LilvNode *kind = i <= PORT_MIDI_OUT || i == PORT_NOTIFY ? atom : i <= PORT_AUDIO_RIGHT ? audio : control;
        CHECK(lilv_port_is_a(plugin, port, kind), "port %s: wrong class", symbol);
    }
    lilv_node_free(input);
    lilv_node_free(output);
    lilv_node_free(control);
    lilv_node_free(audio);
    lilv_node_free(atom);
    /* the ranges run() holds the outputs in are the ones the TTL declares, and so are the
     * inputs' ranges and defaults the plugin and its UI use */
    float min[PORT_COUNT], max[PORT_COUNT], def[PORT_COUNT];
    lilv_plugin_get_port_ranges_float(plugin, min, max, def);
    for (int i = PORT_ENABLED; i < PORT_FIRST_CONTROL_OUT; i++) {
        const PortInput *in = &port_inputs[i - PORT_ENABLED];
        CHECK(min[i] == in->minimum && max[i] == in->maximum && def[i] == in->fallback,
              "port %s: %g..%g default %g in the TTL, %g..%g default %g in ports.h", port_symbols[i], min[i], max[i],
              def[i], in->minimum, in->maximum, in->fallback);
    }
    for (int i = PORT_FIRST_CONTROL_OUT; i < PORT_CONTROL_OUT_END; i++) {
        const float *range = port_output_range[i - PORT_FIRST_CONTROL_OUT];
        CHECK(min[i] == range[0] && max[i] == range[1], "port %s: range %g..%g in the TTL, %g..%g in ports.h",
              port_symbols[i], min[i], max[i], range[0], range[1]);
    }
}

/* Denser input than any player (a note every 64 frames, 750 a second, a trill of the right
 * index and middle fingers over and over, with ten-note chords): every output stays inside
 * the range the TTL declares, and the warning names its reason (a figure on few fingers;
 * a run over all five is ordinary practice and no longer advised against, issue 18). */
static void check_dense_input(void)
{
    Performance p = {0};
    /* 20 s; under valgrind 10 (notes per minute needs about 8 s of this input to reach its ceiling) */
    uint64_t length = (uint64_t)(RATE * (performance_share() < 1.0 ? 10 : 20));
    for (uint64_t f = 0, k = 0; f < length; f += 64, k++) {
        int finger = 1 + (int)(k % 2);
        add(&p, f, (uint8_t)(0x90 | finger), (uint8_t)(60 + finger), 100);
        add(&p, f + 32, (uint8_t)(0x80 | finger), (uint8_t)(60 + finger), 0);
        if (k % 64 == 0)
            for (int c = 0; c < 10; c++)
                add(&p, f + 40 + (uint64_t)c, (uint8_t)(0x90 | c), (uint8_t)(40 + 3 * c), 127);
        if (k % 64 == 8)
            for (int c = 0; c < 10; c++)
                add(&p, f + 40 + (uint64_t)c, (uint8_t)(0x80 | c), (uint8_t)(40 + 3 * c), 0);
    }
    Host h;
    CHECK(host_open(&h), "the plugin does not instantiate");
    h.control[PORT_FINGERING] = 2; /* channel-coded */
    float min[PORT_COUNT], max[PORT_COUNT];
    lilv_plugin_get_port_ranges_float(plugin, min, max, NULL);
    size_t next = 0;
    int outside = 0;
    float highest_rate = 0;
    for (uint64_t pos = 0; pos < p.length; pos += RATE / 2) {
        uint64_t n = p.length - pos < RATE / 2 ? p.length - pos : RATE / 2;
        play(&h, &p, &next, pos, n, SIZES_MIXED, 7, "dense input");
        for (int i = PORT_FIRST_CONTROL_OUT; i < PORT_CONTROL_OUT_END; i++)
            if (!(h.control[i] >= min[i] && h.control[i] <= max[i]) && outside++ < 5)
                printf("dense input: %s = %g outside %g..%g\n", port_symbols[i], h.control[i], min[i], max[i]);
        highest_rate = fmaxf(highest_rate, h.control[PORT_NOTES_PER_MINUTE]);
    }
    CHECK(outside == 0, "dense input: %d outputs outside their declared ranges", outside);
    CHECK(highest_rate == max[PORT_NOTES_PER_MINUTE], "dense input: notes per minute peaked at %g, not held at %g",
          highest_rate, max[PORT_NOTES_PER_MINUTE]);
    CHECK(h.control[PORT_WARNING] == 1 && h.control[PORT_WARNING_REASON] == 3,
          "the same pattern over and over: warning %g, reason %g (expected advice 1, reason 3)",
          h.control[PORT_WARNING], h.control[PORT_WARNING_REASON]);
    /* the inline display says it in words: a line of amber text under the maps */
    const LV2_Inline_Display_Interface *iface =
        lilv_instance_get_extension_data(h.instance, LV2_INLINEDISPLAY__interface);
    LV2_Inline_Display_Image_Surface *image = iface->render(lilv_instance_get_handle(h.instance), 240, 120);
    int amber = 0;
    for (int y = image ? image->height - 11 : 0; image && y < image->height; y++)
        for (int x = 0; x < image->width; x++) {
            const uint8_t *px = image->data + y * image->stride + 4 * x; /* B, G, R, A */
            amber += px[2] > 150 && px[1] > 100 && px[0] < 120;
        }
    CHECK(amber > 30, "inline display: no advice text under the maps (%d amber pixels)", amber);
    printf("dense input: outputs in range, notes per minute held at %g, warning %g reason %g\n", highest_rate,
           h.control[PORT_WARNING], h.control[PORT_WARNING_REASON]);
    host_close(&h);
    free(p.notes);
}

/* Renders the inline display as Ardour does (GUI thread): within the size asked, and a
 * picture (not one flat colour); HM_DISPLAY_PNG names a file to write it to. */
static void check_display(Host *h, const char *png)
{
    const LV2_Inline_Display_Interface *iface =
        lilv_instance_get_extension_data(h->instance, LV2_INLINEDISPLAY__interface);
    CHECK(iface != NULL, "no inline display interface");
    if (!iface)
        return;
    CHECK(atomic_load(&h->draws_queued) > 0, "run() never queued a draw");
    static const uint32_t sizes[][2] = {{160, 100}, {60, 200}, {300, 40}};
    for (int i = 0; i < 3; i++) {
        LV2_Inline_Display_Image_Surface *image =
            iface->render(lilv_instance_get_handle(h->instance), sizes[i][0], sizes[i][1]);
        CHECK(image && image->width <= (int)sizes[i][0] && image->height <= (int)sizes[i][1] && image->width > 0 &&
                  image->height > 0,
              "inline display %ux%u: %dx%d", sizes[i][0], sizes[i][1], image ? image->width : -1,
              image ? image->height : -1);
        if (!image)
            continue;
        int colours = 0;
        uint32_t seen[8] = {0};
        for (int y = 0; y < image->height && colours < 8; y++)
            for (int x = 0; x < image->width && colours < 8; x++) {
                uint32_t pixel;
                memcpy(&pixel, image->data + y * image->stride + 4 * x, 4);
                int known = 0;
                for (int c = 0; c < colours; c++)
                    known |= seen[c] == pixel;
                if (!known)
                    seen[colours++] = pixel;
            }
        CHECK(colours >= 6, "inline display %ux%u has %d colours: no map drawn", sizes[i][0], sizes[i][1], colours);
        if (i == 0 && png) {
            cairo_surface_t *surface = cairo_image_surface_create_for_data(
                image->data, CAIRO_FORMAT_ARGB32, image->width, image->height, image->stride);
            cairo_surface_write_to_png(surface, png);
            cairo_surface_destroy(surface);
        }
    }
}


/* Plays heavy D2 practice at two block partitions: the practice reaches the map (D2's area
 * moves; which way within minutes is the model's business: a territory grows over days of
 * practice, docs/model.md §3.5), the outputs of the two partitions agree, and bypass silences
 * and stops learning. */
static void check_learning_and_bypass(void)
{
    Performance p = d2_practice(600, 9); /* 10 minutes */
    float after[2][PORT_COUNT], before[PORT_COUNT];
    for (int run = 0; run < 2; run++) {
        Host h;
        CHECK(host_open(&h), "the plugin does not instantiate");
        h.control[PORT_FINGERING] = 2; /* channel-coded */
        h.control[PORT_HAND] = 1;      /* right */
        h.control[PORT_PLASTICITY] = 10;
        size_t next = 0;
        /* the settings reach the engine at the first block; then the first snapshot */
        play(&h, NULL, &next, 0, RATE / 2, SIZES_64, 1, "warm-up");
        copy_outputs(&h, before);
        next = 0;
        play(&h, &p, &next, 0, p.length, run ? SIZES_MIXED : SIZES_64, run ? 7 : 1,
             run ? "mixed blocks" : "64-frame blocks");
        play(&h, NULL, &next, 0, 2 * RATE, SIZES_64, 1, "rest");
        copy_outputs(&h, after[run]);
        CHECK(fabsf(after[run][PORT_RIGHT_AREA_D2] - before[PORT_RIGHT_AREA_D2]) >= 1.0f,
              "heavy D2 practice: D2 area %.2f %% -> %.2f %%", before[PORT_RIGHT_AREA_D2],
              after[run][PORT_RIGHT_AREA_D2]);
        CHECK(after[run][PORT_NOTES_PER_MINUTE] > 400, "notes per minute %.1f after 10 notes a second",
              after[run][PORT_NOTES_PER_MINUTE]);
        CHECK(after[run][PORT_MERGED] == 0, "%g stimuli merged", after[run][PORT_MERGED]);
        printf("%s: D2 area %.2f %% -> %.2f %%, risk %.3f, D1-D5 %.2f mm, notes/min %.0f\n",
               run ? "mixed blocks" : "64-frame blocks", before[PORT_RIGHT_AREA_D2], after[run][PORT_RIGHT_AREA_D2],
               after[run][PORT_RIGHT_RISK], after[run][PORT_RIGHT_D1_D5_MM], after[run][PORT_NOTES_PER_MINUTE]);
        if (run == 0) {
            check_display(&h, getenv("HM_DISPLAY_PNG"));
            check_ui_frames(&h, (double)(p.length + RATE / 2 + 2 * RATE) / RATE);
        }
        if (run == 1) {
            /* bypass: MIDI still passes, the sound fades to silence, nothing is learned */
            h.control[PORT_ENABLED] = 0;
            play(&h, NULL, &next, 0, RATE / 10, SIZES_64, 1, "bypass fade");
            float frozen[PORT_COUNT];
            copy_outputs(&h, frozen);
            Performance q = d2_practice(30, 77);
            next = 0;
            play(&h, &q, &next, 0, q.length, SIZES_64, 1, "bypassed");
            CHECK(audio_peak(&h, 64) == 0.0, "bypassed: audio peak %g", audio_peak(&h, 64));
            for (int i = PORT_RIGHT_AREA_D1; i <= PORT_LEFT_RF_SIZE; i++)
                CHECK(h.control[i] == frozen[i], "bypassed: %s moved %g -> %g", port_symbols[i], frozen[i],
                      h.control[i]);
            free(q.notes);
        }
        host_close(&h);
    }
    /* the same MIDI in any blocks: the same map; the load figures are read at the
     * snapshot's time, which follows the block boundaries */
    for (int i = PORT_RIGHT_AREA_D1; i <= PORT_MERGED; i++)
        if (i == PORT_NOTES_PER_MINUTE || i == PORT_MINUTES_PLAYING)
            CHECK(fabsf(after[0][i] - after[1][i]) <= 0.01f * fabsf(after[0][i]),
                  "%s: %g with 64-frame blocks, %g with mixed blocks", port_symbols[i], after[0][i], after[1][i]);
        else
            CHECK(after[0][i] == after[1][i], "%s: %g with 64-frame blocks, %g with mixed blocks", port_symbols[i],
                  after[0][i], after[1][i]);
    free(p.notes);
}

static const void *get_port_value(const char *symbol, void *user_data, uint32_t *size, uint32_t *type)
{
    Host *h = user_data;
    for (int i = PORT_ENABLED; i < PORT_FIRST_CONTROL_OUT; i++)
        if (!strcmp(symbol, port_symbols[i])) {
            *size = sizeof(float);
            *type = map_uri(NULL, LV2_ATOM__Float);
            return &h->control[i];
        }
    *size = *type = 0;
    return NULL;
}

static void set_port_value(const char *symbol, void *user_data, const void *value, uint32_t size, uint32_t type)
{
    Host *h = user_data;
    if (size != sizeof(float) || type != map_uri(NULL, LV2_ATOM__Float))
        return;
    for (int i = PORT_ENABLED; i < PORT_FIRST_CONTROL_OUT; i++)
        if (!strcmp(symbol, port_symbols[i]))
            memcpy(&h->control[i], value, sizeof(float));
}

/* Saves a trained instance, restores into a fresh one: the same outputs. A damaged state
 * is refused with a message, and the instance keeps its map. */
/* Settings changed while playing act at once and keep what was learned: the map right
 * after the change is the map before it, and the practice load goes on. Two instances play
 * the same notes; one changes its settings half way, and its map then learns differently
 * (the unit tests check that a changed model equals one created with the new settings). */
static void check_live_settings(void)
{
    Host h[2];
    float before[2][PORT_COUNT], kept[2][PORT_COUNT], after[2][PORT_COUNT];
    Performance p = d2_practice(240, 5), q = d2_practice(240, 6);
    for (int i = 0; i < 2; i++) {
        CHECK(host_open(&h[i]), "the plugin does not instantiate");
        h[i].control[PORT_FINGERING] = 2; /* channel-coded */
        h[i].control[PORT_HAND] = 1;      /* right */
        h[i].control[PORT_PLASTICITY] = 10;
        size_t next = 0;
        play(&h[i], &p, &next, 0, p.length, SIZES_64, 1, "before the change");
        copy_outputs(&h[i], before[i]);
        if (i == 1) {
            h[i].control[PORT_INHIBITION] = 2.4f; /* a quarter of the default */
            h[i].control[PORT_AGE] = 8;
            h[i].control[PORT_WINDOW_MS] = 60;
            h[i].control[PORT_HAND] = 0;
        }
        play(&h[i], NULL, &next, 0, RATE / 2, SIZES_64, 1, "the change");
        copy_outputs(&h[i], kept[i]);
        next = 0;
        play(&h[i], &q, &next, 0, q.length, SIZES_64, 1, "after the change");
        copy_outputs(&h[i], after[i]);
        host_close(&h[i]);
    }
    CHECK(fabsf(kept[1][PORT_RIGHT_AREA_D2] - before[1][PORT_RIGHT_AREA_D2]) < 1.0f &&
              fabsf(kept[1][PORT_RIGHT_RF_SIZE] - before[1][PORT_RIGHT_RF_SIZE]) < 0.1f,
          "a settings change lost the map: D2 area %.2f -> %.2f %%, RF %.2f -> %.2f", before[1][PORT_RIGHT_AREA_D2],
          kept[1][PORT_RIGHT_AREA_D2], before[1][PORT_RIGHT_RF_SIZE], kept[1][PORT_RIGHT_RF_SIZE]);
    CHECK(kept[1][PORT_MINUTES_PLAYING] >= before[1][PORT_MINUTES_PLAYING],
          "the practice load restarted: %.2f -> %.2f min", before[1][PORT_MINUTES_PLAYING],
          kept[1][PORT_MINUTES_PLAYING]);
    CHECK(fabsf(after[1][PORT_RIGHT_RF_SIZE] - after[0][PORT_RIGHT_RF_SIZE]) > 0.1f,
          "the new settings changed nothing: RF %.2f points vs %.2f unchanged", after[1][PORT_RIGHT_RF_SIZE],
          after[0][PORT_RIGHT_RF_SIZE]);
    printf("live settings: D2 area %.2f %% kept as %.2f %%; after more practice RF %.2f points (inhibition 2.4) vs "
           "%.2f (9.6), multi-digit %.3f vs %.3f\n",
           before[1][PORT_RIGHT_AREA_D2], kept[1][PORT_RIGHT_AREA_D2], after[1][PORT_RIGHT_RF_SIZE],
           after[0][PORT_RIGHT_RF_SIZE], after[1][PORT_RIGHT_MULTI_DIGIT], after[0][PORT_RIGHT_MULTI_DIGIT]);
    free(p.notes);
    free(q.notes);
}

/* The sum of a hand's five area outputs (percent; 0 while the hand has no map). */
static float hand_area(const float *outputs, int hand)
{
    float sum = 0;
    for (int d = 0; d < 5; d++)
        sum += outputs[PORT_RIGHT_AREA_D1 + 5 * hand + d];
    return sum;
}

/* Hands made on demand: with the host's worker, a hand's map is made (in the worker) when
 * the hand is first played, here the left hand first (auto fingering, low notes), then the
 * right; its notes wait meanwhile. Without a worker both are made in activate(). Both ways
 * end with the same maps, output for output, and nothing merged. */
static void check_hands_on_demand(void)
{
    Performance p = {0};
    for (int k = 0; k < 300; k++) { /* 30 s: left-hand notes first, the right joins at 10 s */
        uint64_t f = 500 + (uint64_t)k * (RATE / 10);
        uint8_t low = (uint8_t)(36 + k % 5 * 2), high = (uint8_t)(72 + k % 5 * 2);
        add(&p, f, 0x90, low, 90);
        if (k >= 100)
            add(&p, f, 0x90, high, 90);
        add(&p, f + RATE / 20, 0x80, low, 0);
        if (k >= 100)
            add(&p, f + RATE / 20, 0x80, high, 0);
    }
    p.length += RATE;
    float outputs[2][PORT_COUNT], before_right[PORT_COUNT] = {0}, first_left[PORT_COUNT] = {0};
    for (int with_worker = 0; with_worker < 2; with_worker++) {
        Host h;
        CHECK(host_open_with(&h, with_worker), "the plugin does not instantiate");
        h.control[PORT_PLASTICITY] = 10; /* maps that move within the half minute */
        size_t next = 0;
        play(&h, NULL, &next, 0, RATE / 2, SIZES_64, 1, "before any note");
        if (with_worker)
            copy_outputs(&h, before_right);
        play(&h, &p, &next, 0, 3 * RATE, SIZES_64, 1, "left hand first");
        if (with_worker)
            copy_outputs(&h, first_left);
        play(&h, &p, &next, 3 * RATE, p.length - 3 * RATE, SIZES_MIXED, 7, "both hands");
        copy_outputs(&h, outputs[with_worker]);
        host_close(&h);
    }
    CHECK(hand_area(before_right, 0) == 0 && hand_area(before_right, 1) == 0,
          "with a worker, a hand not played yet shows a map (areas %g, %g)", hand_area(before_right, 0),
          hand_area(before_right, 1));
    CHECK(hand_area(first_left, 1) > 99 && hand_area(first_left, 0) == 0,
          "after left-hand notes only: left areas sum to %g, right to %g", hand_area(first_left, 1),
          hand_area(first_left, 0));
    for (int i = PORT_RIGHT_AREA_D1; i <= PORT_LEFT_RF_SIZE; i++)
        CHECK(outputs[0][i] == outputs[1][i], "%s: %g with both hands made at activate, %g made on demand",
              port_symbols[i], outputs[0][i], outputs[1][i]);
    CHECK(outputs[1][PORT_MERGED] == 0, "%g stimuli merged while a hand was being made", outputs[1][PORT_MERGED]);
    printf("hands on demand: left first, then right: the same maps as both made at activate (left D1 %.2f %%, "
           "right D1 %.2f %%)\n",
           outputs[1][PORT_LEFT_AREA_D1], outputs[1][PORT_RIGHT_AREA_D1]);
    free(p.notes);
}

/* The engine is made in activate(), or in save() and restore() when a host calls them
 * first: a state restored before activation shows its maps once activated, and one saved
 * before activation is a fresh plugin's. */
static void check_state_before_activate(void)
{
    Host a, b, c;
    CHECK(host_open(&a) && host_instantiate(&b, true, false) && host_instantiate(&c, true, false),
          "the plugin does not instantiate");
    a.control[PORT_PLASTICITY] = 10;
    Performance p = practice(30, 7, 10); /* both hands */
    size_t next = 0;
    play(&a, &p, &next, 0, p.length, SIZES_64, 1, "training");
    float trained[PORT_COUNT];
    copy_outputs(&a, trained);
    LilvState *state = lilv_state_new_from_instance(plugin, a.instance, &map, NULL, NULL, NULL, NULL, get_port_value,
                                                    &a, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, NULL);
    int errors = errors_logged;
    lilv_state_restore(state, b.instance, set_port_value, &b, 0, NULL); /* before activate() */
    lilv_instance_activate(b.instance);
    play(&b, NULL, &next, 0, 64, SIZES_64, 1, "restored before activation");
    CHECK(errors_logged == errors, "restoring before activation logged: %s", last_error);
    CHECK(fabsf(b.control[PORT_RIGHT_AREA_D2] - trained[PORT_RIGHT_AREA_D2]) < 1.0f && hand_area(b.control, 1) > 99,
          "restored before activation: right D2 %g (trained %g), left areas %g", b.control[PORT_RIGHT_AREA_D2],
          trained[PORT_RIGHT_AREA_D2], hand_area(b.control, 1));
    LilvState *fresh = lilv_state_new_from_instance(plugin, c.instance, &map, NULL, NULL, NULL, NULL, get_port_value,
                                                    &c, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, NULL);
    char *text = fresh ? lilv_state_to_string(world, &map, &unmap, fresh, "urn:homunculus:fresh", NULL) : NULL;
    CHECK(text && strstr(text, "engineState"), "no engine state saved before activation");
    lilv_instance_activate(c.instance);
    play(&c, NULL, &next, 0, 64, SIZES_64, 1, "saved before activation");
    CHECK(hand_area(c.control, 0) == 0 && hand_area(c.control, 1) == 0, "a fresh instance shows maps");
    printf("before activation: a state restored shows right D2 %.2f %% (trained %.2f %%), one saved is a fresh "
           "plugin's\n",
           b.control[PORT_RIGHT_AREA_D2], trained[PORT_RIGHT_AREA_D2]);
    lilv_free(text);
    lilv_state_free(fresh);
    lilv_state_free(state);
    host_close(&a);
    host_close(&b);
    host_close(&c);
    free(p.notes);
}

static void check_state(void)
{
    Host a, b;
    CHECK(host_open(&a) && host_open(&b), "the plugin does not instantiate");
    a.control[PORT_FINGERING] = 2;
    a.control[PORT_PLASTICITY] = 10;
    Performance p = practice(60, 5, 10); /* both hands: the state carries both maps */
    size_t next = 0;
    play(&a, &p, &next, 0, p.length, SIZES_64, 1, "training");
    play(&a, NULL, &next, 0, RATE, SIZES_64, 1, "rest");
    float trained[PORT_COUNT];
    copy_outputs(&a, trained);
    time_t t0 = time(NULL);
    LilvState *state = lilv_state_new_from_instance(plugin, a.instance, &map, NULL, NULL, NULL, NULL, get_port_value,
                                                    &a, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, NULL);
    CHECK(state != NULL, "no state from the instance");
    char *text = lilv_state_to_string(world, &map, &unmap, state, "urn:homunculus:test-state", NULL);
    LilvState *back = lilv_state_new_from_string(world, &map, text);
    CHECK(back != NULL, "the saved state does not parse back");
    int errors = errors_logged;
    lilv_state_restore(back, b.instance, set_port_value, &b, 0, NULL);
    play(&b, NULL, &next, 0, 64, SIZES_64, 1, "restored");
    time_t t1 = time(NULL);
    CHECK(errors_logged == errors, "restoring a good state logged: %s", last_error);
    CHECK(b.control[PORT_FINGERING] == 2 && b.control[PORT_PLASTICITY] == 10, "port values not restored");
    /* identical when no wall-clock second passed; else the elapsed rest (applied on restoring)
     * may move them a little: a few units' fields by a receptor point or so (slow builds, e.g.
     * under ASan, take seconds between saving and restoring; under valgrind or on a loaded
     * machine half a minute or more, so the allowed drift grows with the gap) */
    float gap_factor = 1.0f + (float)(t1 - t0) / 10.0f;
    for (int i = PORT_RIGHT_AREA_D1; i <= PORT_LEFT_RF_SIZE; i++) {
        float tolerance = t1 == t0 ? 0.0f
                          : gap_factor * (i <= PORT_LEFT_AREA_D5 ? 0.2f : 0.005f + 0.02f * fabsf(trained[i]));
        CHECK(fabsf(b.control[i] - trained[i]) <= tolerance, "restored %s %g, saved %g (%ld s later)",
              port_symbols[i], b.control[i], trained[i], (long)(t1 - t0));
    }
    CHECK(b.control[PORT_RIGHT_AREA_D2] != 20.0f || trained[PORT_RIGHT_AREA_D2] == 20.0f, "restored map is fresh");
    CHECK(hand_area(trained, 1) > 99 && hand_area(b.control, 1) > 99, "both hands saved and restored: left areas %g, %g",
          hand_area(trained, 1), hand_area(b.control, 1));

    /* damage the chunk: flip one base64 character in the middle of the blob */
    char *damaged = strdup(text);
    char *at = strstr(damaged, "engineState");
    char *quote = at ? strchr(at, '"') : NULL;
    CHECK(quote != NULL, "no engine state in the saved text");
    if (quote) {
        char *c = quote + 2000;
        while (*c && !((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')))
            c++;
        *c = *c == 'A' ? 'B' : 'A';
        /* play something into b first, so "kept its map" is visible */
        float kept[PORT_COUNT];
        copy_outputs(&b, kept);
        LilvState *bad = lilv_state_new_from_string(world, &map, damaged);
        quiet_log = true;
        errors = errors_logged;
        lilv_state_restore(bad, b.instance, set_port_value, &b, 0, NULL);
        quiet_log = false;
        CHECK(errors_logged == errors + 1, "a damaged state was not refused through the log");
        printf("damaged state: \"%.*s\"\n", (int)strcspn(last_error, "\n"), last_error);
        play(&b, NULL, &next, 0, RATE / 2, SIZES_64, 1, "after refusal");
        for (int i = PORT_RIGHT_AREA_D1; i <= PORT_LEFT_AREA_D5; i++)
            CHECK(b.control[i] == kept[i], "after a refused state %s moved %g -> %g", port_symbols[i], kept[i],
                  b.control[i]);
        lilv_state_free(bad);
    }
    /* truncated: cut the base64 text short */
    char *cut = strdup(text);
    at = strstr(cut, "engineState");
    quote = at ? strchr(at, '"') : NULL;
    if (quote) {
        char *end = strchr(quote + 3, '"');
        if (end && end - quote > 4000)
            memmove(quote + 3000, end, strlen(end) + 1);
        LilvState *bad = lilv_state_new_from_string(world, &map, cut);
        quiet_log = true;
        errors = errors_logged;
        if (bad)
            lilv_state_restore(bad, b.instance, set_port_value, &b, 0, NULL);
        quiet_log = false;
        CHECK(errors_logged == errors + 1, "a truncated state was not refused through the log");
        printf("truncated state: \"%.*s\"\n", (int)strcspn(last_error, "\n"), last_error);
        lilv_state_free(bad);
    }
    free(cut);
    free(damaged);
    lilv_free(text);
    lilv_state_free(back);
    lilv_state_free(state);
    free(p.notes);
    host_close(&a);
    host_close(&b);
}

typedef struct {
    Host *host;
    atomic_int done;
    int saves, bad;
} Saver;

/* Sends a patch:Set of a profile parameter in one 64-frame block, then lets the worker act. */
static void send_profile_param(Host *h, const char *property, const char *path)
{
    LV2_URID set = map_uri(NULL, LV2_PATCH__Set), key = map_uri(NULL, LV2_PATCH__property),
             value = map_uri(NULL, LV2_PATCH__value), which = map_uri(NULL, property);
    lv2_atom_forge_set_buffer(&h->forge, (uint8_t *)h->in, SEQ_BYTES);
    LV2_Atom_Forge_Frame sequence, object;
    lv2_atom_forge_sequence_head(&h->forge, &sequence, 0);
    lv2_atom_forge_frame_time(&h->forge, 0);
    lv2_atom_forge_object(&h->forge, &object, 0, set);
    lv2_atom_forge_key(&h->forge, key);
    lv2_atom_forge_urid(&h->forge, which);
    lv2_atom_forge_key(&h->forge, value);
    lv2_atom_forge_path(&h->forge, path, (uint32_t)strlen(path));
    lv2_atom_forge_pop(&h->forge, &object);
    lv2_atom_forge_pop(&h->forge, &sequence);
    h->out->atom.size = SEQ_BYTES - sizeof(LV2_Atom);
    h->notify->atom.size = SEQ_BYTES - sizeof(LV2_Atom);
    RT_ENTER();
    lilv_instance_run(h->instance, 64);
    RT_EXIT();
    read_notify(h);
    run_worker(h);
}

static long file_size(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 ? (long)info.st_size : -1;
}

/* A profile a homunculus session holds (its fcntl lock on PATH.lock, taken here by a child
 * process as the program takes it) is not saved over: the save is refused naming the
 * holder's pid, and the file keeps its bytes. */
static void check_profile_in_use(Host *h, const char *path)
{
    char lock_path[600];
    snprintf(lock_path, sizeof lock_path, "%s.lock", path);
    int ready[2], hold[2];
    CHECK(pipe(ready) == 0 && pipe(hold) == 0, "no pipes");
    pid_t child = fork();
    CHECK(child >= 0, "cannot fork");
    if (child == 0) { /* the "session": lock, say so, wait for the end of the pipe */
        close(ready[0]);
        close(hold[1]); /* else the pipe never ends */
        int fd = open(lock_path, O_RDWR | O_CREAT, 0644);
        struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        char c = fd >= 0 && fcntl(fd, F_SETLK, &whole) == 0 ? 'y' : 'n';
        (void)!write(ready[1], &c, 1);
        (void)!read(hold[0], &c, 1);
        _exit(0);
    }
    close(ready[1]);
    close(hold[0]);
    char c = 'n';
    (void)!read(ready[0], &c, 1);
    CHECK(c == 'y', "the child could not lock %s", lock_path);
    long before = file_size(path);
    struct stat old_stat, new_stat;
    CHECK(stat(path, &old_stat) == 0, "no %s", path);
    int errors = errors_logged;
    send_profile_param(h, HOMUNCULUS_PROFILE_SAVE_URI, path);
    char pid[32];
    snprintf(pid, sizeof pid, "pid %ld", (long)child);
    CHECK(errors_logged == errors + 1 && strstr(last_error, path) && strstr(last_error, pid),
          "saving a profile in use: no error naming it and the holder (%s)", last_error);
    CHECK(stat(path, &new_stat) == 0 && new_stat.st_ino == old_stat.st_ino && file_size(path) == before,
          "a profile in use was written over");
    printf("profile in use: \"%.*s\"\n", (int)strcspn(last_error, "\n"), last_error);
    close(hold[1]);
    waitpid(child, NULL, 0);
    close(ready[0]);
}

/* The profile parameters: trained hands saved as a profile file (the engine state the
 * program's profiles hold) load into a fresh instance with the same map, and come back out
 * as the same profile; a missing, damaged or truncated file and an unwritable path are
 * refused with a message naming the file, the maps kept. */
static void check_profiles(void)
{
    /* one fixed clock (core/wall_clock): a save and a load a second apart would otherwise
     * apply a second of rest, and the maps would differ by its decay */
    setenv("SOURCE_DATE_EPOCH", "1000000", 1);
    char dir[] = "/tmp/hm-lv2-profiles-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "no temporary folder");
    char a[128], b[128], bad[128], cut[128], missing[128], nowhere[160];
    snprintf(a, sizeof a, "%s/trained.profile", dir);
    snprintf(b, sizeof b, "%s/again.profile", dir);
    snprintf(bad, sizeof bad, "%s/bad.profile", dir);
    snprintf(cut, sizeof cut, "%s/cut.profile", dir);
    snprintf(missing, sizeof missing, "%s/missing.profile", dir);
    snprintf(nowhere, sizeof nowhere, "%s/no/such/folder/x.profile", dir);
    Performance p = practice(120, 5, 10); /* both hands */
    Host trained, fresh;
    CHECK(host_open(&trained) && host_open(&fresh), "the plugin does not instantiate");
    float saved[PORT_COUNT], before[PORT_COUNT], after[PORT_COUNT];
    for (Host *h = &trained; h; h = h == &trained ? &fresh : NULL) {
        h->control[PORT_FINGERING] = 2;
        h->control[PORT_HAND] = 1;
        h->control[PORT_PLASTICITY] = 10;
    }
    size_t next = 0;
    play(&trained, &p, &next, 0, p.length, SIZES_64, 1, "practice before saving a profile");
    play(&trained, NULL, &next, 0, RATE, SIZES_64, 1, "rest");
    copy_outputs(&trained, saved);
    send_profile_param(&trained, HOMUNCULUS_PROFILE_SAVE_URI, a);
    play(&trained, NULL, &next, 0, 256, SIZES_64, 1, "after saving a profile");
    CHECK(file_size(a) > 100000, "the saved profile %s has %ld bytes", a, file_size(a));
    CHECK(!strcmp(trained.echoed_path, a), "the plugin did not name the saved profile (\"%s\")", trained.echoed_path);

    next = 0;
    play(&fresh, NULL, &next, 0, RATE / 2, SIZES_64, 1, "fresh");
    copy_outputs(&fresh, before);
    /* bad files first: each refused, the fresh map kept */
    const char *refused[] = {missing, bad, cut};
    FILE *f = fopen(bad, "wb");
    fputs("not a profile at all", f);
    fclose(f);
    uint8_t *whole = malloc((size_t)file_size(a));
    f = fopen(a, "rb");
    size_t got = fread(whole, 1, (size_t)file_size(a), f);
    fclose(f);
    f = fopen(cut, "wb");
    fwrite(whole, 1, got / 2, f);
    fclose(f);
    free(whole);
    quiet_log = true;
    for (int i = 0; i < 3; i++) {
        int errors = errors_logged;
        send_profile_param(&fresh, HOMUNCULUS_PROFILE_LOAD_URI, refused[i]);
        CHECK(errors_logged == errors + 1 && strstr(last_error, refused[i]), "loading %s: no error naming it (%s)",
              refused[i], last_error);
        printf("profile refused: \"%.*s\"\n", (int)strcspn(last_error, "\n"), last_error);
    }
    int errors = errors_logged;
    send_profile_param(&trained, HOMUNCULUS_PROFILE_SAVE_URI, nowhere);
    CHECK(errors_logged == errors + 1 && strstr(last_error, nowhere), "saving to %s: no error naming it", nowhere);
    check_profile_in_use(&trained, a);
    quiet_log = false;
    play(&fresh, NULL, &next, 0, RATE / 2, SIZES_64, 1, "after refused profiles");
    for (int i = PORT_RIGHT_AREA_D1; i <= PORT_LEFT_RF_SIZE; i++)
        CHECK(fresh.control[i] == before[i], "a refused profile changed %s: %g -> %g", port_symbols[i], before[i],
              fresh.control[i]);

    /* the trained profile: the fresh instance shows the trained map, and saves it back */
    send_profile_param(&fresh, HOMUNCULUS_PROFILE_LOAD_URI, a);
    play(&fresh, NULL, &next, 0, RATE, SIZES_64, 1, "after loading a profile");
    copy_outputs(&fresh, after);
    CHECK(!strcmp(fresh.echoed_path, a), "the plugin did not name the loaded profile (\"%s\")", fresh.echoed_path);
    for (int i = PORT_RIGHT_AREA_D1; i <= PORT_LEFT_RF_SIZE; i++)
        CHECK(fabsf(after[i] - saved[i]) <= 1e-4f * fmaxf(1.0f, fabsf(saved[i])),
              "loaded profile: %s %g, the trained instance had %g", port_symbols[i], after[i], saved[i]);
    send_profile_param(&fresh, HOMUNCULUS_PROFILE_SAVE_URI, b);
    CHECK(file_size(b) == file_size(a), "the profile saved back has %ld bytes, the loaded one %ld", file_size(b),
          file_size(a));
    printf("profiles: saved %ld bytes, loaded into a fresh instance (D2 area %.2f %% as trained %.2f %%), saved back\n",
           file_size(a), after[PORT_RIGHT_AREA_D2], saved[PORT_RIGHT_AREA_D2]);
    /* a profile of the program (make check-lv2 makes one with `homunculus play --profile`)
     * loads; the plugin's hands go out as a profile the program reads back */
    const char *program_profile = getenv("HM_PROGRAM_PROFILE"), *plugin_profile = getenv("HM_PLUGIN_PROFILE_OUT");
    if (program_profile) {
        errors = errors_logged;
        send_profile_param(&fresh, HOMUNCULUS_PROFILE_LOAD_URI, program_profile);
        play(&fresh, NULL, &next, 0, 256, SIZES_64, 1, "after loading the program's profile");
        CHECK(errors_logged == errors && !strcmp(fresh.echoed_path, program_profile),
              "the program's profile %s did not load (%s)", program_profile, last_error);
    }
    if (plugin_profile) {
        send_profile_param(&fresh, HOMUNCULUS_PROFILE_SAVE_URI, plugin_profile);
        CHECK(file_size(plugin_profile) > 100000, "no profile written to %s", plugin_profile);
    }
    host_close(&trained);
    host_close(&fresh);
    char a_lock[sizeof a + 8], b_lock[sizeof b + 8]; /* the saves' locks stay, as the program's do */
    snprintf(a_lock, sizeof a_lock, "%s.lock", a);
    snprintf(b_lock, sizeof b_lock, "%s.lock", b);
    const char *files[] = {a, b, bad, cut, a_lock, b_lock};
    for (int i = 0; i < 6; i++)
        remove(files[i]);
    CHECK(remove(dir) == 0, "%s: a file left behind", dir);
    unsetenv("SOURCE_DATE_EPOCH");
    free(p.notes);
}

/* Saves the instance over and over from another thread, as a host saving its project
 * while the audio runs; every state must restore cleanly into a fresh instance. */
static void *save_repeatedly(void *arg)
{
    Saver *s = arg;
    while (!atomic_load(&s->done)) {
        LilvState *state = lilv_state_new_from_instance(plugin, s->host->instance, &map, NULL, NULL, NULL, NULL,
                                                        get_port_value, s->host, LV2_STATE_IS_POD, NULL);
        if (!state) {
            s->bad++;
            continue;
        }
        s->saves++;
        /* the GUI thread draws meanwhile, too */
        const LV2_Inline_Display_Interface *display =
            lilv_instance_get_extension_data(s->host->instance, LV2_INLINEDISPLAY__interface);
        s->bad += display->render(lilv_instance_get_handle(s->host->instance), 120, 60) == NULL;
        if (s->saves % 8 == 1) {
            Host fresh;
            int errors = errors_logged;
            if (!host_open(&fresh))
                s->bad++;
            else {
                lilv_state_restore(state, fresh.instance, NULL, NULL, 0, NULL);
                s->bad += errors_logged != errors;
                host_close(&fresh);
            }
        }
        lilv_state_free(state);
    }
    return NULL;
}

/* Saves from another thread while run() plays a dense performance: MIDI still passes,
 * every state restores, and the learned map ends exactly as without the saves (what
 * run() could not give the engine while a save held it is played in afterwards). */
static void check_saves_while_running(void)
{
    Performance p = {0};
    uint32_t x = 3;
    int onsets = (int)(30 * 60 * performance_share());
    for (int k = 0; k < onsets; k++) { /* 30 onsets a second for a minute, chords, both hands */
        x = x * 1664525u + 1013904223u;
        uint64_t f = 500 + (uint64_t)k * (RATE / 30);
        int finger = (int)((x >> 24) % 10);
        add(&p, f, (uint8_t)(0x90 | finger), (uint8_t)(48 + finger), 90);
        add(&p, f, (uint8_t)(0x90 | ((finger + 1) % 10)), (uint8_t)(49 + finger), 70);
        add(&p, f + RATE / 40, (uint8_t)(0x80 | finger), (uint8_t)(48 + finger), 0);
        add(&p, f + RATE / 40, (uint8_t)(0x80 | ((finger + 1) % 10)), (uint8_t)(49 + finger), 0);
    }
    p.length += 2 * RATE;
    float outputs[2][PORT_COUNT];
    int saves = 0;
    for (int with_saves = 0; with_saves < 2; with_saves++) {
        Host h;
        CHECK(host_open(&h), "the plugin does not instantiate");
        h.control[PORT_FINGERING] = 2;
        h.control[PORT_PLASTICITY] = 5;
        size_t next = 0;
        play(&h, NULL, &next, 0, RATE / 2, SIZES_64, 1, "warm-up");
        Saver saver = {&h, 0, 0, 0};
        pthread_t thread;
        if (with_saves)
            pthread_create(&thread, NULL, save_repeatedly, &saver);
        next = 0;
        pace = with_saves ? 30.0 / time_scale() : 0.0;
        play(&h, &p, &next, 0, p.length, SIZES_64, 1, with_saves ? "saving while running" : "no saves");
        pace = 0.0;
        if (with_saves) {
            atomic_store(&saver.done, 1);
            pthread_join(thread, NULL);
            CHECK(saver.saves > 0 && saver.bad == 0, "%d saves while running, %d bad", saver.saves, saver.bad);
            saves = saver.saves;
        }
        /* the block after a save plays in what run() kept meanwhile; then rest */
        play(&h, NULL, &next, 0, 2 * RATE, SIZES_64, 1, "rest");
        copy_outputs(&h, outputs[with_saves]);
        host_close(&h);
    }
    for (int i = PORT_RIGHT_AREA_D1; i <= PORT_LEFT_RF_SIZE; i++)
        CHECK(outputs[0][i] == outputs[1][i], "%s: %g without saves, %g with saves while running", port_symbols[i],
              outputs[0][i], outputs[1][i]);
    printf("saves while running: %d, map outputs as without saves\n", saves);
    free(p.notes);
}

/* Mean, 99.9th percentile and worst of block costs, and how many exceed a tenth of period. */
static void print_block_costs(const char *title, const double *cost, size_t blocks, double period)
{
    double total = 0, worst = 0;
    size_t over = 0;
    for (size_t b = 0; b < blocks; b++) {
        total += cost[b];
        worst = fmax(worst, cost[b]);
        over += cost[b] > 0.1 * period;
    }
    /* 99.9th percentile by counting: the smallest c with at most 0.1 % of blocks above */
    double lo = 0, hi = worst;
    for (int i = 0; i < 50; i++) {
        double mid = (lo + hi) / 2;
        size_t above = 0;
        for (size_t b = 0; b < blocks; b++)
            above += cost[b] > mid;
        if (above <= blocks / 1000)
            hi = mid;
        else
            lo = mid;
    }
    printf("  %s: mean %.2f us (%.2f %%), 99.9th percentile %.1f us (%.1f %%), worst %.1f us (%.1f %%), "
           "%zu of %zu blocks over 10 %%\n",
           title, total / (double)blocks, 100 * total / (double)blocks / period, hi, 100 * hi / period, worst,
           100 * worst / period, over, blocks);
}

#define BENCH_RUNS 3 /* identical runs: a block's own cost is its least time over them */
#define BENCH_INSTANCES 20

static double thread_cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Resident memory of this process in bytes (/proc/self/statm), 0 if unknown. */
static double resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (!f)
        return 0;
    int read = fscanf(f, "%ld %ld", &pages, &resident);
    fclose(f);
    return read == 2 ? (double)resident * 4096.0 : 0;
}

/* What one instance costs to create, as a host loading a session of many: the time of
 * lilv_plugin_instantiate (thread CPU time, so that other processes on a loaded machine do
 * not count, first-touch page faults included; and wall clock) and of activate,
 * the heap it allocates and the resident memory it adds once it has run a block, each the
 * mean over BENCH_INSTANCES instances kept alive together; without and with the inline
 * display (a host such as jalv, and Ardour). */
static int bench_instances(void)
{
    static Host hosts[BENCH_INSTANCES];
    static float audio[2][64];
    static uint8_t in[1024], out[1024];
    printf("lv2 instances (%d alive together, 48 kHz, max block %d):\n", BENCH_INSTANCES, MAX_BLOCK);
    for (int with_display = 0; with_display < 2; with_display++) {
        double instantiate_s = 0, activate_s = 0, worst_s = 0, wall_s = 0;
        size_t heap_before = mallinfo2().uordblks + mallinfo2().hblkhd;
        double rss_before = resident_bytes();
        for (int i = 0; i < BENCH_INSTANCES; i++) {
            Host *h = &hosts[i];
            memset(h, 0, sizeof *h);
            atomic_init(&h->draws_queued, 0);
            h->display = (LV2_Inline_Display){&h->draws_queued, queue_draw};
            h->display_feature = (LV2_Feature){LV2_INLINEDISPLAY__queue_draw, &h->display};
            lv2_atom_forge_init(&h->forge, &map);
            h->worker = (LV2_Worker_Schedule){h, schedule_work}; /* as jalv and Ardour give */
            h->worker_feature = (LV2_Feature){LV2_WORKER__schedule, &h->worker};
            const LV2_Feature *features[] = {&map_feature,     &unmap_feature,    &log_feature_f,
                                             &options_feature, &bounded_feature,  &h->worker_feature,
                                             with_display ? &h->display_feature : NULL, NULL};
            double w0 = now_s(), t0 = thread_cpu_s();
            h->instance = lilv_plugin_instantiate(plugin, RATE, features);
            double t1 = thread_cpu_s();
            wall_s += now_s() - w0;
            if (!h->instance)
                return 1;
            lilv_instance_activate(h->instance);
            double t2 = thread_cpu_s();
            instantiate_s += t1 - t0;
            activate_s += t2 - t1;
            worst_s = fmax(worst_s, t1 - t0);
        }
        size_t heap = mallinfo2().uordblks + mallinfo2().hblkhd - heap_before;
        /* one block each: the plugin's first touch of its memory */
        for (int i = 0; i < BENCH_INSTANCES; i++) {
            LV2_Atom_Sequence *seq = (LV2_Atom_Sequence *)in;
            seq->atom = (LV2_Atom){sizeof(LV2_Atom_Sequence_Body), map_uri(NULL, LV2_ATOM__Sequence)};
            seq->body = (LV2_Atom_Sequence_Body){0, 0};
            ((LV2_Atom *)out)->size = sizeof out - sizeof(LV2_Atom);
            lilv_instance_connect_port(hosts[i].instance, PORT_MIDI_IN, in);
            lilv_instance_connect_port(hosts[i].instance, PORT_MIDI_OUT, out);
            lilv_instance_connect_port(hosts[i].instance, PORT_AUDIO_LEFT, audio[0]);
            lilv_instance_connect_port(hosts[i].instance, PORT_AUDIO_RIGHT, audio[1]);
            lilv_instance_run(hosts[i].instance, 64);
        }
        double rss = resident_bytes() - rss_before;
        /* then a note of one hand each: the worker makes that hand's model, the next block
         * takes it */
        size_t heap_one_hand = mallinfo2().uordblks + mallinfo2().hblkhd;
        for (int i = 0; i < BENCH_INSTANCES; i++) {
            lv2_atom_forge_set_buffer(&hosts[i].forge, in, sizeof in);
            LV2_Atom_Forge_Frame frame;
            lv2_atom_forge_sequence_head(&hosts[i].forge, &frame, 0);
            lv2_atom_forge_frame_time(&hosts[i].forge, 0);
            lv2_atom_forge_atom(&hosts[i].forge, 3, map_uri(NULL, LV2_MIDI__MidiEvent));
            lv2_atom_forge_write(&hosts[i].forge, (const uint8_t[]){0x90, 72, 100}, 3);
            lv2_atom_forge_pop(&hosts[i].forge, &frame);
            ((LV2_Atom *)out)->size = sizeof out - sizeof(LV2_Atom);
            lilv_instance_run(hosts[i].instance, 64);
            run_worker(&hosts[i]);
            ((LV2_Atom_Sequence *)in)->atom.size = sizeof(LV2_Atom_Sequence_Body);
            ((LV2_Atom *)out)->size = sizeof out - sizeof(LV2_Atom);
            lilv_instance_run(hosts[i].instance, 64);
        }
        heap_one_hand = mallinfo2().uordblks + mallinfo2().hblkhd - heap_one_hand + heap;
        for (int i = 0; i < BENCH_INSTANCES; i++) {
            lilv_instance_deactivate(hosts[i].instance);
            lilv_instance_free(hosts[i].instance);
        }
        printf("  %s: instantiate mean %.3f ms CPU (worst %.3f ms; wall clock mean %.3f ms), activate mean %.3f ms; "
               "per instance heap %.0f KiB allocated, resident %.0f KiB after a block, heap %.0f KiB once one hand "
               "is played\n",
               with_display ? "with the inline display" : "without inline display", 1e3 * instantiate_s / BENCH_INSTANCES,
               1e3 * worst_s, 1e3 * wall_s / BENCH_INSTANCES, 1e3 * activate_s / BENCH_INSTANCES,
               (double)heap / BENCH_INSTANCES / 1024.0, rss / BENCH_INSTANCES / 1024.0,
               (double)heap_one_hand / BENCH_INSTANCES / 1024.0);
    }
    return 0;
}

/* DSP load of run() at 48 kHz in 64-frame blocks under a dense performance (30 onsets a
 * second, chords in both hands, pedal; auto fingering), in thread CPU time, for one run and
 * as each block's least time over identical runs (which removes the machine's interruptions),
 * and the memory of one instance. Prints figures; asserts nothing. */
static int bench(double seconds)
{
    Performance p = {0};
    uint32_t x = 1;
    for (uint64_t f = 0; f < (uint64_t)(seconds * RATE); f += RATE / 30) {
        x = x * 1664525u + 1013904223u;
        uint8_t note = (uint8_t)(36 + (x >> 24) % 60), velocity = (uint8_t)(30 + (x >> 16) % 90);
        add(&p, f, 0x90, note, velocity);
        add(&p, f, 0x90, (uint8_t)(note + 4), velocity);
        add(&p, f + RATE / 40, 0x80, (uint8_t)(note + 4), 0);
        add(&p, f + RATE / 40, 0x80, note, 0);
        if (f % (2 * RATE) == 0)
            add(&p, f + 1, 0xB0, 64, (uint8_t)(f % (4 * RATE) ? 0 : 127));
    }
    LV2_URID midi_event = map_uri(NULL, LV2_MIDI__MidiEvent);
    size_t blocks = (size_t)(p.length / 64);
    double *cost[BENCH_RUNS], *least = malloc(blocks * sizeof *least);
    size_t heap_growth = 0;
    float merged = 0;
    for (int r = 0; r < BENCH_RUNS; r++) {
        size_t heap_before = mallinfo2().uordblks + mallinfo2().hblkhd;
        Host h;
        if (!host_open(&h))
            return 1;
        heap_growth = mallinfo2().uordblks + mallinfo2().hblkhd - heap_before;
        cost[r] = malloc(blocks * sizeof *cost[r]);
        size_t next = 0;
        for (size_t b = 0; b < blocks; b++) {
            uint64_t pos = (uint64_t)b * 64;
            lv2_atom_forge_set_buffer(&h.forge, (uint8_t *)h.in, SEQ_BYTES);
            LV2_Atom_Forge_Frame frame;
            lv2_atom_forge_sequence_head(&h.forge, &frame, 0);
            while (next < p.count && p.notes[next].frame < pos + 64) {
                lv2_atom_forge_frame_time(&h.forge, (int64_t)(p.notes[next].frame - pos));
                lv2_atom_forge_atom(&h.forge, 3, midi_event);
                lv2_atom_forge_write(&h.forge, p.notes[next++].bytes, 3);
            }
            lv2_atom_forge_pop(&h.forge, &frame);
            h.out->atom.type = 0;
            h.out->atom.size = SEQ_BYTES - sizeof(LV2_Atom);
            h.notify->atom.type = 0;
            h.notify->atom.size = SEQ_BYTES - sizeof(LV2_Atom);
            struct timespec t0, t1;
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
            lilv_instance_run(h.instance, 64);
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
            cost[r][b] = (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-3;
            run_worker(&h); /* the hands' models, made when first played */
            least[b] = r == 0 || cost[r][b] < least[b] ? cost[r][b] : least[b];
        }
        merged = h.control[PORT_MERGED];
        host_close(&h);
    }
    double period = 64.0 / RATE * 1e6;
    printf("lv2 run(), %.0f s dense playing in 64-frame blocks at 48 kHz (period %.0f us), stimuli merged %g:\n",
           seconds, period, merged);
    print_block_costs("one run", cost[0], blocks, period);
    print_block_costs("per-block least of 3 runs", least, blocks, period);
    printf("  memory per instance: %.1f MiB (heap growth at instantiation)\n",
           (double)heap_growth / (1024.0 * 1024.0));
    for (int r = 0; r < BENCH_RUNS; r++)
        free(cost[r]);
    free(least);
    free(p.notes);
    return 0;
}

#ifdef HOST_RTSAN
static LV2_State_Status discard_value(LV2_State_Handle handle, uint32_t key, const void *value, size_t size,
                                     uint32_t type, uint32_t flags)
{
    (void)handle, (void)key, (void)value, (void)size, (void)type, (void)flags;
    return LV2_STATE_SUCCESS;
}
#endif

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : HOMUNCULUS_URI;
    init_options();
    world = lilv_world_new();
    lilv_world_load_all(world);
    LilvNode *uri_node = lilv_new_uri(world, uri);
    plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri_node);
    lilv_node_free(uri_node);
    if (!plugin) {
        printf("FAIL: plugin <%s> not found on LV2_PATH=%s\n", uri, getenv("LV2_PATH") ? getenv("LV2_PATH") : "");
        return 1;
    }
    if (argc > 2 && !strcmp(argv[2], "--bench"))
        return bench_instances() || bench(argc > 3 ? atof(argv[3]) : 300.0);
    if (argc > 2 && !strcmp(argv[2], "--bench-instances"))
        return bench_instances();
#ifdef HOST_RTSAN
    if (argc > 2 && !strcmp(argv[2], "--self-test")) {
        /* proves the sanitizer sees into the plugin: its save() allocates, so calling it in
         * real-time context must abort the program */
        Host h;
        if (!host_open(&h))
            return 1;
        const LV2_State_Interface *iface = lilv_instance_get_extension_data(h.instance, LV2_STATE__interface);
        RT_ENTER();
        iface->save(lilv_instance_get_handle(h.instance), discard_value, NULL, 0, NULL);
        RT_EXIT();
        printf("lv2-host-rtsan: the sanitizer did not catch an allocation in real-time context\n");
        return 0;
    }
#endif
    check_ports();
    check_dense_input();
    check_learning_and_bypass();
    check_live_settings();
    check_hands_on_demand();
    check_state_before_activate();
    check_state();
    check_profiles();
    check_saves_while_running();
    lilv_world_free(world);
    for (uint32_t i = 0; i < uri_count; i++)
        free(uris[i]);
    cairo_debug_reset_static_data(); /* the inline display's text: cairo's and fontconfig's font */
    FcFini();                        /* caches, not leaks, but LeakSanitizer cannot tell */
    printf("lv2-host: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
