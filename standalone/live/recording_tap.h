/* recording_tap: what the audio thread of a live session hands its recorder: each block's
 * note messages (at their engine frame) and the notes the engine gave a finger, through a
 * lock-free single-producer / single-consumer ring sized at creation. The audio thread only
 * copies into it (a full ring drops and counts, never waits); the main thread drains it. */
#ifndef HM_RECORDING_TAP_H
#define HM_RECORDING_TAP_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

typedef enum { TAP_MIDI, TAP_FINAL } TapKind;

typedef struct {
    TapKind kind;
    uint64_t frame;    /* engine frames: the message's, or the final note's onset */
    uint8_t bytes[3];  /* TAP_MIDI: a note on or off */
    EngineFinal final; /* TAP_FINAL */
} TapItem;

typedef struct RecordingTap RecordingTap;

/* A tap holding up to capacity items (rounded up to a power of two); NULL when out of memory. */
RecordingTap *recording_tap_create(size_t capacity);

/* Frees a tap; NULL is allowed. */
void recording_tap_free(RecordingTap *tap);

/* Producer, right after engine_process of a block that started at block_frame: the block's
 * note messages and the notes engine decided since the last call. */
HM_REALTIME void recording_tap_block(RecordingTap *tap, const Engine *engine, uint64_t block_frame,
                                     const EngineEvent *events, uint32_t count);

/* Consumer: moves up to max items into out; returns how many. */
size_t recording_tap_drain(RecordingTap *tap, TapItem *out, size_t max);

/* Items lost: dropped by a full ring, or decided notes the engine's ring no longer held. */
uint64_t recording_tap_lost(const RecordingTap *tap);

#endif
