/* The engine end to end: MIDI in, model state, snapshots and sound out. */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "model.h"
#include "skin.h"
#include "pig.h"
#include "suites.h"

#define RATE 48000.0
#define MAX_BLOCK 4096

typedef struct {
    uint64_t frame;
    uint8_t bytes[3];
} TimedEvent;

typedef struct {
    TimedEvent *events;
    size_t count, capacity;
    uint64_t length;
} Performance;

static void add(Performance *p, uint64_t frame, uint8_t status, uint8_t data1, uint8_t data2)
{
    if (p->count == p->capacity) {
        p->capacity = p->capacity ? 2 * p->capacity : 1024;
        p->events = realloc(p->events, p->capacity * sizeof *p->events);
    }
    p->events[p->count++] = (TimedEvent){frame, {status, data1, data2}};
    if (frame + 1 > p->length)
        p->length = frame + 1;
}

static int by_frame(const void *a, const void *b)
{
    const TimedEvent *x = a, *y = b;
    return x->frame < y->frame ? -1 : (x->frame > y->frame ? 1 : 0);
}

/* A practice session: right-hand scales and five-finger figures, left-hand chords, with
 * the sustain pedal now and then; notes_per_s sets the density. */
static Performance practice(double seconds_long, double notes_per_s, unsigned seed)
{
    Performance p = {0};
    static const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62};
    uint32_t x = seed;
    uint64_t step = (uint64_t)(RATE / notes_per_s);
    int k = 0;
    for (uint64_t f = 1000; f < (uint64_t)(seconds_long * RATE); f += step, k++) {
        x = x * 1664525u + 1013904223u;
        uint8_t velocity = (uint8_t)(50 + (x >> 24) % 70);
        int note = scale[k % 14];
        add(&p, f, 0x90, (uint8_t)note, velocity);
        add(&p, f + step * 3 / 4, 0x80, (uint8_t)note, 0);
        if (k % 8 == 0) { /* a left-hand chord */
            add(&p, f + 10, 0x90, 48, velocity);
            add(&p, f + 200, 0x90, 52, velocity);
            add(&p, f + 400, 0x90, 55, velocity);
            add(&p, f + step * 6, 0x80, 48, 0);
            add(&p, f + step * 6, 0x90, 52, 0); /* note-on velocity 0 = note-off */
            add(&p, f + step * 6, 0x80, 55, 0);
        }
        if (k % 16 == 4)
            add(&p, f + 5, 0xB0, 64, 127);
        if (k % 16 == 12)
            add(&p, f + 5, 0xB0, 64, 0);
    }
    qsort(p.events, p.count, sizeof *p.events, by_frame);
    return p;
}

/* The default engine with fingers from a fixed table (no estimator lag). */
static void fixed_fingers_config(EngineConfig *config)
{
    engine_config_default(config, RATE, MAX_BLOCK);
    fingering_config_default(&config->fingering, FINGERING_FIXED);
}

/* Copies the performance's events that fall in [start, start + frames) into events
 * (at most max), as offsets into the block; *next walks through the performance. */
static uint32_t block_events(const Performance *p, size_t *next, uint64_t start, uint32_t frames, EngineEvent *events,
                             uint32_t max)
{
    uint32_t count = 0;
    while (*next < p->count && p->events[*next].frame < start + frames && count < max) {
        EngineEvent *ev = &events[count++];
        ev->frame = (uint32_t)(p->events[*next].frame - start);
        ev->size = 3;
        memcpy(ev->bytes, p->events[*next].bytes, 3);
        (*next)++;
    }
    return count;
}

/* Renders a performance in blocks of block frames; returns the engine after
 * engine_finish. Checks every output sample on the way. */
static Engine *render(const Performance *p, const EngineConfig *config, uint32_t block)
{
    char err[256];
    Engine *e = engine_create(config, err, sizeof err);
    ck_assert_msg(e != NULL, "%s", err);
    EngineEvent *events = malloc(MAX_BLOCK * sizeof *events);
    float *left = malloc(MAX_BLOCK * sizeof(float)), *right = malloc(MAX_BLOCK * sizeof(float));
    size_t next = 0;
    long bad_samples = 0;
    const uint64_t total = p->length + (uint64_t)RATE; /* one second of silence at the end */
    for (uint64_t start = 0; start < total; start += block) {
        uint32_t frames = total - start < block ? (uint32_t)(total - start) : block;
        uint32_t count = block_events(p, &next, start, frames, events, MAX_BLOCK);
        if (engine_process(e, events, count, left, right, frames) != 0)
            bad_samples++;
        for (uint32_t i = 0; i < frames; i++) /* plain checks: ck_assert per sample is slow */
            if (!(isfinite(left[i]) && isfinite(right[i]) && fabsf(left[i]) <= 1.0f && fabsf(right[i]) <= 1.0f))
                bad_samples++;
    }
    ck_assert_int_eq(bad_samples, 0);
    engine_finish(e);
    free(events);
    free(left);
    free(right);
    return e;
}

