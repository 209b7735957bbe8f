/* fuzz_midi: raw MIDI bytes three ways — as one running-status stream (midi_stream_feed), as
 * single messages (midi_parse_message, what the plugin and JACK hand over) and as the
 * engine's blocks of events (engine_process, the real-time entry point) — checking every
 * decoded message and that the engine's sound stays finite. The input is cut into events by
 * a header byte each: size 1 + h % 3, then h / 4 frames later. */
#include <math.h>

#include "fuzz.h"
#include "fuzz_engine.h"
#include "midi.h"

#define FUZZ_MAX_BLOCKS 64

static void check_message(const MidiMessage *m)
{
    uint8_t type = m->status & 0xF0;
    FUZZ_CHECK(m->status >= 0x80 && m->status <= 0xEF);
    FUZZ_CHECK(m->channel == (m->status & 0x0F));
    FUZZ_CHECK(m->note < 128 && m->velocity < 128);
    switch (m->kind) {
    case MIDI_NOTE_ON: FUZZ_CHECK(type == 0x90 && m->velocity > 0); break;
    case MIDI_NOTE_OFF: FUZZ_CHECK(type == 0x80 || (type == 0x90 && m->velocity == 64)); break;
    case MIDI_CONTROL: FUZZ_CHECK(type == 0xB0); break;
    case MIDI_OTHER:
        FUZZ_CHECK(type == 0xA0 || type == 0xC0 || type == 0xD0 || type == 0xE0);
        FUZZ_CHECK(midi_channel_message_length(m->status) == 3 || m->velocity == 0);
        break;
    default: FUZZ_CHECK(!"a message kind outside MidiKind");
    }
    bool pressed = false;
    bool sustain = midi_is_sustain(m, &pressed);
    FUZZ_CHECK(sustain == (m->kind == MIDI_CONTROL && m->note == 64));
    FUZZ_CHECK(!sustain || pressed == (m->velocity >= 64));
    FUZZ_CHECK(midi_is_sustain(m, NULL) == sustain);
}

static void feed_stream(const uint8_t *data, size_t size)
{
    MidiStream stream;
    midi_stream_init(&stream);
    for (size_t i = 0; i < size; i++) {
        MidiMessage message;
        if (midi_stream_feed(&stream, data[i], &message) == 1) {
            check_message(&message);
            FUZZ_CHECK(data[i] < 0x80); /* a message completes on a data byte */
        }
    }
}

static void process(Engine *engine, const EngineEvent *events, uint32_t count)
{
    static float left[FUZZ_ENGINE_BLOCK], right[FUZZ_ENGINE_BLOCK];
    FUZZ_CHECK(engine_process(engine, events, count, left, right, FUZZ_ENGINE_BLOCK) == 0);
    for (uint32_t i = 0; i < FUZZ_ENGINE_BLOCK; i++)
        FUZZ_CHECK(isfinite(left[i]) && isfinite(right[i]));
}

/* Cuts the input into events, checks each as a single message and plays them in blocks. */
static void feed_events(const uint8_t *data, size_t size)
{
    static Engine *engine;
    if (!engine)
        engine = fuzz_engine_create();
    EngineEvent events[FUZZ_ENGINE_BLOCK];
    uint32_t count = 0, frame = 0;
    int blocks = 0;
    size_t at = 0;
    while (at < size && blocks < FUZZ_MAX_BLOCKS) {
        uint8_t header = data[at++];
        EngineEvent event = {.size = (uint8_t)(1 + header % 3)};
        for (uint8_t i = 0; i < event.size; i++)
            event.bytes[i] = at < size ? data[at++] : 0;
        MidiMessage message;
        MidiStatus status = midi_parse_message(event.bytes, event.size, &message);
        FUZZ_CHECK(status <= MIDI_OK && status >= MIDI_ERR_DATA_BYTE);
        FUZZ_CHECK(midi_strerror(status) != NULL);
        if (status == MIDI_OK) {
            FUZZ_CHECK(midi_channel_message_length(event.bytes[0]) == event.size);
            check_message(&message);
        }
        frame += header / 4u;
        while (frame >= FUZZ_ENGINE_BLOCK && blocks < FUZZ_MAX_BLOCKS) {
            process(engine, events, count);
            count = 0;
            frame -= FUZZ_ENGINE_BLOCK;
            blocks++;
        }
        event.frame = frame;
        if (count < FUZZ_ENGINE_BLOCK)
            events[count++] = event;
    }
    process(engine, events, count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    feed_stream(data, size);
    feed_events(data, size);
    return 0;
}
