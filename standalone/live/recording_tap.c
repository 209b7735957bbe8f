/* recording_tap: the audio thread's lock-free hand-over to the session recorder. */
#include "recording_tap.h"

#include <stdatomic.h>
#include <stdlib.h>

#define FINALS_PER_CALL 64 /* decided notes copied from the engine at a time */

struct RecordingTap {
    TapItem *items;
    size_t mask;
    _Atomic size_t head, tail; /* head: next to write (producer); tail: next to read (consumer) */
    _Atomic uint64_t lost;
    uint64_t finals_cursor;    /* producer's: notes taken from the engine so far */
    uint64_t finals_lost;
};

RecordingTap *recording_tap_create(size_t capacity)
{
    size_t size = 2;
    while (size < capacity)
        size *= 2;
    RecordingTap *tap = calloc(1, sizeof *tap);
    if (!tap || !(tap->items = calloc(size, sizeof *tap->items))) {
        free(tap);
        return NULL;
    }
    tap->mask = size - 1;
    atomic_init(&tap->head, 0);
    atomic_init(&tap->tail, 0);
    atomic_init(&tap->lost, 0);
    return tap;
}

void recording_tap_free(RecordingTap *tap)
{
    if (!tap)
        return;
    free(tap->items);
    free(tap);
}

static HM_REALTIME void push(RecordingTap *tap, const TapItem *item)
{
    size_t head = atomic_load_explicit(&tap->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&tap->tail, memory_order_acquire);
    if (head - tail > tap->mask) {
        atomic_fetch_add_explicit(&tap->lost, 1, memory_order_relaxed);
        return;
    }
    tap->items[head & tap->mask] = *item;
    atomic_store_explicit(&tap->head, head + 1, memory_order_release);
}

HM_REALTIME void recording_tap_block(RecordingTap *tap, const Engine *engine, uint64_t block_frame,
                                     const EngineEvent *events, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        uint8_t kind = events[i].bytes[0] & 0xf0;
        if (events[i].size != 3 || (kind != 0x80 && kind != 0x90))
            continue;
        TapItem item = {.kind = TAP_MIDI, .frame = block_frame + events[i].frame};
        for (int b = 0; b < 3; b++)
            item.bytes[b] = events[i].bytes[b];
        push(tap, &item);
    }
    EngineFinal finals[FINALS_PER_CALL];
    uint32_t n;
    uint64_t lost_before = tap->finals_lost;
    while ((n = engine_take_finals(engine, &tap->finals_cursor, finals, FINALS_PER_CALL, &tap->finals_lost)) > 0)
        for (uint32_t i = 0; i < n; i++) {
            TapItem item = {.kind = TAP_FINAL, .frame = finals[i].onset_frame, .final = finals[i]};
            push(tap, &item);
        }
    if (tap->finals_lost != lost_before)
        atomic_fetch_add_explicit(&tap->lost, tap->finals_lost - lost_before, memory_order_relaxed);
}

size_t recording_tap_drain(RecordingTap *tap, TapItem *out, size_t max)
{
    size_t tail = atomic_load_explicit(&tap->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&tap->head, memory_order_acquire);
    size_t n = 0;
    for (; n < max && tail != head; n++, tail++)
        out[n] = tap->items[tail & tap->mask];
    atomic_store_explicit(&tap->tail, tail, memory_order_release);
    return n;
}

uint64_t recording_tap_lost(const RecordingTap *tap)
{
    return atomic_load(&((RecordingTap *)tap)->lost);
}
