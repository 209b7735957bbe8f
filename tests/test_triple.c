/* The snapshot hand-over: a reader thread never sees a torn snapshot. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "suites.h"
#include "triple.h"

#define WORDS 256 /* a 2 KB snapshot: every word carries the same sequence number */

typedef struct {
    TripleBuffer triple;
    atomic_int done;
    atomic_long seen; /* the writer goes on until the reader has seen enough */
    long torn, decreasing;
} Shared;

static void *reader(void *arg)
{
    Shared *s = arg;
    uint64_t last = 0;
    while (!atomic_load(&s->done)) {
        const uint64_t *snap = triple_read(&s->triple);
        if (!snap)
            continue;
        for (int i = 1; i < WORDS; i++)
            if (snap[i] != snap[0]) {
                s->torn++;
                break;
            }
        if (snap[0] < last)
            s->decreasing++;
        last = snap[0];
        atomic_fetch_add(&s->seen, 1);
    }
    return NULL;
}

START_TEST(reader_never_sees_a_torn_snapshot)
{
    Shared s = {.torn = 0, .decreasing = 0};
    ck_assert_int_eq(triple_init(&s.triple, WORDS * sizeof(uint64_t)), 0);
    ck_assert_ptr_null(triple_read(&s.triple));
    atomic_init(&s.done, 0);
    atomic_init(&s.seen, 0);
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, reader, &s), 0);
    /* at least 300,000 snapshots, and on until the reader has read 1,000 of them while the
     * writer wrote: under valgrind, which runs one thread at a time, the writer's first
     * 300,000 can pass before the reader is ever scheduled */
    uint64_t seq = 0;
    while (seq < 300000 || (atomic_load(&s.seen) < 1000 && seq < 300000000)) {
        uint64_t *buffer = triple_write_buffer(&s.triple);
        seq++;
        for (int i = 0; i < WORDS; i++)
            buffer[i] = seq;
        triple_publish(&s.triple);
    }
    atomic_store(&s.done, 1);
    pthread_join(thread, NULL);
    const uint64_t *last = triple_read(&s.triple);
    ck_assert_uint_eq(last[0], seq);
    ck_assert_int_eq(s.torn, 0);
    ck_assert_int_eq(s.decreasing, 0);
    ck_assert_int_ge(atomic_load(&s.seen), 1000);
    triple_free(&s.triple);
}
END_TEST

Suite *triple_suite(void)
{
    Suite *suite = suite_create("triple");
    TCase *tc = tcase_create("hand-over");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, reader_never_sees_a_torn_snapshot);
    suite_add_tcase(suite, tc);
    return suite;
}
