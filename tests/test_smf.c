/* Standard MIDI Files: exact times through the tempo map, merged tracks in a stable order, and
 * every broken file refused with the offset and reason, never a crash. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "midi.h"
#include "smf.h"
#include "suites.h"

#define FIXTURES "tests/fixtures/midi/"

/* A byte-array builder for hand-made files. */
typedef struct {
    uint8_t bytes[16384];
    size_t size;
    size_t chunk_at; /* where the open chunk's header starts */
} Builder;

static void put(Builder *b, const uint8_t *bytes, size_t size)
{
    ck_assert_uint_le(b->size + size, sizeof b->bytes);
    memcpy(b->bytes + b->size, bytes, size);
    b->size += size;
}

#define PUT(b, ...) put((b), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void put_vlq(Builder *b, uint32_t value)
{
    uint8_t out[5];
    int n = 0;
    out[n++] = value & 0x7F;
    while ((value >>= 7) != 0)
        out[n++] = (uint8_t)(0x80 | (value & 0x7F));
    while (n > 0)
        put(b, &out[--n], 1);
}

static void put_be32(Builder *b, uint32_t value)
{
    PUT(b, (uint8_t)(value >> 24), (uint8_t)(value >> 16), (uint8_t)(value >> 8), (uint8_t)value);
}

static void put_header(Builder *b, int format, int tracks, unsigned division)
{
    b->size = 0;
    PUT(b, 'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, (uint8_t)format, (uint8_t)(tracks >> 8), (uint8_t)tracks,
        (uint8_t)(division >> 8), (uint8_t)division);
}

/* Opens a chunk of the given type; close_chunk fills in its length. */
static void open_chunk(Builder *b, const char *type)
{
    b->chunk_at = b->size;
    put(b, (const uint8_t *)type, 4);
    put_be32(b, 0);
}

static void close_chunk(Builder *b)
{
    size_t length = b->size - b->chunk_at - 8;
    for (int i = 0; i < 4; i++)
        b->bytes[b->chunk_at + 4 + (size_t)i] = (uint8_t)(length >> (24 - 8 * i));
}

/* Closes a track with its end-of-track meta event after delta ticks. */
static void end_track(Builder *b, uint32_t delta)
{
    put_vlq(b, delta);
    PUT(b, 0xFF, 0x2F, 0x00);
    close_chunk(b);
}

static void put_tempo(Builder *b, uint32_t delta, uint32_t us_per_quarter)
{
    put_vlq(b, delta);
    PUT(b, 0xFF, 0x51, 0x03, (uint8_t)(us_per_quarter >> 16), (uint8_t)(us_per_quarter >> 8), (uint8_t)us_per_quarter);
}

static void put_note(Builder *b, uint32_t delta, uint8_t status, uint8_t note, uint8_t velocity)
{
    put_vlq(b, delta);
    PUT(b, status, note, velocity);
}

/* Reads from an exact-size heap copy, so that the sanitizer catches any read past the end. */
static int read_copy(const uint8_t *data, size_t size, SmfSong **song, char *err, size_t err_size)
{
    uint8_t *copy = malloc(size > 0 ? size : 1);
    ck_assert_ptr_nonnull(copy);
    if (size > 0)
        memcpy(copy, data, size);
    int status = smf_read_memory(copy, size, song, err, err_size);
    free(copy);
    return status;
}

static SmfSong *read_ok(const Builder *b)
{
    SmfSong *song = NULL;
    char err[256];
    int status = read_copy(b->bytes, b->size, &song, err, sizeof err);
    ck_assert_msg(status == 0, "%s", err);
    ck_assert_ptr_nonnull(song);
    return song;
}

/* The file must be refused with a message that contains expected. */
static void expect_error(const uint8_t *data, size_t size, const char *expected)
{
    SmfSong *song = (SmfSong *)&song; /* must be reset to NULL */
    char err[256] = "";
    ck_assert_int_eq(read_copy(data, size, &song, err, sizeof err), -1);
    ck_assert_ptr_null(song);
    ck_assert_msg(strncmp(err, "offset ", 7) == 0, "message without offset: %s", err);
    ck_assert_msg(strstr(err, expected) != NULL, "expected \"%s\" in \"%s\"", expected, err);
}

/* A refusal by a cap on the whole song (its times): no byte offset to name. */
static void expect_cap_error(const uint8_t *data, size_t size, const char *expected)
{
    SmfSong *song = (SmfSong *)&song; /* must be reset to NULL */
    char err[256] = "";
    ck_assert_int_eq(read_copy(data, size, &song, err, sizeof err), -1);
    ck_assert_ptr_null(song);
    ck_assert_msg(strstr(err, expected) != NULL, "expected \"%s\" in \"%s\"", expected, err);
}

static uint8_t *load_fixture(const char *name, size_t *size)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    FILE *file = fopen(path, "rb");
    ck_assert_msg(file != NULL, "cannot open %s (run the tests from the source root)", path);
    uint8_t *data = malloc(65536);
    ck_assert_ptr_nonnull(data);
    *size = fread(data, 1, 65536, file);
    fclose(file);
    return data;
}

