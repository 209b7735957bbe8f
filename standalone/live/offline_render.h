/* offline_render: timed MIDI events through an engine as fast as possible, block by block, the
 * sonification written to a WAV file (stereo, 32-bit float, libsndfile) when one is named.
 * Used by `play --offline` and by `demo` when there is no sound device or terminal. */
#ifndef HM_OFFLINE_RENDER_H
#define HM_OFFLINE_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "smf.h"

typedef struct {
    double rate;          /* the engine's sample rate */
    uint32_t block;       /* frames per engine_process call (<= the engine's max_block) */
    double tail_s;        /* rendered after the last event (the sound rings out) */
    const char *wav_path; /* NULL: no audio file */
    /* called about every progress_every_s of rendered time (NULL: never) */
    void (*progress)(void *user, double rendered_s, double total_s);
    void *progress_user;
    double progress_every_s;
} OfflineRenderConfig;

/* Renders events (sorted by time) through engine; returns 0, or -1 with the reason (the WAV
 * file cannot be written, out of memory) in err. */
int offline_render(Engine *engine, const SmfEvent *events, size_t count, const OfflineRenderConfig *config,
                   char *err, size_t err_size);

#endif
