/* demo_session: the built-in practice session `homunculus demo` plays: a few minutes' worth of
 * exercises for both hands made by the exercise generators (exercises.h), ending with a
 * stretch of repetitive two-finger chords, the kind of practice that merges maps. The notes are
 * channel-coded (channels 1-5 right thumb..little, 6-10 left), so the engine knows each finger. */
#ifndef HM_DEMO_SESSION_H
#define HM_DEMO_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "smf.h"

/* One part of the session, for the printed programme. */
typedef struct {
    const char *what; /* e.g. "five-finger pattern, both hands" */
    double start_s, length_s;
} DemoPart;

/* The session's parts (count in *count). */
const DemoPart *demo_session_parts(size_t *count);

/* Builds the session's events, sorted by time (malloc'd array, free()); returns 0, or -1 with
 * the reason in err. seed drives the velocities. */
int demo_session_events(uint64_t seed, SmfEvent **events, size_t *count, char *err, size_t err_size);

#endif