/* ---- valid files ---- */

START_TEST(test_times_at_default_tempo)
{
    Builder b;
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    put_note(&b, 0, 0x90, 60, 100);
    put_note(&b, 480, 0x80, 60, 64);
    put_note(&b, 960, 0x91, 62, 1);
    end_track(&b, 240);
    SmfSong *song = read_ok(&b);
    ck_assert_int_eq(smf_format(song), 0);
    ck_assert_int_eq(smf_track_count(song), 1);
    ck_assert_int_eq(smf_ticks_per_quarter(song), 480);
    ck_assert_uint_eq(smf_event_count(song), 3);
    const SmfEvent *e = smf_events(song);
    ck_assert_double_eq(e[0].time_s, 0.0);
    ck_assert_double_eq(e[1].time_s, 0.5); /* 480 ticks at 120 bpm */
    ck_assert_double_eq(e[2].time_s, 1.5);
    ck_assert_uint_eq(e[2].tick, 1440);
    ck_assert_int_eq(e[1].size, 3);
    ck_assert_int_eq(e[1].bytes[0], 0x80);
    ck_assert_int_eq(e[1].bytes[1], 60);
    ck_assert_int_eq(e[1].bytes[2], 64);
    ck_assert_int_eq(e[2].bytes[0], 0x91);
    ck_assert_double_eq(smf_duration_s(song), 1.75);
    MidiMessage m;
    ck_assert_int_eq(midi_parse_message(e[0].bytes, e[0].size, &m), MIDI_OK);
    ck_assert_int_eq(m.kind, MIDI_NOTE_ON);
    smf_free(song);
}
END_TEST

START_TEST(test_tempo_map_segments)
{
    /* 120 bpm, then 60 bpm from tick 480 (0.5 s), then 240 bpm from tick 1440 (2.5 s). */
    Builder b;
    put_header(&b, 1, 2, 480);
    open_chunk(&b, "MTrk");
    put_tempo(&b, 0, 500000);
    put_tempo(&b, 480, 1000000);
    put_tempo(&b, 960, 250000);
    end_track(&b, 0);
    open_chunk(&b, "MTrk");
    for (int i = 0; i < 6; i++)
        put_note(&b, i == 0 ? 0 : 480, 0x90, (uint8_t)(60 + i), 80);
    end_track(&b, 0);
    SmfSong *song = read_ok(&b);
    const double expected[] = {0.0, 0.5, 1.5, 2.5, 2.75, 3.0};
    ck_assert_uint_eq(smf_event_count(song), 6);
    for (int i = 0; i < 6; i++) {
        ck_assert_double_eq(smf_events(song)[i].time_s, expected[i]);
        ck_assert_int_eq(smf_events(song)[i].track, 1);
    }
    ck_assert_double_eq(smf_tick_to_seconds(song, 720), 1.0);
    ck_assert_double_eq(smf_duration_s(song), 3.0);
    smf_free(song);
}
END_TEST

START_TEST(test_tempo_from_any_track_applies_to_all)
{
    /* The tempo change sits in the last track (format 1); the first track's notes follow it. */
    Builder b;
    put_header(&b, 1, 2, 96);
    open_chunk(&b, "MTrk");
    put_note(&b, 96, 0x90, 60, 80);  /* 0.5 s */
    put_note(&b, 96, 0x90, 61, 80);  /* 0.5 s + 96 ticks at 240 bpm = 0.75 s */
    put_note(&b, 192, 0x90, 62, 80); /* + 0.5 s, then 30 bpm at tick 384: 1.25 s */
    end_track(&b, 96);               /* 1.25 + 2 s */
    open_chunk(&b, "MTrk");
    put_tempo(&b, 96, 250000);
    put_tempo(&b, 288, 2000000);
    end_track(&b, 0);
    SmfSong *song = read_ok(&b);
    ck_assert_double_eq(smf_events(song)[0].time_s, 0.5);
    ck_assert_double_eq(smf_events(song)[1].time_s, 0.75);
    ck_assert_double_eq(smf_events(song)[2].time_s, 1.25);
    ck_assert_double_eq(smf_duration_s(song), 3.25);
    smf_free(song);
}
END_TEST

START_TEST(test_tempo_changes_at_one_tick_last_wins)
{
    Builder b;
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    put_tempo(&b, 0, 250000);
    put_tempo(&b, 0, 1000000); /* wins: 60 bpm */
    put_note(&b, 480, 0x90, 60, 80);
    end_track(&b, 0);
    SmfSong *song = read_ok(&b);
    ck_assert_double_eq(smf_events(song)[0].time_s, 1.0);
    smf_free(song);
}
END_TEST

