/* MIDI bytes: single messages and running-status streams decode as a keyboard player would expect. */
#include <string.h>

#include "midi.h"
#include "suites.h"

/* Parses a message that must be valid. */
static MidiMessage parse_ok(const uint8_t *bytes, size_t size)
{
    MidiMessage message;
    memset(&message, 0xAA, sizeof message);
    MidiStatus status = midi_parse_message(bytes, size, &message);
    ck_assert_msg(status == MIDI_OK, "%s", midi_strerror(status));
    return message;
}

/* Feeds bytes to a stream and collects the completed messages; returns how many. */
static int feed_all(MidiStream *stream, const uint8_t *bytes, size_t size, MidiMessage *out, int capacity)
{
    int count = 0;
    for (size_t i = 0; i < size; i++) {
        MidiMessage message;
        if (midi_stream_feed(stream, bytes[i], &message)) {
            ck_assert_int_lt(count, capacity);
            out[count++] = message;
        }
    }
    return count;
}

static void assert_message(const MidiMessage *m, MidiKind kind, int channel, int note, int velocity)
{
    ck_assert_int_eq(m->kind, kind);
    ck_assert_int_eq(m->channel, channel);
    ck_assert_int_eq(m->note, note);
    ck_assert_int_eq(m->velocity, velocity);
}

START_TEST(test_note_on_and_off)
{
    const uint8_t on[] = {0x90, 60, 100}, off[] = {0x80, 60, 30};
    MidiMessage m = parse_ok(on, sizeof on);
    assert_message(&m, MIDI_NOTE_ON, 0, 60, 100);
    ck_assert_int_eq(m.status, 0x90);
    m = parse_ok(off, sizeof off);
    assert_message(&m, MIDI_NOTE_OFF, 0, 60, 30);
}
END_TEST

START_TEST(test_velocity_zero_note_on_is_note_off)
{
    const uint8_t bytes[] = {0x93, 64, 0};
    MidiMessage m = parse_ok(bytes, sizeof bytes);
    assert_message(&m, MIDI_NOTE_OFF, 3, 64, 64); /* MIDI 1.0: release velocity 64 */
}
END_TEST

START_TEST(test_channel_extraction)
{
    for (int channel = 0; channel < 16; channel++) {
        const uint8_t on[] = {(uint8_t)(0x90 | channel), 21, 1};
        MidiMessage m = parse_ok(on, sizeof on);
        assert_message(&m, MIDI_NOTE_ON, channel, 21, 1);
        const uint8_t cc[] = {(uint8_t)(0xB0 | channel), 7, 127};
        m = parse_ok(cc, sizeof cc);
        assert_message(&m, MIDI_CONTROL, channel, 7, 127);
    }
}
END_TEST

START_TEST(test_sustain_pedal)
{
    bool pressed = false;
    const uint8_t down[] = {0xB2, 64, 127}, half[] = {0xB2, 64, 64}, up[] = {0xB2, 64, 63}, zero[] = {0xB2, 64, 0};
    MidiMessage m = parse_ok(down, sizeof down);
    ck_assert(midi_is_sustain(&m, &pressed));
    ck_assert(pressed);
    ck_assert_int_eq(m.channel, 2);
    m = parse_ok(half, sizeof half);
    ck_assert(midi_is_sustain(&m, &pressed) && pressed);
    m = parse_ok(up, sizeof up);
    ck_assert(midi_is_sustain(&m, &pressed) && !pressed);
    m = parse_ok(zero, sizeof zero);
    ck_assert(midi_is_sustain(&m, NULL));
    const uint8_t other_cc[] = {0xB2, 65, 127}, note[] = {0x92, 64, 127};
    m = parse_ok(other_cc, sizeof other_cc);
    ck_assert(!midi_is_sustain(&m, &pressed));
    m = parse_ok(note, sizeof note);
    ck_assert(!midi_is_sustain(&m, &pressed));
}
END_TEST

START_TEST(test_other_channel_messages)
{
    const uint8_t program[] = {0xC5, 12}, bend[] = {0xE1, 0x00, 0x40}, pressure[] = {0xD0, 99},
                  poly[] = {0xA0, 60, 10};
    MidiMessage m = parse_ok(program, sizeof program);
    assert_message(&m, MIDI_OTHER, 5, 12, 0);
    ck_assert_int_eq(m.status, 0xC5);
    m = parse_ok(bend, sizeof bend);
    assert_message(&m, MIDI_OTHER, 1, 0x00, 0x40);
    m = parse_ok(pressure, sizeof pressure);
    assert_message(&m, MIDI_OTHER, 0, 99, 0);
    m = parse_ok(poly, sizeof poly);
    assert_message(&m, MIDI_OTHER, 0, 60, 10);
}
END_TEST

