/* smf_write: format 0 Standard MIDI Files. */
#include "smf_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TICKS_PER_SECOND (SMF_WRITE_DIVISION * 1000000.0 / SMF_WRITE_TEMPO_US)
#define EVENT_MAX_BYTES 7 /* a 4-byte delta and a 3-byte message */
#define HEADER_BYTES 22   /* MThd chunk (14) and the MTrk chunk's header (8) */
#define FIXED_TRACK_BYTES 11 /* the tempo event (7) and the end of track (4) */

static uint64_t ticks_of(double time_s)
{
    return time_s > 0.0 ? (uint64_t)llround(time_s * TICKS_PER_SECOND) : 0;
}

/* A variable-length quantity (at most 0x0FFFFFFF: 4 bytes); returns the bytes written. */
static size_t put_vlq(uint8_t *out, uint32_t value)
{
    uint8_t reversed[4];
    size_t n = 0;
    do {
        reversed[n++] = value & 0x7f;
        value >>= 7;
    } while (value && n < 4);
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(reversed[n - 1 - i] | (i + 1 < n ? 0x80 : 0));
    return n;
}

static void put_u32(uint8_t *out, uint32_t v)
{
    out[0] = (uint8_t)(v >> 24), out[1] = (uint8_t)(v >> 16), out[2] = (uint8_t)(v >> 8), out[3] = (uint8_t)v;
}

/* A delta in ticks, capped at the largest a VLQ holds (a recording is far shorter). */
static uint32_t delta_of(uint64_t ticks, uint64_t previous)
{
    uint64_t delta = ticks - previous;
    return delta > 0x0FFFFFFFu ? 0x0FFFFFFFu : (uint32_t)delta;
}

int smf_write(const SmfWriteEvent *events, size_t count, double end_s, uint8_t **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    for (size_t i = 0; i < count; i++)
        if (events[i].bytes[0] < 0x80 || events[i].bytes[0] >= 0xf0 || events[i].size < 2 || events[i].size > 3 ||
            (i > 0 && events[i].time_s < events[i - 1].time_s))
            return -1;
    size_t capacity = HEADER_BYTES + FIXED_TRACK_BYTES + 4 + count * EVENT_MAX_BYTES;
    uint8_t *out = malloc(capacity);
    if (!out)
        return -1;
    memcpy(out, "MThd\0\0\0\6\0\0\0\1", 12); /* length 6, format 0, one track */
    out[12] = SMF_WRITE_DIVISION >> 8, out[13] = SMF_WRITE_DIVISION & 0xff;
    memcpy(out + 14, "MTrk", 4);
    size_t at = HEADER_BYTES;
    static const uint8_t tempo[] = {0x00, 0xff, 0x51, 0x03, (SMF_WRITE_TEMPO_US >> 16) & 0xff,
                                    (SMF_WRITE_TEMPO_US >> 8) & 0xff, SMF_WRITE_TEMPO_US & 0xff};
    memcpy(out + at, tempo, sizeof tempo);
    at += sizeof tempo;
    uint64_t previous = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t ticks = ticks_of(events[i].time_s);
        at += put_vlq(out + at, delta_of(ticks, previous));
        previous = ticks;
        memcpy(out + at, events[i].bytes, events[i].size);
        at += events[i].size;
    }
    uint64_t end = ticks_of(end_s);
    at += put_vlq(out + at, end > previous ? delta_of(end, previous) : 0);
    memcpy(out + at, "\xff\x2f\x00", 3);
    at += 3;
    put_u32(out + 18, (uint32_t)(at - HEADER_BYTES));
    *data = out;
    *size = at;
    return 0;
}