static void assert_same_models(const Engine *a, const Engine *b, uint32_t block)
{
    for (int h = 0; h < ENGINE_HANDS; h++) {
        const Model *ma = engine_model(a, h), *mb = engine_model(b, h);
        size_t count = (size_t)model_unit_count(ma) * (size_t)model_receptor_count(ma);
        ck_assert_msg(memcmp(model_weights(ma), model_weights(mb), count * sizeof(float)) == 0,
                      "hand %d weights differ at block size %u", h, block);
        ck_assert_msg(memcmp(model_early(ma), model_early(mb), count * sizeof(float)) == 0,
                      "hand %d early weights differ at block size %u", h, block);
        ck_assert_msg(memcmp(model_thresholds(ma), model_thresholds(mb), (size_t)model_unit_count(ma) * sizeof(float)) == 0,
                      "hand %d thresholds differ at block size %u", h, block);
    }
}

static void block_size_invariance(FingeringMode mode)
{
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    fingering_config_default(&config.fingering, mode);
    Performance p = practice(20.0, 8.0, 3);
    Engine *reference = render(&p, &config, 64);
    const EngineSnapshot *s = engine_snapshot(reference);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_gt(s->stimuli[0], 50);
    ck_assert_uint_eq(s->stimuli_merged, 0);
    static const uint32_t blocks[] = {1, 32, 1000, 4096};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        Engine *other = render(&p, &config, blocks[i]);
        assert_same_models(reference, other, blocks[i]);
        const EngineSnapshot *o = engine_snapshot(other);
        ck_assert_msg(memcmp(&o->map, &s->map, sizeof s->map) == 0, "metrics differ at block size %u", blocks[i]);
        /* the whole saved state too: models, practice load, fingering memory */
        size_t size = engine_state_size(reference);
        uint8_t *a = malloc(size), *b = malloc(size);
        ck_assert_uint_eq(engine_state_save(reference, 1000, a, size), size);
        ck_assert_uint_eq(engine_state_save(other, 1000, b, size), size);
        ck_assert_msg(memcmp(a, b, size) == 0, "saved states differ at block size %u", blocks[i]);
        free(a);
        free(b);
        engine_free(other);
    }
    engine_free(reference);
    free(p.events);
}

START_TEST(same_midi_any_block_size_same_state_fixed_fingers)
{
    block_size_invariance(FINGERING_FIXED);
}
END_TEST

START_TEST(same_midi_any_block_size_same_state_auto_fingers)
{
    block_size_invariance(FINGERING_AUTO);
}
END_TEST

/* Settings changed mid-performance: the notes pending under the old fingering are decided
 * (every note reaches the practice load), later notes follow the new fingering, and the
 * models and window take the new values. */
START_TEST(settings_change_while_playing_loses_nothing)
{
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    char err[256];
    Engine *e = engine_create(&config, err, sizeof err);
    ck_assert_msg(e != NULL, "%s", err);
    Performance p = practice(20.0, 8.0, 11);
    EngineEvent events[256];
    float left[64], right[64];
    size_t next = 0;
    uint64_t half = p.length / 2, total = p.length + (uint64_t)RATE;
    FingeringConfig channel;
    fingering_config_default(&channel, FINGERING_CHANNEL);
    uint64_t stimuli_before = 0;
    for (uint64_t start = 0; start < total; start += 64) {
        if (start == (half / 64) * 64) {
            const EngineSnapshot *s = engine_snapshot(e);
            stimuli_before = s->stimuli[0] + s->stimuli[1];
            engine_set_fingering(e, &channel);
            engine_set_coincidence_window_ms(e, 60.0);
            engine_set_model_controls(e, 2.0f, 4.8f, 10.0f);
        }
        uint32_t count = block_events(&p, &next, start, 64, events, 256);
        ck_assert_int_eq(engine_process(e, events, count, left, right, 64), 0);
    }
    engine_finish(e);
    const EngineSnapshot *s = engine_snapshot(e);
    ck_assert_uint_eq(s->load.notes, s->notes);
    ck_assert_uint_eq(s->notes_unfingered, 0);
    ck_assert_uint_gt(s->stimuli[0] + s->stimuli[1], stimuli_before + 20);
    /* channel 1 is the right thumb: after the switch only D1 of the right hand is touched */
    ck_assert_uint_gt(s->load.notes_per_finger[0][0], s->notes / 3);
    const EngineConfig *now = engine_config(e);
    ck_assert_int_eq(now->fingering.mode, FINGERING_CHANNEL);
    ck_assert_double_eq(now->coincidence_window_ms, 60.0);
    for (int h = 0; h < ENGINE_HANDS; h++) {
        const ModelParams *m = model_get_params(engine_model(e, h));
        ck_assert_float_eq(m->plasticity_gain, 2.0f);
        ck_assert_float_eq(m->inhibition_strength, 4.8f);
        ck_assert_float_eq(m->age_years, 10.0f);
    }
    engine_free(e);
    free(p.events);
}
END_TEST

START_TEST(overload_merges_and_counts_never_drops)
{
    EngineConfig config;
    fixed_fingers_config(&config);
    Performance p = practice(10.0, 40.0, 5);
    Engine *ample = render(&p, &config, 256);
    config.steps_per_second = 1000; /* a model that cannot keep up */
    Engine *starved = render(&p, &config, 256);
    const EngineSnapshot *a = engine_snapshot(ample), *s = engine_snapshot(starved);
    ck_assert_uint_eq(a->stimuli_merged, 0);
    ck_assert_uint_gt(s->stimuli_merged, 0);
    ck_assert_uint_eq(s->stimuli[0] + s->stimuli[1] + s->stimuli_merged, a->stimuli[0] + a->stimuli[1]);
    engine_free(ample);
    engine_free(starved);
    free(p.events);
}
END_TEST

