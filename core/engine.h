/* engine: the real-time work of Homunculus, written once for the LV2 plugin, the
 * standalone program and the tests. MIDI events in -> fingers -> stimuli -> the two hands'
 * models (time-sliced, bounded work per block) -> metrics snapshots for other threads and
 * sonified audio out. engine_create allocates everything; engine_process never allocates,
 * locks, prints or does I/O. */
#ifndef HM_ENGINE_H
#define HM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "fingering.h"
#include "load.h"
#include "metrics.h"
#include "model.h"
#include "params.h"
#include "sonify.h"
#include "state.h"

#define ENGINE_HANDS 2
#define ENGINE_MAX_UNITS (64 * 64)

/* One MIDI event of a block: frame offset into the block and its raw bytes. */
typedef struct {
    uint32_t frame;
    uint8_t size;     /* 1..3 */
    uint8_t bytes[3];
} EngineEvent;

typedef struct {
    double sample_rate;         /* frames per second, 8000..768000 */
    uint32_t max_block;         /* most frames per engine_process call, 1..65536 */
    ModelParams model;          /* both hands' model */
    FingeringConfig fingering;
    double coincidence_window_ms; /* onsets this close form one stimulus (default 30) */
    double break_s;             /* a silence this long is a break (default 120) */
    uint32_t steps_per_second;  /* model work budget in Euler steps per second of audio */
    double metrics_period_s;    /* how often a hand's metrics are refreshed (default 0.25) */
    SonifyMode sonify_mode;
    float level_db;
    /* 0: both hands' models are made by engine_create. 1: a hand's model is made only once
     * the hand is played (a plugin on a one-hand track holds one model): engine_hands_wanted
     * tells which to make, outside the audio thread (engine_hand_make), and
     * engine_hand_install hands it over. Until then the hand's stimuli wait in its queue
     * (merged and counted beyond it) and its map is reported as not there (metrics invalid,
     * every unit unresponsive). Saved states carry both hands either way. */
    int hands_on_demand;
} EngineConfig;

#define ENGINE_RECENT_NOTES 8 /* the last notes given a finger, for displays */

/* A note whose finger was decided (for displays: "the finger given to the last notes"). */
typedef struct {
    uint8_t note;
    int8_t hand;   /* 0 right, 1 left */
    int8_t finger; /* 0 thumb .. 4 little */
} EngineFingeredNote;

/* A note whose finger was decided, as a recording keeps it (engine_take_finals). */
typedef struct {
    uint64_t onset_frame; /* engine frames since the engine was created */
    uint8_t note, velocity;
    int8_t hand, finger;  /* -1: the note got no finger */
} EngineFinal;

#define ENGINE_FINALS 1024 /* decided notes kept for engine_take_finals between two calls */

/* What other threads see: a consistent copy published by the audio thread. */
typedef struct {
    uint64_t sequence;          /* increases with every publication */
    double time_s;              /* engine time at publication */
    MapMetrics map[ENGINE_HANDS];
    int sheet_size;
    int8_t preferred_digit[ENGINE_HANDS][ENGINE_MAX_UNITS]; /* -1 unresponsive */
    float selectivity[ENGINE_HANDS][ENGINE_MAX_UNITS];
    LoadFigures load;
    Warning warning;
    uint64_t notes, stimuli[ENGINE_HANDS], stimuli_merged, notes_unfingered, finals_dropped;
    int queued[ENGINE_HANDS];   /* stimuli waiting for the model */
    int sustain;                /* the sustain pedal is down */
    EngineFingeredNote recent[ENGINE_RECENT_NOTES]; /* oldest first */
    int recent_count;           /* 0..ENGINE_RECENT_NOTES */
} EngineSnapshot;

typedef struct Engine Engine;

/* A complete default configuration at sample_rate with blocks of up to max_block frames:
 * default hand model, auto fingering of both hands, 30 ms window, map sonification. */
void engine_config_default(EngineConfig *config, double sample_rate, uint32_t max_block);

