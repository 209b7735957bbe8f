/* Session recording: the SMF writer's files read back through core/smf, and a session's
 * notes and fingers, handed over by the tap, come out on their fingers' channels. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "session_recorder.h"
#include "smf.h"
#include "smf_write.h"
#include "suites.h"

START_TEST(a_written_file_reads_back_with_its_times)
{
    SmfWriteEvent events[] = {{0.0, {0x90, 60, 100}, 3}, {0.5, {0x80, 60, 0}, 3}, {0.5, {0x95, 48, 70}, 3},
                              {2.25, {0x85, 48, 0}, 3}};
    uint8_t *data = NULL;
    size_t size = 0;
    ck_assert_int_eq(smf_write(events, 4, 3.0, &data, &size), 0);
    SmfSong *song = NULL;
    char err[256];
    ck_assert_msg(smf_read_memory(data, size, &song, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(smf_format(song), 0);
    ck_assert_uint_eq(smf_event_count(song), 4);
    const SmfEvent *e = smf_events(song);
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq_tol(e[i].time_s, events[i].time_s, 1e-9);
        ck_assert_int_eq(e[i].bytes[0], events[i].bytes[0]);
        ck_assert_int_eq(e[i].bytes[1], events[i].bytes[1]);
    }
    ck_assert_double_eq_tol(smf_duration_s(song), 3.0, 1e-9);
    smf_free(song);
    free(data);
    /* out of order, or not a channel message: refused */
    SmfWriteEvent backwards[] = {{1.0, {0x90, 60, 100}, 3}, {0.5, {0x80, 60, 0}, 3}};
    ck_assert_int_eq(smf_write(backwards, 2, 1.0, &data, &size), -1);
    SmfWriteEvent meta[] = {{0.0, {0xff, 0x2f, 0}, 3}};
    ck_assert_int_eq(smf_write(meta, 1, 1.0, &data, &size), -1);
}
END_TEST

/* Plays notes through an engine block by block, the tap taking each block, as the live
 * session's block function does; returns the recorder with what the main thread drained. */
static SessionRecorder *record(FingeringMode mode, const EngineEvent *events, const uint32_t *blocks, int count,
                               int total_blocks)
{
    EngineConfig config;
    engine_config_default(&config, 48000.0, 256);
    fingering_config_default(&config.fingering, mode);
    char err[256];
    Engine *engine = engine_create(&config, err, sizeof err);
    ck_assert_msg(engine != NULL, "%s", err);
    RecordingTap *tap = recording_tap_create(1024);
    SessionRecorder *recorder = session_recorder_create(48000.0);
    ck_assert_ptr_nonnull(tap);
    ck_assert_ptr_nonnull(recorder);
    float left[256], right[256];
    uint64_t frame = 0;
    int next = 0;
    for (int b = 0; b < total_blocks; b++) {
        EngineEvent block[16];
        uint32_t n = 0;
        while (next < count && blocks[next] == (uint32_t)b)
            block[n++] = events[next++];
        engine_process(engine, block, n, left, right, 256);
        recording_tap_block(tap, engine, frame, block, n);
        frame += 256;
        if (b % 7 == 0)
            session_recorder_take(recorder, tap);
    }
    engine_finish(engine);
    recording_tap_block(tap, engine, frame, NULL, 0);
    session_recorder_take(recorder, tap);
    ck_assert_uint_eq(recording_tap_lost(tap), 0);
    recording_tap_free(tap);
    engine_free(engine);
    return recorder;
}

START_TEST(each_note_goes_on_its_fingers_channel)
{
    /* channel fingering: the input's channels are the fingers (2: right D2, 8: left D3);
     * the recording must keep them, whatever channel a note came in on */
    static const EngineEvent events[] = {
        {10, 3, {0x91, 62, 90}}, {100, 3, {0x81, 62, 0}}, {0, 3, {0x97, 50, 80}}, {5, 3, {0x87, 50, 0}},
        {0, 3, {0x91, 64, 70}},
    };
    static const uint32_t blocks[] = {0, 20, 40, 60, 80}; /* the last note still held at the end */
    SessionRecorder *recorder = record(FINGERING_CHANNEL, events, blocks, 5, 100);
    ck_assert_uint_eq(session_recorder_notes(recorder), 3);
    uint8_t *data = NULL;
    size_t size = 0;
    ck_assert_int_eq(session_recorder_smf(recorder, &data, &size), 0);
    SmfSong *song = NULL;
    char err[256];
    ck_assert_msg(smf_read_memory(data, size, &song, err, sizeof err) == 0, "%s", err);
    const SmfEvent *e = smf_events(song);
    ck_assert_uint_eq(smf_event_count(song), 6); /* three notes, each on and off */
    ck_assert_int_eq(e[0].bytes[0], 0x91);       /* right D2: channel 2 */
    ck_assert_double_eq_tol(e[0].time_s, 0.0, 1e-9); /* the recording starts at its first note */
    ck_assert_int_eq(e[1].bytes[0], 0x81);
    ck_assert_double_eq_tol(e[1].time_s, (20 * 256 + 90) / 48000.0, 2e-3);
    ck_assert_int_eq(e[2].bytes[0], 0x97); /* left D3: channel 8 */
    ck_assert_int_eq(e[4].bytes[0], 0x91);
    ck_assert_int_eq(e[5].bytes[0], 0x81); /* closed at the end */
    smf_free(song);
    free(data);
    session_recorder_free(recorder);
}
END_TEST

START_TEST(a_session_without_notes_makes_no_file)
{
    SessionRecorder *recorder = record(FINGERING_AUTO, NULL, NULL, 0, 10);
    uint8_t *data = NULL;
    size_t size = 0;
    ck_assert_int_eq(session_recorder_smf(recorder, &data, &size), 1);
    ck_assert_ptr_null(data);
    session_recorder_free(recorder);
}
END_TEST

Suite *session_recorder_suite(void)
{
    Suite *suite = suite_create("session_recorder");
    TCase *c = tcase_create("recording");
    tcase_add_test(c, a_written_file_reads_back_with_its_times);
    tcase_add_test(c, each_note_goes_on_its_fingers_channel);
    tcase_add_test(c, a_session_without_notes_makes_no_file);
    suite_add_tcase(suite, c);
    return suite;
}
