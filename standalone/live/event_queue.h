/* event_queue: MIDI events on their way from an input thread (ALSA sequencer reader, JACK
 * process callback) to the audio thread: a lock-free single-producer / single-consumer ring
 * of timestamped events, and the placement of due events into an engine block. Neither
 * side ever blocks: a full queue drops the event and counts it. */
#ifndef HM_EVENT_QUEUE_H
#define HM_EVENT_QUEUE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* One MIDI channel message with the moment it arrived (CLOCK_MONOTONIC, nanoseconds). */
typedef struct {
    int64_t time_ns;
    uint8_t size; /* 1..3 */
    uint8_t bytes[3];
} TimedEvent;

typedef struct EventQueue EventQueue;

/* A queue holding up to capacity events (rounded up to a power of two, at least 2);
 * NULL when out of memory. */
EventQueue *event_queue_create(size_t capacity);

/* Frees a queue; NULL is allowed. */
void event_queue_free(EventQueue *queue);

/* Producer side: appends an event; returns 0, or -1 (event dropped and counted) when full. */
HM_REALTIME int event_queue_push(EventQueue *queue, const TimedEvent *event);

/* Consumer side: the oldest event without removing it; 0 when empty, else 1. */
HM_REALTIME int event_queue_peek(EventQueue *queue, TimedEvent *event);

/* Consumer side: removes the oldest event (after a successful peek). */
HM_REALTIME void event_queue_discard(EventQueue *queue);

/* Events dropped because the queue was full (any thread). */
uint64_t event_queue_dropped(const EventQueue *queue);

/* The monotonic clock in nanoseconds, as used for TimedEvent.time_ns (real-time safe). */
HM_REALTIME int64_t event_queue_now_ns(void);

/* Moves the events due in a block from the queue into out (at most max_events), with frame
 * offsets. The block of frames at rate that starts being rendered at block_start_ns plays the
 * events that arrived during the previous block's span, [block_start_ns - span,
 * block_start_ns): a constant one-block latency that keeps their spacing. Events that arrived
 * earlier (late) go to frame 0; events not yet due stay queued; frames never decrease.
 * Returns the number of events written. */
HM_REALTIME uint32_t event_queue_take_block(EventQueue *queue, int64_t block_start_ns, double rate, uint32_t frames,
                                            EngineEvent *out, uint32_t max_events);

#endif
