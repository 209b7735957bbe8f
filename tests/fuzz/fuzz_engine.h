/* fuzz_engine: the small engine the state and MIDI targets use (and the state seeds were
 * saved from): the smallest sheet and skin the parameters allow, so that a saved state is
 * about 40 KB and a fuzzer can afford to mutate it. */
#ifndef HM_FUZZ_ENGINE_H
#define HM_FUZZ_ENGINE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "state.h"

#define FUZZ_ENGINE_RATE 48000.0
#define FUZZ_ENGINE_BLOCK 256u

static inline Engine *fuzz_engine_create(void)
{
    EngineConfig config;
    engine_config_default(&config, FUZZ_ENGINE_RATE, FUZZ_ENGINE_BLOCK);
    config.model.sheet_size = 16;
    config.model.receptors_per_digit = 2;
    char err[256];
    Engine *engine = engine_create(&config, err, sizeof err);
    if (!engine) {
        fprintf(stderr, "fuzz: cannot create the engine: %s\n", err);
        abort();
    }
    return engine;
}

/* Saved states: the CRC-32s of the frames in an input are made right before it is read, so
 * that mutations reach the fields behind them (unit tests cover the checksums). */
static inline uint32_t fuzz_read_u32(const uint8_t *at) { return at[0] | at[1] << 8 | at[2] << 16 | (uint32_t)at[3] << 24; }

/* Rewrites the CRC-32 of every frame with a known magic whose declared length fits, from the
 * last to the first, so that frames nested inside others are done before them. */
static inline void fuzz_fix_state_checksums(uint8_t *data, size_t size)
{
    for (size_t at = size; at-- > 0;) {
        if (size - at < STATE_FRAME_HEADER_SIZE + STATE_FRAME_TRAILER_SIZE)
            continue;
        if (memcmp(data + at, STATE_MODEL_MAGIC, 4) != 0 && memcmp(data + at, "HMES", 4) != 0)
            continue;
        size_t length = fuzz_read_u32(data + at + 8);
        size_t end = at + STATE_FRAME_HEADER_SIZE + length;
        if (length > size || end + STATE_FRAME_TRAILER_SIZE > size)
            continue;
        uint32_t crc = state_crc32(data + at, end - at);
        for (int i = 0; i < 4; i++)
            data[end + i] = (uint8_t)(crc >> (8 * i));
    }
}

#endif
