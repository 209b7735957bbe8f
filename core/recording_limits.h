/* recording_limits: the caps on a recording read from a file (a Standard MIDI File, a PIG
 * fingering file), so that no input, however it lies, makes a reader or a renderer run
 * unbounded: a file's size, its events, the memory reading it takes, its length, and the
 * longest rest in it. A file beyond one is refused naming the cap, before anything is
 * played or written. docs/robustness.md lists them. */
#ifndef HM_RECORDING_LIMITS_H
#define HM_RECORDING_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#define RECORDING_MAX_FILE_BYTES (16u * 1024u * 1024u) /* 16 MiB: about 4 million notes of MIDI */
#define RECORDING_MAX_EVENTS (1024u * 1024u)   /* channel events (a PIG note is two: on and off) */
#define RECORDING_MAX_MEMORY_BYTES (64u * 1024u * 1024u) /* what reading one file may allocate, the file aside */
#define RECORDING_MAX_DURATION_S (8.0 * 3600.0) /* a day's practice */
#define RECORDING_MAX_REST_S 3600.0              /* the longest silence from the start, between events, to the end */

/* Checks a recording's event times (count of them, sorted, in seconds from its start, each
 * stride bytes after the previous one) and its end (>= the last time): no rest longer than
 * RECORDING_MAX_REST_S and no end after RECORDING_MAX_DURATION_S. Returns 0, or -1 with err
 * saying which cap and where ("a rest of 4.42e+09 s (140 years) after 1.5 s: longer than
 * the limit of 3600 s"). */
int recording_check_times(const double *times, size_t stride, size_t count, double end_s, char *err,
                          size_t err_size);

/* Reads a recording's file whole (at most RECORDING_MAX_FILE_BYTES: a larger one is refused
 * without being read further) into a new buffer (free(); one byte more than size, a NUL).
 * A FIFO without a writer reads as empty instead of waiting for one. Returns 0, or -1 with
 * err starting with the path. */
int recording_read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t err_size);

#endif
