/* A live session's audio-thread side: notes pushed into its queue reach the engine through the
 * block function, a live save waits for the audio thread's capture (and fails with a reason
 * when no block runs), the capture loads back as a state, sonification requests are kept. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "practice_session.h"
#include "suites.h"

#define RATE 48000.0
#define BLOCK 256

static PracticeSession *new_session(void)
{
    EngineConfig config;
    engine_config_default(&config, RATE, BLOCK);
    char err[256];
    PracticeSession *session = practice_session_create(&config, err, sizeof err);
    ck_assert_msg(session != NULL, "%s", err);
    return session;
}

typedef struct {
    PracticeSession *session;
    atomic_int stop;
} AudioStandIn;

/* Calls the block function the way the silent clock does, a little faster. */
static void *audio_thread(void *arg)
{
    AudioStandIn *audio = arg;
    static float left[BLOCK], right[BLOCK];
    const struct timespec pause = {0, 1000000};
    while (!atomic_load(&audio->stop)) {
        practice_session_block(audio->session, left, right, BLOCK);
        nanosleep(&pause, NULL);
    }
    return NULL;
}

START_TEST(a_live_save_without_an_audio_thread_fails_with_a_reason)
{
    PracticeSession *session = new_session();
    uint8_t *data = NULL;
    size_t size = 0;
    char err[256] = "";
    ck_assert_int_eq(practice_session_save_live(session, 0, 20, &data, &size, err, sizeof err), -1);
    ck_assert_ptr_null(data);
    ck_assert_msg(strstr(err, "no capture") != NULL, "%s", err);
    practice_session_free(session);
}
END_TEST

START_TEST(notes_reach_the_engine_and_a_live_save_loads_back)
{
    PracticeSession *session = new_session();
    AudioStandIn audio = {.session = session};
    atomic_init(&audio.stop, 0);
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, audio_thread, &audio), 0);
    const struct timespec gap = {0, 20000000};
    for (int i = 0; i < 20; i++) {
        uint8_t note = (uint8_t)(60 + i % 5);
        TimedEvent on = {.time_ns = event_queue_now_ns(), .size = 3, .bytes = {0x90, note, 100}};
        ck_assert_int_eq(event_queue_push(practice_session_queue(session), &on), 0);
        nanosleep(&gap, NULL);
        TimedEvent off = {.time_ns = event_queue_now_ns(), .size = 3, .bytes = {0x80, note, 0}};
        ck_assert_int_eq(event_queue_push(practice_session_queue(session), &off), 0);
    }
    practice_session_request_sonify(session, SONIFY_ECHO);
    ck_assert_int_eq(practice_session_sonify(session), SONIFY_ECHO);
    uint8_t *data = NULL;
    size_t size = 0;
    char err[256] = "";
    int saved = practice_session_save_live(session, 1234567890, 5000, &data, &size, err, sizeof err);
    atomic_store(&audio.stop, 1);
    pthread_join(thread, NULL);
    ck_assert_msg(saved == 0, "%s", err);
    ck_assert_uint_gt(practice_session_blocks(session), 0);
    Engine *engine = practice_session_engine(session);
    ck_assert_uint_eq(size, engine_state_size(engine));

    PracticeSession *other = new_session();
    int64_t saved_at = 0;
    ck_assert_int_eq(engine_state_load(practice_session_engine(other), data, size, &saved_at, err, sizeof err),
                     STATE_OK);
    ck_assert_int_eq(saved_at, 1234567890);
    free(data);

    /* the last note-off may still wait for its block: render two more by hand */
    static float left[BLOCK], right[BLOCK];
    const struct timespec block = {0, 6000000};
    nanosleep(&block, NULL);
    practice_session_block(session, left, right, BLOCK);
    nanosleep(&block, NULL);
    practice_session_block(session, left, right, BLOCK);
    engine_finish(engine);
    ck_assert_uint_eq(engine_snapshot(engine)->notes, 20);
    ck_assert_uint_eq(event_queue_dropped(practice_session_queue(session)), 0);
    practice_session_free(other);
    practice_session_free(session);
}
END_TEST

Suite *practice_session_suite(void)
{
    Suite *s = suite_create("practice_session");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_live_save_without_an_audio_thread_fails_with_a_reason);
    tcase_add_test(tc, notes_reach_the_engine_and_a_live_save_loads_back);
    suite_add_tcase(s, tc);
    return s;
}
