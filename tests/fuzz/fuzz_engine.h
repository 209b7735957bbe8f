/* fuzz_engine: the small engine the state and MIDI targets use (and the state seeds were
 * saved from): the smallest sheet and skin the parameters allow, so that a saved state is
 * about 40 KB and a fuzzer can afford to mutate it. */
#ifndef HM_FUZZ_ENGINE_H
#define HM_FUZZ_ENGINE_H

#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

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

#endif
