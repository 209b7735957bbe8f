/* ALSA sequencer input as far as a machine without /dev/snd allows: every event kind the
 * engine takes translates to the right MIDI bytes, the rest is ignored, and opening the
 * sequencer either works (a port is there) or fails with a message saying there is none. */
#include <check.h>
#include <string.h>
#include <unistd.h>

#include "audio_out.h"
#include "midi_alsa.h"
#include "suites.h"

static snd_seq_event_t event_of(snd_seq_event_type_t type)
{
    snd_seq_event_t e;
    memset(&e, 0, sizeof e);
    e.type = type;
    return e;
}

static snd_seq_event_t note_event(snd_seq_event_type_t type, int channel, int note, int velocity)
{
    snd_seq_event_t e = event_of(type);
    e.data.note.channel = (unsigned char)channel;
    e.data.note.note = (unsigned char)note;
    e.data.note.velocity = (unsigned char)velocity;
    return e;
}

static snd_seq_event_t control_event(snd_seq_event_type_t type, int channel, unsigned param, int value)
{
    snd_seq_event_t e = event_of(type);
    e.data.control.channel = (unsigned char)channel;
    e.data.control.param = param;
    e.data.control.value = value;
    return e;
}

/* The event translates to exactly these bytes (size 2: b2 unused). */
static void expect_bytes(snd_seq_event_t e, size_t size, int b0, int b1, int b2)
{
    uint8_t b[3] = {0, 0, 0};
    ck_assert_uint_eq(midi_alsa_translate(&e, b), size);
    ck_assert_uint_eq(b[0], b0);
    ck_assert_uint_eq(b[1], b1);
    if (size == 3)
        ck_assert_uint_eq(b[2], b2);
}

START_TEST(notes_translate_with_channel_and_velocity)
{
    expect_bytes(note_event(SND_SEQ_EVENT_NOTEON, 1, 62, 90), 3, 0x91, 62, 90);
    expect_bytes(note_event(SND_SEQ_EVENT_NOTEOFF, 9, 40, 0), 3, 0x89, 40, 0);
    expect_bytes(note_event(SND_SEQ_EVENT_KEYPRESS, 4, 70, 33), 3, 0xA4, 70, 33);
}
END_TEST

START_TEST(controllers_programs_pressure_and_bend_translate)
{
    expect_bytes(control_event(SND_SEQ_EVENT_CONTROLLER, 0, 64, 127), 3, 0xB0, 64, 127); /* sustain */
    expect_bytes(control_event(SND_SEQ_EVENT_PGMCHANGE, 2, 0, 5), 2, 0xC2, 5, 0);
    expect_bytes(control_event(SND_SEQ_EVENT_CHANPRESS, 3, 0, 300), 2, 0xD3, 127, 0); /* clamped */
    expect_bytes(control_event(SND_SEQ_EVENT_PITCHBEND, 0, 0, 0), 3, 0xE0, 0x00, 0x40); /* centre 8192 */
    expect_bytes(control_event(SND_SEQ_EVENT_PITCHBEND, 0, 0, -8192), 3, 0xE0, 0, 0);
    expect_bytes(control_event(SND_SEQ_EVENT_PITCHBEND, 15, 0, 8191), 3, 0xEF, 0x7F, 0x7F);
}
END_TEST

START_TEST(other_events_are_ignored)
{
    uint8_t b[3] = {1, 2, 3};
    const snd_seq_event_type_t ignored[] = {SND_SEQ_EVENT_CLOCK, SND_SEQ_EVENT_START, SND_SEQ_EVENT_SENSING,
                                            SND_SEQ_EVENT_SYSEX, SND_SEQ_EVENT_PORT_SUBSCRIBED,
                                            SND_SEQ_EVENT_CLIENT_START};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
        snd_seq_event_t e = event_of(ignored[i]);
        ck_assert_uint_eq(midi_alsa_translate(&e, b), 0);
    }
    ck_assert_uint_eq(b[0], 1); /* untouched */
}
END_TEST

START_TEST(opening_works_or_says_there_is_no_sequencer)
{
    audio_out_quiet_libraries();
    EventQueue *q = event_queue_create(16);
    char err[256] = "";
    MidiAlsa *midi = midi_alsa_open("homunculus-test", q, err, sizeof err);
    if (access("/dev/snd/seq", R_OK | W_OK) != 0) {
        ck_assert_ptr_null(midi);
        ck_assert_msg(strstr(err, "no ALSA sequencer") != NULL, "message: %s", err);
    } else {
        ck_assert_ptr_nonnull(midi);
        char address[32];
        midi_alsa_address(midi, address, sizeof address);
        ck_assert_msg(strchr(address, ':') != NULL, "address %s", address);
        ck_assert_int_eq(midi_alsa_connect(midi, "no-such-client-here:0", err, sizeof err), -1);
        ck_assert_msg(strstr(err, "no-such-client-here") != NULL, "message: %s", err);
        midi_alsa_close(midi);
    }
    event_queue_free(q);
}
END_TEST

Suite *midi_alsa_suite(void)
{
    Suite *s = suite_create("midi_alsa");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, notes_translate_with_channel_and_velocity);
    tcase_add_test(tc, controllers_programs_pressure_and_bend_translate);
    tcase_add_test(tc, other_events_are_ignored);
    tcase_add_test(tc, opening_works_or_says_there_is_no_sequencer);
    suite_add_tcase(s, tc);
    return s;
}
