/* Lock-free triple buffer (C11 atomics). */
#include "triple.h"

#include <stdlib.h>

#define TRIPLE_FRESH 4

int triple_init(TripleBuffer *t, size_t size)
{
    t->size = size;
    t->data = calloc(3, size ? size : 1);
    t->write_slot = 0;
    t->read_slot = 1;
    atomic_init(&t->middle, 2);
    t->published = 0;
    return t->data ? 0 : -1;
}

void triple_free(TripleBuffer *t)
{
    free(t->data);
    t->data = NULL;
}

HM_REALTIME void *triple_write_buffer(TripleBuffer *t)
{
    return t->data + (size_t)t->write_slot * t->size;
}

HM_REALTIME void triple_publish(TripleBuffer *t)
{
    /* release: the snapshot's bytes are visible before the slot is */
    int previous = atomic_exchange_explicit(&t->middle, t->write_slot | TRIPLE_FRESH, memory_order_acq_rel);
    t->write_slot = previous & ~TRIPLE_FRESH;
}

const void *triple_read(TripleBuffer *t)
{
    if (atomic_load_explicit(&t->middle, memory_order_acquire) & TRIPLE_FRESH) {
        int fresh = atomic_exchange_explicit(&t->middle, t->read_slot, memory_order_acq_rel);
        t->read_slot = fresh & ~TRIPLE_FRESH;
        t->published = 1;
    }
    return t->published ? t->data + (size_t)t->read_slot * t->size : NULL;
}
