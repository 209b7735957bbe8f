/* bench_stress: an hour (by default) of dense simulated playing through engine_process at
 * 48 kHz in 64-frame blocks: about 1000 MIDI events a second from both hands over the
 * keyboard, chords, bursts, the sustain pedal and random velocities 1..127, from a fixed
 * seed. Every block's audio, every published snapshot and, once a second, both hands'
 * models are checked (finite, within the documented ranges: bench/model_ranges.h); the
 * engine's queues are watched against their capacities; at the end every stimulus formed
 * must be learned or counted as merged. Prints the figures and the block times; exits 1
 * on the first violation.
 *   bench-stress [--seconds N] [--steps-per-second N] [--expect-merges] [--no-timing]
 * --no-timing leaves out the block times (make check runs a minute of it); a small
 * --steps-per-second starves the model so that stimuli must be merged, which
 * --expect-merges then requires. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_times.h"
#include "engine.h"
#include "model_ranges.h"
#include "rng.h"

#define RATE 48000
#define BLOCK 64
/* event slots a second: with the chords, the bursts and the keys let go to free a finger
 * they make about 1000 MIDI events a second */
#define SLOTS_PER_SECOND 670
#define MAX_BLOCK_EVENTS 256
#define HELD_MAX 10             /* keys one hand holds at most; more and one is let go */
#define MODEL_CHECK_BLOCKS 750  /* both models checked once a second */
#define BURST_EVERY_S 5.0       /* a burst (a fast run, 4x the density) every few seconds */
#define BURST_LENGTH_S 0.25

/* The simulated player: keys held per hand, the pedal, the time of the next event. */
typedef struct {
    Rng rng;
    uint8_t held[ENGINE_HANDS][HELD_MAX];
    int held_count[ENGINE_HANDS];
    int pedal;
    double next_frame, burst_until, next_burst;
    uint64_t events, note_ons, chords, pedal_changes;
} Player;

static void player_init(Player *p, uint64_t seed)
{
    memset(p, 0, sizeof *p);
    rng_seed(&p->rng, seed);
    p->next_burst = BURST_EVERY_S * RATE;
}

/* A key of a hand's half of the keyboard: left A0..B3 (21..59), right C4..C8 (60..108). */
static uint8_t random_key(Player *p, int hand)
{
    return (uint8_t)(hand ? 21 + rng_below(&p->rng, 39) : 60 + rng_below(&p->rng, 49));
}

static void add(EngineEvent *events, uint32_t *count, uint32_t frame, uint8_t status, uint8_t data1, uint8_t data2)
{
    if (*count < MAX_BLOCK_EVENTS)
        events[(*count)++] = (EngineEvent){frame, 3, {status, data1, data2}};
}

/* Lets go of a random held key of hand (as note off, or as note on with velocity 0). */
static void release_one(Player *p, int hand, EngineEvent *events, uint32_t *count, uint32_t frame)
{
    int k = (int)rng_below(&p->rng, (uint32_t)p->held_count[hand]);
    uint8_t key = p->held[hand][k];
    p->held[hand][k] = p->held[hand][--p->held_count[hand]];
    if (rng_below(&p->rng, 4) == 0)
        add(events, count, frame, 0x90, key, 0);
    else
        add(events, count, frame, 0x80, key, (uint8_t)rng_below(&p->rng, 128));
}

static void press(Player *p, int hand, EngineEvent *events, uint32_t *count, uint32_t frame)
{
    if (p->held_count[hand] == HELD_MAX)
        release_one(p, hand, events, count, frame);
    uint8_t key = random_key(p, hand);
    p->held[hand][p->held_count[hand]++] = key;
    add(events, count, frame, 0x90, key, (uint8_t)(1 + rng_below(&p->rng, 127)));
    p->note_ons++;
}

/* One event (a chord counts its notes) at frame of the block. */
static void player_event(Player *p, EngineEvent *events, uint32_t *count, uint32_t frame)
{
    uint32_t roll = rng_below(&p->rng, 1000);
    int hand = (int)rng_below(&p->rng, ENGINE_HANDS);
    if (roll < 2) { /* the pedal about every half second */
        p->pedal = !p->pedal;
        add(events, count, frame, 0xB0, 64, p->pedal ? (uint8_t)(64 + rng_below(&p->rng, 64)) : 0);
        p->pedal_changes++;
    } else if (roll < 500 && p->held_count[hand] > 0) {
        release_one(p, hand, events, count, frame);
    } else if (roll < 560) { /* a chord of 3 or 4 keys */
        int keys = 3 + (int)rng_below(&p->rng, 2);
        for (int k = 0; k < keys; k++)
            press(p, hand, events, count, frame);
        p->chords++;
    } else {
        press(p, hand, events, count, frame);
    }
}

