/* DSP load of engine_process at 48 kHz in 64-frame blocks while a dense performance
 * (30 notes a second with chords, both hands, pedal) streams in: mean and worst block
 * time as a share of the block period, and stimuli merged. Figures, not pass/fail. */
#include <stdio.h>
#include <stdlib.h>

#include "block_times.h"
#include "engine.h"

#define RATE 48000.0
#define BLOCK 64
#define SECONDS 300

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

#define RUNS 3 /* identical runs: a block's cost is its least time over them */
#define BLOCKS (SECONDS * 48000 / BLOCK)

/* Block times of one run of the performance through a fresh engine (deterministic: every run
 * does the same work in the same blocks). Returns the engine's final snapshot figures. */
static int run_once(double *spent_per_block, EngineSnapshot *final)
{
    EngineConfig config;
    char err[256];
    engine_config_default(&config, RATE, BLOCK);
    Engine *engine = engine_create(&config, err, sizeof err);
    if (!engine) {
        fprintf(stderr, "bench-engine: %s\n", err);
        return -1;
    }
    EngineEvent events[8 * BLOCK];
    float left[BLOCK], right[BLOCK];
    uint32_t seed = 1;
    for (long b = 0; b < BLOCKS; b++) {
        uint32_t count = block_events((uint64_t)b * BLOCK, events, &seed);
        double t0 = block_times_now_us();
        engine_process(engine, events, count, left, right, BLOCK);
        spent_per_block[b] = block_times_now_us() - t0;
    }
    *final = *engine_snapshot(engine);
    engine_free(engine);
    return 0;
}

/* Mean, 99.9th percentile, worst and blocks over a tenth of the period of block times. */
static void print_figures(const char *title, const double *spent, double period_us)
{
    BlockTimeFigures figures;
    if (block_times_summarise(spent, BLOCKS, period_us, &figures) != 0) {
        fprintf(stderr, "bench-engine: out of memory\n");
        exit(1);
    }
    block_times_print(title, &figures, BLOCKS, period_us);
}

int main(void)
{
    static double runs[RUNS][BLOCKS], least[BLOCKS];
    EngineSnapshot final;
    for (int r = 0; r < RUNS; r++)
        if (run_once(runs[r], &final) != 0)
            return 1;
    for (long b = 0; b < BLOCKS; b++) {
        least[b] = runs[0][b];
        for (int r = 1; r < RUNS; r++)
            least[b] = runs[r][b] < least[b] ? runs[r][b] : least[b];
    }
    double period_us = BLOCK / RATE * 1e6;
    printf("engine_process, %d frames at %.0f Hz (block period %.1f us), %d s of dense playing, thread CPU time\n"
           "(percentages of the period):\n",
           BLOCK, RATE, period_us, SECONDS);
    print_figures("one run", runs[0], period_us);
    printf("  each block's least time over %d identical runs (the block's own cost, without the machine's\n"
           "  interruptions, which rarely hit the same block twice):\n", RUNS);
    print_figures("per-block least", least, period_us);
    printf("  notes %llu, stimuli %llu right + %llu left, merged %llu\n", (unsigned long long)final.notes,
           (unsigned long long)final.stimuli[0], (unsigned long long)final.stimuli[1],
           (unsigned long long)final.stimuli_merged);
    printf("  memory: engine + 2 hands ~ %zu KiB snapshots\n", 3 * sizeof(EngineSnapshot) / 1024);
    return 0;
}
