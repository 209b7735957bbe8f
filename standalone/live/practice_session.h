/* practice_session: what the audio thread of a live practice session owns: the engine, the
 * queue of MIDI events coming in, and the requests other threads make of it (change the
 * sonification, capture the state for saving), passed through atomics so that the block
 * function never waits. */
#ifndef HM_PRACTICE_SESSION_H
#define HM_PRACTICE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "event_queue.h"
#include "recording_tap.h"

#define PRACTICE_QUEUE_CAPACITY 4096 /* events in flight between a MIDI thread and the audio thread */
#define PRACTICE_TAP_CAPACITY 16384  /* notes and fingers between two drains by the recorder */

typedef struct PracticeSession PracticeSession;

/* Creates the engine (config) and the queue; NULL with the reason in err. */
PracticeSession *practice_session_create(const EngineConfig *config, char *err, size_t err_size);

/* Frees everything; NULL is allowed. The audio clock must be stopped first. */
void practice_session_free(PracticeSession *session);

/* The engine: the main thread may use it directly only while no block function runs (before
 * the audio clock starts, after it stops); engine_snapshot is fine at any time. */
Engine *practice_session_engine(PracticeSession *session);

/* Where MIDI input threads push their events. */
EventQueue *practice_session_queue(PracticeSession *session);

/* The audio clock's block function (an AudioBlockFunction): applies requests, places the
 * due events in the block and runs the engine. */
HM_REALTIME void practice_session_block(void *session, float *left, float *right, uint32_t frames);

/* Asks the audio thread to switch the sonification at its next block. */
void practice_session_request_sonify(PracticeSession *session, SonifyMode mode);

/* Asks for the next mode after the current one (off, map, echo, alarm, off, ...): the key
 * the live views give for it. */
void practice_session_cycle_sonify(PracticeSession *session);

/* The mode last requested (or configured). */
SonifyMode practice_session_sonify(const PracticeSession *session);

/* Changes the sound's level by step_db (clamped to -60 (muted)..+6 dB), applied by the audio
 * thread at its next block; returns the new level. From the main thread. */
float practice_session_change_volume(PracticeSession *session, float step_db);

/* The sound's level in dB as last set (the configuration's level_db until changed). */
float practice_session_volume_db(const PracticeSession *session);

/* Serialises the state while the audio clock runs: asks the block function for a capture,
 * waits (up to timeout_ms) until it is taken, then writes it into a new buffer (free()).
 * Returns 0, or -1 with the reason in err. */
int practice_session_save_live(PracticeSession *session, int64_t saved_unix, int timeout_ms, uint8_t **data,
                               size_t *size, char *err, size_t err_size);

/* The audio thread's hand-over of notes and fingers to the session's recorder
 * (session_recorder_take drains it on the main thread). */
RecordingTap *practice_session_tap(PracticeSession *session);

/* With the audio clock stopped: engine_finish (the last notes get their fingers), and those
 * fingers handed to the tap. */
void practice_session_finish(PracticeSession *session);

/* Blocks processed so far (any thread). */
uint64_t practice_session_blocks(const PracticeSession *session);

#endif