START_TEST(test_merged_tracks_stable_order)
{
    /* Three tracks with events at ticks 0, 0 and 240: equal times keep track order, then file order. */
    Builder b;
    put_header(&b, 1, 3, 480);
    for (int t = 0; t < 3; t++) {
        open_chunk(&b, "MTrk");
        put_note(&b, 0, (uint8_t)(0x90 | t), (uint8_t)(10 * t + 1), 80);
        put_note(&b, 0, (uint8_t)(0x90 | t), (uint8_t)(10 * t + 2), 80);
        put_note(&b, 240, (uint8_t)(0x80 | t), (uint8_t)(10 * t + 3), 80);
        end_track(&b, 0);
    }
    SmfSong *song = read_ok(&b);
    const int expected_notes[] = {1, 2, 11, 12, 21, 22, 3, 13, 23};
    const int expected_tracks[] = {0, 0, 1, 1, 2, 2, 0, 1, 2};
    ck_assert_uint_eq(smf_event_count(song), 9);
    for (int i = 0; i < 9; i++) {
        ck_assert_int_eq(smf_events(song)[i].bytes[1], expected_notes[i]);
        ck_assert_int_eq(smf_events(song)[i].track, expected_tracks[i]);
        ck_assert_int_eq(smf_events(song)[i].bytes[0] & 0x0F, expected_tracks[i]);
    }
    ck_assert_double_eq(smf_events(song)[8].time_s, 0.25);
    smf_free(song);
}
END_TEST

START_TEST(test_many_tracks_merge_by_time)
{
    /* 37 tracks, each with notes at its own stride: the merge gives time order, ties by track. */
    Builder b;
    put_header(&b, 1, 37, 480);
    for (int t = 0; t < 37; t++) {
        open_chunk(&b, "MTrk");
        for (int i = 0; i < 10; i++)
            put_note(&b, (uint32_t)(i == 0 ? t % 5 : 7 + t % 11), 0x90, (uint8_t)t, (uint8_t)(i + 1));
        end_track(&b, 0);
    }
    SmfSong *song = read_ok(&b);
    ck_assert_uint_eq(smf_event_count(song), 370);
    const SmfEvent *e = smf_events(song);
    for (size_t i = 1; i < 370; i++) {
        ck_assert(e[i - 1].tick <= e[i].tick);
        if (e[i - 1].tick == e[i].tick) {
            ck_assert(e[i - 1].track <= e[i].track);
            if (e[i - 1].track == e[i].track)
                ck_assert(e[i - 1].bytes[2] < e[i].bytes[2]);
        }
        ck_assert(e[i - 1].time_s <= e[i].time_s);
    }
    smf_free(song);
}
END_TEST

START_TEST(test_running_status_meta_and_sysex_skipped)
{
    Builder b;
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    put_vlq(&b, 0);
    PUT(&b, 0xFF, 0x03, 0x04, 'P', 'i', 'a', 'n'); /* track name */
    put_vlq(&b, 0);
    PUT(&b, 0xF0); /* a SysEx of 200 bytes: two-byte length */
    put_vlq(&b, 200);
    for (int i = 0; i < 199; i++)
        PUT(&b, 0x90); /* status-looking bytes that must be skipped */
    PUT(&b, 0xF7);
    put_note(&b, 0, 0x92, 60, 90);
    PUT(&b, 0, 64, 91);     /* running status */
    PUT(&b, 120, 60, 0);    /* note-off as note-on velocity 0 */
    put_vlq(&b, 0);         /* a long text meta event (two-byte length) */
    PUT(&b, 0xFF, 0x01);
    put_vlq(&b, 130);
    for (int i = 0; i < 130; i++)
        PUT(&b, 'x');
    PUT(&b, 0, 64, 0);      /* running status survives the meta event (tolerated) */
    put_vlq(&b, 0);
    PUT(&b, 0xF7, 0x02, 0xF3, 0x01); /* an escape packet */
    PUT(&b, 0, 0xC2, 5, 0, 6); /* program changes: two-byte messages under running status */
    PUT(&b, 0, 0xE2, 0x00, 0x40);
    end_track(&b, 0);
    SmfSong *song = read_ok(&b);
    ck_assert_uint_eq(smf_event_count(song), 7);
    const SmfEvent *e = smf_events(song);
    const uint8_t expected[7][3] = {{0x92, 60, 90}, {0x92, 64, 91}, {0x92, 60, 0}, {0x92, 64, 0},
                                    {0xC2, 5, 0},   {0xC2, 6, 0},   {0xE2, 0x00, 0x40}};
    const uint8_t sizes[7] = {3, 3, 3, 3, 2, 2, 3};
    for (int i = 0; i < 7; i++) {
        ck_assert_int_eq(e[i].size, sizes[i]);
        ck_assert(memcmp(e[i].bytes, expected[i], sizes[i]) == 0);
    }
    ck_assert_double_eq(e[2].time_s, 0.125);
    MidiMessage m;
    ck_assert_int_eq(midi_parse_message(e[2].bytes, e[2].size, &m), MIDI_OK);
    ck_assert_int_eq(m.kind, MIDI_NOTE_OFF);
    ck_assert_int_eq(midi_parse_message(e[4].bytes, e[4].size, &m), MIDI_OK);
    ck_assert_int_eq(m.kind, MIDI_OTHER);
    smf_free(song);
}
END_TEST

