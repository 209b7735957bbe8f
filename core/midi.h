/* midi: decoding raw MIDI 1.0 bytes (single messages and running-status byte streams) into the
 * note, controller and other channel messages the engine needs. Real-time safe: no allocation,
 * no global state, bounded work per byte. */
#ifndef HM_MIDI_H
#define HM_MIDI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a channel message is, as far as the engine cares. */
typedef enum {
    MIDI_NOTE_ON,  /* note-on with velocity 1..127 */
    MIDI_NOTE_OFF, /* note-off, or note-on with velocity 0 */
    MIDI_CONTROL,  /* control change: note = controller number, velocity = value */
    MIDI_OTHER     /* poly/channel pressure, program change, pitch bend: see status and data bytes */
} MidiKind;

/* One decoded channel message. For MIDI_OTHER, note and velocity hold the first and second data
 * bytes as sent (velocity is 0 for two-byte messages). */
typedef struct {
    MidiKind kind;
    uint8_t status;   /* the status byte as received (0x80..0xEF) */
    uint8_t channel;  /* 0..15 (MIDI channels 1..16) */
    uint8_t note;     /* note number, or controller number, or first data byte */
    uint8_t velocity; /* velocity, or controller value, or second data byte */
} MidiMessage;

/* Errors as values; every error is negative, so `< 0` and `!= 0` both test for failure. */
typedef enum {
    MIDI_OK = 0,
    MIDI_ERR_EMPTY = -1,        /* no bytes at all */
    MIDI_ERR_NO_STATUS = -2,    /* the first byte is a data byte (< 0x80) */
    MIDI_ERR_SYSTEM = -3,       /* a system message (0xF0..0xFF): not a channel message */
    MIDI_ERR_LENGTH = -4,       /* the size does not match the status byte's message length */
    MIDI_ERR_DATA_BYTE = -5     /* a data byte with its top bit set (> 127) */
} MidiStatus;

/* A short English description of a status, for messages. */
const char *midi_strerror(MidiStatus status);

/* The scientific pitch name of a MIDI note (60 -> "C4", 61 -> "C#4"), in out of size bytes
 * (8 are always enough). */
void midi_note_name(int note, char *out, size_t size);

/* The length in bytes, status included, of a channel message with this status byte (2 or 3),
 * or 0 when the byte is not a channel status byte (a data byte or a system byte). */
size_t midi_channel_message_length(uint8_t status);

/* Decodes one complete channel message (e.g. an LV2 atom MIDI event or a JACK event) of exactly
 * the length its status byte calls for (2 or 3 bytes). A note-on with velocity 0 becomes a
 * note-off with velocity 64, as MIDI 1.0 specifies. Never reads past size; on any error *out is
 * left untouched. */
MidiStatus midi_parse_message(const uint8_t *bytes, size_t size, MidiMessage *out);

/* Decoder state for a raw byte stream (ALSA raw MIDI, a serial port). Treat as opaque. */
typedef struct {
    uint8_t running_status; /* current channel status byte, 0 when none */
    uint8_t data[2];        /* data bytes received so far for the current message */
    uint8_t data_count;     /* how many of them */
    bool in_sysex;          /* inside F0 .. F7 */
} MidiStream;

/* Starts a stream with no running status (data bytes before the first status byte are ignored). */
void midi_stream_init(MidiStream *stream);

/* Feeds one byte. Returns 1 when *out now holds a completed channel message, else 0 (and *out is
 * untouched). Running status is honoured; system real-time bytes (0xF8..0xFF) may appear
 * anywhere, even inside a message, and are ignored without disturbing it; SysEx (F0 .. F7, or
 * until the next status byte) is skipped whatever its length; system common messages
 * (0xF1..0xF6) cancel running status and their data bytes are dropped. */
int midi_stream_feed(MidiStream *stream, uint8_t byte, MidiMessage *out);

/* True when the message is the sustain pedal (control change 64); then *pressed (if not NULL)
 * is true for values >= 64 (pedal down) and false below. */
bool midi_is_sustain(const MidiMessage *message, bool *pressed);

#endif