/* 40 minutes of 10 notes a second on channel-coded fingers; index_share eighths of the
 * notes on the index (D2), the rest spread over the other four fingers. */
static void finger_practice(Performance *p, int index_share)
{
    uint32_t x = 9;
    for (int k = 0; k < 24000; k++) {
        x = x * 1664525u + 1013904223u;
        int r = (int)((x >> 24) % 8);
        int other = (int)((x >> 16) % 4);
        int finger = r < index_share ? 1 : (other == 0 ? 0 : other + 1);
        uint64_t f = 1000 + (uint64_t)k * 4800;
        add(p, f, (uint8_t)(0x90 | finger), 60, 90);
        add(p, f + 2400, (uint8_t)(0x80 | finger), 60, 0);
    }
}

/* The sheet's mean weight on the index's two most distal receptor points. */
static double index_tip_weight(const Model *m)
{
    const int units = model_unit_count(m), receptors = model_receptor_count(m);
    const int per_digit = model_skin(m)->per_digit;
    double sum = 0.0;
    for (int i = 0; i < units; i++)
        for (int k = 0; k < 2; k++)
            sum += model_weights(m)[(size_t)i * receptors + per_digit + k];
    return sum / units;
}

START_TEST(heavy_index_practice_shows_in_the_model)
{
    if (under_valgrind()) { /* 80 minutes of playing through the engine's usual path: 20 min under memcheck */
        printf("  heavy_index_practice_shows_in_the_model: skipped under valgrind (the plain run and ASan have it)\n");
        return;
    }
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    fingering_config_default(&config.fingering, FINGERING_CHANNEL);
    Performance heavy = {0}, even = {0};
    finger_practice(&heavy, 4); /* the index half the time */
    finger_practice(&even, 2);  /* the index a quarter of the time, like the others */
    Engine *e = render(&heavy, &config, 512), *control = render(&even, &config, 512);
    const EngineSnapshot *s = engine_snapshot(e), *c = engine_snapshot(control);
    /* Synaptic scaling acts over hours of use, so a digit's territory grows over days of
     * practice (docs/model.md §3.5); within 40 minutes the practice shows in what the sheet
     * has learned: its weights on the index's fingertip are well above those of the same
     * minutes of even practice. */
    const double heavy_tip = index_tip_weight(engine_model(e, 0)), even_tip = index_tip_weight(engine_model(control, 0));
    ck_assert_msg(heavy_tip > 1.2 * even_tip, "index tip weight %.4f, even practice %.4f", heavy_tip, even_tip);
    ck_assert_msg(s->map[0].area_fraction[1] > 0.1f && c->map[0].area_fraction[1] > 0.1f, "D2 area %.3f / %.3f",
                  s->map[0].area_fraction[1], c->map[0].area_fraction[1]);
    ck_assert_uint_gt(s->load.notes_per_finger[0][1], s->load.notes_per_finger[0][0] * 3);
    ck_assert_uint_eq(s->stimuli_merged, 0);
    engine_free(control);
    engine_free(e);
    free(heavy.events);
    free(even.events);
}
END_TEST

/* Played slowly in the auto mode (a C major arpeggio, a note every 0.8 s, each held nearly
 * to the next), the notes are decided with the passage in view, not each alone 0.5 s after
 * it came: the books' fingers 1 2 3 1 2 3 5 up and 3 2 1 3 2 1 down reach the model, once
 * every key has been up for 0.5 s. */
START_TEST(slow_notes_are_fingered_with_their_passage)
{
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    fingering_config_default(&config.fingering, FINGERING_AUTO);
    const int notes[13] = { 60, 64, 67, 72, 76, 79, 84, 79, 76, 72, 67, 64, 60 };
    const int book[13] = { 0, 1, 2, 0, 1, 2, 4, 2, 1, 0, 2, 1, 0 };
    Performance p = {0};
    for (int k = 0; k < 13; k++) {
        add(&p, 1000 + (uint64_t)k * 38400, 0x90, (uint8_t)notes[k], 90);
        add(&p, 1000 + (uint64_t)k * 38400 + 36000, 0x80, (uint8_t)notes[k], 0);
    }
    p.length += 2 * 48000; /* the hand's keys up for 2 s: its passage is over */
    Engine *e = render(&p, &config, 512);
    EngineFinal finals[16];
    uint64_t cursor = 0, lost = 0;
    ck_assert_uint_eq(engine_take_finals(e, &cursor, finals, 16, &lost), 13);
    for (int k = 0; k < 13; k++) {
        ck_assert_int_eq(finals[k].note, notes[k]);
        ck_assert_int_eq(finals[k].hand, 0);
        ck_assert_msg(finals[k].finger == book[k], "note %d (%d): finger %d, the book's %d", k, notes[k],
                      finals[k].finger, book[k]);
    }
    engine_free(e);
    free(p.events);
}
END_TEST

