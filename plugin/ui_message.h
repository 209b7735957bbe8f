/* ui_message: what the plugin tells its custom UI, about ten times a second: both hands'
 * maps and the figures the panel shows, one fixed-size binary frame carried as an atom:Chunk
 * inside an atom:Object (otype #UiSnapshot) on the notify port. The plugin and its UI come
 * from one build, so the frame is a plain C struct; a magic number with the layout's version
 * and the exact size are checked before it is read. */
#ifndef HM_PLUGIN_UI_MESSAGE_H
#define HM_PLUGIN_UI_MESSAGE_H

#include <stdint.h>

#include "engine.h"
#include "ports.h"

#define UI_SNAPSHOT_URI HOMUNCULUS_URI "#UiSnapshot"
#define UI_SNAPSHOT_FRAME_URI HOMUNCULUS_URI "#uiFrame"
#define UI_MESSAGE_MAGIC 0x48554931u /* "HUI1": bump with any change of UiFrame */
#define UI_MESSAGE_PERIOD_S 0.1      /* 10 frames a second */

typedef struct {
    uint32_t magic;
    int32_t sheet_size;
    int32_t hands;                            /* bit 0 right, bit 1 left in use */
    float area[ENGINE_HANDS][METRICS_DIGITS]; /* share of the sheet, 0..1 */
    float neighbour_overlap[ENGINE_HANDS][METRICS_PAIRS]; /* Dice of D1-D2 .. D4-D5 */
    float risk[ENGINE_HANDS];
    float notes_per_minute;
    float minutes_playing;
    Warning warning;
    int32_t recent_count;
    EngineFingeredNote recent[ENGINE_RECENT_NOTES];
    int8_t preferred_digit[ENGINE_HANDS][ENGINE_MAX_UNITS]; /* -1 unresponsive */
    uint8_t selectivity[ENGINE_HANDS][ENGINE_MAX_UNITS];    /* 0..255 for 0..1 */
} UiFrame;

/* Audio thread: fills a frame from an engine snapshot (hands: bit 0 right, bit 1 left). */
HM_REALTIME void ui_frame_fill(UiFrame *frame, const EngineSnapshot *snapshot, int hands);

/* UI thread: 1 if data of size bytes is a frame of this build's layout. */
int ui_frame_valid(const void *data, uint32_t size);

#endif
