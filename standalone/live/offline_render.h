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
    double end_s;         /* render at least until this time (a file's end of track; 0: the last event) */
    double tail_s;        /* rendered after the last event or end_s (the sound rings out) */
    const char *wav_path; /* NULL: no audio file */
    /* called about every progress_every_s of rendered time (NULL: never) */
    void (*progress)(void *user, double rendered_s, double total_s);
    void *progress_user;
    double progress_every_s;
    /* called with the engine's snapshot after every block (NULL: never), e.g. to log every
     * warning given */
    void (*observe)(void *user, const EngineSnapshot *snapshot);
    void *observe_user;
} OfflineRenderConfig;

/* Renders events (sorted by time) through engine; returns 0, or -1 with the reason (the WAV
 * file cannot be written, out of memory) in err. */
int offline_render(Engine *engine, const SmfEvent *events, size_t count, const OfflineRenderConfig *config,
                   char *err, size_t err_size);

#endif