/* Checks a configuration as engine_create does, without allocating: 0, or -1 with the
 * reason in err (a plugin checks at instantiation and creates the engine later). */
int engine_config_check(const EngineConfig *config, char *err, size_t err_size);

/* Creates an engine; NULL with the reason in err on a bad configuration or no memory. */
Engine *engine_create(const EngineConfig *config, char *err, size_t err_size);

/* Frees an engine; NULL is allowed. */
void engine_free(Engine *engine);

/* A hand's model made outside the audio thread, with its metrics probe and first metrics,
 * on its way into an engine created with hands_on_demand (plain data: it can travel by
 * value through a host's worker). */
typedef struct {
    int hand;
    Model *model;
    MetricsProbe *probe;
    MapMetrics metrics;
} EngineHand;

/* Hands (bit 0 right, bit 1 left) that have been played and have no model yet. */
HM_REALTIME unsigned engine_hands_wanted(const Engine *engine);

/* Whether a hand's model exists (always, unless hands_on_demand). */
HM_REALTIME int engine_hand_ready(const Engine *engine, int hand);

/* Makes hand's model for an engine created with config (its creation configuration) as
 * engine_create would have made it. Allocates: not for the audio thread. Returns 0, or -1
 * with the reason in err. */
int engine_hand_make(const EngineConfig *config, int hand, EngineHand *made, char *err, size_t err_size);

/* Frees what engine_hand_make made (not installed); NULL parts are allowed. */
void engine_hand_release(EngineHand *made);

/* Gives a made hand to the engine, which takes it over (made is emptied) and brings it to
 * the controls now in force; the hand's waiting stimuli are learned from then on. Returns
 * 0, or -1 (made left as it was, for the caller to release outside the audio thread) when
 * the hand has a model already. */
HM_REALTIME int engine_hand_install(Engine *engine, EngineHand *made);

/* Makes every hand that has no model yet, now (not real-time). Returns 0, or -1 with the
 * reason in err. */
int engine_make_hands(Engine *engine, char *err, size_t err_size);

/* For a recorder, in the thread that runs engine_process (right after it): copies the
 * notes decided since *cursor (the count of notes the caller has taken, 0 at first) into
 * out, at most max, and advances *cursor. Notes that left the ring before being taken (more
 * than ENGINE_FINALS between two calls) are skipped and added to *lost. Returns the count. */
HM_REALTIME uint32_t engine_take_finals(const Engine *engine, uint64_t *cursor, EngineFinal *out, uint32_t max,
                                        uint64_t *lost);

/* Processes one block: events (sorted by frame, frames < frames) and frames (<= max_block)
 * of stereo audio written to left and right. Returns 0, or -1 (nothing done) when frames
 * exceeds max_block. */
HM_REALTIME int engine_process(Engine *engine, const EngineEvent *events, uint32_t event_count, float *left,
                               float *right, uint32_t frames);

/* Decides every pending finger and stimulus and does all queued model work now, then
 * refreshes both hands' metrics and publishes a snapshot (end of a file, before saving).
 * Not bounded like engine_process: call it outside the audio thread. */
void engine_finish(Engine *engine);

/* The newest published snapshot, or NULL before the first; one reader thread. */
const EngineSnapshot *engine_snapshot(Engine *engine);

/* The engine's bounded queues as they stand, for tests and benches watching them under
 * load: stimuli waiting for each hand's model (not counting the one settling) against the
 * queue's capacity, notes whose finger is not decided yet against the note ring, and every
 * stimulus the touches formed (each is learned, still waiting, or merged and counted). */
typedef struct {
    int stimuli_waiting[ENGINE_HANDS];
    int stimuli_capacity;          /* per hand; more are merged into the newest */
    uint64_t stimuli_formed;
    uint64_t notes_undecided;
    int note_slots;                /* undecided notes the ring tracks exactly */
} EngineQueues;

HM_REALTIME void engine_queues(const Engine *engine, EngineQueues *queues);

/* A hand's model (for saving, pictures and tests; don't modify it while processing);
 * NULL for a hand not made yet (hands_on_demand). */
