/* The real-time engine: MIDI -> fingers -> stimuli -> time-sliced models -> snapshots
 * and sound. */
#include "engine.h"


#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "everyday.h"
#include "midi.h"
#include "stimulus.h"
#include "triple.h"

#define QUEUE_CAPACITY 64     /* stimuli waiting per hand before they are merged */
#define NOTE_SLOTS 1024       /* notes whose finger is not decided yet (ring by note id) */
/* Work budget units: beginning a stimulus (the time since the last one passing, then the
 * drive) and learning from it cost about as much as this many Euler steps (default hand:
 * elapse 13 us, drive 8 us, learning 10 us, a step 0.9 us). */
#define BEGIN_COST_STEPS 25u
#define FINISH_COST_STEPS 10u
/* A note's fingering (the auto estimator's search) costs about this many steps; it is
 * taken from the block's model budget, so a chord leaves less room for model work. */
#define NOTE_COST_STEPS 15u
#define CREDIT_CAP_BLOCKS 2u  /* a block spends at most twice its own length's budget */
/* Units whose probe responses one block computes per 64 frames of its length (about
 * 15 us at the default sheet): a hand's metrics take a few blocks, none of them heavy. */
#define METRICS_SLICE_UNITS 256
/* once every key has been up this long (and no note came), undecided fingers are decided:
 * not 0.5 s after the last note-on, which decided every note alone, with no lag, when
 * playing slower than two notes a second; a key held down (a long chord) waits at most
 * FLUSH_AFTER_S, the estimator's longest lag (LAG_LONGEST_S in fingering.c) */
#define SILENCE_DECIDES_S 0.5
#define FLUSH_AFTER_S 4.0
#define PLAYING_HOLD_S 2.0    /* the map's chord keeps sounding this long after the last key moved */

typedef struct {
    uint64_t frame;
    float intensity[SKIN_DIGITS];
} QueuedStimulus;

typedef struct {
    Model *model;
    MetricsProbe *probe;
    MapMetrics metrics;
    QueuedStimulus queue[QUEUE_CAPACITY];
    int head, count;
    int settling;              /* a stimulus has begun and not finished */
    uint64_t last_frame;       /* frame of the last stimulus the model was given */
    uint64_t stimuli;
    int played;                /* a note was given to this hand (hands_on_demand: make its model) */
    float scratch[SKIN_MAX_RECEPTORS];
} HandState;

typedef struct {
    uint32_t id;
    int8_t hand, finger;
    uint8_t decided, released;
} NoteSlot;

struct Engine {
    EngineConfig config;
    EngineConfig created;      /* as created: the hands made later are made from it */
    uint64_t rate;             /* sample rate as an integer, for exact work accounting */
    uint64_t frame;            /* frames processed so far */
    Fingering *fingering;
    StimulusBuilder builder;
    LoadTracker load;
    Sonify *sonify;
    HandState hand[ENGINE_HANDS];
    uint32_t next_id;
    uint32_t current_id[16][128];
    uint8_t note_down[16][128];
    int keys_down;             /* keys of note_down set */
    uint64_t last_key_frame;   /* the last key pressed or let go */
    NoteSlot slots[NOTE_SLOTS];
    uint64_t undecided;        /* notes started whose final finger is not taken yet */
    uint64_t last_note_frame;
    uint64_t sounding_until_frame; /* the map's chord sounds until this long after the last key */
    uint64_t credit;           /* work budget in step x rate units */
    uint64_t credit_floor;     /* the cap never drops below one stimulus's begin and finish */
    uint64_t next_metrics_frame;
    int metrics_hand;
    int metrics_slicing;       /* metrics_hand's metrics are being computed slice by slice */
    int publish_due;           /* metrics were refreshed in the last block */
    TripleBuffer snapshots;
    uint64_t sequence, notes, merged, unfingered;
    uint64_t formed;           /* stimuli the touches formed (learned + waiting + merged) */
    int sustain;
    EngineFingeredNote recent[ENGINE_RECENT_NOTES]; /* ring of the last fingered notes */
    uint64_t recent_total;
    EngineFinal finals[ENGINE_FINALS]; /* ring of the decided notes, for a recorder */
    uint64_t finals_total;
};

/* The coincidence window in frames. */
static uint32_t window_frames(double window_ms, double sample_rate)
{
    return (uint32_t)llround(window_ms * 1e-3 * sample_rate);
}

void engine_config_default(EngineConfig *c, double sample_rate, uint32_t max_block)
{
    memset(c, 0, sizeof *c);
    c->sample_rate = sample_rate;
    c->max_block = max_block;
    model_params_default(&c->model);
    fingering_config_default(&c->fingering, FINGERING_AUTO);
    c->coincidence_window_ms = 30.0;
    c->break_s = 120.0;
    c->steps_per_second = 20000;
    c->metrics_period_s = 0.25;
    c->sonify_mode = SONIFY_MAP;
    c->level_db = -18.0f; /* gentle: the sound accompanies practice, it does not lead it */
}

