/* wall_clock: the one clock by which saved states are stamped and gaps measured, for the
 * program and the plugin alike: SOURCE_DATE_EPOCH when it is set to a whole number
 * (reproducible builds and tests), else the system's time. Not for the real-time path. */
#ifndef HM_WALL_CLOCK_H
#define HM_WALL_CLOCK_H

#include <stdint.h>

/* Seconds since 1970-01-01 UTC. */
int64_t wall_clock_unix(void);

#endif