START_TEST(test_smpte_division)
{
    /* 25 frames per second x 40 ticks per frame = 1000 ticks per second; tempo events do not apply. */
    Builder b;
    put_header(&b, 0, 1, 0xE728);
    open_chunk(&b, "MTrk");
    put_tempo(&b, 0, 1000000);
    put_note(&b, 500, 0x90, 60, 80);
    put_note(&b, 1500, 0x80, 60, 80);
    end_track(&b, 0);
    SmfSong *song = read_ok(&b);
    ck_assert_int_eq(smf_ticks_per_quarter(song), 0);
    ck_assert_double_eq(smf_events(song)[0].time_s, 0.5);
    ck_assert_double_eq(smf_events(song)[1].time_s, 2.0);
    smf_free(song);
    /* 29.97 drop-frame (-29, 30000/1001 frames per second) x 100 ticks: 3000 ticks is 1.001 s. */
    put_header(&b, 0, 1, 0xE364);
    open_chunk(&b, "MTrk");
    put_note(&b, 3000, 0x90, 60, 80);
    end_track(&b, 0);
    song = read_ok(&b);
    ck_assert(fabs(smf_events(song)[0].time_s - 1.001) < 1e-12);
    smf_free(song);
}
END_TEST

START_TEST(test_unknown_chunks_and_longer_header_skipped)
{
    Builder b;
    b.size = 0;
    PUT(&b, 'M', 'T', 'h', 'd', 0, 0, 0, 8, 0, 1, 0, 2, 0x01, 0xE0, 0xAB, 0xCD); /* 2 future header bytes */
    open_chunk(&b, "XFIH");
    PUT(&b, 0x90, 1, 2, 3);
    close_chunk(&b);
    open_chunk(&b, "MTrk");
    put_note(&b, 0, 0x90, 60, 80);
    end_track(&b, 0);
    open_chunk(&b, "junk");
    close_chunk(&b); /* empty */
    open_chunk(&b, "MTrk");
    put_note(&b, 480, 0x90, 62, 80);
    end_track(&b, 0);
    open_chunk(&b, "MTrk"); /* beyond the declared track count: ignored */
    put_note(&b, 0, 0x90, 64, 80);
    end_track(&b, 0);
    SmfSong *song = read_ok(&b);
    ck_assert_uint_eq(smf_event_count(song), 2);
    ck_assert_int_eq(smf_track_count(song), 2);
    ck_assert_double_eq(smf_events(song)[1].time_s, 0.5);
    smf_free(song);
}
END_TEST

START_TEST(test_track_without_end_of_track)
{
    /* A track that ends on an event boundary without FF 2F is accepted; bytes after FF 2F are ignored. */
    Builder b;
    put_header(&b, 1, 2, 480);
    open_chunk(&b, "MTrk");
    put_note(&b, 0, 0x90, 60, 80);
    close_chunk(&b);
    open_chunk(&b, "MTrk");
    put_note(&b, 0, 0x90, 61, 80);
    PUT(&b, 0, 0xFF, 0x2F, 0, 0x12, 0x34);
    close_chunk(&b);
    SmfSong *song = read_ok(&b);
    ck_assert_uint_eq(smf_event_count(song), 2);
    smf_free(song);
}
END_TEST

START_TEST(test_fixture_c_major_scale)
{
    SmfSong *song = NULL;
    char err[512];
    int status = smf_read_file(FIXTURES "c_major_scale_format0.mid", &song, err, sizeof err);
    ck_assert_msg(status == 0, "%s", err);
    ck_assert_int_eq(smf_format(song), 0);
    ck_assert_uint_eq(smf_event_count(song), 16);
    const int scale[8] = {60, 62, 64, 65, 67, 69, 71, 72};
    const SmfEvent *e = smf_events(song);
    for (int i = 0; i < 8; i++) {
        MidiMessage on, off;
        ck_assert_int_eq(midi_parse_message(e[2 * i].bytes, e[2 * i].size, &on), MIDI_OK);
        ck_assert_int_eq(midi_parse_message(e[2 * i + 1].bytes, e[2 * i + 1].size, &off), MIDI_OK);
        ck_assert_int_eq(on.kind, MIDI_NOTE_ON);
        ck_assert_int_eq(off.kind, MIDI_NOTE_OFF);
        ck_assert_int_eq(on.note, scale[i]);
        ck_assert_int_eq(off.note, scale[i]);
        ck_assert_int_eq(on.channel, 0);
        ck_assert_int_eq(on.velocity, 80);
        ck_assert_double_eq(e[2 * i].time_s, 0.5 * i);
        ck_assert_double_eq(e[2 * i + 1].time_s, 0.5 * i + 0.25);
    }
    ck_assert_double_eq(smf_duration_s(song), 3.75);
    smf_free(song);
}
END_TEST

