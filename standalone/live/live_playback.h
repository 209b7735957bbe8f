/* live_playback: timed MIDI events (a recording, the demo's built-in session) played in real
 * time through a live session: a player thread puts each event into the session's queue at
 * its time, the audio clock (PortAudio, or the silent clock without a device) runs the engine,
 * and the main thread shows the live view on a terminal (keys: s sonification, q quit) or a
 * plain line every few seconds. */
#ifndef HM_LIVE_PLAYBACK_H
#define HM_LIVE_PLAYBACK_H

#include <stddef.h>
#include <stdint.h>

#include "practice_session.h"
#include "smf.h"

typedef struct {
    const char *audio; /* PortAudio device name or index, NULL for the default */
    int no_audio;      /* the silent clock even when there is a device */
    int no_ui;         /* plain lines even on a terminal */
    double rate;       /* the session engine's sample rate */
    uint32_t block;    /* its block size */
    const char *title; /* what is playing, shown in the view ("demo", a file name) */
    const char *profile; /* the profile learning from it, named in the view's header; NULL: none */
    double end_s;        /* the recording's end of track in seconds (silence after the last note
                          * plays too, as in the offline WAV); 0: none */
    /* called with the engine's snapshot about every 0.1 s while playing (NULL: not called),
     * e.g. to log every warning given */
    void (*observe)(void *user, const EngineSnapshot *snapshot);
    void *observe_user;
} LivePlaybackConfig;

/* Plays events (sorted by time) through session until the last one has rung out (a second
 * after it) or the recording's end of track, whichever is later, q, or SIGINT/SIGTERM/SIGHUP. The session's engine must not be used by the caller
 * meanwhile; when this returns the clock has stopped and it is the caller's again (call
 * engine_finish). Returns 0, or -1 with the reason in err (a named audio device cannot be
 * opened, no thread). *stopped_early is set when q or a signal ended it. */
int live_playback(PracticeSession *session, const SmfEvent *events, size_t count, const LivePlaybackConfig *config,
                  int *stopped_early, char *err, size_t err_size);

#endif
