/* offline_render: events through the engine without a clock, audio to a WAV file. */
#include "offline_render.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "recording_limits.h"

/* The most events one block gives the engine; more in one block wait for the next one (at
 * its first frame). */
#define RENDER_MAX_BLOCK_EVENTS 1024u

static int write_block(SNDFILE *wav, float *interleaved, const float *left, const float *right, uint32_t frames)
{
    for (uint32_t i = 0; i < frames; i++) {
        interleaved[2 * i] = left[i];
        interleaved[2 * i + 1] = right[i];
    }
    return sf_writef_float(wav, interleaved, frames) == (sf_count_t)frames ? 0 : -1;
}

int offline_render(Engine *engine, const SmfEvent *events, size_t count, const OfflineRenderConfig *c, char *err,
                   size_t err_size)
{
    double end_s = count ? events[count - 1].time_s : 0.0;
    if (c->end_s > end_s) /* NaN ignored */
        end_s = c->end_s;
    if (!(end_s <= RECORDING_MAX_DURATION_S)) { /* the readers refuse such files; refused here for any caller */
        snprintf(err, err_size, "events until %.3g s: longer than the limit of %.0f s", end_s,
                 RECORDING_MAX_DURATION_S);
        return -1;
    }
    SNDFILE *wav = NULL;
    char *temp = NULL; /* the WAV is written to a temporary name, renamed over wav_path when complete */
    if (c->wav_path) {
        SF_INFO info = {.samplerate = (int)lround(c->rate), .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
        struct stat existing; /* a device such as /dev/null is written directly */
        int device = stat(c->wav_path, &existing) == 0 && !S_ISREG(existing.st_mode);
        int fd = -1;
        if (!device && (fd = files_temp_create(c->wav_path, &temp, err, err_size)) < 0)
            return -1;
        if (!(wav = device ? sf_open(c->wav_path, SFM_WRITE, &info) : sf_open_fd(fd, SFM_WRITE, &info, SF_TRUE))) {
            snprintf(err, err_size, "cannot write '%s': %s", c->wav_path, sf_strerror(NULL));
            if (temp)
                unlink(temp); /* sf_open may have created it before failing */
            free(temp);
            return -1;
        }
    }
    EngineEvent *block_events = malloc(RENDER_MAX_BLOCK_EVENTS * sizeof *block_events);
    float *left = malloc(c->block * sizeof(float)), *right = malloc(c->block * sizeof(float));
    float *interleaved = malloc(2 * (size_t)c->block * sizeof(float));
    int status = 0;
    if (!block_events || !left || !right || !interleaved) {
        snprintf(err, err_size, "out of memory for %u-frame blocks", c->block);
        status = -1;
    }
    uint64_t total = (uint64_t)llround((end_s + c->tail_s) * c->rate);
    double next_progress_s = c->progress_every_s;
    size_t next = 0;
    for (uint64_t start = 0; start < total && status == 0; start += c->block) {
        uint32_t frames = total - start < c->block ? (uint32_t)(total - start) : c->block;
        uint32_t n = 0;
        while (next < count && n < RENDER_MAX_BLOCK_EVENTS) {
            uint64_t frame = (uint64_t)llround(events[next].time_s * c->rate);
            if (frame >= start + frames)
                break;
            EngineEvent *ev = &block_events[n++];
            ev->frame = frame > start ? (uint32_t)(frame - start) : 0;
            ev->size = events[next].size;
            memcpy(ev->bytes, events[next].bytes, 3);
            next++;
        }
        engine_process(engine, block_events, n, left, right, frames);
        if (c->observe && engine_snapshot(engine))
            c->observe(c->observe_user, engine_snapshot(engine));
        if (wav && write_block(wav, interleaved, left, right, frames) != 0) {
            snprintf(err, err_size, "cannot write '%s': %s", c->wav_path, sf_strerror(wav));
            status = -1;
        }
        double rendered_s = (double)(start + frames) / c->rate;
        if (c->progress && rendered_s >= next_progress_s) {
            c->progress(c->progress_user, rendered_s, (double)total / c->rate);
            next_progress_s += c->progress_every_s;
        }
    }
    if (wav && sf_close(wav) != 0 && status == 0) {
        snprintf(err, err_size, "cannot finish '%s'", c->wav_path);
        status = -1;
    }
    if (temp && status == 0)
        status = files_commit_temp(temp, c->wav_path, err, err_size);
    else if (temp)
        unlink(temp);
    free(temp);
    free(block_events), free(left), free(right), free(interleaved);
    return status;
}
