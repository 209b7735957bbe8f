/* session_recorder: a live session's MIDI kept with the profile (issue 18, item 7). The main
 * thread drains the audio thread's tap (recording_tap.h) into memory while the session runs;
 * at its end the notes are written as a Standard MIDI File with each note on the channel of
 * its finger (channels 1-5: right thumb .. little finger, 6-10: left; 16: a note given no
 * finger), the convention `--fingering channel` and schedules' `fingering = channel` read, so
 * that the file can be played (`play FILE --fingering channel`), scored and simulated again. */
#ifndef HM_SESSION_RECORDER_H
#define HM_SESSION_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "recording_tap.h"

#define SESSION_RECORDER_UNFINGERED_CHANNEL 15 /* channel 16: notes the engine gave no finger */

typedef struct SessionRecorder SessionRecorder;

/* A recorder for a session at sample_rate frames a second; NULL when out of memory. */
SessionRecorder *session_recorder_create(double sample_rate);

/* Frees a recorder; NULL is allowed. */
void session_recorder_free(SessionRecorder *recorder);

/* Moves what the tap holds into the recorder (main thread; often enough that the tap never
 * fills: every view refresh); a NULL recorder (none could be made) only empties the tap. Past the caps of recording_limits.h (events, length) notes are
 * no longer kept, and counted. */
void session_recorder_take(SessionRecorder *recorder, RecordingTap *tap);

/* Notes kept so far, and notes not kept (beyond a cap). */
size_t session_recorder_notes(const SessionRecorder *recorder);
uint64_t session_recorder_not_kept(const SessionRecorder *recorder);

/* The recording as a Standard MIDI File (format 0), times from its first note, rests longer
 * than the reader's cap (RECORDING_MAX_REST_S) shortened to it, notes still held closed at
 * the end; into a new buffer (free()). Returns 0, 1 when there is no note (nothing made), or
 * -1 when out of memory. */
int session_recorder_smf(const SessionRecorder *recorder, uint8_t **data, size_t *size);

/* Writes the recording of a session that started at start_unix beside the profile
 * (profile_recording_path), atomically. Returns 0 with "recording: PATH (N notes ...)" in
 * said, 1 when there was no note (nothing written, said empty), or -1 with err. */
int session_recorder_save(const SessionRecorder *recorder, const ProfilePaths *paths, int64_t start_unix,
                          char *said, size_t said_size, char *err, size_t err_size);

#endif