START_TEST(test_fixture_tempo_change_format1)
{
    SmfSong *song = NULL;
    char err[512];
    int status = smf_read_file(FIXTURES "tempo_change_format1.mid", &song, err, sizeof err);
    ck_assert_msg(status == 0, "%s", err);
    ck_assert_int_eq(smf_format(song), 1);
    ck_assert_int_eq(smf_track_count(song), 3);
    ck_assert_uint_eq(smf_event_count(song), 22); /* 7 + 4 notes, on and off; SysEx and meta skipped */
    /* Right hand (track index 1): a quarter note every 480 ticks; 120 bpm, then 60 bpm from 2.0 s. */
    const double right_on[7] = {0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0};
    /* Left hand (track index 2): a half note every 960 ticks. */
    const double left_on[4] = {0.0, 1.0, 2.0, 4.0};
    int right = 0, left = 0;
    const SmfEvent *e = smf_events(song);
    for (size_t i = 0; i < smf_event_count(song); i++) {
        MidiMessage m;
        ck_assert_int_eq(midi_parse_message(e[i].bytes, e[i].size, &m), MIDI_OK);
        if (i > 0) {
            ck_assert(e[i - 1].time_s <= e[i].time_s);
            if (e[i - 1].time_s == e[i].time_s)
                ck_assert(e[i - 1].track <= e[i].track);
        }
        if (m.kind != MIDI_NOTE_ON)
            continue;
        if (e[i].track == 1) {
            ck_assert_int_eq(m.channel, 0);
            ck_assert_int_eq(m.note, 72 + right);
            ck_assert_double_eq(e[i].time_s, right_on[right]);
            right++;
        } else {
            ck_assert_int_eq(e[i].track, 2);
            ck_assert_int_eq(m.channel, 1);
            ck_assert_int_eq(m.note, 48 + 2 * left);
            ck_assert_double_eq(e[i].time_s, left_on[left]);
            left++;
        }
    }
    ck_assert_int_eq(right, 7);
    ck_assert_int_eq(left, 4);
    /* At 0 s both hands start: the right hand's track comes first. */
    ck_assert_int_eq(e[0].track, 1);
    ck_assert_int_eq(e[1].track, 2);
    ck_assert_double_eq(smf_duration_s(song), 5.0);
    smf_free(song);
}
END_TEST

/* ---- broken files ---- */

START_TEST(test_truncated_at_every_length)
{
    const char *names[] = {"c_major_scale_format0.mid", "tempo_change_format1.mid"};
    for (size_t f = 0; f < 2; f++) {
        size_t size;
        uint8_t *data = load_fixture(names[f], &size);
        for (size_t length = 0; length < size; length++) {
            SmfSong *song = NULL;
            char err[256] = "";
            ck_assert_int_eq(read_copy(data, length, &song, err, sizeof err), -1);
            ck_assert_ptr_null(song);
            ck_assert_msg(strncmp(err, "offset ", 7) == 0, "%s at length %zu: %s", names[f], length, err);
        }
        SmfSong *song = NULL;
        char err[256];
        ck_assert_msg(read_copy(data, size, &song, err, sizeof err) == 0, "%s", err);
        smf_free(song);
        free(data);
    }
}
END_TEST

START_TEST(test_track_body_cut_at_every_length)
{
    /* The chunk length agrees with the file, but the body stops early: either on an event boundary
     * (accepted) or inside an event (refused, naming it). */
    size_t size;
    uint8_t *data = load_fixture("c_major_scale_format0.mid", &size);
    size_t body = 22, cut_ok = 0;
    for (size_t length = 0; length < size - body; length++) {
        uint8_t *copy = malloc(body + length + 1);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, data, body + length);
        for (int i = 0; i < 4; i++)
            copy[18 + i] = (uint8_t)(length >> (24 - 8 * i));
        SmfSong *song = NULL;
        char err[256] = "";
        if (smf_read_memory(copy, body + length, &song, err, sizeof err) == 0) {
            cut_ok++;
            smf_free(song);
        } else {
            ck_assert_msg(strstr(err, "track 1 ends inside an event") != NULL, "length %zu: %s", length, err);
        }
        free(copy);
    }
    ck_assert_uint_eq(cut_ok, 19); /* the empty track and one cut after each of the 18 events */
    free(data);
}
END_TEST

START_TEST(test_wrong_magic)
{
    const uint8_t riff[] = {'R', 'I', 'F', 'F', 0, 0, 0, 6, 0, 0, 0, 1, 1, 0xE0};
    expect_error(riff, sizeof riff, "offset 0: header 'RIFF' where 'MThd' was expected");
    const uint8_t binary[] = {0, 1, 2, 0xFF};
    expect_error(binary, sizeof binary, "header '\\x00\\x01\\x02\\xFF' where 'MThd'");
    expect_error(binary, 0, "offset 0: file of 0 bytes is too short");
}
END_TEST

