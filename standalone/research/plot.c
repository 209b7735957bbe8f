/* plot: SimResult to MetricsTimeline, for simulation_figure. */
#include "plot.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "files.h"
#include "metrics_timeline.h"
#include "replicates.h"
#include "simulation_figure.h"

int plot_format_known(const char *path) { return picture_format_of(path) >= 0; }

/* The result's measurements of the player's hands, with the final models; NULL if out of memory. */
static MetricsTimeline *timeline_of(const SimResult *r)
{
    int hands[SIM_HANDS], hand_count = simulate_hands(r->hands, hands);
    MetricsTimeline *t = metrics_timeline_create(r->count, hand_count);
    if (!t)
        return NULL;
    for (int k = 0; k < hand_count; k++) {
        t->hand_name[k] = CLI_HAND_NAMES[hands[k]];
        t->final_model[k] = r->model[hands[k]];
        for (int i = 0; i < r->count; i++)
            t->map[k][i] = r->points[i].map[hands[k]];
    }
    for (int i = 0; i < r->count; i++)
        t->time[i] = r->points[i].time_h;
    return t;
}

/* The format of path, or -1 with err. */
static int format_of(const char *path, char *err, size_t err_size)
{
    int format = picture_format_of(path);
    if (format < 0)
        snprintf(err, err_size, "'%s': a plot is written as .png or .svg", path);
    return format;
}

/* The schedule's sessions and nights as markers (hours since the first wake-up), named in
 * the time axis's label; none when there are more than PLOT_MAX_MARKERS. Returns 0 or -1. */
static int mark_sessions_and_nights(MetricsTimeline *t, const Schedule *s)
{
    int count = 0;
    for (int pass = 0; pass < 2; pass++) { /* count, then fill */
        int at = 0;
        for (int day = 1; day <= s->days && at <= PLOT_MAX_MARKERS; day++) {
            double day_h = (day - 1) * 24.0;
            for (int i = 0; i < s->session_count; i++) {
                if (!schedule_session_on(s, &s->sessions[i], day))
                    continue;
                if (pass && at < count)
                    t->marker_time[at] = day_h + (s->sessions[i].start_s - s->wake_s) / 3600.0;
                at++;
            }
            if (s->nights && pass && at < count)
                t->marker_time[at] = day_h + (s->sleep_s - s->wake_s) / 3600.0;
            at += s->nights;
        }
        if (!pass && (at > PLOT_MAX_MARKERS || (count = at) == 0))
            return 0;
        if (!pass && metrics_timeline_add_markers(t, count) != 0)
            return -1;
        t->marker_legend = s->nights ? "dotted: sessions and nights" : "dotted: sessions";
    }
    return 0;
}

int plot_simulation(const char *path, const char *title, const Schedule *schedule, const SimResult *result,
                    char *err, size_t err_size)
{
    int format = format_of(path, err, err_size);
    if (format < 0)
        return -1;
    MetricsTimeline *t = timeline_of(result);
    if (t && mark_sessions_and_nights(t, schedule) != 0) {
        metrics_timeline_free(t);
        t = NULL;
    }
    if (!t) {
        snprintf(err, err_size, "out of memory for the plot");
        return -1;
    }
    int status = simulation_figure_write(path, (PictureFormat)format, title, t, files_write_atomic, err, err_size);
    metrics_timeline_free(t);
    return status;
}

/* The metrics the comparison draws (floats of MapMetrics): their mean over the seeds' runs
 * replaces them in t, their SD goes to t's spread. */
static const size_t SUMMARISED[] = {offsetof(MapMetrics, overlap_risk), offsetof(MapMetrics, multi_digit_fraction),
                                    offsetof(MapMetrics, rf_points_mean), offsetof(MapMetrics, d1_d5_distance_mm)};

static float *field(MapMetrics *m, size_t offset) { return (float *)((char *)m + offset); }

/* Returns 0 (runs whose points do not line up give no band), or -1 if out of memory. */
static int summarise_seeds(MetricsTimeline *t, const SimResult *runs, int seeds)
{
    for (int k = 1; k < seeds; k++)
        if (runs[k].count != runs[0].count)
            return 0;
    if (metrics_timeline_add_spread(t) != 0)
        return -1;
    int hands[SIM_HANDS];
    simulate_hands(runs[0].hands, hands);
    double values[REPLICATES_MAX_SEEDS];
    for (int h = 0; h < t->hand_count; h++)
        for (int i = 0; i < t->count; i++)
            for (size_t f = 0; f < sizeof SUMMARISED / sizeof SUMMARISED[0]; f++) {
                for (int k = 0; k < seeds && k < REPLICATES_MAX_SEEDS; k++) {
                    MapMetrics m = runs[k].points[i].map[hands[h]];
                    values[k] = *field(&m, SUMMARISED[f]);
                }
                ReplicateStat stat = replicates_of(values, seeds < REPLICATES_MAX_SEEDS ? seeds : REPLICATES_MAX_SEEDS);
                *field(&t->map[h][i], SUMMARISED[f]) = (float)stat.mean;
                *field(&t->spread[h][i], SUMMARISED[f]) = (float)stat.sd;
            }
    return 0;
}

int plot_comparison(const char *path, const char *const *names, const SimResult *results, int count, int seeds,
                    char *err, size_t err_size)
{
    int format = format_of(path, err, err_size);
    if (format < 0)
        return -1;
    MetricsTimeline **runs = calloc((size_t)count + 1, sizeof *runs);
    int built = 0;
    for (; runs && built < count; built++) {
        MetricsTimeline *t = timeline_of(&results[built * seeds]);
        if (t && seeds > 1 && summarise_seeds(t, &results[built * seeds], seeds) != 0) {
            metrics_timeline_free(t);
            t = NULL;
        }
        if (!(runs[built] = t))
            break;
    }
    int status = -1;
    if (built < count)
        snprintf(err, err_size, "out of memory for the plot");
    else
        status = simulation_figure_write_comparison(path, (PictureFormat)format, names,
                                                    (const MetricsTimeline *const *)runs, count, files_write_atomic,
                                                    err, err_size);
    for (int i = 0; runs && i < built; i++)
        metrics_timeline_free(runs[i]);
    free(runs);
    return status;
}
