/* ui_message: the frame the plugin sends its UI. */
#include "ui_message.h"

#include <math.h>
#include <string.h>

static float finite_or_zero(float v) { return isfinite(v) ? v : 0.0f; }

HM_REALTIME void ui_frame_fill(UiFrame *f, const EngineSnapshot *s, int hands)
{
    int units = s->sheet_size * s->sheet_size;
    if (units > ENGINE_MAX_UNITS)
        units = ENGINE_MAX_UNITS;
    f->magic = UI_MESSAGE_MAGIC;
    f->sheet_size = s->sheet_size;
    f->hands = hands;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        const MapMetrics *m = &s->map[h];
        for (int d = 0; d < METRICS_DIGITS; d++)
            f->area[h][d] = finite_or_zero(m->area_fraction[d]);
        for (int p = 0; p < METRICS_PAIRS; p++)
            f->neighbour_overlap[h][p] = finite_or_zero(m->overlap[p][p + 1]);
        f->risk[h] = finite_or_zero(m->overlap_risk);
        memcpy(f->preferred_digit[h], s->preferred_digit[h], (size_t)units);
        for (int u = 0; u < units; u++) {
            float v = finite_or_zero(s->selectivity[h][u]);
            f->selectivity[h][u] = (uint8_t)lrintf(255.0f * (v < 0 ? 0 : v > 1 ? 1 : v));
        }
    }
    f->notes_per_minute = finite_or_zero(s->load.notes_per_minute);
    f->minutes_playing = (float)(s->load.playing_s / 60.0);
    f->warning = s->warning;
    f->recent_count = s->recent_count;
    memcpy(f->recent, s->recent, sizeof f->recent);
}

int ui_frame_valid(const void *data, uint32_t size)
{
    const UiFrame *f = data;
    return size == sizeof(UiFrame) && f->magic == UI_MESSAGE_MAGIC && f->sheet_size > 0 &&
           f->sheet_size * f->sheet_size <= ENGINE_MAX_UNITS && f->recent_count >= 0 &&
           f->recent_count <= ENGINE_RECENT_NOTES;
}