START_TEST(test_bad_chunk_lengths)
{
    Builder b;
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    put_note(&b, 0, 0x90, 60, 80);
    end_track(&b, 0);
    b.bytes[21] += 1; /* one byte more than the file holds */
    expect_error(b.bytes, b.size, "offset 18: chunk 'MTrk' length 9 runs past the end of the file (8 bytes follow)");
    b.bytes[18] = 0xFF; /* huge */
    expect_error(b.bytes, b.size, "offset 18: chunk 'MTrk' length");
    b.bytes[7] = 5;
    expect_error(b.bytes, b.size, "offset 4: header length 5, must be at least 6");
    b.bytes[7] = 200;
    expect_error(b.bytes, b.size, "offset 4: header length 200 runs past the end of the file");
}
END_TEST

START_TEST(test_format_2_refused)
{
    Builder b;
    put_header(&b, 2, 1, 480);
    open_chunk(&b, "MTrk");
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 8: format 2 (independent sequences) is not supported");
    b.bytes[9] = 7;
    expect_error(b.bytes, b.size, "offset 8: unknown format 7");
}
END_TEST

START_TEST(test_track_counts_refused)
{
    Builder b;
    put_header(&b, 1, 0, 480);
    expect_error(b.bytes, b.size, "offset 10: the header declares 0 tracks");
    put_header(&b, 1, 1025, 480);
    expect_error(b.bytes, b.size, "offset 10: 1025 tracks, more than the limit of 1024");
    put_header(&b, 0, 2, 480);
    expect_error(b.bytes, b.size, "offset 10: format 0 file declares 2 tracks, must be 1");
    put_header(&b, 1, 2, 480);
    open_chunk(&b, "MTrk");
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 26: file ends after 1 of 2 tracks");
    open_chunk(&b, "MTrx");
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "file ends after 1 of 2 tracks (an unknown chunk 'MTrx' was skipped)");
    b.bytes[26] = 0; /* not even a chunk type */
    expect_error(b.bytes, b.size, "offset 26: track 2 header '\\x00Trx' where 'MTrk' was expected");
}
END_TEST

START_TEST(test_division_refused)
{
    Builder b;
    put_header(&b, 0, 1, 0);
    expect_error(b.bytes, b.size, "offset 12: division of 0 ticks per quarter note");
    put_header(&b, 0, 1, 0xE000 | 0x28); /* -32 fps */
    expect_error(b.bytes, b.size, "offset 12: SMPTE division with 32 frames per second");
    put_header(&b, 0, 1, 0xE700); /* 25 fps, 0 ticks per frame */
    expect_error(b.bytes, b.size, "offset 13: SMPTE division with 0 ticks per frame");
}
END_TEST

START_TEST(test_vlq_too_long)
{
    Builder b;
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 80);
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 22: variable-length quantity longer than 4 bytes");
    /* Four bytes is the maximum, and it is accepted (at the fastest tempo: within the rest cap). */
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0xFF, 0x51, 0x03, 0x00, 0x00, 0x01);
    PUT(&b, 0xFF, 0xFF, 0xFF, 0x7F, 0x90, 60, 80);
    end_track(&b, 0);
    SmfSong *song = read_ok(&b);
    ck_assert_uint_eq(smf_events(song)[0].tick, 0x0FFFFFFFu);
    smf_free(song);
    /* In a SysEx length. */
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0xF0, 0x80, 0x80, 0x80, 0x80, 0x01);
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 24: variable-length quantity longer than 4 bytes");
}
END_TEST

START_TEST(test_bad_events_refused)
{
    Builder b;
    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 60, 80);
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 23: track 1: data byte 0x3C with no running status");

    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0xF2, 0x00, 0x00);
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 23: track 1: status byte 0xF2 is not allowed in a MIDI file");

    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0x90, 60, 0x85);
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 25: track 1: byte 0x85 where a data byte of a 0x90 message was expected");

    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1);
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 22: tempo meta event of length 2, must be 3");

    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0xFF, 0x51, 0x03, 0, 0, 0);
    end_track(&b, 0);
    expect_error(b.bytes, b.size, "offset 22: tempo of 0 microseconds per quarter note");

    put_header(&b, 0, 1, 480);
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0x90, 60, 80, 0x00, 0xF0, 0x10, 1, 2, 3);
    close_chunk(&b);
    expect_error(b.bytes, b.size, "offset 26: track 1 ends inside an event (16 bytes of data declared, 3 left)");
}
END_TEST