int engine_config_check(const EngineConfig *c, char *err, size_t err_size)
{
    if (model_params_validate(&c->model, err, err_size) != 0)
        return -1;
    if (c->model.sheet_size * c->model.sheet_size > ENGINE_MAX_UNITS) {
        snprintf(err, err_size, "sheet of %d units exceeds the engine's %d", c->model.sheet_size * c->model.sheet_size,
                 ENGINE_MAX_UNITS);
        return -1;
    }
    if (!(c->sample_rate >= 8000.0 && c->sample_rate <= 768000.0)) {
        snprintf(err, err_size, "sample rate %g Hz is outside 8000..768000", c->sample_rate);
        return -1;
    }
    if (c->max_block < 1 || c->max_block > 65536) {
        snprintf(err, err_size, "maximum block length %u is outside 1..65536", c->max_block);
        return -1;
    }
    if (!(c->coincidence_window_ms >= 0.0 && c->coincidence_window_ms <= 1000.0)) {
        snprintf(err, err_size, "coincidence window %g ms is outside 0..1000", c->coincidence_window_ms);
        return -1;
    }
    if (!(c->break_s >= 1.0 && c->break_s <= 86400.0)) {
        snprintf(err, err_size, "break length %g s is outside 1..86400", c->break_s);
        return -1;
    }
    if (c->steps_per_second < 1000 || c->steps_per_second > 10000000) {
        snprintf(err, err_size, "model budget %u steps/s is outside 1000..10000000", c->steps_per_second);
        return -1;
    }
    if (!(c->metrics_period_s >= 0.01 && c->metrics_period_s <= 60.0)) {
        snprintf(err, err_size, "metrics period %g s is outside 0.01..60", c->metrics_period_s);
        return -1;
    }
    return 0;
}

Engine *engine_create(const EngineConfig *config, char *err, size_t err_size)
{
    if (engine_config_check(config, err, err_size) != 0)
        return NULL;
    Engine *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, err_size, "out of memory for the engine");
        return NULL;
    }
    e->config = *config;
    e->rate = (uint64_t)llround(config->sample_rate);
    e->fingering = fingering_create(&config->fingering, err, err_size);
    if (!e->fingering)
        goto fail;
    e->created = *config;
    e->sonify = sonify_create(config->sample_rate, config->max_block, err, err_size);
    if (!e->sonify)
        goto fail;
    if (!config->hands_on_demand && engine_make_hands(e, err, err_size) != 0)
        goto fail;
    e->publish_due = 0; /* the first snapshot comes with the first metrics, as ever */
    if (triple_init(&e->snapshots, sizeof(EngineSnapshot)) != 0) {
        snprintf(err, err_size, "out of memory for the snapshots");
        goto fail;
    }
    stimulus_builder_init(&e->builder, window_frames(config->coincidence_window_ms, config->sample_rate));
    load_init(&e->load, config->break_s);
    sonify_set_mode(e->sonify, config->sonify_mode);
    sonify_set_level_db(e->sonify, config->level_db);
    sonify_set_playing(e->sonify, 0); /* silent until the first note */
    for (int h = 0; h < ENGINE_HANDS; h++)
        sonify_set_map(e->sonify, h, &e->hand[h].metrics);
    e->credit_floor = (BEGIN_COST_STEPS + FINISH_COST_STEPS) * e->rate;
    e->next_metrics_frame = (uint64_t)llround(config->metrics_period_s * config->sample_rate);
    return e;
fail:
    engine_free(e);
    return NULL;
}

void engine_free(Engine *e)
{
    if (!e)
        return;
    fingering_free(e->fingering);
    sonify_free(e->sonify);
    for (int h = 0; h < ENGINE_HANDS; h++) {
        metrics_probe_free(e->hand[h].probe);
        model_free(e->hand[h].model);
    }
    triple_free(&e->snapshots);
    free(e);
}

/* A hand's model as the engine makes it: the creation parameters, one noise stream per
 * hand. */
static void hand_params(const ModelParams *model, ModelParams hands[ENGINE_HANDS]);

static Model *hand_model_create(const EngineConfig *config, int hand, char *err, size_t err_size)
{
    ModelParams params[ENGINE_HANDS];
    hand_params(&config->model, params);
    return model_create(&params[hand], err, err_size);
}

int engine_hand_make(const EngineConfig *config, int hand, EngineHand *made, char *err, size_t err_size)
{
    memset(made, 0, sizeof *made);
    made->hand = hand;
    if (hand < 0 || hand >= ENGINE_HANDS) {
        snprintf(err, err_size, "no hand %d", hand);
        return -1;
    }
    made->model = hand_model_create(config, hand, err, err_size);
    if (made->model && !(made->probe = metrics_probe_create(made->model)))
        snprintf(err, err_size, "out of memory for the metrics");
    if (!made->probe) {
        engine_hand_release(made);
        return -1;
    }
    metrics_compute(made->probe, made->model, &made->metrics);
    return 0;
}

void engine_hand_release(EngineHand *made)
{
    metrics_probe_free(made->probe);
    model_free(made->model);
    made->probe = NULL;
    made->model = NULL;
}

HM_REALTIME int engine_hand_install(Engine *e, EngineHand *made)
{
    if (made->hand < 0 || made->hand >= ENGINE_HANDS || e->hand[made->hand].model || !made->model)
        return -1;
    HandState *h = &e->hand[made->hand];
    h->model = made->model;
    h->probe = made->probe;
    h->metrics = made->metrics;
    const ModelParams *now = &e->config.model; /* the controls may have moved since creation */
    model_set_controls(h->model, now->plasticity_gain, now->inhibition_strength, now->age_years);
    sonify_set_map(e->sonify, made->hand, &h->metrics);
    made->model = NULL;
    made->probe = NULL;
    e->publish_due = 1;
    return 0;
}

int engine_make_hands(Engine *e, char *err, size_t err_size)
{
    for (int h = 0; h < ENGINE_HANDS; h++) {
        if (e->hand[h].model)
            continue;
        EngineHand made;
        if (engine_hand_make(&e->created, h, &made, err, err_size) != 0)
            return -1;
        engine_hand_install(e, &made);
    }
    return 0;
}

HM_REALTIME unsigned engine_hands_wanted(const Engine *e)
{
    unsigned wanted = 0;
    for (int h = 0; h < ENGINE_HANDS; h++)
        if (e->hand[h].played && !e->hand[h].model)
            wanted |= 1u << h;
    return wanted;
}

