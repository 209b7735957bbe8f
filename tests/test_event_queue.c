/* The MIDI event queue: order, capacity and drops, a producer thread against a consumer
 * without loss or reordering, and the placement of events into engine blocks. */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "event_queue.h"
#include "suites.h"

#define RATE 48000.0
#define BLOCK 256u
#define NS_PER_FRAME (1e9 / RATE)

static TimedEvent note_on(int64_t time_ns, uint8_t note)
{
    return (TimedEvent){.time_ns = time_ns, .size = 3, .bytes = {0x90, note, 100}};
}

START_TEST(keeps_order_and_counts_drops_when_full)
{
    EventQueue *q = event_queue_create(5); /* rounded up to 8 */
    ck_assert_ptr_nonnull(q);
    for (int i = 0; i < 8; i++) {
        TimedEvent e = note_on(i, (uint8_t)i);
        ck_assert_int_eq(event_queue_push(q, &e), 0);
    }
    TimedEvent extra = note_on(9, 99);
    ck_assert_int_eq(event_queue_push(q, &extra), -1);
    ck_assert_uint_eq(event_queue_dropped(q), 1);
    TimedEvent got;
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(event_queue_peek(q, &got), 1);
        ck_assert_int_eq(got.bytes[1], i);
        event_queue_discard(q);
    }
    ck_assert_int_eq(event_queue_peek(q, &got), 0);
    event_queue_free(q);
}
END_TEST

#define THREAD_EVENTS 200000

static void *produce(void *arg)
{
    EventQueue *q = arg;
    for (int64_t i = 0; i < THREAD_EVENTS;) {
        TimedEvent e = note_on(i, (uint8_t)(i % 128));
        if (event_queue_push(q, &e) == 0)
            i++;
        else
            sched_yield(); /* full: let the consumer run (a loaded 2-core machine) */
    }
    return NULL;
}

START_TEST(a_producer_thread_hands_over_everything_in_order)
{
    EventQueue *q = event_queue_create(64);
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, produce, q), 0);
    int64_t expected = 0;
    long out_of_order = 0;
    while (expected < THREAD_EVENTS) {
        TimedEvent got;
        if (!event_queue_peek(q, &got)) {
            sched_yield(); /* empty: let the producer run */
            continue;
        }
        out_of_order += got.time_ns != expected || got.bytes[1] != expected % 128;
        event_queue_discard(q);
        expected++;
    }
    pthread_join(thread, NULL);
    ck_assert_int_eq(out_of_order, 0);
    event_queue_free(q);
}
END_TEST

START_TEST(events_land_one_block_late_at_their_offset)
{
    EventQueue *q = event_queue_create(16);
    const int64_t block_ns = (int64_t)(BLOCK * NS_PER_FRAME);
    const int64_t start = 1000000000; /* this block starts rendering now */
    TimedEvent late = note_on(start - 3 * block_ns, 60);          /* long before the window */
    TimedEvent early = note_on(start - block_ns + (int64_t)(10 * NS_PER_FRAME), 62);
    TimedEvent middle = note_on(start - block_ns / 2, 64);
    TimedEvent future = note_on(start + 1000, 65);                /* arrived after the block started */
    event_queue_push(q, &late);
    event_queue_push(q, &early);
    event_queue_push(q, &middle);
    event_queue_push(q, &future);
    EngineEvent out[8];
    uint32_t n = event_queue_take_block(q, start, RATE, BLOCK, out, 8);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(out[0].frame, 0);
    ck_assert_int_eq(out[0].bytes[1], 60);
    ck_assert_uint_ge(out[1].frame, 9);
    ck_assert_uint_le(out[1].frame, 11);
    ck_assert_uint_ge(out[2].frame, BLOCK / 2 - 1);
    ck_assert_uint_le(out[2].frame, BLOCK / 2 + 1);
    ck_assert_uint_eq(out[2].size, 3);
    TimedEvent rest;
    ck_assert_int_eq(event_queue_peek(q, &rest), 1);
    ck_assert_int_eq(rest.bytes[1], 65); /* the next block's */
    n = event_queue_take_block(q, start + block_ns + 2000, RATE, BLOCK, out, 8);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_lt(out[0].frame, BLOCK);
    event_queue_free(q);
}
END_TEST

START_TEST(block_takes_no_more_than_room_and_keeps_frames_sorted)
{
    EventQueue *q = event_queue_create(16);
    const int64_t start = 5000000000;
    for (int i = 0; i < 6; i++) {
        /* a clock that jumps back must still give sorted frames */
        TimedEvent e = note_on(start - 1000000 + (i % 2 ? -200000 : 200000) + i * 10000, (uint8_t)(60 + i));
        event_queue_push(q, &e);
    }
    EngineEvent out[4];
    uint32_t n = event_queue_take_block(q, start, RATE, BLOCK, out, 4);
    ck_assert_uint_eq(n, 4);
    for (uint32_t i = 1; i < n; i++)
        ck_assert_uint_ge(out[i].frame, out[i - 1].frame);
    n = event_queue_take_block(q, start, RATE, BLOCK, out, 4);
    ck_assert_uint_eq(n, 2); /* the rest waited for the next call */
    event_queue_free(q);
}
END_TEST

Suite *event_queue_suite(void)
{
    Suite *s = suite_create("event_queue");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, keeps_order_and_counts_drops_when_full);
    tcase_add_test(tc, a_producer_thread_hands_over_everything_in_order);
    tcase_add_test(tc, events_land_one_block_late_at_their_offset);
    tcase_add_test(tc, block_takes_no_more_than_room_and_keeps_frames_sorted);
    suite_add_tcase(s, tc);
    return s;
}
