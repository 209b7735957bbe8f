/* midi: raw MIDI 1.0 bytes -> channel messages (see midi.h). */
#include "midi.h"

#include <stdio.h>

#define MIDI_SUSTAIN_CONTROLLER 64
#define MIDI_NOTE_OFF_DEFAULT_VELOCITY 64 /* MIDI 1.0: note-on velocity 0 = note-off velocity 0x40 */

const char *midi_strerror(MidiStatus status)
{
    switch (status) {
    case MIDI_OK:
        return "no error";
    case MIDI_ERR_EMPTY:
        return "empty message";
    case MIDI_ERR_NO_STATUS:
        return "message starts with a data byte instead of a status byte";
    case MIDI_ERR_SYSTEM:
        return "system message, not a channel message";
    case MIDI_ERR_LENGTH:
        return "message length does not match its status byte";
    case MIDI_ERR_DATA_BYTE:
        return "data byte above 127";
    }
    return "unknown MIDI status";
}

size_t midi_channel_message_length(uint8_t status)
{
    if (status < 0x80 || status >= 0xF0)
        return 0;
    switch (status & 0xF0) {
    case 0xC0: /* program change */
    case 0xD0: /* channel pressure */
        return 2;
    default:
        return 3;
    }
}

MidiStatus midi_parse_message(const uint8_t *bytes, size_t size, MidiMessage *out)
{
    if (bytes == NULL || size == 0)
        return MIDI_ERR_EMPTY;
    uint8_t status = bytes[0];
    if (status < 0x80)
        return MIDI_ERR_NO_STATUS;
    if (status >= 0xF0)
        return MIDI_ERR_SYSTEM;
    size_t length = midi_channel_message_length(status);
    if (size != length)
        return MIDI_ERR_LENGTH;
    for (size_t i = 1; i < length; i++)
        if (bytes[i] > 127)
            return MIDI_ERR_DATA_BYTE;

    MidiMessage message;
    message.status = status;
    message.channel = (uint8_t)(status & 0x0F);
    message.note = bytes[1];
    message.velocity = length == 3 ? bytes[2] : 0;
    switch (status & 0xF0) {
    case 0x80:
        message.kind = MIDI_NOTE_OFF;
        break;
    case 0x90:
        if (message.velocity == 0) {
            message.kind = MIDI_NOTE_OFF;
            message.velocity = MIDI_NOTE_OFF_DEFAULT_VELOCITY;
        } else {
            message.kind = MIDI_NOTE_ON;
        }
        break;
    case 0xB0:
        message.kind = MIDI_CONTROL;
        break;
    default:
        message.kind = MIDI_OTHER;
        break;
    }
    *out = message;
    return MIDI_OK;
}

void midi_stream_init(MidiStream *stream)
{
    stream->running_status = 0;
    stream->data[0] = stream->data[1] = 0;
    stream->data_count = 0;
    stream->in_sysex = false;
}

int midi_stream_feed(MidiStream *stream, uint8_t byte, MidiMessage *out)
{
    if (byte >= 0xF8) /* system real-time: transparent */
        return 0;
    if (byte >= 0x80) {
        /* Any other status byte ends a SysEx and an unfinished message. */
        stream->in_sysex = false;
        stream->data_count = 0;
        if (byte < 0xF0) {
            stream->running_status = byte;
        } else {
            /* F0 starts SysEx, F7 ends it, F1..F6 are system common: all cancel running status. */
            stream->running_status = 0;
            stream->in_sysex = byte == 0xF0;
        }
        return 0;
    }
    if (stream->in_sysex || stream->running_status == 0)
        return 0; /* SysEx payload, or a stray data byte (after system common or at the start) */

    stream->data[stream->data_count++] = byte;
    size_t needed = midi_channel_message_length(stream->running_status) - 1;
    if (stream->data_count < needed)
        return 0;
    uint8_t bytes[3] = {stream->running_status, stream->data[0], stream->data[1]};
    stream->data_count = 0;
    return midi_parse_message(bytes, needed + 1, out) == MIDI_OK ? 1 : 0;
}

bool midi_is_sustain(const MidiMessage *message, bool *pressed)
{
    if (message->kind != MIDI_CONTROL || message->note != MIDI_SUSTAIN_CONTROLLER)
        return false;
    if (pressed != NULL)
        *pressed = message->velocity >= 64;
    return true;
}

void midi_note_name(int note, char *out, size_t size)
{
    static const char *const names[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    note = note < 0 ? 0 : note > 127 ? 127 : note;
    snprintf(out, size, "%s%d", names[note % 12], note / 12 - 1);
}
