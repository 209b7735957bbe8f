/* Coincidence-window grouping of touches into stimuli. */
#include "stimulus.h"

#include <string.h>

/* Where a keyboard or string touches a digit: the fingertip pad (0 = tip, 1 = base). */
#define FINGERTIP_ALONG 0.1f

void stimulus_builder_init(StimulusBuilder *b, uint32_t window_frames)
{
    memset(b, 0, sizeof *b);
    b->window_frames = window_frames;
    b->held_factor = STIMULUS_HELD_FACTOR;
}

HM_REALTIME void stimulus_set_window(StimulusBuilder *b, uint32_t window_frames)
{
    b->window_frames = window_frames;
}

static void close_window(StimulusBuilder *b, int hand, TouchGroup *group)
{
    HandWindow *w = &b->hand[hand];
    memset(group, 0, sizeof *group);
    group->hand = hand;
    group->frame = w->opened_frame;
    for (int d = 0; d < SKIN_DIGITS; d++) {
        if (w->onset_intensity[d] > 0.0f) {
            group->intensity[d] = w->onset_intensity[d];
            group->onsets++;
        } else if (w->held_notes[d] > 0) {
            group->intensity[d] = b->held_factor * w->held_intensity[d];
            group->held++;
        }
        w->onset_intensity[d] = 0.0f;
    }
    w->open = false;
}

HM_REALTIME int stimulus_advance(StimulusBuilder *b, int hand, uint64_t now, TouchGroup *out)
{
    if (hand < 0 || hand >= STIMULUS_HANDS)
        return 0;
    HandWindow *w = &b->hand[hand];
    if (!w->open || now <= w->opened_frame + b->window_frames)
        return 0;
    close_window(b, hand, out);
    return 1;
}

HM_REALTIME void stimulus_touch(StimulusBuilder *b, int hand, int digit, float intensity, uint64_t frame)
{
    if (hand < 0 || hand >= STIMULUS_HANDS || digit < 0 || digit >= SKIN_DIGITS || !(intensity > 0.0f))
        return;
    if (intensity > 1.0f)
        intensity = 1.0f;
    HandWindow *w = &b->hand[hand];
    if (!w->open) {
        w->open = true;
        w->opened_frame = frame;
    }
    if (intensity > w->onset_intensity[digit])
        w->onset_intensity[digit] = intensity;
    w->held_intensity[digit] = intensity;
    if (w->held_notes[digit] < UINT16_MAX)
        w->held_notes[digit]++;
}

HM_REALTIME void stimulus_release(StimulusBuilder *b, int hand, int digit)
{
    if (hand < 0 || hand >= STIMULUS_HANDS || digit < 0 || digit >= SKIN_DIGITS)
        return;
    HandWindow *w = &b->hand[hand];
    if (w->held_notes[digit] > 0)
        w->held_notes[digit]--;
}

HM_REALTIME int stimulus_flush(StimulusBuilder *b, TouchGroup *out, int max)
{
    int count = 0;
    for (int hand = 0; hand < STIMULUS_HANDS && count < max; hand++)
        if (b->hand[hand].open)
            close_window(b, hand, &out[count++]);
    return count;
}

HM_REALTIME void stimulus_to_skin(const TouchGroup *group, const Skin *skin, float *stimulus)
{
    skin_clear(skin, stimulus);
    for (int d = 0; d < SKIN_DIGITS; d++)
        if (group->intensity[d] > 0.0f)
            skin_touch_digit(skin, stimulus, d, FINGERTIP_ALONG, group->intensity[d]);
}
