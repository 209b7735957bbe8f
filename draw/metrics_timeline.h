/* metrics_timeline: a hand's map metrics at a series of times, for one or two hands, as the
 * plots take them (simulation_figure, history_figure): the program's simulations and
 * practice logs are converted into it, so that draw/ needs no type of theirs. */
#ifndef HM_METRICS_TIMELINE_H
#define HM_METRICS_TIMELINE_H

#include "metrics.h"
#include "model.h"

#define METRICS_TIMELINE_HANDS 2

typedef struct {
    int count;       /* points in time */
    double *time;    /* count of them: simulated hours, or unix seconds (the figure says which) */
    int hand_count;  /* 1 or 2 */
    const char *hand_name[METRICS_TIMELINE_HANDS]; /* e.g. "right" */
    MapMetrics *map[METRICS_TIMELINE_HANDS];       /* count per hand */
    const Model *final_model[METRICS_TIMELINE_HANDS]; /* the maps at the end, or NULL (not owned) */
    /* replicates (optional, metrics_timeline_add_spread): map holds the means across seeds and
     * spread each metric's standard deviation, drawn as bands of mean +- SD; NULL: none */
    MapMetrics *spread[METRICS_TIMELINE_HANDS];
    /* events to mark (optional, metrics_timeline_add_markers): sessions, nights */
    int marker_count;
    double *marker_time;       /* in the unit of time */
    const char **marker_label; /* each marker's label (not owned), NULL for none */
    const char *marker_legend; /* what the markers are, added to the time axis's label (not owned) */
} MetricsTimeline;

/* A timeline of count points for hand_count hands (arrays zeroed, names and models unset).
 * NULL if out of memory. */
MetricsTimeline *metrics_timeline_create(int count, int hand_count);

/* Adds zeroed spread arrays for every hand; returns 0 or -1 if out of memory. */
int metrics_timeline_add_spread(MetricsTimeline *timeline);

/* Adds room for count markers (times 0, labels NULL); returns 0 or -1 if out of memory. */
int metrics_timeline_add_markers(MetricsTimeline *timeline, int count);

/* Frees a timeline; NULL is allowed. */
void metrics_timeline_free(MetricsTimeline *timeline);

#endif