const Model *engine_model(const Engine *engine, int hand);
Model *engine_model_mutable(Engine *engine, int hand);

/* The engine's saved state: both hands' models (core/state.h model blobs), the practice
 * load and the fingering estimator's memory, in a versioned, checksummed "HMES" frame
 * (docs/state.md). Neither function may run while engine_process runs. */
size_t engine_state_size(const Engine *engine);

/* Writes the state with the wall-clock time of saving; returns the bytes written, or 0
 * (buffer untouched beyond size) when size is too small. */
size_t engine_state_save(const Engine *engine, int64_t saved_unix_time, uint8_t *out, size_t size);

/* Restores a saved state into the engine, all or nothing: on any error (corrupt, other
 * version, wrong size, another sheet geometry) the engine is untouched and err says what
 * was wrong. The engine's own parameters (plasticity, inhibition, ...) stay; queued
 * stimuli are dropped. */
StateStatus engine_state_load(Engine *engine, const uint8_t *data, size_t size, int64_t *saved_unix_time,
                              char *err, size_t err_size);

/* The model parameters a saved engine state was made with (its right hand's model, every
 * field checked), so that an engine of the same geometry can be created to read it, whatever
 * its sheet size. Returns STATE_OK, or why not in err; not for the audio thread. */
StateStatus engine_state_params(const uint8_t *data, size_t size, ModelParams *params, char *err, size_t err_size);

/* A consistent copy of everything the saved state holds, taken in constant time so that a
 * host can save without stopping the audio thread for the serialisation: capture while
 * engine_process is not running (e.g. at the start of a block, or holding the engine),
 * then serialise the capture from any thread while processing goes on. */
typedef struct EngineCapture EngineCapture;

/* Sizes a capture for engine's geometry (allocates; not real-time). */
EngineCapture *engine_capture_create(const Engine *engine, char *err, size_t err_size);

/* The same for an engine created with config, without reading the engine: a thread can
 * make a capture while the audio thread runs (a plugin's save(), so that the capture's
 * memory is held only while saving). */
EngineCapture *engine_capture_create_for(const EngineConfig *config, char *err, size_t err_size);

/* Frees a capture; NULL is allowed. */
void engine_capture_free(EngineCapture *capture);

/* Copies the engine's state into the capture (memory copies only). Returns 0, or -1 when
 * the capture was made for another geometry. */
HM_REALTIME int engine_capture(const Engine *engine, EngineCapture *capture);

/* engine_state_size / engine_state_save for the captured state (0 before any capture). */
size_t engine_capture_size(const EngineCapture *capture);
size_t engine_capture_save(const EngineCapture *capture, int64_t saved_unix_time, uint8_t *out, size_t size);

/* Applies time that passed offline (the program was closed): awake_s of everyday use of the
 * hands (core/everyday.h; at most EVERYDAY_MAX_GAP_S of it, the rest plain awake time), then
 * asleep_s of sleep; counts as a break. Not real-time: a day's gap costs about a second. */
void engine_apply_gap(Engine *engine, double awake_s, double asleep_s);

/* Real-time controls. */
HM_REALTIME void engine_set_sonify_mode(Engine *engine, SonifyMode mode);
HM_REALTIME void engine_set_level_db(Engine *engine, float level_db);

/* Settings changed while playing, at a block boundary, keeping everything learned. */

/* The player's controls on both hands' models (model_set_controls: clamped to range). */
HM_REALTIME void engine_set_model_controls(Engine *engine, float plasticity_gain, float inhibition_strength,
                                           float age_years);

/* The coincidence window (ms, 0..1000; non-finite or out of range ignored). */
HM_REALTIME void engine_set_coincidence_window_ms(Engine *engine, double window_ms);

/* A new fingering configuration, which must have passed fingering_config_check: notes
 * whose finger is pending are decided under the old one first, then the estimator starts
 * afresh under the new one. */
HM_REALTIME void engine_set_fingering(Engine *engine, const FingeringConfig *config);

/* The configuration as now in force (the settings above included). */
const EngineConfig *engine_config(const Engine *engine);

#endif
