/* event_queue: a C11-atomics single-producer / single-consumer ring (see event_queue.h). */
#include "event_queue.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct EventQueue {
    size_t mask;                /* capacity - 1, capacity a power of two */
    _Atomic size_t head;        /* next slot the producer writes (only the producer stores) */
    _Atomic size_t tail;        /* next slot the consumer reads (only the consumer stores) */
    _Atomic uint64_t dropped;
    TimedEvent *slots;
};

EventQueue *event_queue_create(size_t capacity)
{
    size_t size = 2;
    while (size < capacity && size < ((size_t)1 << 30))
        size <<= 1;
    EventQueue *queue = calloc(1, sizeof *queue);
    TimedEvent *slots = calloc(size, sizeof *slots);
    if (!queue || !slots) {
        free(queue), free(slots);
        return NULL;
    }
    queue->mask = size - 1;
    queue->slots = slots;
    atomic_init(&queue->head, 0);
    atomic_init(&queue->tail, 0);
    atomic_init(&queue->dropped, 0);
    return queue;
}

void event_queue_free(EventQueue *queue)
{
    if (queue) {
        free(queue->slots);
        free(queue);
    }
}

int event_queue_push(EventQueue *queue, const TimedEvent *event)
{
    size_t head = atomic_load_explicit(&queue->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&queue->tail, memory_order_acquire);
    if (head - tail > queue->mask) {
        atomic_fetch_add_explicit(&queue->dropped, 1, memory_order_relaxed);
        return -1;
    }
    queue->slots[head & queue->mask] = *event;
    atomic_store_explicit(&queue->head, head + 1, memory_order_release);
    return 0;
}

int event_queue_peek(EventQueue *queue, TimedEvent *event)
{
    size_t tail = atomic_load_explicit(&queue->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&queue->head, memory_order_acquire);
    if (head == tail)
        return 0;
    *event = queue->slots[tail & queue->mask];
    return 1;
}

void event_queue_discard(EventQueue *queue)
{
    size_t tail = atomic_load_explicit(&queue->tail, memory_order_relaxed);
    atomic_store_explicit(&queue->tail, tail + 1, memory_order_release);
}

uint64_t event_queue_dropped(const EventQueue *queue)
{
    return atomic_load_explicit(&((EventQueue *)queue)->dropped, memory_order_relaxed);
}

int64_t event_queue_now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

uint32_t event_queue_take_block(EventQueue *queue, int64_t block_start_ns, double rate, uint32_t frames,
                                EngineEvent *out, uint32_t max_events)
{
    if (frames == 0 || rate <= 0)
        return 0;
    int64_t span_ns = (int64_t)((double)frames * 1e9 / rate);
    int64_t window_start = block_start_ns - span_ns;
    uint32_t count = 0, last_frame = 0;
    TimedEvent event;
    while (count < max_events && event_queue_peek(queue, &event) && event.time_ns < block_start_ns) {
        event_queue_discard(queue);
        if (event.size < 1 || event.size > 3)
            continue;
        uint32_t frame = 0;
        if (event.time_ns > window_start) {
            double offset = (double)(event.time_ns - window_start) * rate / 1e9;
            frame = offset >= frames - 1 ? frames - 1 : (uint32_t)offset;
        }
        if (frame < last_frame) /* engine_process wants sorted frames, whatever the timestamps say */
            frame = last_frame;
        last_frame = frame;
        EngineEvent *e = &out[count++];
        e->frame = frame;
        e->size = event.size;
        memcpy(e->bytes, event.bytes, sizeof e->bytes);
    }
    return count;
}