START_TEST(test_size_limit_and_file_errors)
{
    const uint8_t tiny[16] = {'M', 'T', 'h', 'd'};
    SmfSong *song = NULL;
    char err[256];
    /* The size is checked before any byte is read. */
    ck_assert_int_eq(smf_read_memory(tiny, (size_t)SMF_MAX_FILE_SIZE + 1, &song, err, sizeof err), -1);
    ck_assert_ptr_null(song);
    ck_assert_ptr_nonnull(strstr(err, "offset 0: file of 16777217 bytes is larger than the limit of 16 MiB"));
    ck_assert_int_eq(smf_read_file("tests/fixtures/midi/no-such-file.mid", &song, err, sizeof err), -1);
    ck_assert_ptr_null(song);
    ck_assert_ptr_nonnull(strstr(err, "tests/fixtures/midi/no-such-file.mid: cannot open for reading"));
    /* A broken file's message names the file, then the offset. */
    ck_assert_int_eq(smf_read_file("tests/fixtures/midi/make_fixtures.py", &song, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "tests/fixtures/midi/make_fixtures.py: offset 0: header '#!/u'"));
    /* A NULL or tiny err buffer is fine. */
    ck_assert_int_eq(smf_read_memory(tiny, sizeof tiny, &song, NULL, 0), -1);
    ck_assert_int_eq(smf_read_memory(tiny, sizeof tiny, &song, err, 3), -1);
    ck_assert_str_eq(err, "of");
}
END_TEST

/* Issue 20: a 40-byte file whose one delta time at the slowest tempo is a 140-year rest. */
START_TEST(test_endless_rest_refused)
{
    Builder b;
    put_header(&b, 0, 1, 1); /* one tick a quarter note */
    open_chunk(&b, "MTrk");
    PUT(&b, 0x00, 0xFF, 0x51, 0x03, 0xFF, 0xFF, 0xFF); /* 16.8 s a quarter note */
    put_vlq(&b, 0x0FFFFFFF);
    PUT(&b, 0x90, 60, 80, 0x00, 0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00);
    close_chunk(&b);
    ck_assert_uint_le(b.size, 48);
    expect_cap_error(b.bytes, b.size, "a rest of 4.5e+09 s (143 years) before the first event: longer than the limit");
    /* an hour's rest is allowed, a second more is not */
    for (int extra = 0; extra <= 1; extra++) {
        put_header(&b, 0, 1, 1000); /* at 120 bpm: 2000 ticks a second */
        open_chunk(&b, "MTrk");
        PUT(&b, 0x00, 0x90, 60, 80);
        put_vlq(&b, 2000u * (3600u + (unsigned)extra));
        PUT(&b, 0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00);
        close_chunk(&b);
        SmfSong *song = NULL;
        char err[256] = "";
        ck_assert_int_eq(smf_read_memory(b.bytes, b.size, &song, err, sizeof err), extra ? -1 : 0);
        if (extra)
            ck_assert_ptr_nonnull(strstr(err, "a rest of 3.6e+03 s after 0.0 s: longer than the limit of 3600 s"));
        smf_free(song);
    }
}
END_TEST

/* A long end of track: the length cap, even with rests below the rest cap. */
START_TEST(test_length_cap_refused)
{
    Builder b;
    put_header(&b, 0, 1, 1000); /* 2000 ticks a second */
    open_chunk(&b, "MTrk");
    for (int hour = 0; hour < 9; hour++) { /* a note every 59 minutes, for 9 hours */
        put_vlq(&b, 2000u * 59u * 60u);
        PUT(&b, 0x90, 60, 80, 0x00, 0x80, 60, 0);
    }
    PUT(&b, 0x00, 0xFF, 0x2F, 0x00);
    close_chunk(&b);
    expect_cap_error(b.bytes, b.size, "a length of 3.19e+04 s (9 hours): longer than the limit of 28800 s (8 hours)");
}
END_TEST

/* Events and memory: a file within the size cap whose events and tempo changes would take more
 * memory than the cap is refused, and so is one with more events than the cap. */
START_TEST(test_event_and_memory_caps_refused)
{
    size_t notes = 900000, tempos = 900000;
    size_t capacity = 64 + 8 * tempos + 4 * notes;
    uint8_t *file = malloc(capacity);
    ck_assert_ptr_nonnull(file);
    size_t n = 0;
    static const uint8_t header[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1, 0, 2, 0x01, 0xE0};
    memcpy(file, header, sizeof header), n = sizeof header;
    size_t length_at[2];
    for (int track = 0; track < 2; track++) {
        memcpy(file + n, "MTrk\0\0\0\0", 8), n += 8;
        length_at[track] = n;
        if (track == 0)
            for (size_t i = 0; i < tempos; i++) {
                static const uint8_t tempo[] = {0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20};
                memcpy(file + n, tempo, sizeof tempo), n += sizeof tempo;
            }
        else {
            static const uint8_t first[] = {0x00, 0x90, 60, 80};
            memcpy(file + n, first, sizeof first), n += sizeof first;
            for (size_t i = 1; i < notes; i++) /* running status: delta 0, key, velocity */
                file[n++] = 0x00, file[n++] = 60, file[n++] = (uint8_t)(i % 2 ? 0 : 80);
        }
        static const uint8_t end[] = {0x00, 0xFF, 0x2F, 0x00};
        memcpy(file + n, end, sizeof end), n += sizeof end;
        size_t length = n - length_at[track];
        for (int k = 0; k < 4; k++)
            file[length_at[track] - 4 + k] = (uint8_t)(length >> (24 - 8 * k));
    }
    ck_assert_uint_le(n, SMF_MAX_FILE_SIZE);
    SmfSong *song = NULL;
    char err[256] = "";
    ck_assert_int_eq(smf_read_memory(file, n, &song, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "would take more than 64 MiB of memory (the limit)") != NULL, "%s", err);
    free(file);

    /* one event more than the cap, in a file of running-status notes */
    notes = RECORDING_MAX_EVENTS + 1;
    file = malloc(64 + 3 * notes);
    ck_assert_ptr_nonnull(file);
    static const uint8_t one_track[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0, 'M', 'T', 'r', 'k'};
    memcpy(file, one_track, sizeof one_track), n = sizeof one_track;
    size_t body = 4 + 3 * (notes - 1);
    for (int k = 0; k < 4; k++)
        file[n++] = (uint8_t)(body >> (24 - 8 * k));
    file[n++] = 0x00, file[n++] = 0x90, file[n++] = 60, file[n++] = 80;
    for (size_t i = 1; i < notes; i++)
        file[n++] = 0x00, file[n++] = 60, file[n++] = (uint8_t)(i % 2 ? 0 : 80);
    ck_assert_int_eq(smf_read_memory(file, n, &song, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "more than 1048576 channel events (the limit)") != NULL, "%s", err);
    free(file);
}
END_TEST

