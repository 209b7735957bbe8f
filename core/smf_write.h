/* smf_write: a Standard MIDI File (format 0, one track) from timed channel messages: what a
 * practice session's recording is saved as (core/smf.c reads it back). Pure: bytes in memory. */
#ifndef HM_SMF_WRITE_H
#define HM_SMF_WRITE_H

#include <stddef.h>
#include <stdint.h>

#define SMF_WRITE_DIVISION 480       /* ticks per quarter note */
#define SMF_WRITE_TEMPO_US 500000    /* 120 bpm: 960 ticks a second */

typedef struct {
    double time_s;    /* from the recording's start; the messages in time order */
    uint8_t bytes[3]; /* a channel message with its status byte (note on/off, controller, ...) */
    uint8_t size;     /* 2 or 3 */
} SmfWriteEvent;

/* The file for count events ending at end_s (the end of track; at least the last event's
 * time), into a new buffer (free()). Returns 0, or -1 when out of memory or an event is not
 * a channel message or out of order. */
int smf_write(const SmfWriteEvent *events, size_t count, double end_s, uint8_t **data, size_t *size);

#endif