START_TEST(test_malformed_messages_refused)
{
    MidiMessage m, untouched;
    memset(&m, 0x55, sizeof m);
    untouched = m;
    const uint8_t note[] = {0x90, 60, 100}, data_first[] = {60, 100, 0}, high_data[] = {0x90, 60, 200},
                  high_note[] = {0x90, 128, 1}, clock[] = {0xF8}, sysex[] = {0xF0, 1, 0xF7},
                  long_program[] = {0xC0, 1, 2};
    ck_assert_int_eq(midi_parse_message(note, 0, &m), MIDI_ERR_EMPTY);
    ck_assert_int_eq(midi_parse_message(NULL, 3, &m), MIDI_ERR_EMPTY);
    ck_assert_int_eq(midi_parse_message(note, 1, &m), MIDI_ERR_LENGTH);
    ck_assert_int_eq(midi_parse_message(note, 2, &m), MIDI_ERR_LENGTH); /* must not read a third byte */
    ck_assert_int_eq(midi_parse_message(long_program, 3, &m), MIDI_ERR_LENGTH);
    ck_assert_int_eq(midi_parse_message(data_first, 3, &m), MIDI_ERR_NO_STATUS);
    ck_assert_int_eq(midi_parse_message(high_data, 3, &m), MIDI_ERR_DATA_BYTE);
    ck_assert_int_eq(midi_parse_message(high_note, 3, &m), MIDI_ERR_DATA_BYTE);
    ck_assert_int_eq(midi_parse_message(clock, 1, &m), MIDI_ERR_SYSTEM);
    ck_assert_int_eq(midi_parse_message(sysex, 3, &m), MIDI_ERR_SYSTEM);
    ck_assert(memcmp(&m, &untouched, sizeof m) == 0);
    /* Every error is negative and described. */
    const MidiStatus errors[] = {MIDI_ERR_EMPTY, MIDI_ERR_NO_STATUS, MIDI_ERR_SYSTEM, MIDI_ERR_LENGTH,
                                 MIDI_ERR_DATA_BYTE};
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        ck_assert_int_lt(errors[i], 0);
        ck_assert_str_ne(midi_strerror(errors[i]), midi_strerror(MIDI_OK));
    }
}
END_TEST

START_TEST(test_any_short_input_is_safe)
{
    /* No input of up to 3 bytes crashes or yields out-of-range fields. */
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b += 3)
            for (size_t size = 1; size <= 3; size++) {
                const uint8_t bytes[3] = {(uint8_t)a, (uint8_t)b, (uint8_t)(255 - b)};
                MidiMessage m;
                if (midi_parse_message(bytes, size, &m) == MIDI_OK) {
                    ck_assert_int_lt(m.channel, 16);
                    ck_assert_int_lt(m.note, 128);
                    ck_assert_int_lt(m.velocity, 128);
                }
            }
}
END_TEST

START_TEST(test_stream_running_status)
{
    MidiStream stream;
    midi_stream_init(&stream);
    /* A chord under one status byte, released with velocity-0 note-ons, then a CC. */
    const uint8_t bytes[] = {0x90, 60, 90, 64, 91, 67, 92, 60, 0, 64, 0, 67, 0, 0xB0, 64, 127, 64, 0};
    MidiMessage m[16];
    int count = feed_all(&stream, bytes, sizeof bytes, m, 16);
    ck_assert_int_eq(count, 8);
    assert_message(&m[0], MIDI_NOTE_ON, 0, 60, 90);
    assert_message(&m[1], MIDI_NOTE_ON, 0, 64, 91);
    assert_message(&m[2], MIDI_NOTE_ON, 0, 67, 92);
    assert_message(&m[3], MIDI_NOTE_OFF, 0, 60, 64);
    assert_message(&m[5], MIDI_NOTE_OFF, 0, 67, 64);
    bool pressed;
    ck_assert(midi_is_sustain(&m[6], &pressed) && pressed);
    ck_assert(midi_is_sustain(&m[7], &pressed) && !pressed);
    /* Two-byte messages under running status. */
    const uint8_t programs[] = {0xC3, 1, 2, 3};
    count = feed_all(&stream, programs, sizeof programs, m, 16);
    ck_assert_int_eq(count, 3);
    assert_message(&m[2], MIDI_OTHER, 3, 3, 0);
}
END_TEST

START_TEST(test_stream_real_time_bytes_inside_messages)
{
    MidiStream stream;
    midi_stream_init(&stream);
    /* Clock, active sensing, start, stop and the undefined F9/FD between every byte. */
    const uint8_t bytes[] = {0xF8, 0x91, 0xF8, 60, 0xFE, 100, 0xFA, 62, 0xF9, 0xFC, 101, 0xFD, 0xFF, 64, 0xF8, 0};
    MidiMessage m[8];
    int count = feed_all(&stream, bytes, sizeof bytes, m, 8);
    ck_assert_int_eq(count, 3);
    assert_message(&m[0], MIDI_NOTE_ON, 1, 60, 100);
    assert_message(&m[1], MIDI_NOTE_ON, 1, 62, 101);
    assert_message(&m[2], MIDI_NOTE_OFF, 1, 64, 64);
}
END_TEST

