/* stimulus: groups finger touches into stimuli. Onsets of one hand that fall within the
 * coincidence window of the first one, plus that hand's fingers still held, form ONE
 * stimulus (DESIGN.md §1): a chord or a fast figure touches several digits at once, and
 * that correlated input is what merges representations. Real-time safe: fixed memory. */
#ifndef HM_STIMULUS_H
#define HM_STIMULUS_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "skin.h"

#define STIMULUS_HANDS 2

/* One stimulus for one hand: who was touched and how hard. */
typedef struct {
    int hand;                       /* 0 right, 1 left */
    uint64_t frame;                 /* onset of the first touch */
    float intensity[SKIN_DIGITS];   /* 0: not touched */
    uint8_t onsets;                 /* digits with an onset in the window */
    uint8_t held;                   /* digits only held from before */
} TouchGroup;

typedef struct {
    bool open;
    uint64_t opened_frame;
    float onset_intensity[SKIN_DIGITS];
    float held_intensity[SKIN_DIGITS]; /* last onset intensity of each held digit */
    uint16_t held_notes[SKIN_DIGITS];  /* notes currently down on each digit */
} HandWindow;

typedef struct {
    uint32_t window_frames;
    float held_factor; /* a held digit touches at this share of its onset intensity */
    HandWindow hand[STIMULUS_HANDS];
} StimulusBuilder;

/* Default share of a held finger's intensity: steady pressure without the key's transient. */
#define STIMULUS_HELD_FACTOR 0.5f

/* Starts with no window open and nothing held. */
void stimulus_builder_init(StimulusBuilder *builder, uint32_t window_frames);

/* Changes the window's length; a window already open ends at its new length. */
HM_REALTIME void stimulus_set_window(StimulusBuilder *builder, uint32_t window_frames);

/* Closes hand's window if it ended before frame now (a window spans window_frames after
 * its first onset): writes the stimulus to *out and returns 1, else returns 0. Call it
 * before each of that hand's touches, and whenever its time advances (each hand's time
 * advances on its own: a fingering estimator may decide one hand later than the other). */
HM_REALTIME int stimulus_advance(StimulusBuilder *builder, int hand, uint64_t now, TouchGroup *out);

/* A finger's onset at frame (after stimulus_advance(hand, frame)); intensity in [0, 1]. */
HM_REALTIME void stimulus_touch(StimulusBuilder *builder, int hand, int digit, float intensity, uint64_t frame);

/* A finger's release (one of its notes ended; with the sustain pedal, when the pedal lifts). */
HM_REALTIME void stimulus_release(StimulusBuilder *builder, int hand, int digit);

/* Closes every open window now (end of input). */
HM_REALTIME int stimulus_flush(StimulusBuilder *builder, TouchGroup *out, int max);

/* Writes a group as a receptor pattern: each touched digit at its fingertip. */
HM_REALTIME void stimulus_to_skin(const TouchGroup *group, const Skin *skin, float *stimulus);

#endif