START_TEST(test_random_damage_never_crashes)
{
    size_t size;
    uint8_t *data = load_fixture("tempo_change_format1.mid", &size);
    uint8_t *copy = malloc(size);
    ck_assert_ptr_nonnull(copy);
    uint32_t x = 2024;
    int accepted = 0;
    for (int trial = 0; trial < 6000; trial++) {
        memcpy(copy, data, size);
        int damage = 1 + trial % 4;
        for (int d = 0; d < damage; d++) {
            x = x * 1664525u + 1013904223u;
            size_t at = (x >> 8) % size;
            x = x * 1664525u + 1013904223u;
            copy[at] = (uint8_t)(x >> 24);
        }
        SmfSong *song = NULL;
        char err[256] = "";
        if (smf_read_memory(copy, size, &song, err, sizeof err) == 0) {
            accepted++;
            const SmfEvent *e = smf_events(song);
            for (size_t i = 0; i < smf_event_count(song); i++) {
                ck_assert(isfinite(e[i].time_s) && e[i].time_s >= 0.0);
                ck_assert(e[i].size == 2 || e[i].size == 3);
                if (i > 0)
                    ck_assert(e[i - 1].time_s <= e[i].time_s);
            }
            ck_assert(smf_duration_s(song) >= 0.0);
            smf_free(song);
        } else {
            ck_assert_ptr_null(song);
            /* the offset of what is broken, or the cap on the song's times it exceeds */
            ck_assert_msg(strncmp(err, "offset ", 7) == 0 || strstr(err, ": longer than the limit of "), "%s", err);
        }
    }
    ck_assert_int_gt(accepted, 0);
    free(copy);
    free(data);
}
END_TEST

Suite *smf_suite(void)
{
    Suite *suite = suite_create("smf");
    TCase *valid = tcase_create("valid");
    tcase_add_test(valid, test_times_at_default_tempo);
    tcase_add_test(valid, test_tempo_map_segments);
    tcase_add_test(valid, test_tempo_from_any_track_applies_to_all);
    tcase_add_test(valid, test_tempo_changes_at_one_tick_last_wins);
    tcase_add_test(valid, test_merged_tracks_stable_order);
    tcase_add_test(valid, test_many_tracks_merge_by_time);
    tcase_add_test(valid, test_running_status_meta_and_sysex_skipped);
    tcase_add_test(valid, test_smpte_division);
    tcase_add_test(valid, test_unknown_chunks_and_longer_header_skipped);
    tcase_add_test(valid, test_track_without_end_of_track);
    tcase_add_test(valid, test_fixture_c_major_scale);
    tcase_add_test(valid, test_fixture_tempo_change_format1);
    suite_add_tcase(suite, valid);
    TCase *broken = tcase_create("broken");
    tcase_add_test(broken, test_truncated_at_every_length);
    tcase_add_test(broken, test_track_body_cut_at_every_length);
    tcase_add_test(broken, test_wrong_magic);
    tcase_add_test(broken, test_bad_chunk_lengths);
    tcase_add_test(broken, test_format_2_refused);
    tcase_add_test(broken, test_track_counts_refused);
    tcase_add_test(broken, test_division_refused);
    tcase_add_test(broken, test_vlq_too_long);
    tcase_add_test(broken, test_bad_events_refused);
    tcase_add_test(broken, test_size_limit_and_file_errors);
    tcase_add_test(broken, test_endless_rest_refused);
    tcase_add_test(broken, test_length_cap_refused);
    tcase_add_test(broken, test_event_and_memory_caps_refused);
    tcase_add_test(broken, test_random_damage_never_crashes);
    suite_add_tcase(suite, broken);
    return suite;
}
