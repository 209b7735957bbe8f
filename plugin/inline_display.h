/* inline_display: the map of the hand(s) drawn small for a host's mixer strip (Ardour's
 * inline-display extension): each cortical unit coloured by its preferred finger and
 * shaded by its selectivity, with an overlap-risk bar under each hand and, while a warning
 * stands, its reason and advice in words. The audio thread
 * publishes the maps lock-free (core/triple.h); the host's GUI thread renders them with
 * cairo. */
#ifndef HM_PLUGIN_INLINE_DISPLAY_H
#define HM_PLUGIN_INLINE_DISPLAY_H

#include <stdint.h>

#include "engine.h"

/* Ardour's inline-display extension (http://harrisonconsoles.com/lv2/inlinedisplay), as
 * Ardour and the x42 plugins declare it; it is not part of the LV2 SDK. */
#define LV2_INLINEDISPLAY_URI "http://harrisonconsoles.com/lv2/inlinedisplay"
#define LV2_INLINEDISPLAY__interface LV2_INLINEDISPLAY_URI "#interface"
#define LV2_INLINEDISPLAY__queue_draw LV2_INLINEDISPLAY_URI "#queue_draw"

typedef void *LV2_Inline_Display_Handle;

/* ARGB32 pixels owned by the plugin, valid from the first render until cleanup. */
typedef struct {
    unsigned char *data;
    int width;
    int height;
    int stride;
} LV2_Inline_Display_Image_Surface;

/* The host's feature: run() asks for a render() soon. */
typedef struct {
    LV2_Inline_Display_Handle handle;
    void (*queue_draw)(LV2_Inline_Display_Handle handle);
} LV2_Inline_Display;

/* The plugin's interface: called by the host in its GUI thread, w x h at most. */
typedef struct {
    LV2_Inline_Display_Image_Surface *(*render)(void *instance, uint32_t w, uint32_t h);
} LV2_Inline_Display_Interface;

typedef struct InlineDisplay InlineDisplay;

/* Allocates the display (its exchange buffers, sized to an n x n sheet); NULL without memory. */
InlineDisplay *inline_display_create(int sheet_size);

/* Frees a display and its pixels; NULL is allowed. */
void inline_display_free(InlineDisplay *display);

/* Audio thread: copies the maps of a snapshot (hands: bit 0 right, bit 1 left shown) for
 * the next render. Returns 1 when something new was published (then queue a draw). */
HM_REALTIME int inline_display_publish(InlineDisplay *display, const EngineSnapshot *snapshot, int hands);

/* GUI thread: draws the newest published maps into at most w x h pixels. */
LV2_Inline_Display_Image_Surface *inline_display_render(InlineDisplay *display, uint32_t w, uint32_t h);

#endif
