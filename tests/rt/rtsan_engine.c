/* Real-time safety of engine_process, proven by RealtimeSanitizer (LLVM's rtsan runtime,
 * linked into this gcc-built driver): every call runs inside __rtsan_realtime_enter/exit,
 * and any allocation, free, lock, sleep, file or socket call inside it aborts the program
 * with "Real-time violation". A reader thread takes snapshots meanwhile. Exit 0: none. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#include "rtsan_support.h"

#define RATE 48000.0
#define BLOCK 64
#define SECONDS 120

static atomic_int done;

static void *read_snapshots(void *arg)
{
    Engine *engine = arg;
    long reads = 0;
    while (!atomic_load(&done)) {
        const EngineSnapshot *s = engine_snapshot(engine);
        reads += s != NULL;
    }
    return (void *)reads;
}

/* A dense performance: 30 notes a second over both hands, chords, pedal. */
static uint32_t make_block_events(uint64_t start, EngineEvent *events, uint32_t *seed)
{
    uint32_t count = 0;
    for (uint32_t f = 0; f < BLOCK; f++) {
        uint64_t frame = start + f;
        if (frame % 1600 == 0) { /* 30 onsets a second */
            *seed = *seed * 1664525u + 1013904223u;
            uint8_t note = (uint8_t)(36 + (*seed >> 24) % 60), velocity = (uint8_t)(30 + (*seed >> 16) % 90);
            events[count++] = (EngineEvent){f, 3, {0x90, note, velocity}};
            events[count++] = (EngineEvent){f, 3, {0x90, (uint8_t)(note + 4), velocity}};
            events[count++] = (EngineEvent){f, 3, {0x80, (uint8_t)(note + 4), 0}};
        }
        if (frame % 1600 == 1200)
            events[count++] = (EngineEvent){f, 3, {0x80, (uint8_t)(36 + (*seed >> 24) % 60), 0}};
        if (frame % 48000 == 100)
            events[count++] = (EngineEvent){f, 3, {0xB0, 64, (uint8_t)(frame % 96000 ? 0 : 127)}};
    }
    return count;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--self-test") == 0)
        return rtsan_self_test("rtsan-engine");
    EngineConfig config;
    char err[256];
    engine_config_default(&config, RATE, BLOCK);
    Engine *engine = engine_create(&config, err, sizeof err);
    if (!engine) {
        fprintf(stderr, "rtsan-engine: %s\n", err);
        return 1;
    }
    pthread_t reader;
    atomic_init(&done, 0);
    pthread_create(&reader, NULL, read_snapshots, engine);
    EngineEvent events[4 * BLOCK];
    float left[BLOCK], right[BLOCK];
    uint32_t seed = 1;
    long blocks = 0;
    for (uint64_t start = 0; start < (uint64_t)(SECONDS * RATE); start += BLOCK, blocks++) {
        uint32_t count = make_block_events(start, events, &seed);
        __rtsan_realtime_enter();
        engine_process(engine, events, count, left, right, BLOCK);
        __rtsan_realtime_exit();
    }
    atomic_store(&done, 1);
    void *reads;
    pthread_join(reader, &reads);
    const EngineSnapshot *s = engine_snapshot(engine);
    printf("rtsan-engine: %ld blocks of %d frames, %llu notes, %llu stimuli, %llu merged, %ld snapshot reads: "
           "no real-time violation\n",
           blocks, BLOCK, (unsigned long long)s->notes, (unsigned long long)(s->stimuli[0] + s->stimuli[1]),
           (unsigned long long)s->stimuli_merged, (long)reads);
    engine_free(engine);
    return 0;
}
