/* practice_session: the audio thread's side of a live session (see practice_session.h). */
#include "practice_session.h"

#include <stdatomic.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

enum { CAPTURE_IDLE, CAPTURE_REQUESTED, CAPTURE_TAKEN };

struct PracticeSession {
    Engine *engine;
    EventQueue *queue;
    EngineCapture *capture;
    EngineEvent *block_events; /* max_block of them */
    uint32_t max_block;
    double rate;
    atomic_int sonify_requested; /* a SonifyMode, or -1 when nothing is asked */
    atomic_int sonify_mode;
    atomic_int volume_centi_db;   /* the sound's level in hundredths of a dB */
    atomic_int volume_requested;  /* 1: the audio thread applies volume_centi_db */
    atomic_int capture_state;
    _Atomic uint64_t blocks;
    RecordingTap *tap;       /* the block's notes and fingers, for the session's recording */
    uint64_t frame;          /* engine frames processed by the block function */
};

PracticeSession *practice_session_create(const EngineConfig *config, char *err, size_t err_size)
{
    PracticeSession *session = calloc(1, sizeof *session);
    if (!session) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    session->engine = engine_create(config, err, err_size);
    if (!session->engine) {
        free(session);
        return NULL;
    }
    session->queue = event_queue_create(PRACTICE_QUEUE_CAPACITY);
    session->block_events = calloc(config->max_block, sizeof *session->block_events);
    session->capture = engine_capture_create(session->engine, err, err_size);
    session->tap = recording_tap_create(PRACTICE_TAP_CAPACITY);
    if (!session->queue || !session->block_events || !session->capture || !session->tap) {
        if (session->capture)
            snprintf(err, err_size, "out of memory");
        practice_session_free(session);
        return NULL;
    }
    session->max_block = config->max_block;
    session->rate = config->sample_rate;
    atomic_init(&session->sonify_requested, -1);
    atomic_init(&session->sonify_mode, (int)config->sonify_mode);
    atomic_init(&session->volume_centi_db, (int)lrintf(100.0f * config->level_db));
    atomic_init(&session->volume_requested, 0);
    atomic_init(&session->capture_state, CAPTURE_IDLE);
    atomic_init(&session->blocks, 0);
    return session;
}

void practice_session_free(PracticeSession *session)
{
    if (!session)
        return;
    engine_capture_free(session->capture);
    recording_tap_free(session->tap);
    free(session->block_events);
    event_queue_free(session->queue);
    engine_free(session->engine);
    free(session);
}

Engine *practice_session_engine(PracticeSession *session)
{
    return session->engine;
}

EventQueue *practice_session_queue(PracticeSession *session)
{
    return session->queue;
}

void practice_session_block(void *user, float *left, float *right, uint32_t frames)
{
    PracticeSession *session = user;
    int mode = atomic_exchange_explicit(&session->sonify_requested, -1, memory_order_acquire);
    if (mode >= 0)
        engine_set_sonify_mode(session->engine, (SonifyMode)mode);
    if (atomic_exchange_explicit(&session->volume_requested, 0, memory_order_acquire))
        engine_set_level_db(session->engine, 0.01f * (float)atomic_load(&session->volume_centi_db));
    if (atomic_load_explicit(&session->capture_state, memory_order_acquire) == CAPTURE_REQUESTED) {
        engine_capture(session->engine, session->capture);
        atomic_store_explicit(&session->capture_state, CAPTURE_TAKEN, memory_order_release);
    }
    if (frames > session->max_block)
        frames = session->max_block;
    uint32_t count = event_queue_take_block(session->queue, event_queue_now_ns(), session->rate, frames,
                                            session->block_events, session->max_block);
    engine_process(session->engine, session->block_events, count, left, right, frames);
    recording_tap_block(session->tap, session->engine, session->frame, session->block_events, count);
    session->frame += frames;
    atomic_fetch_add_explicit(&session->blocks, 1, memory_order_relaxed);
}

RecordingTap *practice_session_tap(PracticeSession *session)
{
    return session->tap;
}

void practice_session_finish(PracticeSession *session)
{
    engine_finish(session->engine);
    recording_tap_block(session->tap, session->engine, session->frame, NULL, 0);
}

float practice_session_change_volume(PracticeSession *session, float step_db)
{
    float db = practice_session_volume_db(session) + step_db;
    db = db < SONIFY_LEVEL_MIN_DB ? SONIFY_LEVEL_MIN_DB : db > SONIFY_LEVEL_MAX_DB ? SONIFY_LEVEL_MAX_DB : db;
    atomic_store(&session->volume_centi_db, (int)lrintf(100.0f * db));
    atomic_store_explicit(&session->volume_requested, 1, memory_order_release);
    return db;
}

float practice_session_volume_db(const PracticeSession *session)
{
    return 0.01f * (float)atomic_load(&((PracticeSession *)session)->volume_centi_db);
}

void practice_session_request_sonify(PracticeSession *session, SonifyMode mode)
{
    atomic_store(&session->sonify_mode, (int)mode);
    atomic_store_explicit(&session->sonify_requested, (int)mode, memory_order_release);
}

void practice_session_cycle_sonify(PracticeSession *session)
{
    practice_session_request_sonify(session, (SonifyMode)((practice_session_sonify(session) + 1) % (SONIFY_ALARM + 1)));
}

SonifyMode practice_session_sonify(const PracticeSession *session)
{
    return (SonifyMode)atomic_load(&((PracticeSession *)session)->sonify_mode);
}

int practice_session_save_live(PracticeSession *session, int64_t saved_unix, int timeout_ms, uint8_t **data,
                               size_t *size, char *err, size_t err_size)
{
    atomic_store_explicit(&session->capture_state, CAPTURE_REQUESTED, memory_order_release);
    const struct timespec millisecond = {0, 1000000};
    int waited = 0;
    while (atomic_load_explicit(&session->capture_state, memory_order_acquire) != CAPTURE_TAKEN) {
        if (waited++ >= timeout_ms) {
            atomic_store(&session->capture_state, CAPTURE_IDLE);
            snprintf(err, err_size, "the audio thread took no capture of the state within %d ms", timeout_ms);
            return -1;
        }
        nanosleep(&millisecond, NULL);
    }
    atomic_store(&session->capture_state, CAPTURE_IDLE);
    *size = engine_capture_size(session->capture);
    *data = malloc(*size ? *size : 1);
    if (!*data || engine_capture_save(session->capture, saved_unix, *data, *size) != *size) {
        free(*data);
        *data = NULL;
        snprintf(err, err_size, "cannot serialise the captured state (%zu bytes)", *size);
        return -1;
    }
    return 0;
}

uint64_t practice_session_blocks(const PracticeSession *session)
{
    return atomic_load(&((PracticeSession *)session)->blocks);
}