/* The events of the block starting at frame start, sorted by frame. */
static uint32_t player_block(Player *p, uint64_t start, EngineEvent *events)
{
    uint32_t count = 0;
    double end = (double)(start + BLOCK);
    while (p->next_frame < end) {
        uint32_t frame = (uint32_t)(p->next_frame - (double)start);
        uint32_t before = count;
        player_event(p, events, &count, frame);
        p->events += count - before;
        if (p->next_frame >= p->next_burst) {
            p->burst_until = p->next_burst + BURST_LENGTH_S * RATE;
            p->next_burst += BURST_EVERY_S * RATE;
        }
        /* exponential gaps, a quarter as long during a burst */
        double mean_gap = (double)RATE / SLOTS_PER_SECOND / (p->next_frame < p->burst_until ? 4.0 : 1.0);
        p->next_frame += -log(1.0 - (double)rng_uniform(&p->rng)) * mean_gap;
    }
    return count;
}

/* What the run watched. */
typedef struct {
    int stimuli_high[ENGINE_HANDS];
    uint64_t undecided_high;
    float output_peak;
    uint64_t snapshots;
    ModelRanges ranges;
} Watch;

static int fail(const char *what, long block)
{
    fprintf(stderr, "bench-stress: block %ld (%.3f s): %s\n", block, (double)block * BLOCK / RATE, what);
    return -1;
}

static int check_audio(const float *left, const float *right, Watch *w, long block)
{
    for (int i = 0; i < BLOCK; i++) {
        float l = fabsf(left[i]), r = fabsf(right[i]);
        if (!(l <= 1.0f && r <= 1.0f)) {
            char what[96];
            snprintf(what, sizeof what, "audio sample %d is %g / %g, not finite in [-1, 1]", i, (double)left[i],
                     (double)right[i]);
            return fail(what, block);
        }
        w->output_peak = fmaxf(w->output_peak, fmaxf(l, r));
    }
    return 0;
}

static int check_queues(Engine *engine, Watch *w, long block)
{
    EngineQueues q;
    engine_queues(engine, &q);
    char what[128];
    for (int h = 0; h < ENGINE_HANDS; h++) {
        if (q.stimuli_waiting[h] < 0 || q.stimuli_waiting[h] > q.stimuli_capacity) {
            snprintf(what, sizeof what, "hand %d has %d stimuli waiting, capacity %d", h, q.stimuli_waiting[h],
                     q.stimuli_capacity);
            return fail(what, block);
        }
        if (q.stimuli_waiting[h] > w->stimuli_high[h])
            w->stimuli_high[h] = q.stimuli_waiting[h];
    }
    if (q.notes_undecided > (uint64_t)q.note_slots) {
        snprintf(what, sizeof what, "%llu notes undecided, the ring tracks %d", (unsigned long long)q.notes_undecided,
                 q.note_slots);
        return fail(what, block);
    }
    if (q.notes_undecided > w->undecided_high)
        w->undecided_high = q.notes_undecided;
    return 0;
}

static int finite_in(double x, double low, double high) { return x >= low && x <= high; }

/* A new snapshot: both maps' metrics, the per-unit pictures and the load figures. */
static int check_snapshot(const EngineSnapshot *s, int units, Watch *w, long block)
{
    char err[200], what[240];
    for (int h = 0; h < ENGINE_HANDS; h++) {
        if (model_ranges_check_metrics(&s->map[h], &w->ranges, err, sizeof err) != 0) {
            snprintf(what, sizeof what, "hand %d snapshot: %s", h, err);
            return fail(what, block);
        }
        for (int i = 0; i < units; i++)
            if (!finite_in(s->selectivity[h][i], 0.0, 1.0) || s->preferred_digit[h][i] < -1 ||
                s->preferred_digit[h][i] >= METRICS_DIGITS) {
                snprintf(what, sizeof what, "hand %d unit %d: selectivity %g, preferred digit %d", h, i,
                         (double)s->selectivity[h][i], s->preferred_digit[h][i]);
                return fail(what, block);
            }
    }
    const LoadFigures *l = &s->load;
    if (!finite_in(l->playing_s, 0.0, INFINITY) || !finite_in(l->session_s, 0.0, INFINITY) ||
        !finite_in(l->notes_per_minute, 0.0, INFINITY) || !finite_in(l->multi_finger_share, 0.0, 1.0) ||
        !finite_in(l->repetitiveness, 0.0, 1.0) || !finite_in(l->mean_velocity, 0.0, 1.0) ||
        !isfinite(s->warning.value) || !isfinite(s->time_s)) {
        snprintf(what, sizeof what,
                 "load figures out of range: playing %g s, session %g s, %g notes/min, multi %g, repetitive %g, "
                 "velocity %g, warning %g",
                 l->playing_s, l->session_s, (double)l->notes_per_minute, (double)l->multi_finger_share,
                 (double)l->repetitiveness, (double)l->mean_velocity, (double)s->warning.value);
        return fail(what, block);
    }
    w->snapshots++;
    return 0;
}