HM_REALTIME int engine_hand_ready(const Engine *e, int hand) { return e->hand[hand & 1].model != NULL; }

const Model *engine_model(const Engine *e, int hand) { return e->hand[hand & 1].model; }
Model *engine_model_mutable(Engine *e, int hand) { return e->hand[hand & 1].model; }
const EngineSnapshot *engine_snapshot(Engine *e) { return triple_read(&e->snapshots); }
HM_REALTIME void engine_set_sonify_mode(Engine *e, SonifyMode mode) { sonify_set_mode(e->sonify, mode); }
HM_REALTIME void engine_set_level_db(Engine *e, float level_db) { sonify_set_level_db(e->sonify, level_db); }

static double seconds(const Engine *e, uint64_t frame) { return (double)frame / e->config.sample_rate; }

static void take_finals(Engine *e);

/* A control's value in the parameter table's range (the range model_set_controls holds it
 * to); NaN keeps the current value. */
HM_REALTIME static float control_clamped(const char *key, float value, float current)
{
    const ParamInfo *info = model_param_find(key);
    if (!(value == value) || !info)
        return current;
    return value < info->min ? (float)info->min : value > info->max ? (float)info->max : value;
}

HM_REALTIME void engine_set_model_controls(Engine *e, float plasticity_gain, float inhibition_strength,
                                           float age_years)
{
    /* the model's own clamping, also for a hand not made yet (engine_hand_install applies it) */
    ModelParams *now = &e->config.model;
    now->plasticity_gain = control_clamped("plasticity_gain", plasticity_gain, now->plasticity_gain);
    now->inhibition_strength =
        control_clamped("inhibition_strength", inhibition_strength, now->inhibition_strength);
    now->age_years = control_clamped("age_years", age_years, now->age_years);
    for (int h = 0; h < ENGINE_HANDS; h++)
        if (e->hand[h].model)
            model_set_controls(e->hand[h].model, now->plasticity_gain, now->inhibition_strength, now->age_years);
}

HM_REALTIME void engine_set_coincidence_window_ms(Engine *e, double window_ms)
{
    if (!(window_ms >= 0.0 && window_ms <= 1000.0))
        return;
    e->config.coincidence_window_ms = window_ms;
    stimulus_set_window(&e->builder, window_frames(window_ms, e->config.sample_rate));
}

HM_REALTIME void engine_set_fingering(Engine *e, const FingeringConfig *config)
{
    fingering_flush(e->fingering);
    take_finals(e);
    fingering_reconfigure(e->fingering, config);
    e->config.fingering = *config;
}

const EngineConfig *engine_config(const Engine *e) { return &e->config; }

HM_REALTIME void engine_queues(const Engine *e, EngineQueues *q)
{
    for (int h = 0; h < ENGINE_HANDS; h++)
        q->stimuli_waiting[h] = e->hand[h].count;
    q->stimuli_capacity = QUEUE_CAPACITY;
    q->stimuli_formed = e->formed;
    q->notes_undecided = e->undecided;
    q->note_slots = NOTE_SLOTS;
}

/* Queues a finished stimulus; when the queue is full it is merged into the newest queued
 * one (the stronger touch of each digit wins) and counted, never silently dropped. */
static void enqueue(Engine *e, const TouchGroup *group)
{
    HandState *h = &e->hand[group->hand];
    load_stimulus(&e->load, group->hand, group->onsets + group->held);
    e->formed++;
    if (h->count == QUEUE_CAPACITY) {
        QueuedStimulus *newest = &h->queue[(h->head + h->count - 1) % QUEUE_CAPACITY];
        for (int d = 0; d < SKIN_DIGITS; d++)
            newest->intensity[d] = fmaxf(newest->intensity[d], group->intensity[d]);
        e->merged++;
        return;
    }
    QueuedStimulus *slot = &h->queue[(h->head + h->count) % QUEUE_CAPACITY];
    slot->frame = group->frame;
    memcpy(slot->intensity, group->intensity, sizeof slot->intensity);
    h->count++;
}

/* Closes a hand's coincidence window if time has passed it. */
static void advance_window(Engine *e, int hand, uint64_t frame)
{
    TouchGroup group;
    if (stimulus_advance(&e->builder, hand, frame, &group))
        enqueue(e, &group);
}

/* A note's finger is decided: it touches the skin (and lets go, if already released). */
static void take_final(Engine *e, const FingerAssignment *a)
{
    NoteSlot *slot = &e->slots[a->id % NOTE_SLOTS];
    int known = slot->id == a->id;
    e->undecided -= e->undecided > 0;
    uint64_t frame = (uint64_t)llround(a->onset_s * e->config.sample_rate);
    float velocity = (float)a->velocity / 127.0f;
    int fingered = a->hand >= 0 && a->hand < ENGINE_HANDS && a->finger >= 0 && a->finger < SKIN_DIGITS;
    e->finals[e->finals_total++ % ENGINE_FINALS] = (EngineFinal){frame, a->note, (uint8_t)a->velocity,
                                                                 (int8_t)(fingered ? a->hand : -1),
                                                                 (int8_t)(fingered ? a->finger : -1)};
    if (!fingered) {
        e->unfingered++;
        load_note(&e->load, seconds(e, frame), -1, -1, velocity);
        return;
    }
    e->recent[e->recent_total++ % ENGINE_RECENT_NOTES] = (EngineFingeredNote){a->note, a->hand, a->finger};
    e->hand[a->hand].played = 1;
    if (known) {
        slot->decided = 1;
        slot->hand = a->hand;
        slot->finger = a->finger;
    }
    advance_window(e, a->hand, frame);
    stimulus_touch(&e->builder, a->hand, a->finger, velocity, frame);
    load_note(&e->load, seconds(e, frame), a->hand, a->finger, velocity);
    if (!known || slot->released) /* unknown: a note from before a restore, long released */
        stimulus_release(&e->builder, a->hand, a->finger);
}