/* Displays show the finger given to the last notes: the snapshot lists them, oldest first. */
START_TEST(snapshot_lists_the_last_fingered_notes)
{
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    fingering_config_default(&config.fingering, FINGERING_CHANNEL);
    Performance p = {0};
    for (int k = 0; k < 12; k++) { /* channels 1-10: right thumb .. little, left thumb .. little */
        int channel = k % 10;
        add(&p, 1000 + (uint64_t)k * 4800, (uint8_t)(0x90 | channel), (uint8_t)(50 + k), 90);
        add(&p, 3000 + (uint64_t)k * 4800, (uint8_t)(0x80 | channel), (uint8_t)(50 + k), 0);
    }
    p.length += 48000;
    Engine *e = render(&p, &config, 512);
    const EngineSnapshot *s = engine_snapshot(e);
    ck_assert_int_eq(s->recent_count, ENGINE_RECENT_NOTES);
    for (int i = 0; i < ENGINE_RECENT_NOTES; i++) {
        int k = 12 - ENGINE_RECENT_NOTES + i, channel = k % 10;
        ck_assert_int_eq(s->recent[i].note, 50 + k);
        ck_assert_int_eq(s->recent[i].hand, channel < 5 ? 0 : 1);
        ck_assert_int_eq(s->recent[i].finger, channel % 5);
    }
    engine_free(e);
    free(p.events);
}
END_TEST

typedef struct {
    Engine *engine;
    atomic_int done;
    long seen, inconsistent;
} Reader;

static void *read_snapshots(void *arg)
{
    Reader *r = arg;
    uint64_t last = 0;
    while (!atomic_load(&r->done)) {
        const EngineSnapshot *s = engine_snapshot(r->engine);
        if (!s)
            continue;
        float total = s->map[0].unresponsive_fraction;
        int counted = 0;
        for (int d = 0; d < METRICS_DIGITS; d++)
            total += s->map[0].area_fraction[d];
        for (int i = 0; i < s->sheet_size * s->sheet_size; i++)
            counted += s->preferred_digit[0][i] == 1;
        if (s->sequence < last || fabsf(total - 1.0f) > 1e-4f ||
            fabsf((float)counted / (float)(s->sheet_size * s->sheet_size) - s->map[0].area_fraction[1]) > 1e-6f)
            r->inconsistent++;
        last = s->sequence;
        r->seen++;
    }
    return NULL;
}

START_TEST(snapshots_are_consistent_under_a_reader_thread)
{
    EngineConfig config;
    fixed_fingers_config(&config);
    config.metrics_period_s = 0.01; /* publish often */
    Performance p = practice(30.0, 12.0, 11);
    char err[256];
    Reader r = {.engine = engine_create(&config, err, sizeof err)};
    ck_assert_ptr_nonnull(r.engine);
    atomic_init(&r.done, 0);
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, read_snapshots, &r), 0);
    EngineEvent events[64];
    float left[64], right[64];
    size_t next = 0;
    for (uint64_t start = 0; start < p.length; start += 64) {
        uint32_t count = block_events(&p, &next, start, 64, events, 64);
        engine_process(r.engine, events, count, left, right, 64);
    }
    atomic_store(&r.done, 1);
    pthread_join(thread, NULL);
    ck_assert_int_gt(r.seen, 0);
    ck_assert_int_eq(r.inconsistent, 0);
    engine_free(r.engine);
    free(p.events);
}
END_TEST

START_TEST(sonification_off_is_silent_and_bad_blocks_refused)
{
    EngineConfig config;
    engine_config_default(&config, RATE, 256);
    config.sonify_mode = SONIFY_OFF;
    char err[256];
    Engine *e = engine_create(&config, err, sizeof err);
    ck_assert_ptr_nonnull(e);
    float left[256], right[256];
    EngineEvent note = {10, 3, {0x90, 60, 100}};
    EngineEvent junk[3] = {{0, 3, {0x23, 0xFF, 0x90}}, {1, 0, {0}}, {300, 3, {0x90, 61, 100}}};
    for (int i = 0; i < 400; i++) {
        ck_assert_int_eq(engine_process(e, i == 0 ? &note : junk, i == 0 ? 1 : 3, left, right, 256), 0);
        if (i > 20)
            for (int k = 0; k < 256; k++)
                ck_assert(left[k] == 0.0f && right[k] == 0.0f);
    }
    ck_assert_int_eq(engine_process(e, NULL, 0, left, right, 257), -1);
    config.sample_rate = 10.0;
    ck_assert_ptr_null(engine_create(&config, err, sizeof err));
    ck_assert_msg(strstr(err, "sample rate") != NULL, "%s", err);
    engine_free(e);
}
END_TEST

/* The default sound (map mode, issue 18) is silent until the first note, sounds while
 * notes come, and is silent again a few seconds after the last key moved. */
