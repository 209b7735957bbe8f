/* DSP load of engine_process at 48 kHz in 64-frame blocks while a dense performance
 * (30 notes a second with chords, both hands, pedal) streams in: mean and worst block
 * time as a share of the block period, and stimuli merged. Figures, not pass/fail. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine.h"

#define RATE 48000.0
#define BLOCK 64
#define SECONDS 300

/* This thread's CPU time: the work a block costs, without time lost to other processes
 * that preempt it on a shared machine. */
static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec * 1e-3;
}

/* 30 onsets a second: a right-hand run, and every fourth onset a left-hand triad. */
static uint32_t block_events(uint64_t start, EngineEvent *events, uint32_t *seed)
{
    uint32_t count = 0;
    for (uint32_t f = 0; f < BLOCK; f++) {
        uint64_t frame = start + f;
        if (frame % 1600 != 0)
            continue;
        uint64_t k = frame / 1600;
        *seed = *seed * 1664525u + 1013904223u;
        uint8_t velocity = (uint8_t)(40 + (*seed >> 24) % 80);
        uint8_t note = (uint8_t)(60 + (k * 2) % 24);
        events[count++] = (EngineEvent){f, 3, {0x80, (uint8_t)(60 + ((k - 1) * 2) % 24), 0}};
        events[count++] = (EngineEvent){f, 3, {0x90, note, velocity}};
        if (k % 4 == 0) {
            uint8_t root = (uint8_t)(36 + (k / 4) % 12);
            for (int i = 0; i < 3; i++)
                events[count++] = (EngineEvent){f, 3, {0x80, (uint8_t)(root - 1 + i * 4), 0}};
            for (int i = 0; i < 3; i++)
                events[count++] = (EngineEvent){f, 3, {0x90, (uint8_t)(root + i * 4), velocity}};
        }
        if (k % 60 == 0)
            events[count++] = (EngineEvent){f, 3, {0xB0, 64, (uint8_t)(k % 120 ? 0 : 127)}};
    }
    return count;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

int main(void)
{
    EngineConfig config;
    char err[256];
    engine_config_default(&config, RATE, BLOCK);
    Engine *engine = engine_create(&config, err, sizeof err);
    if (!engine) {
        fprintf(stderr, "bench-engine: %s\n", err);
        return 1;
    }
    EngineEvent events[8 * BLOCK];
    float left[BLOCK], right[BLOCK];
    uint32_t seed = 1;
    double total = 0.0, worst = 0.0;
    long blocks = 0, over_tenth = 0;
    static double spent_per_block[SECONDS * 48000 / BLOCK + 1];
    for (uint64_t start = 0; start < (uint64_t)(SECONDS * RATE); start += BLOCK, blocks++) {
        uint32_t count = block_events(start, events, &seed);
        double t0 = now_us();
        engine_process(engine, events, count, left, right, BLOCK);
        double spent = now_us() - t0;
        total += spent;
        spent_per_block[blocks] = spent;
        over_tenth += spent > 0.1 * BLOCK / RATE * 1e6;
        if (spent > worst)
            worst = spent;
    }
    const EngineSnapshot *s = engine_snapshot(engine);
    double period_us = BLOCK / RATE * 1e6;
    printf("engine_process, %d frames at %.0f Hz (block period %.1f us), %d s of dense playing, thread CPU time:\n",
           BLOCK, RATE, period_us, SECONDS);
    printf("  mean  %7.2f us  (%5.2f %% of the period)\n", total / (double)blocks, 100.0 * total / (double)blocks / period_us);
    qsort(spent_per_block, (size_t)blocks, sizeof(double), by_value);
    double p999 = spent_per_block[(size_t)((double)blocks * 0.999)];
    printf("  99.9th percentile %7.2f us  (%5.2f %% of the period)\n", p999, 100.0 * p999 / period_us);
    printf("  worst %7.2f us  (%5.2f %% of the period)\n", worst,
           100.0 * worst / period_us);
    printf("  blocks over 10 %% of the period: %ld of %ld\n", over_tenth, blocks);
    printf("  notes %llu, stimuli %llu right + %llu left, merged %llu\n", (unsigned long long)s->notes,
           (unsigned long long)s->stimuli[0], (unsigned long long)s->stimuli[1], (unsigned long long)s->stimuli_merged);
    printf("  memory: engine + 2 hands ~ %zu KiB snapshots\n", 3 * sizeof(EngineSnapshot) / 1024);
    engine_free(engine);
    return 0;
}