static void take_finals(Engine *e)
{
    FingerAssignment a;
    for (int i = 0; i < FINGERING_OUTPUT_CAPACITY && fingering_take_final(e->fingering, &a); i++)
        take_final(e, &a);
}

static void note_on(Engine *e, const MidiMessage *m, uint64_t frame, uint32_t offset)
{
    uint32_t id = e->next_id++;
    e->slots[id % NOTE_SLOTS] = (NoteSlot){id, -1, -1, 0, 0};
    e->current_id[m->channel][m->note] = id;
    e->keys_down += !e->note_down[m->channel][m->note];
    e->note_down[m->channel][m->note] = 1;
    e->undecided++;
    e->notes++;
    e->last_note_frame = e->last_key_frame = frame;
    e->sounding_until_frame = frame + (uint64_t)(PLAYING_HOLD_S * e->config.sample_rate);
    uint64_t note_cost = NOTE_COST_STEPS * e->rate;
    e->credit = e->credit > note_cost ? e->credit - note_cost : 0;
    FingerAssignment provisional;
    fingering_note_on(e->fingering, id, seconds(e, frame), m->channel, m->note, m->velocity, &provisional);
    if (provisional.hand >= 0 && provisional.hand < ENGINE_HANDS)
        e->hand[provisional.hand].played = 1; /* asked for early: its model takes a while to make */
    if (provisional.hand >= 0 && provisional.finger >= 0)
        sonify_note(e->sonify, provisional.hand, provisional.finger, (float)m->velocity / 127.0f, offset);
}

/* A key is let go: the finger leaves the skin (the sustain pedal keeps the sound, not the
 * touch). */
static void note_off(Engine *e, const MidiMessage *m, uint64_t frame)
{
    if (!e->note_down[m->channel][m->note])
        return;
    e->note_down[m->channel][m->note] = 0;
    e->keys_down--;
    e->last_key_frame = frame;
    e->sounding_until_frame = frame + (uint64_t)(PLAYING_HOLD_S * e->config.sample_rate);
    uint32_t id = e->current_id[m->channel][m->note];
    NoteSlot *slot = &e->slots[id % NOTE_SLOTS];
    if (slot->id == id) {
        slot->released = 1;
        if (slot->decided) {
            /* a window that ended before this release keeps the finger as held */
            advance_window(e, slot->hand, frame);
            stimulus_release(&e->builder, slot->hand, slot->finger);
        }
    }
    fingering_note_off(e->fingering, seconds(e, frame), m->channel, m->note);
}

static void handle_event(Engine *e, const EngineEvent *ev, uint64_t block_start)
{
    MidiMessage m;
    if (ev->size < 1 || ev->size > 3 || midi_parse_message(ev->bytes, ev->size, &m) != MIDI_OK)
        return;
    uint64_t frame = block_start + ev->frame;
    bool pressed;
    if (m.kind == MIDI_NOTE_ON)
        note_on(e, &m, frame, ev->frame);
    else if (m.kind == MIDI_NOTE_OFF)
        note_off(e, &m, frame);
    else if (midi_is_sustain(&m, &pressed))
        e->sustain = pressed;
    take_finals(e);
}

/* Begins the oldest queued stimulus of a hand: the time since its previous one passes
 * awake (silence is wake rest), then the field starts settling on it. */
static void begin_stimulus(Engine *e, HandState *h, int hand)
{
    QueuedStimulus *q = &h->queue[h->head];
    if (q->frame > h->last_frame)
        model_elapse(h->model, seconds(e, q->frame - h->last_frame), MODEL_AWAKE);
    h->last_frame = q->frame > h->last_frame ? q->frame : h->last_frame;
    TouchGroup group = {.hand = hand, .frame = q->frame};
    memcpy(group.intensity, q->intensity, sizeof group.intensity);
    stimulus_to_skin(&group, model_skin(h->model), h->scratch);
    model_settle_begin(h->model, h->scratch);
    h->head = (h->head + 1) % QUEUE_CAPACITY;
    h->count--;
    h->settling = 1;
}

/* Spends the work budget on the hands' queues: at most credit / rate Euler steps plus
 * the drive and learning costs, so a block's model work is bounded; unbounded != 0 does
 * everything queued (engine_finish). The hands take turns going first. */
static void model_work(Engine *e, int unbounded)
{
    const uint64_t step = e->rate;
    for (int turn = 0; turn < ENGINE_HANDS; turn++) {
        int hand = (int)((e->frame / e->config.max_block + (uint64_t)turn) % ENGINE_HANDS);
        HandState *h = &e->hand[hand];
        if (!h->model)
            continue; /* its stimuli wait for the model (engine_hand_install) */
        for (;;) { /* each pass finishes a stimulus or stops: bounded by the queue */
            if (!h->settling) {
                if (h->count == 0 || (!unbounded && e->credit < BEGIN_COST_STEPS * step))
                    break;
                begin_stimulus(e, h, hand);
                if (!unbounded)
                    e->credit -= BEGIN_COST_STEPS * step;
            }
            int remaining = model_settle_run(h->model, 0);
            if (remaining > 0) {
                uint64_t affordable = unbounded ? (uint64_t)remaining : e->credit / step;
                int steps = affordable < (uint64_t)remaining ? (int)affordable : remaining;
                if (steps == 0)
                    break;
                remaining = model_settle_run(h->model, steps);
                if (!unbounded)
                    e->credit -= (uint64_t)steps * step;
                if (remaining > 0)
                    break;
            }
            if (!unbounded && e->credit < FINISH_COST_STEPS * step)
                break;
            model_settle_finish(h->model);
            if (!unbounded)
                e->credit -= FINISH_COST_STEPS * step;
            h->settling = 0;
            h->stimuli++;
        }
    }
}