START_TEST(default_sound_is_silent_when_nothing_is_played)
{
    EngineConfig config;
    engine_config_default(&config, RATE, 256);
    ck_assert_int_eq(config.sonify_mode, SONIFY_MAP);
    ck_assert_float_eq(config.level_db, -18.0f);
    char err[256];
    Engine *e = engine_create(&config, err, sizeof err);
    ck_assert_ptr_nonnull(e);
    float left[256], right[256];
    double before = 0, during = 0, after = 0;
    const int blocks_per_second = (int)(RATE / 256);
    for (int i = 0; i < 10 * blocks_per_second; i++) {
        int second = i / blocks_per_second;
        /* a note every quarter second in seconds 2 and 3 */
        EngineEvent note[2] = {{0, 3, {0x90, (uint8_t)(60 + i % 5), 90}}, {100, 3, {0x80, (uint8_t)(60 + i % 5), 0}}};
        int play = (second == 2 || second == 3) && i % (blocks_per_second / 4) == 0;
        ck_assert_int_eq(engine_process(e, play ? note : NULL, play ? 2 : 0, left, right, 256), 0);
        double energy = 0;
        for (int k = 0; k < 256; k++)
            energy += (double)left[k] * left[k] + (double)right[k] * right[k];
        if (second < 2)
            before += energy;
        else if (second == 3)
            during += energy;
        else if (second >= 8)
            after += energy;
    }
    ck_assert_msg(before == 0.0, "sound before the first note: %g", before);
    ck_assert_msg(during > 0.0, "no sound while playing");
    ck_assert_msg(after == 0.0, "sound 4 s after the last note: %g", after);
    engine_free(e);
}
END_TEST

/* Plays notes one after another (4 a second, each held 0.2 s) through an engine with the
 * auto fingering for seconds_long, looking at the warning shown in each block; returns the
 * first warning's reason (WARNING_NONE for none). */
static WarningReason warning_while_playing(const int *notes, int length, double seconds_long)
{
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    char err[256];
    Engine *e = engine_create(&config, err, sizeof err);
    ck_assert_msg(e != NULL, "%s", err);
    Performance p = {0};
    uint64_t step = (uint64_t)(RATE / 4);
    int k = 0;
    for (uint64_t f = 1000; f < (uint64_t)(seconds_long * RATE); f += step, k++) {
        add(&p, f, 0x90, (uint8_t)notes[k % length], 80);
        add(&p, f + step * 4 / 5, 0x80, (uint8_t)notes[k % length], 0);
    }
    EngineEvent events[64];
    float left[1024], right[1024];
    size_t next = 0;
    WarningReason seen = WARNING_NONE;
    for (uint64_t start = 0; start < p.length && seen == WARNING_NONE; start += 1024) {
        uint32_t count = block_events(&p, &next, start, 1024, events, 64);
        engine_process(e, events, count, left, right, 1024);
        const EngineSnapshot *s = engine_snapshot(e);
        if (s && s->warning.level != WARNING_LEVEL_NONE)
            seen = s->warning.reason;
    }
    free(p.events);
    engine_free(e);
    return seen;
}

/* Ordinary scale and Hanon practice, fingered by the auto estimator, raises no warning; a
 * trill of two fingers is advised against (issue 18 item 4). */
START_TEST(scale_and_hanon_practice_raise_no_warning)
{
    static const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84,
                                83, 81, 79, 77, 76, 74, 72, 71, 69, 67, 65, 64, 62}; /* C major, two octaves */
    /* Hanon no. 1: the figure C E F G A G F E on the white keys, then from each step up */
    static const int degrees[8] = {0, 2, 3, 4, 5, 4, 3, 2};
    static const int major_steps[7] = {2, 2, 1, 2, 2, 2, 1};
    int white[20], hanon[14 * 8];
    white[0] = 60;
    for (int d = 1; d < 20; d++)
        white[d] = white[d - 1] + major_steps[(d - 1) % 7];
    for (int step = 0; step < 14; step++)
        for (int i = 0; i < 8; i++)
            hanon[step * 8 + i] = white[step + degrees[i]];
    ck_assert_int_eq(warning_while_playing(scale, 28, 150.0), WARNING_NONE);
    ck_assert_int_eq(warning_while_playing(hanon, 14 * 8, 150.0), WARNING_NONE);
    static const int trill[] = {64, 65};
    ck_assert_int_eq(warning_while_playing(trill, 2, 80.0), WARNING_REPETITIVE);
}
END_TEST

/* Plays a performance into an engine from its current time on (start_frame = the frames it
 * has processed), in blocks of block frames, without finishing. Returns the frames played. */
static uint64_t play_on(Engine *e, const Performance *p, uint32_t block)
{
    EngineEvent *events = malloc(MAX_BLOCK * sizeof *events);
    float *left = malloc(MAX_BLOCK * sizeof(float)), *right = malloc(MAX_BLOCK * sizeof(float));
    size_t next = 0;
    const uint64_t total = p->length + (uint64_t)RATE;
    for (uint64_t start = 0; start < total; start += block) {
        uint32_t frames = total - start < block ? (uint32_t)(total - start) : block;
        uint32_t count = block_events(p, &next, start, frames, events, MAX_BLOCK);
        engine_process(e, events, count, left, right, frames);
    }
    free(events);
    free(left);
    free(right);
    return total;
}

/* Auto fingering keeps its memory across a save: a session continued after save and
 * restore learns exactly what the uninterrupted session learns. */
