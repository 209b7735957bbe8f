/* plot: SimResult to MetricsTimeline, for simulation_figure. */
#include "plot.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "files.h"
#include "metrics_timeline.h"
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

int plot_simulation(const char *path, const char *title, const SimResult *result, char *err, size_t err_size)
{
    int format = format_of(path, err, err_size);
    if (format < 0)
        return -1;
    MetricsTimeline *t = timeline_of(result);
    if (!t) {
        snprintf(err, err_size, "out of memory for the plot");
        return -1;
    }
    int status = simulation_figure_write(path, (PictureFormat)format, title, t, files_write_atomic, err, err_size);
    metrics_timeline_free(t);
    return status;
}

int plot_comparison(const char *path, const char *const *names, const SimResult *results, int count, char *err,
                    size_t err_size)
{
    int format = format_of(path, err, err_size);
    if (format < 0)
        return -1;
    MetricsTimeline **runs = calloc((size_t)count + 1, sizeof *runs);
    int built = 0;
    while (runs && built < count && (runs[built] = timeline_of(&results[built])) != NULL)
        built++;
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
