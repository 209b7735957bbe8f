/* smf: a bounded Standard MIDI File reader (format 0 and 1, tempo map, SMPTE division) turning a
 * file into one time-sorted list of channel-voice events in seconds. File code: it allocates,
 * but never reads past its input, and refuses malformed files naming the byte offset and reason,
 * and files beyond the caps of recording_limits.h naming the cap. */
#ifndef HM_SMF_H
#define HM_SMF_H

#include <stddef.h>
#include <stdint.h>

#include "recording_limits.h"

/* Files beyond a cap are refused (recording_limits.h: also their memory, length and rests). */
#define SMF_MAX_FILE_SIZE RECORDING_MAX_FILE_BYTES
#define SMF_MAX_TRACKS 1024 /* files declaring more tracks are refused */
#define SMF_MAX_EVENTS RECORDING_MAX_EVENTS
#define SMF_DEFAULT_TEMPO_US 500000u            /* microseconds per quarter note = 120 bpm */

/* One channel-voice message (note on/off, control change, program change, pressure, pitch
 * bend) with its time. bytes[0] is always the status byte, even where the file used running
 * status; size is 2 or 3 (feed bytes/size to midi_parse_message). */
typedef struct {
    double time_s;  /* from the start of the song, through the tempo map */
    uint64_t tick;  /* the same time in the file's ticks */
    uint8_t size;   /* 2 or 3 */
    uint8_t bytes[3];
    uint16_t track; /* index of the track chunk it came from, 0 = the first (messages count from 1) */
} SmfEvent;

/* A file read into memory: its events, sorted by time; for equal times in track order, then in
 * file order. */
typedef struct SmfSong SmfSong;

/* Reads a Standard MIDI File held in memory. Returns 0 and sets *out (free with smf_free), or
 * returns -1, leaves *out NULL and writes "offset N: reason" into err (if not NULL). */
int smf_read_memory(const uint8_t *data, size_t size, SmfSong **out, char *err, size_t err_size);

/* Reads a Standard MIDI File from disk; like smf_read_memory, but messages start with the path. */
int smf_read_file(const char *path, SmfSong **out, char *err, size_t err_size);

/* Frees a song (NULL is fine). */
void smf_free(SmfSong *song);

/* Number of channel-voice events. */
size_t smf_event_count(const SmfSong *song);

/* The events, sorted by time (NULL when there are none). */
const SmfEvent *smf_events(const SmfSong *song);

/* Length of the song in seconds: the time of the latest end of track (or event). */
double smf_duration_s(const SmfSong *song);

/* The file's format: 0 (one track) or 1 (parallel tracks). */
int smf_format(const SmfSong *song);

/* Number of track chunks read. */
int smf_track_count(const SmfSong *song);

/* Ticks per quarter note, or 0 for a file with SMPTE (frames per second) division. */
int smf_ticks_per_quarter(const SmfSong *song);

/* Converts a tick to seconds through the song's tempo map (or SMPTE division). */
double smf_tick_to_seconds(const SmfSong *song, uint64_t tick);

#endif