START_TEST(continuing_after_restore_equals_continuing_without)
{
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    Performance first = practice(15.0, 8.0, 31), second = practice(15.0, 8.0, 32);
    Engine *uninterrupted = render(&first, &config, 256);
    size_t size = engine_state_size(uninterrupted);
    uint8_t *blob = malloc(size);
    ck_assert_uint_eq(engine_state_save(uninterrupted, 1, blob, size), size);
    char err[256];
    int64_t saved;
    Engine *restored = engine_create(&config, err, sizeof err);
    ck_assert_int_eq(engine_state_load(restored, blob, size, &saved, err, sizeof err), STATE_OK);
    play_on(uninterrupted, &second, 256);
    play_on(restored, &second, 256);
    engine_finish(uninterrupted);
    engine_finish(restored);
    assert_same_models(uninterrupted, restored, 256);
    engine_free(uninterrupted);
    engine_free(restored);
    free(blob);
    free(first.events);
    free(second.events);
}
END_TEST

/* Saves an engine's state into a new buffer (its size in *size). */
static uint8_t *saved_state(const Engine *e, size_t *size)
{
    *size = engine_state_size(e);
    uint8_t *blob = malloc(*size);
    ck_assert_uint_eq(engine_state_save(e, 1, blob, *size), *size);
    return blob;
}

/* hands_on_demand (the plugin's way): a hand's model is made, outside processing, once the
 * hand is played; the state saved, captured and restored is the same as an engine holding
 * both hands from the start, the hand never played as the fresh model it would be. */
START_TEST(hands_made_on_demand_save_as_made_at_once)
{
    EngineConfig config, on_demand;
    engine_config_default(&config, RATE, MAX_BLOCK);
    fingering_config_default(&config.fingering, FINGERING_CHANNEL); /* channels 1-5: the right hand */
    on_demand = config;
    on_demand.hands_on_demand = 1;
    Performance right = {0}; /* a right-hand scale, 10 s, fingers coded in the channel */
    static const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
    for (int k = 0; k < 60; k++) {
        uint8_t channel = (uint8_t)(k % 5);
        add(&right, 1000 + (uint64_t)k * RATE / 6, 0x90 | channel, (uint8_t)scale[k % 8], 80);
        add(&right, 1000 + (uint64_t)k * RATE / 6 + RATE / 8, 0x80 | channel, (uint8_t)scale[k % 8], 0);
    }
    char err[256];
    Engine *eager = engine_create(&config, err, sizeof err), *lazy = engine_create(&on_demand, err, sizeof err);
    ck_assert_msg(eager && lazy, "%s", err);
    ck_assert(engine_hand_ready(eager, 0) && engine_hand_ready(eager, 1));
    ck_assert(!engine_hand_ready(lazy, 0) && !engine_hand_ready(lazy, 1) && engine_hands_wanted(lazy) == 0);
    play_on(eager, &right, 256);
    EngineEvent events[64];
    float left[256], out[256];
    size_t next = 0;
    for (uint64_t start = 0; start < right.length + (uint64_t)RATE; start += 256) {
        uint32_t count = block_events(&right, &next, start, 256, events, 64);
        unsigned wanted = engine_hands_wanted(lazy); /* made in the time of a block, as a worker would */
        ck_assert_int_eq(engine_process(lazy, events, count, left, out, 256), 0);
        for (int h = 0; h < ENGINE_HANDS; h++) {
            EngineHand made;
            if (!(wanted & (1u << h)))
                continue;
            ck_assert_int_eq(engine_hand_make(&on_demand, h, &made, err, sizeof err), 0);
            ck_assert_int_eq(engine_hand_install(lazy, &made), 0);
            ck_assert(made.model == NULL);
        }
    }
    ck_assert_msg(engine_hand_ready(lazy, 0) && !engine_hand_ready(lazy, 1), "only the right hand was played (%d %d)",
                  engine_hand_ready(lazy, 0), engine_hand_ready(lazy, 1));
    const EngineSnapshot *snap = engine_snapshot(lazy);
    ck_assert(snap && snap->map[0].valid && !snap->map[1].valid && snap->preferred_digit[1][0] == -1);
    ck_assert_uint_eq(snap->stimuli_merged, 0);
    /* the models saved are the same, bit for bit (the practice load's risk history differs:
     * a hand not made has no map whose risk it could record) */
    size_t size_eager, size_lazy;
    uint8_t *a = saved_state(eager, &size_eager), *b = saved_state(lazy, &size_lazy);
    ck_assert_uint_eq(size_lazy, size_eager);
    int64_t saved;
    Engine *from_eager = engine_create(&config, err, sizeof err), *from_lazy = engine_create(&config, err, sizeof err);
    ck_assert_int_eq(engine_state_load(from_eager, a, size_eager, &saved, err, sizeof err), STATE_OK);
    ck_assert_int_eq(engine_state_load(from_lazy, b, size_lazy, &saved, err, sizeof err), STATE_OK);
    assert_same_models(from_eager, from_lazy, 256);
    /* a capture of the on-demand engine saves what its live save does */
    uint8_t *c = malloc(size_lazy);
    EngineCapture *capture = engine_capture_create(lazy, err, sizeof err);
    ck_assert_int_eq(engine_capture(lazy, capture), 0);
    ck_assert_uint_eq(engine_capture_save(capture, 1, c, size_lazy), size_lazy);
    ck_assert_msg(memcmp(b, c, size_lazy) == 0, "the on-demand engine's capture saves another state");
    free(c);
    /* restored: the played hand is made, the fresh one waits; saved again, the same models */
    Engine *restored = engine_create(&on_demand, err, sizeof err);
    ck_assert_int_eq(engine_state_load(restored, b, size_lazy, &saved, err, sizeof err), STATE_OK);
    ck_assert(engine_hand_ready(restored, 0) && !engine_hand_ready(restored, 1));
    c = saved_state(restored, &size_lazy);
    Engine *again = engine_create(&config, err, sizeof err);
    ck_assert_int_eq(engine_state_load(again, c, size_lazy, &saved, err, sizeof err), STATE_OK);
    assert_same_models(from_lazy, again, 256);
    /* a hand made by a restore is not made again: a late one is refused, for its owner to free */
    EngineHand late;
    ck_assert_int_eq(engine_hand_make(&on_demand, 0, &late, err, sizeof err), 0);
    ck_assert_int_eq(engine_hand_install(restored, &late), -1);
    engine_hand_release(&late);
    engine_capture_free(capture);
    engine_free(eager);
    engine_free(lazy);
    engine_free(restored);
    engine_free(from_eager);
    engine_free(from_lazy);
    engine_free(again);
    free(a);
    free(b);
    free(c);
    free(right.events);
}
END_TEST