/* Copies everything a display needs into the next snapshot and publishes it. */
static void publish(Engine *e)
{
    EngineSnapshot *s = triple_write_buffer(&e->snapshots);
    int n = e->config.model.sheet_size, units = n * n;
    s->sequence = ++e->sequence;
    s->time_s = seconds(e, e->frame);
    s->sheet_size = n;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        s->map[h] = e->hand[h].metrics; /* all zero, not valid, before the hand's model is made */
        if (e->hand[h].probe) {
            memcpy(s->preferred_digit[h], metrics_preferred_digit(e->hand[h].probe), (size_t)units);
            memcpy(s->selectivity[h], metrics_selectivity(e->hand[h].probe), (size_t)units * sizeof(float));
        } else {
            memset(s->preferred_digit[h], -1, (size_t)units);
            memset(s->selectivity[h], 0, (size_t)units * sizeof(float));
        }
        s->stimuli[h] = e->hand[h].stimuli;
        s->queued[h] = e->hand[h].count + e->hand[h].settling;
    }
    load_figures(&e->load, &s->load);
    load_warning_to_show(&e->load, &s->warning);
    s->notes = e->notes;
    s->stimuli_merged = e->merged;
    s->notes_unfingered = e->unfingered;
    s->finals_dropped = fingering_dropped(e->fingering);
    s->sustain = e->sustain;
    s->recent_count = e->recent_total < ENGINE_RECENT_NOTES ? (int)e->recent_total : ENGINE_RECENT_NOTES;
    for (int i = 0; i < s->recent_count; i++)
        s->recent[i] = e->recent[(e->recent_total - (uint64_t)s->recent_count + (uint64_t)i) % ENGINE_RECENT_NOTES];
    triple_publish(&e->snapshots);
}

/* Refreshes one hand's metrics (they read only the weights, which change only when a
 * stimulus finishes) and tells the load tracker and the sonifier. */
/* A hand's metrics are new: the practice load's risk history and the sonifier follow. */
static void metrics_updated(Engine *e, int hand)
{
    HandState *h = &e->hand[hand];
    load_risk(&e->load, seconds(e, e->frame), hand, h->metrics.overlap_risk, h->metrics.risk_pair);
    sonify_set_map(e->sonify, hand, &h->metrics);
    Warning w;
    load_warning_to_show(&e->load, &w);
    sonify_set_warning(e->sonify, (float)w.level / 2.0f);
}

/* A hand's metrics at once (outside the audio thread's bounded path). */
static void refresh_metrics(Engine *e, int hand)
{
    HandState *h = &e->hand[hand];
    metrics_compute(h->probe, h->model, &h->metrics);
    if (hand == e->metrics_hand)
        e->metrics_slicing = 0; /* a slicing in progress starts again when next due */
    metrics_updated(e, hand);
}

/* One block's share of the metrics of the hand whose turn it is: a slice of units, or,
 * once every unit is probed, the map-wide measures; returns 1 when the metrics are new. */
static int metrics_slice(Engine *e, uint32_t frames)
{
    HandState *h = &e->hand[e->metrics_hand];
    if (!h->model)
        return 1; /* nothing to measure yet: the turn passes */
    if (!e->metrics_slicing) {
        metrics_begin(h->probe);
        e->metrics_slicing = 1;
    }
    int budget = METRICS_SLICE_UNITS * (int)((frames + 63) / 64);
    if (metrics_run(h->probe, h->model, 0) > 0) {
        metrics_run(h->probe, h->model, budget);
        return 0;
    }
    metrics_finish(h->probe, h->model, &h->metrics);
    e->metrics_slicing = 0;
    metrics_updated(e, e->metrics_hand);
    return 1;
}

/* Whether the fingers still undecided should be decided at frame now: every key up for
 * SILENCE_DECIDES_S, or no note for FLUSH_AFTER_S. */
static int silence_decides(const Engine *e, uint64_t now)
{
    uint64_t quiet = (uint64_t)(SILENCE_DECIDES_S * e->config.sample_rate);
    if (e->undecided == 0 || now - e->last_note_frame <= quiet)
        return 0;
    if (now - e->last_note_frame > (uint64_t)(FLUSH_AFTER_S * e->config.sample_rate))
        return 1;
    return now - e->last_key_frame > quiet && e->keys_down == 0;
}

/* Time has reached frame now: decide fingers after a silence, close the coincidence
 * windows that nothing can join any more. */
static void advance_time(Engine *e, uint64_t now)
{
    if (silence_decides(e, now)) {
        fingering_flush(e->fingering);
        take_finals(e);
    }
    if (e->undecided == 0)
        for (int h = 0; h < ENGINE_HANDS; h++)
            advance_window(e, h, now);
    load_advance(&e->load, seconds(e, now));
}