START_TEST(test_stream_sysex_of_any_length_skipped)
{
    static const size_t lengths[] = {0, 1, 2, 3, 127, 128, 1000, 20000};
    for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
        MidiStream stream;
        midi_stream_init(&stream);
        MidiMessage m;
        const uint8_t before[] = {0x90, 60, 100};
        int count = 0;
        for (size_t i = 0; i < sizeof before; i++)
            count += midi_stream_feed(&stream, before[i], &m);
        ck_assert_int_eq(count, 1);
        ck_assert_int_eq(midi_stream_feed(&stream, 0xF0, &m), 0);
        for (size_t i = 0; i < lengths[l]; i++) {
            /* Payload bytes that would look like notes if SysEx were not skipped, with clocks in between. */
            ck_assert_int_eq(midi_stream_feed(&stream, (uint8_t)(i % 128), &m), 0);
            if (i % 50 == 0)
                ck_assert_int_eq(midi_stream_feed(&stream, 0xF8, &m), 0);
        }
        ck_assert_int_eq(midi_stream_feed(&stream, 0xF7, &m), 0);
        /* SysEx cancelled running status: these data bytes are stray until a new status. */
        ck_assert_int_eq(midi_stream_feed(&stream, 61, &m), 0);
        ck_assert_int_eq(midi_stream_feed(&stream, 50, &m), 0);
        const uint8_t after[] = {0x80, 60, 0};
        count = 0;
        for (size_t i = 0; i < sizeof after; i++)
            count += midi_stream_feed(&stream, after[i], &m);
        ck_assert_int_eq(count, 1);
        assert_message(&m, MIDI_NOTE_OFF, 0, 60, 0);
    }
    /* A SysEx cut short by a status byte (no F7) ends there. */
    MidiStream stream;
    midi_stream_init(&stream);
    const uint8_t cut[] = {0xF0, 0x7E, 0x01, 0x92, 70, 80};
    MidiMessage m[4];
    ck_assert_int_eq(feed_all(&stream, cut, sizeof cut, m, 4), 1);
    assert_message(&m[0], MIDI_NOTE_ON, 2, 70, 80);
}
END_TEST

START_TEST(test_stream_stray_data_and_system_common)
{
    MidiStream stream;
    midi_stream_init(&stream);
    /* Joining a stream in the middle: data bytes before any status byte are ignored. */
    const uint8_t bytes[] = {64, 100, 3, 0x90, 60, 100,
                             0xF2, 0x10, 0x20, /* song position cancels running status; its data is dropped */
                             62, 100,          /* stray */
                             0xF3, 5,          /* song select */
                             0xF6,             /* tune request */
                             0x80, 60, 40, 0xF1, 0x30, 1, 2, 0x90, 1};
    MidiMessage m[8];
    int count = feed_all(&stream, bytes, sizeof bytes, m, 8);
    ck_assert_int_eq(count, 2);
    assert_message(&m[0], MIDI_NOTE_ON, 0, 60, 100);
    assert_message(&m[1], MIDI_NOTE_OFF, 0, 60, 40);
    /* A new status byte abandons an unfinished message. */
    const uint8_t interrupted[] = {0x90, 60, 0xB0, 64, 127};
    count = feed_all(&stream, interrupted, sizeof interrupted, m, 8);
    ck_assert_int_eq(count, 1);
    assert_message(&m[0], MIDI_CONTROL, 0, 64, 127);
}
END_TEST

START_TEST(test_stream_any_bytes_are_safe)
{
    MidiStream stream;
    midi_stream_init(&stream);
    uint32_t x = 12345;
    for (int i = 0; i < 50000; i++) {
        x = x * 1664525u + 1013904223u;
        MidiMessage m;
        if (midi_stream_feed(&stream, (uint8_t)(x >> 24), &m)) {
            ck_assert(m.status >= 0x80 && m.status < 0xF0);
            ck_assert_int_lt(m.note, 128);
            ck_assert_int_lt(m.velocity, 128);
        }
    }
}
END_TEST

Suite *midi_suite(void)
{
    Suite *suite = suite_create("midi");
    TCase *messages = tcase_create("messages");
    tcase_add_test(messages, test_note_on_and_off);
    tcase_add_test(messages, test_velocity_zero_note_on_is_note_off);
    tcase_add_test(messages, test_channel_extraction);
    tcase_add_test(messages, test_sustain_pedal);
    tcase_add_test(messages, test_other_channel_messages);
    tcase_add_test(messages, test_malformed_messages_refused);
    tcase_add_test(messages, test_any_short_input_is_safe);
    suite_add_tcase(suite, messages);
    TCase *stream = tcase_create("stream");
    tcase_add_test(stream, test_stream_running_status);
    tcase_add_test(stream, test_stream_real_time_bytes_inside_messages);
    tcase_add_test(stream, test_stream_sysex_of_any_length_skipped);
    tcase_add_test(stream, test_stream_stray_data_and_system_common);
    tcase_add_test(stream, test_stream_any_bytes_are_safe);
    suite_add_tcase(suite, stream);
    return suite;
}