START_TEST(saved_state_restores_into_a_fresh_engine)
{
    EngineConfig config;
    fixed_fingers_config(&config);
    Performance p = practice(20.0, 8.0, 21);
    Engine *played = render(&p, &config, 512);
    size_t size = engine_state_size(played);
    uint8_t *blob = malloc(size);
    ck_assert_uint_eq(engine_state_save(played, 1700000000, blob, size), size);
    ck_assert_uint_eq(engine_state_save(played, 1700000000, blob, size - 1), 0);

    char err[256];
    Engine *fresh = engine_create(&config, err, sizeof err);
    int64_t saved = 0;
    ck_assert_int_eq(engine_state_load(fresh, blob, size, &saved, err, sizeof err), STATE_OK);
    ck_assert_int_eq(saved, 1700000000);
    assert_same_models(played, fresh, 0);
    const EngineSnapshot *a = engine_snapshot(played), *b = engine_snapshot(fresh);
    ck_assert(memcmp(&a->map, &b->map, sizeof a->map) == 0);
    ck_assert_uint_eq(b->load.notes, a->load.notes);

    /* damage anywhere is refused and leaves the engine as it was */
    Engine *untouched = engine_create(&config, err, sizeof err);
    for (size_t i = 0; i < size; i += size / 97 + 1) {
        blob[i] ^= 0x5A;
        ck_assert_int_ne(engine_state_load(untouched, blob, size, &saved, err, sizeof err), STATE_OK);
        blob[i] ^= 0x5A;
    }
    ck_assert_int_eq(engine_state_load(untouched, blob, size / 2, &saved, err, sizeof err), STATE_ERR_TRUNCATED);
    Engine *blank = engine_create(&config, err, sizeof err);
    assert_same_models(untouched, blank, 0);

    /* another sheet size is refused by name */
    EngineConfig small = config;
    small.model.sheet_size = 16;
    Engine *other = engine_create(&small, err, sizeof err);
    ck_assert_int_eq(engine_state_load(other, blob, size, &saved, err, sizeof err), STATE_ERR_SIZE);
    ck_assert_msg(strstr(err, "units") != NULL, "%s", err);
    /* ... but its parameters say how to build an engine that reads it */
    ModelParams params;
    ck_assert_int_eq(engine_state_params(blob, size, &params, err, sizeof err), STATE_OK);
    ck_assert_int_eq(params.sheet_size, config.model.sheet_size);
    ck_assert(params.inhibition_strength == config.model.inhibition_strength);
    small.model = params;
    Engine *shaped = engine_create(&small, err, sizeof err);
    ck_assert_int_eq(engine_state_load(shaped, blob, size, &saved, err, sizeof err), STATE_OK);
    engine_free(shaped);
    ck_assert_int_eq(engine_state_params(blob, size / 2, &params, err, sizeof err), STATE_ERR_TRUNCATED);
    blob[size / 3] ^= 0x5A;
    ck_assert_int_ne(engine_state_params(blob, size, &params, err, sizeof err), STATE_OK);
    blob[size / 3] ^= 0x5A;

    /* a night's sleep after the session keeps more than a day awake would */
    engine_apply_gap(fresh, 0.0, 8 * 3600.0);
    const EngineSnapshot *after = engine_snapshot(fresh);
    ck_assert_int_eq(after->map[0].valid, 1);
    ck_assert(after->load.playing_s == 0.0);

    engine_free(other);
    engine_free(blank);
    engine_free(untouched);
    engine_free(fresh);
    engine_free(played);
    free(blob);
    free(p.events);
}
END_TEST

/* A capture keeps the state of its moment while the engine plays on: serialised later it
 * equals what saving at that moment gave. */
