/* triple: hands the latest snapshot from the audio thread to other threads without locks
 * or torn reads. Three buffers: the writer owns one, the reader owns one, the third is
 * exchanged atomically. Both sides are wait-free; a reader always sees a whole snapshot
 * (the newest published one). One writer thread and one reader thread. */
#ifndef HM_TRIPLE_H
#define HM_TRIPLE_H

#include <stdatomic.h>
#include <stddef.h>

#include "model.h"

typedef struct {
    unsigned char *data; /* 3 x size bytes */
    size_t size;
    int write_slot;      /* writer's own */
    int read_slot;       /* reader's own */
    atomic_int middle;   /* the exchanged slot, | TRIPLE_FRESH when published and unread */
    int published;       /* reader: something was ever received */
} TripleBuffer;

/* Allocates three buffers of size bytes (zeroed). Returns 0, or -1 without memory. */
int triple_init(TripleBuffer *triple, size_t size);

/* Frees the buffers; safe on a zeroed or failed TripleBuffer. */
void triple_free(TripleBuffer *triple);

/* Writer: the buffer to fill next. */
HM_REALTIME void *triple_write_buffer(TripleBuffer *triple);

/* Writer: makes the filled buffer the newest snapshot. */
HM_REALTIME void triple_publish(TripleBuffer *triple);

/* Reader: the newest published snapshot (stays valid until the next triple_read), or
 * NULL if nothing was published yet. */
const void *triple_read(TripleBuffer *triple);

#endif
