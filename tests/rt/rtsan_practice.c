/* Real-time safety of a live session's audio-thread work (practice_session_block: sonify and
 * capture requests, events out of the queue into the block, engine_process), proven by
 * RealtimeSanitizer: every block runs inside __rtsan_realtime_enter/exit while a MIDI thread
 * pushes notes into the queue and a main-thread stand-in changes the sonification, saves
 * live captures, reads snapshots and drains the recording tap. Exit 0: no violation, the notes
 * reached the engine and every one of them the recording. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "practice_session.h"
#include "session_recorder.h"

#include "rtsan_support.h"

#define RATE 48000.0
#define BLOCK 128
#define BLOCKS 6000 /* 16 s of audio, rendered as fast as the machine goes */
#define NOTE_PERIOD_NS 2000000 /* a note-on or note-off every 2 ms of wall time */

static atomic_int done;
static SessionRecorder *recorder; /* the main thread's side of the recording */

static void *midi_thread(void *arg)
{
    PracticeSession *session = arg;
    EventQueue *queue = practice_session_queue(session);
    const struct timespec pause = {0, NOTE_PERIOD_NS};
    for (uint32_t i = 0; !atomic_load(&done); i++) {
        uint8_t note = (uint8_t)(48 + (i / 2) % 24);
        TimedEvent e = {.time_ns = event_queue_now_ns(), .size = 3, .bytes = {i % 2 ? 0x80 : 0x90, note, 90}};
        event_queue_push(queue, &e);
        nanosleep(&pause, NULL);
    }
    return NULL;
}

static void *control_thread(void *arg)
{
    PracticeSession *session = arg;
    Engine *engine = practice_session_engine(session);
    long saves = 0;
    const struct timespec pause = {0, 20000000};
    for (int i = 0; !atomic_load(&done); i++) {
        practice_session_request_sonify(session, (SonifyMode)(i % (SONIFY_ALARM + 1)));
        practice_session_change_volume(session, i % 4 < 2 ? 3.0f : -3.0f); /* the '+' and '-' keys */
        engine_snapshot(engine);
        session_recorder_take(recorder, practice_session_tap(session)); /* the recording's drain */
        uint8_t *data = NULL;
        size_t size = 0;
        char err[256];
        if (i % 10 == 0 && practice_session_save_live(session, 0, 100, &data, &size, err, sizeof err) == 0)
            saves++;
        free(data);
        nanosleep(&pause, NULL);
    }
    return (void *)saves;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--self-test") == 0)
        return rtsan_self_test("rtsan-practice");
    EngineConfig config;
    char err[256];
    engine_config_default(&config, RATE, BLOCK);
    PracticeSession *session = practice_session_create(&config, err, sizeof err);
    if (!session) {
        fprintf(stderr, "rtsan-practice: %s\n", err);
        return 1;
    }
    recorder = session_recorder_create(RATE);
    atomic_init(&done, 0);
    pthread_t midi, control;
    pthread_create(&midi, NULL, midi_thread, session);
    pthread_create(&control, NULL, control_thread, session);
    static float left[BLOCK], right[BLOCK];
    const struct timespec block_pause = {0, 500000};
    for (int b = 0; b < BLOCKS; b++) {
        __rtsan_realtime_enter();
        practice_session_block(session, left, right, BLOCK);
        __rtsan_realtime_exit();
        if (b % 4 == 0)
            nanosleep(&block_pause, NULL); /* let the other threads run on small machines */
    }
    atomic_store(&done, 1);
    void *saves;
    pthread_join(midi, NULL);
    pthread_join(control, &saves);
    practice_session_finish(session);
    session_recorder_take(recorder, practice_session_tap(session));
    const EngineSnapshot *s = engine_snapshot(practice_session_engine(session));
    uint64_t notes = s->notes;
    size_t recorded = session_recorder_notes(recorder);
    printf("rtsan-practice: %d blocks, %llu notes through the queue, %ld live saves, %llu dropped, %zu notes "
           "recorded (%llu lost): no real-time violation\n", BLOCKS, (unsigned long long)notes, (long)saves,
           (unsigned long long)event_queue_dropped(practice_session_queue(session)), recorded,
           (unsigned long long)recording_tap_lost(practice_session_tap(session)));
    session_recorder_free(recorder);
    practice_session_free(session);
    return notes > 0 && (long)saves > 0 && recorded == notes ? 0 : 1;
}