START_TEST(a_capture_saves_the_state_of_its_moment)
{
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    Performance first = practice(10.0, 8.0, 41), second = practice(10.0, 8.0, 42);
    char err[256];
    Engine *playing = engine_create(&config, err, sizeof err), *paused = engine_create(&config, err, sizeof err);
    EngineCapture *capture = engine_capture_create(playing, err, sizeof err);
    /* made from the configuration alone (a plugin's save() while the audio thread runs) */
    EngineCapture *from_config = engine_capture_create_for(&config, err, sizeof err);
    ck_assert_ptr_nonnull(capture);
    ck_assert_ptr_nonnull(from_config);
    ck_assert_uint_eq(engine_capture_size(capture), 0);
    play_on(playing, &first, 256);
    play_on(paused, &first, 256);
    ck_assert_int_eq(engine_capture(playing, capture), 0);
    ck_assert_int_eq(engine_capture(playing, from_config), 0);
    size_t size = engine_state_size(paused);
    uint8_t *expected = malloc(size), *captured = malloc(size);
    ck_assert_uint_eq(engine_state_save(paused, 5, expected, size), size);
    play_on(playing, &second, 256); /* the engine moves on; the capture does not */
    ck_assert_uint_eq(engine_capture_size(capture), size);
    ck_assert_uint_eq(engine_capture_save(capture, 5, captured, size), size);
    ck_assert(memcmp(expected, captured, size) == 0);
    memset(captured, 0, size);
    ck_assert_uint_eq(engine_capture_save(from_config, 5, captured, size), size);
    ck_assert(memcmp(expected, captured, size) == 0);
    engine_capture_free(from_config);
    EngineConfig small = config;
    small.model.sheet_size = 16;
    Engine *other = engine_create(&small, err, sizeof err);
    ck_assert_int_eq(engine_capture(other, capture), -1);
    engine_free(other);
    engine_capture_free(capture);
    engine_free(playing);
    engine_free(paused);
    free(expected);
    free(captured);
    free(first.events);
    free(second.events);
}
END_TEST

/* A PIG fingering file as annotated input: its fingers reach the engine through the
 * channel-coded fingering mode. */
START_TEST(pig_file_drives_the_engine_with_its_annotated_fingers)
{
    PigNote *notes = NULL;
    size_t count = 0;
    char err[256];
    ck_assert_msg(pig_read_file("tests/fixtures/fingering/small_pig.txt", &notes, &count, err, sizeof err) == 0, "%s", err);
    SmfEvent *events = NULL;
    ck_assert_int_eq(pig_to_channel_events(notes, count, &events, err, sizeof err), 0);
    Performance p = {0};
    for (size_t i = 0; i < 2 * count; i++)
        add(&p, (uint64_t)llround(events[i].time_s * RATE) + 100, events[i].bytes[0], events[i].bytes[1],
            events[i].bytes[2]);
    EngineConfig config;
    engine_config_default(&config, RATE, MAX_BLOCK);
    fingering_config_default(&config.fingering, FINGERING_CHANNEL);
    Engine *e = render(&p, &config, 128);
    const EngineSnapshot *s = engine_snapshot(e);
    uint64_t expected[2][5] = {{0}};
    for (size_t i = 0; i < count; i++)
        expected[notes[i].hand][notes[i].finger]++;
    for (int h = 0; h < 2; h++)
        for (int f = 0; f < 5; f++)
            ck_assert_msg(s->load.notes_per_finger[h][f] == expected[h][f], "hand %d finger %d: %llu notes, annotated %llu",
                          h, f + 1, (unsigned long long)s->load.notes_per_finger[h][f], (unsigned long long)expected[h][f]);
    ck_assert_uint_eq(s->notes, count);
    engine_free(e);
    free(events);
    pig_free(notes);
    free(p.events);
}
END_TEST

Suite *engine_suite(void)
{
    Suite *suite = suite_create("engine");
    TCase *tc = tcase_create("engine");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, same_midi_any_block_size_same_state_fixed_fingers);
    tcase_add_test(tc, snapshot_lists_the_last_fingered_notes);
    tcase_add_test(tc, slow_notes_are_fingered_with_their_passage);
    tcase_add_test(tc, same_midi_any_block_size_same_state_auto_fingers);
    tcase_add_test(tc, overload_merges_and_counts_never_drops);
    tcase_add_test(tc, settings_change_while_playing_loses_nothing);
    tcase_add_test(tc, heavy_index_practice_shows_in_the_model);
    tcase_add_test(tc, snapshots_are_consistent_under_a_reader_thread);
    tcase_add_test(tc, sonification_off_is_silent_and_bad_blocks_refused);
    tcase_add_test(tc, default_sound_is_silent_when_nothing_is_played);
    tcase_add_test(tc, scale_and_hanon_practice_raise_no_warning);
    tcase_add_test(tc, saved_state_restores_into_a_fresh_engine);
    tcase_add_test(tc, continuing_after_restore_equals_continuing_without);
    tcase_add_test(tc, pig_file_drives_the_engine_with_its_annotated_fingers);
    tcase_add_test(tc, a_capture_saves_the_state_of_its_moment);
    tcase_add_test(tc, hands_made_on_demand_save_as_made_at_once);
    suite_add_tcase(suite, tc);
    return suite;
}