HM_REALTIME int engine_process(Engine *e, const EngineEvent *events, uint32_t event_count, float *left,
                               float *right, uint32_t frames)
{
    if (frames > e->config.max_block)
        return -1;
    for (uint32_t i = 0; i < event_count; i++)
        if (events[i].frame < frames)
            handle_event(e, &events[i], e->frame);
    uint64_t now = e->frame + frames;
    advance_time(e, now);
    e->credit += (uint64_t)frames * e->config.steps_per_second;
    /* a block spends at most twice its own length's budget (whatever the host's maximum
     * block), and always enough for one stimulus's begin and finish */
    uint64_t cap = (uint64_t)CREDIT_CAP_BLOCKS * frames * e->config.steps_per_second;
    if (cap < e->credit_floor)
        cap = e->credit_floor;
    if (e->credit > cap)
        e->credit = cap;
    e->frame = now;
    if (e->publish_due) {
        /* the block after a metrics block publishes (metrics and snapshot copy apart) */
        publish(e);
        e->publish_due = 0;
        model_work(e, 0);
    } else if (e->metrics_slicing || now >= e->next_metrics_frame) {
        /* a metrics block does no model work: the two never add up in one block */
        if (metrics_slice(e, frames)) {
            e->metrics_hand = (e->metrics_hand + 1) % ENGINE_HANDS;
            e->next_metrics_frame =
                now + (uint64_t)llround(e->config.metrics_period_s * e->config.sample_rate / ENGINE_HANDS);
            e->publish_due = 1;
        }
    } else {
        model_work(e, 0);
    }
    sonify_set_playing(e->sonify, now < e->sounding_until_frame);
    sonify_process(e->sonify, left, right, frames);
    return 0;
}

HM_REALTIME uint32_t engine_take_finals(const Engine *e, uint64_t *cursor, EngineFinal *out, uint32_t max,
                                        uint64_t *lost)
{
    if (e->finals_total - *cursor > ENGINE_FINALS) { /* overwritten before they were taken */
        *lost += e->finals_total - ENGINE_FINALS - *cursor;
        *cursor = e->finals_total - ENGINE_FINALS;
    }
    uint32_t n = 0;
    for (; n < max && *cursor < e->finals_total; n++, (*cursor)++)
        out[n] = e->finals[*cursor % ENGINE_FINALS];
    return n;
}

void engine_finish(Engine *e)
{
    char err[256];
    engine_make_hands(e, err, sizeof err); /* time passes for both hands; without memory one waits */
    fingering_flush(e->fingering);
    take_finals(e);
    TouchGroup group;
    for (int h = 0; h < ENGINE_HANDS; h++)
        if (stimulus_flush(&e->builder, &group, 1) == 1)
            enqueue(e, &group);
    model_work(e, 1);
    for (int h = 0; h < ENGINE_HANDS; h++) {
        HandState *hs = &e->hand[h];
        if (!hs->model)
            continue;
        if (e->frame > hs->last_frame)
            model_elapse(hs->model, seconds(e, e->frame - hs->last_frame), MODEL_AWAKE);
        hs->last_frame = e->frame;
        refresh_metrics(e, h);
    }
    publish(e);
}

#define ENGINE_STATE_MAGIC "HMES"
#define ENGINE_STATE_VERSION 1

/* What a saved state holds, wherever it is taken from (the live engine or a capture). */
typedef struct {
    double engine_s;
    const Model *model[ENGINE_HANDS];
    const LoadTracker *load;
    const Fingering *fingering;
} StateParts;

static void write_state(const StateParts *parts, int64_t saved_unix_time, StateWriter *w)
{
    size_t frame = state_frame_begin(w, ENGINE_STATE_MAGIC, ENGINE_STATE_VERSION);
    state_put_i64(w, saved_unix_time);
    state_put_f64(w, parts->engine_s);
    for (int h = 0; h < ENGINE_HANDS; h++)
        state_put_model(w, parts->model[h], saved_unix_time);
    load_state_write(parts->load, w);
    fingering_state_write(parts->fingering, w);
    state_frame_end(w, frame);
}

static size_t parts_size(const StateParts *parts)
{
    StateWriter w;
    state_writer_init(&w, NULL, 0);
    write_state(parts, 0, &w);
    return w.offset;
}

static size_t parts_save(const StateParts *parts, int64_t saved_unix_time, uint8_t *out, size_t size)
{
    if (!out || size < parts_size(parts))
        return 0;
    StateWriter w;
    state_writer_init(&w, out, size);
    write_state(parts, saved_unix_time, &w);
    return w.overflow ? 0 : w.offset;
}

/* The live engine's parts; a hand not made yet is saved as the fresh model it would be,
 * made for the purpose into fresh[] (free it after; 0 parts on no memory). */
static StateParts live_parts(const Engine *e, Model *fresh[ENGINE_HANDS])
{
    StateParts parts = {seconds(e, e->frame), {e->hand[0].model, e->hand[1].model}, &e->load, e->fingering};
    char err[256];
    for (int h = 0; h < ENGINE_HANDS; h++) {
        fresh[h] = NULL;
        if (!parts.model[h] && !(parts.model[h] = fresh[h] = hand_model_create(&e->created, h, err, sizeof err)))
            parts.model[0] = parts.model[1] = NULL;
    }
    return parts;
}

static void free_fresh(Model *fresh[ENGINE_HANDS])
{
    for (int h = 0; h < ENGINE_HANDS; h++)
        model_free(fresh[h]);
}

size_t engine_state_size(const Engine *e)
{
    Model *fresh[ENGINE_HANDS];
    StateParts parts = live_parts(e, fresh);
    size_t size = parts.model[0] && parts.model[1] ? parts_size(&parts) : 0;
    free_fresh(fresh);
    return size;
}

size_t engine_state_save(const Engine *e, int64_t saved_unix_time, uint8_t *out, size_t size)
{
    Model *fresh[ENGINE_HANDS];
    StateParts parts = live_parts(e, fresh);
    size_t written = parts.model[0] && parts.model[1] ? parts_save(&parts, saved_unix_time, out, size) : 0;
    free_fresh(fresh);
    return written;
}