static int check_models(const Engine *engine, Watch *w, long block)
{
    char err[200], what[240];
    for (int h = 0; h < ENGINE_HANDS; h++)
        if (model_ranges_check(engine_model(engine, h), &w->ranges, err, sizeof err) != 0) {
            snprintf(what, sizeof what, "hand %d model: %s", h, err);
            return fail(what, block);
        }
    return 0;
}

typedef struct {
    long seconds;
    uint32_t steps_per_second;
    int timing, expect_merges;
} Options;

static int parse_options(int argc, char **argv, Options *o)
{
    o->seconds = 3600;
    o->steps_per_second = 0; /* the engine's default */
    o->timing = 1;
    o->expect_merges = 0;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (!strcmp(argv[i], "--no-timing")) {
            o->timing = 0;
        } else if (!strcmp(argv[i], "--expect-merges")) {
            o->expect_merges = 1;
        } else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            o->seconds = strtol(argv[++i], &end, 10);
            if (*end || o->seconds < 1 || o->seconds > 86400)
                return -1;
        } else if (!strcmp(argv[i], "--steps-per-second") && i + 1 < argc) {
            long steps = strtol(argv[++i], &end, 10);
            if (*end || steps < 1000 || steps > 10000000)
                return -1;
            o->steps_per_second = (uint32_t)steps;
        } else {
            return -1;
        }
    }
    return 0;
}

/* After engine_finish: every stimulus formed was learned or merged (and counted), every
 * note played was counted, nothing is left waiting. */
static int check_accounting(Engine *engine, const Player *p, int expect_merges, long block)
{
    EngineQueues q;
    engine_queues(engine, &q);
    const EngineSnapshot *s = engine_snapshot(engine);
    uint64_t learned = s->stimuli[0] + s->stimuli[1];
    char what[200];
    if (q.stimuli_formed != learned + s->stimuli_merged || q.stimuli_waiting[0] || q.stimuli_waiting[1]) {
        snprintf(what, sizeof what, "%llu stimuli formed, %llu learned + %llu merged, %d + %d still waiting",
                 (unsigned long long)q.stimuli_formed, (unsigned long long)learned,
                 (unsigned long long)s->stimuli_merged, q.stimuli_waiting[0], q.stimuli_waiting[1]);
        return fail(what, block);
    }
    if (expect_merges && s->stimuli_merged == 0)
        return fail("no stimulus was merged, though the model's budget was too small for the input", block);
    if (s->notes != p->note_ons) {
        snprintf(what, sizeof what, "the engine counted %llu notes, %llu were played",
                 (unsigned long long)s->notes, (unsigned long long)p->note_ons);
        return fail(what, block);
    }
    return 0;
}

static void print_report(const Options *o, const Player *p, const Watch *w, const EngineSnapshot *s,
                         const EngineQueues *q)
{
    printf("bench-stress: %ld s of dense playing at %d Hz in %d-frame blocks, seed 1%s\n", o->seconds, RATE, BLOCK,
           o->steps_per_second ? " (model budget lowered)" : "");
    printf("  input: %llu MIDI events (%.0f a second), %llu notes, %llu chords, %llu pedal changes\n",
           (unsigned long long)p->events, (double)p->events / (double)o->seconds, (unsigned long long)p->note_ons,
           (unsigned long long)p->chords, (unsigned long long)p->pedal_changes);
    printf("  stimuli formed %llu: learned %llu right + %llu left, merged %llu (%.2f %%); notes unfingered %llu,"
           " fingering finals dropped %llu\n",
           (unsigned long long)q->stimuli_formed, (unsigned long long)s->stimuli[0],
           (unsigned long long)s->stimuli[1], (unsigned long long)s->stimuli_merged,
           q->stimuli_formed ? 100.0 * (double)s->stimuli_merged / (double)q->stimuli_formed : 0.0,
           (unsigned long long)s->notes_unfingered, (unsigned long long)s->finals_dropped);
    printf("  queues' high-water marks: stimuli %d right, %d left (capacity %d each); undecided notes %llu"
           " (ring %d)\n",
           w->stimuli_high[0], w->stimuli_high[1], q->stimuli_capacity, (unsigned long long)w->undecided_high,
           q->note_slots);
    printf("  %llu snapshots checked; audio peak %.4f; no NaN or Inf anywhere\n", (unsigned long long)w->snapshots,
           (double)w->output_peak);
    model_ranges_print(&w->ranges);
}

