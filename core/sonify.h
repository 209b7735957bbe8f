/* sonify: the finger maps made audible, in stereo, from the audio thread. In `map` mode each
 * finger of each hand is one sine partial of a consonant chord (D1..D5 panned left..right,
 * loudness following the finger's territory), sounding while the player plays; when neighbouring fingers' maps overlap their
 * partials are pulled together until they beat a few times a second. `echo` answers each
 * played note with a short tone of its finger, purer the more selective the finger's map;
 * `alarm` chimes gently every few seconds while a practice-load warning is active; `off` is
 * silence. Every parameter change is ramped, mode switches crossfade, output stays finite and
 * within [-1, 1]. All memory is allocated by sonify_create; the rest never allocates, locks
 * or prints. The same calls rendered with any block partition give bit-identical audio. */
#ifndef HM_SONIFY_H
#define HM_SONIFY_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "model.h"

#define SONIFY_HANDS 2
#define SONIFY_HAND_RIGHT 0 /* partials over C4 */
#define SONIFY_HAND_LEFT 1  /* the same chord an octave lower */
#define SONIFY_FINGERS METRICS_DIGITS /* finger 0 = D1 (thumb) .. 4 = D5 (little) */

#define SONIFY_LEVEL_MIN_DB (-60.0f) /* at or below: muted */
#define SONIFY_LEVEL_MAX_DB 6.0f

typedef enum {
    SONIFY_OFF = 0,
    SONIFY_MAP = 1,
    SONIFY_ECHO = 2,
    SONIFY_ALARM = 3,
    SONIFY_MODE_COUNT
} SonifyMode;

typedef struct Sonify Sonify;

/* Creates a sonifier for sample_rate (8 kHz .. 768 kHz) and blocks of at most max_block
 * frames (1 .. 65536). Starts in `map` mode at 0 dB with both hands silent until their
 * first sonify_set_map. Returns NULL with a message in err on bad arguments or no memory. */
Sonify *sonify_create(double sample_rate, uint32_t max_block, char *err, size_t err_size);

/* Frees a sonifier; NULL is allowed. */
void sonify_free(Sonify *sonify);

/* Switches mode; the old mode fades out while the new one fades in (30 ms). Unknown
 * values are ignored. */
HM_REALTIME void sonify_set_mode(Sonify *sonify, SonifyMode mode);
HM_REALTIME SonifyMode sonify_get_mode(const Sonify *sonify);

/* Mode names ("off", "map", "echo", "alarm") for ports, command lines and files;
 * sonify_mode_from_name returns -1 for an unknown name. */
const char *sonify_mode_name(SonifyMode mode);
int sonify_mode_from_name(const char *name);

/* Output level in dB, ramped over 30 ms: clamped to +6 dB, muted at or below -60 dB
 * (and for -inf); NaN leaves the level as it was. */
HM_REALTIME void sonify_set_level_db(Sonify *sonify, float db);

/* Feeds a hand's latest map (hand: SONIFY_HAND_RIGHT or SONIFY_HAND_LEFT). Each finger's
 * partial gets area_fraction / 0.2 of the nominal amplitude (capped at 3x; no territory: no
 * sound). The chord is C E G B D (just intonation, over C4 for the right hand, C3 for the
 * left). The Dice overlap of two neighbouring fingers above the healthy baseline (0.12)
 * narrows their interval geometrically, from the chord's interval at the baseline to about
 * 3 Hz at Dice 1, so the pair beats ever slower and more plainly as it merges; the chord's
 * mean pitch stays put. The echo tones' impurity comes from the same pair overlaps and from
 * rf_digits (1.1, the healthy mean: pure; 2: fully impure). Targets are ramped over 50 ms.
 * NULL or a map with valid == 0 silences the hand; NaN and out-of-range fields count as 0
 * (areas, overlaps) or as healthy (rf_digits). */
HM_REALTIME void sonify_set_map(Sonify *sonify, int hand, const MapMetrics *map);

/* Queues a played note for `echo` mode: a 150 ms tone (10 ms rise, 140 ms fall) at the
 * frequency of the finger's map partial, panned like it, starting exactly frame_offset
 * frames into the next sonify_process (offsets beyond that block carry over to later
 * blocks), at velocity 0..1 (clamped; 0 or NaN: no tone). A selective finger's tone is a
 * pure sine; as the finger's map de-differentiates, inharmonic FM sidebands (modulator at
 * sqrt(2) x, index up to 2) make it rougher. Ignored outside echo mode, for bad hands or
 * fingers, or when 128 notes are already pending (counted); 32 tones sound at once at most
 * (the oldest gives way). */
HM_REALTIME void sonify_note(Sonify *sonify, int hand, int finger, float velocity, uint32_t frame_offset);

/* Whether the player is playing: `map` mode's chord sounds only while they are (it fades in
 * over 50 ms when playing starts and out over 1.5 s when it stops), so silence is silent. A
 * new sonifier counts as playing; before its first block a change takes effect at once. */
HM_REALTIME void sonify_set_playing(Sonify *sonify, int playing);

/* Sets the warning level 0..1 (NaN: 0); in `alarm` mode any level above 0 rings a soft
 * two-tone chime (E5 then C5, bell-like decay) at once and every 4 s, louder for higher
 * levels; a chime already sounding rings out when the warning ends. */
HM_REALTIME void sonify_set_warning(Sonify *sonify, float level);

/* Renders frames stereo samples into left and right, overwriting them; returns 0. More
 * than max_block frames are refused: silence is written and -1 returned. */
HM_REALTIME int sonify_process(Sonify *sonify, float *left, float *right, uint32_t frames);

/* The current (ramped) frequency in Hz of a finger's partial, or 0 for a bad hand/finger:
 * how far apart two neighbours are is how fast they beat. */
HM_REALTIME float sonify_partial_hz(const Sonify *sonify, int hand, int finger);

/* The current (ramped) amplitude of a finger's partial before level and pan. */
HM_REALTIME float sonify_partial_amplitude(const Sonify *sonify, int hand, int finger);

/* Notes refused by sonify_note because the pending queue was full, since creation. */
HM_REALTIME uint64_t sonify_notes_dropped(const Sonify *sonify);

#endif