struct EngineCapture {
    Model *model[ENGINE_HANDS];
    Fingering *fingering;
    LoadTracker load;
    double engine_s;
    int captured;
};

/* A capture whose models have params' geometry and whose fingering memory fits fingering. */
static EngineCapture *capture_create(const ModelParams params[ENGINE_HANDS], const FingeringConfig *fingering,
                                     char *err, size_t err_size)
{
    EngineCapture *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_size, "out of memory for a state capture");
        return NULL;
    }
    for (int h = 0; h < ENGINE_HANDS && c; h++) {
        c->model[h] = model_create(&params[h], err, err_size);
        if (!c->model[h]) {
            engine_capture_free(c);
            return NULL;
        }
    }
    c->fingering = fingering_create(fingering, err, err_size);
    if (!c->fingering) {
        engine_capture_free(c);
        return NULL;
    }
    return c;
}

/* Each hand's parameters as engine_create gives them (its own noise stream). */
static void hand_params(const ModelParams *model, ModelParams hands[ENGINE_HANDS])
{
    for (int h = 0; h < ENGINE_HANDS; h++) {
        hands[h] = *model;
        hands[h].seed = model->seed + (uint32_t)h;
    }
}

/* A capture's model of a hand not made yet stays as model_create left it: the fresh model
 * that hand would be (a hand, once made, is never unmade). */
EngineCapture *engine_capture_create(const Engine *e, char *err, size_t err_size)
{
    ModelParams params[ENGINE_HANDS];
    hand_params(&e->config.model, params);
    for (int h = 0; h < ENGINE_HANDS; h++)
        if (e->hand[h].model)
            params[h] = *model_get_params(e->hand[h].model);
    return capture_create(params, &e->config.fingering, err, err_size);
}

EngineCapture *engine_capture_create_for(const EngineConfig *config, char *err, size_t err_size)
{
    ModelParams params[ENGINE_HANDS];
    hand_params(&config->model, params);
    return capture_create(params, &config->fingering, err, err_size);
}

void engine_capture_free(EngineCapture *c)
{
    if (!c)
        return;
    for (int h = 0; h < ENGINE_HANDS; h++)
        model_free(c->model[h]);
    fingering_free(c->fingering);
    free(c);
}

HM_REALTIME int engine_capture(const Engine *e, EngineCapture *c)
{
    for (int h = 0; h < ENGINE_HANDS; h++)
        if (model_sheet_size(c->model[h]) != e->config.model.sheet_size ||
            (e->hand[h].model && model_receptor_count(c->model[h]) != model_receptor_count(e->hand[h].model)))
            return -1;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        const Model *m = e->hand[h].model;
        if (!m)
            continue; /* the capture's model is the fresh one */
        ModelScalars scalars;
        model_get_scalars(m, &scalars);
        model_set_state(c->model[h], &scalars, model_weights(m), model_early(m), model_thresholds(m),
                        model_activity(m));
    }
    c->load = e->load;
    fingering_copy_memory(c->fingering, e->fingering);
    c->engine_s = seconds(e, e->frame);
    c->captured = 1;
    return 0;
}

static StateParts capture_parts(const EngineCapture *c)
{
    return (StateParts){c->engine_s, {c->model[0], c->model[1]}, &c->load, c->fingering};
}

size_t engine_capture_size(const EngineCapture *c)
{
    StateParts parts = capture_parts(c);
    return c->captured ? parts_size(&parts) : 0;
}

size_t engine_capture_save(const EngineCapture *c, int64_t saved_unix_time, uint8_t *out, size_t size)
{
    StateParts parts = capture_parts(c);
    return c->captured ? parts_save(&parts, saved_unix_time, out, size) : 0;
}

/* Reads one hand's model blob at the reader's position into a new model. */
/* Reads the next hand's model blob into a new model (with the parameters it was saved with). */
static StateStatus read_model_blob(int hand, StateReader *r, Model **out, char *err, size_t err_size)
{
    char inner[200];
    size_t length = 0;
    const uint8_t *at = r->data + r->offset;
    StateStatus status = state_model_blob_length(at, state_reader_left(r), &length, inner, sizeof inner);
    if (status == STATE_OK && !state_get_bytes(r, length))
        status = STATE_ERR_TRUNCATED;
    if (status == STATE_OK)
        status = state_model_read(at, length, out, NULL, inner, sizeof inner);
    if (status != STATE_OK)
        snprintf(err, err_size, "%s hand's model: %s", hand ? "left" : "right", inner);
    return status;
}

static StateStatus read_hand(const Model *mine, int hand, StateReader *r, Model **out, char *err, size_t err_size)
{
    StateStatus status = read_model_blob(hand, r, out, err, err_size);
    if (status != STATE_OK)
        return status;
    if (model_unit_count(*out) != model_unit_count(mine) || model_receptor_count(*out) != model_receptor_count(mine)) {
        snprintf(err, err_size, "%s hand's model has %d units x %d receptors, this engine %d x %d",
                 hand ? "left" : "right", model_unit_count(*out), model_receptor_count(*out), model_unit_count(mine),
                 model_receptor_count(mine));
        model_free(*out);
        *out = NULL;
        return STATE_ERR_SIZE;
    }
    return STATE_OK;
}