/* One run of the whole input through a fresh engine with every check; block times into
 * spent when not NULL. Returns 0, or -1 after printing the violation. */
static int run_once(const Options *o, double *spent, Player *player, Watch *watch, int report)
{
    EngineConfig config;
    char err[256];
    engine_config_default(&config, RATE, BLOCK);
    if (o->steps_per_second)
        config.steps_per_second = o->steps_per_second;
    Engine *engine = engine_create(&config, err, sizeof err);
    if (!engine) {
        fprintf(stderr, "bench-stress: %s\n", err);
        return -1;
    }
    long blocks = o->seconds * RATE / BLOCK;
    player_init(player, 1);
    memset(watch, 0, sizeof *watch);
    model_ranges_init(&watch->ranges);
    EngineEvent events[MAX_BLOCK_EVENTS];
    float left[BLOCK], right[BLOCK];
    int units = model_unit_count(engine_model(engine, 0)), status = 0;
    uint64_t seen_sequence = 0;
    for (long b = 0; b < blocks && status == 0; b++) {
        uint32_t count = player_block(player, (uint64_t)b * BLOCK, events);
        double t0 = spent ? block_times_now_us() : 0.0;
        if (engine_process(engine, events, count, left, right, BLOCK) != 0)
            status = fail("engine_process refused the block", b);
        if (spent)
            spent[b] = block_times_now_us() - t0;
        const EngineSnapshot *s = engine_snapshot(engine);
        if (status == 0)
            status = check_audio(left, right, watch, b);
        if (status == 0)
            status = check_queues(engine, watch, b);
        if (status == 0 && s && s->sequence != seen_sequence) {
            seen_sequence = s->sequence;
            status = check_snapshot(s, units, watch, b);
        }
        if (status == 0 && (b + 1) % MODEL_CHECK_BLOCKS == 0)
            status = check_models(engine, watch, b);
    }
    if (status == 0) {
        engine_finish(engine);
        status = check_accounting(engine, player, o->expect_merges, blocks);
    }
    if (status == 0)
        status = check_snapshot(engine_snapshot(engine), units, watch, blocks);
    if (status == 0)
        status = check_models(engine, watch, blocks);
    if (status == 0 && report) {
        EngineQueues q;
        engine_queues(engine, &q);
        print_report(o, player, watch, engine_snapshot(engine), &q);
    }
    engine_free(engine);
    return status;
}

#define TIMED_RUNS 2 /* identical runs: a block's cost is its least time over them */

static int print_times(const char *title, const double *spent, long blocks)
{
    BlockTimeFigures figures;
    double period_us = BLOCK * 1e6 / RATE;
    if (block_times_summarise(spent, blocks, period_us, &figures) != 0) {
        fprintf(stderr, "bench-stress: out of memory\n");
        return -1;
    }
    block_times_print(title, &figures, blocks, period_us);
    return 0;
}

int main(int argc, char **argv)
{
    Options o;
    if (parse_options(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: bench-stress [--seconds 1..86400] [--steps-per-second 1000..10000000] [--expect-merges]"
                        " [--no-timing]\n");
        return 2;
    }
    long blocks = o.seconds * RATE / BLOCK;
    int runs = o.timing ? TIMED_RUNS : 1, status = 0;
    double *spent[TIMED_RUNS] = {NULL, NULL};
    for (int r = 0; r < runs && status == 0; r++)
        if (!(spent[r] = malloc((size_t)blocks * sizeof(double)))) {
            fprintf(stderr, "bench-stress: out of memory for %ld block times\n", blocks);
            status = -1;
        }
    static Player player;
    static Watch watch;
    for (int r = 0; r < runs && status == 0; r++)
        status = run_once(&o, o.timing ? spent[r] : NULL, &player, &watch, r == 0);
    if (status == 0 && o.timing) {
        printf("  engine_process block times (thread CPU time, percentages of the %.1f us period):\n",
               BLOCK * 1e6 / RATE);
        status = print_times("one run", spent[0], blocks);
        for (long b = 0; b < blocks; b++)
            for (int r = 1; r < runs; r++)
                spent[0][b] = spent[r][b] < spent[0][b] ? spent[r][b] : spent[0][b];
        if (status == 0)
            status = print_times("each block's least time over the identical runs (without the machine's\n"
                                 "  interruptions, which rarely hit the same block twice)",
                                 spent[0], blocks);
    }
    for (int r = 0; r < runs; r++)
        free(spent[r]);
    return status == 0 ? 0 : 1;
}
