/* metrics_timeline: allocation of the plots' input. */
#include "metrics_timeline.h"

#include <stdlib.h>

MetricsTimeline *metrics_timeline_create(int count, int hand_count)
{
    if (count < 0 || hand_count < 1 || hand_count > METRICS_TIMELINE_HANDS)
        return NULL;
    MetricsTimeline *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->count = count;
    t->hand_count = hand_count;
    t->time = calloc((size_t)count + 1, sizeof *t->time);
    int ok = t->time != NULL;
    for (int h = 0; h < hand_count; h++)
        ok = ok && (t->map[h] = calloc((size_t)count + 1, sizeof *t->map[h])) != NULL;
    if (!ok) {
        metrics_timeline_free(t);
        return NULL;
    }
    return t;
}

int metrics_timeline_add_spread(MetricsTimeline *t)
{
    for (int h = 0; h < t->hand_count; h++)
        if (!t->spread[h] && !(t->spread[h] = calloc((size_t)t->count + 1, sizeof *t->spread[h])))
            return -1;
    return 0;
}

int metrics_timeline_add_markers(MetricsTimeline *t, int count)
{
    free(t->marker_time), free(t->marker_label);
    t->marker_time = calloc((size_t)count + 1, sizeof *t->marker_time);
    t->marker_label = calloc((size_t)count + 1, sizeof *t->marker_label);
    t->marker_count = t->marker_time && t->marker_label ? count : 0;
    return t->marker_time && t->marker_label ? 0 : -1;
}

void metrics_timeline_free(MetricsTimeline *t)
{
    if (!t)
        return;
    free(t->time);
    for (int h = 0; h < METRICS_TIMELINE_HANDS; h++)
        free(t->map[h]), free(t->spread[h]);
    free(t->marker_time), free(t->marker_label);
    free(t);
}