/* Whether two models of one geometry hold the same learned state, bit for bit. */
static bool same_learned_state(const Model *a, const Model *b)
{
    ModelScalars x, y;
    model_get_scalars(a, &x);
    model_get_scalars(b, &y);
    size_t units = (size_t)model_unit_count(a), weights = units * (size_t)model_receptor_count(a);
    return x.time_s == y.time_s && x.stimuli == y.stimuli && x.capture_resource == y.capture_resource &&
           x.rng.state == y.rng.state && !memcmp(model_weights(a), model_weights(b), weights * sizeof(float)) &&
           !memcmp(model_early(a), model_early(b), weights * sizeof(float)) &&
           !memcmp(model_thresholds(a), model_thresholds(b), units * sizeof(float)) &&
           !memcmp(model_activity(a), model_activity(b), units * sizeof(float));
}

StateStatus engine_state_load(Engine *e, const uint8_t *data, size_t size, int64_t *saved_unix_time, char *err,
                              size_t err_size)
{
    StateFrame frame;
    StateStatus status = state_frame_open(data, size, ENGINE_STATE_MAGIC, ENGINE_STATE_VERSION, true, &frame, err,
                                          err_size);
    if (status != STATE_OK)
        return status;
    if (frame.length != size) {
        snprintf(err, err_size, "%zu bytes after the engine state's end at offset %zu", size - frame.length,
                 frame.length);
        return STATE_ERR_SIZE;
    }
    StateReader *r = &frame.payload;
    int64_t saved = state_get_i64(r);
    double saved_engine_s = state_get_f64(r), shift_s = seconds(e, e->frame) - saved_engine_s;
    if (!isfinite(saved_engine_s) || saved_engine_s < 0.0) {
        snprintf(err, err_size, "engine time %g s at offset 20 is not a time", saved_engine_s);
        return STATE_ERR_VALUES;
    }
    Model *loaded[ENGINE_HANDS] = {NULL, NULL};
    EngineHand made[ENGINE_HANDS] = {{.hand = 0}, {.hand = 1}}; /* a state carries both hands */
    for (int h = 0; h < ENGINE_HANDS && status == STATE_OK; h++)
        if (!e->hand[h].model && engine_hand_make(&e->created, h, &made[h], err, err_size) != 0)
            status = STATE_ERR_NO_MEMORY;
    LoadTracker load;
    for (int h = 0; h < ENGINE_HANDS && status == STATE_OK; h++)
        status = read_hand(e->hand[h].model ? e->hand[h].model : made[h].model, h, r, &loaded[h], err, err_size);
    if (status == STATE_OK && load_state_read(&load, r, seconds(e, e->frame), err, err_size) != 0)
        status = STATE_ERR_VALUES;
    StateReader fingering_at = *r; /* checked now, taken below once everything passed */
    if (status == STATE_OK && fingering_state_read(NULL, r, shift_s, err, err_size) != 0)
        status = STATE_ERR_VALUES;
    if (status == STATE_OK && state_reader_left(r) != 0) {
        snprintf(err, err_size, "%zu unexpected bytes at offset %zu", state_reader_left(r), r->offset);
        status = STATE_ERR_SIZE;
    }
    if (status == STATE_OK) {
        for (int h = 0; h < ENGINE_HANDS; h++) {
            HandState *hs = &e->hand[h];
            const Model *m = loaded[h];
            hs->count = hs->head = hs->settling = 0;
            hs->last_frame = e->frame;
            /* a hand not made yet stays so if the state holds it as made fresh (never played) */
            if (made[h].model && same_learned_state(m, made[h].model))
                continue;
            engine_hand_install(e, &made[h]);
            ModelScalars scalars;
            model_get_scalars(m, &scalars);
            model_set_state(hs->model, &scalars, model_weights(m), model_early(m), model_thresholds(m),
                            model_activity(m));
            refresh_metrics(e, h);
        }
        e->load = load;
        fingering_state_read(e->fingering, &fingering_at, shift_s, err, err_size);
        e->undecided = 0; /* notes pending in the saved estimator come out as finals */
        *saved_unix_time = saved;
        publish(e);
    }
    for (int h = 0; h < ENGINE_HANDS; h++) {
        model_free(loaded[h]);
        engine_hand_release(&made[h]);
    }
    return status;
}

StateStatus engine_state_params(const uint8_t *data, size_t size, ModelParams *params, char *err, size_t err_size)
{
    StateFrame frame;
    StateStatus status = state_frame_open(data, size, ENGINE_STATE_MAGIC, ENGINE_STATE_VERSION, true, &frame, err,
                                          err_size);
    if (status != STATE_OK)
        return status;
    StateReader *r = &frame.payload;
    state_get_i64(r); /* the time of saving and the engine time, read by engine_state_load */
    state_get_f64(r);
    Model *model = NULL;
    status = read_model_blob(0, r, &model, err, err_size);
    if (status != STATE_OK)
        return status;
    *params = *model_get_params(model);
    model_free(model);
    return STATE_OK;
}

/* The awake part of a gap is everyday use of the hands (core/everyday.h), drawn from a
 * generator seeded by the hand's own history, so that the same saved state and gap always
 * give the same map. */
void engine_apply_gap(Engine *e, double awake_s, double asleep_s)
{
    char err[256];
    engine_make_hands(e, err, sizeof err); /* both hands live through the gap */
    for (int h = 0; h < ENGINE_HANDS; h++) {
        Model *model = e->hand[h].model;
        if (!model)
            continue; /* no memory for it: it waits as it was */
        ModelScalars scalars;
        model_get_scalars(model, &scalars);
        Rng rng;
        rng_seed(&rng, (uint32_t)(scalars.stimuli * 2654435761u) ^ (uint32_t)h);
        Everyday everyday;
        everyday_init(&everyday, model, 0, 0, 1);
        everyday_pass(&everyday, model, awake_s, &rng, e->hand[h].scratch);
        model_elapse(model, asleep_s, MODEL_ASLEEP);
        refresh_metrics(e, h);
    }
    load_gap(&e->load);
    publish(e);
}
