/* experiment_plot: ExperimentResult to ExperimentFigure. */
#include "experiment_plot.h"

#include <stdio.h>

#include "experiment_figure.h"
#include "files.h"

int experiment_plot_write(const ExperimentResult *r, const char *path, char *err, size_t err_size)
{
    char heading[256];
    snprintf(heading, sizeof heading, "%s: %s — %s (seed %u)", r->info->name, r->info->title,
             r->passed ? "PASS" : "FAIL", (unsigned)r->seed);
    ExperimentFigureMap maps[EXPERIMENT_MAX_MAPS];
    for (int i = 0; i < r->map_count; i++)
        maps[i] = (ExperimentFigureMap){r->map[i].label, r->map[i].sheet_size, r->map[i].preferred,
                                        r->map[i].selectivity, r->map[i].overlap_risk};
    const char *bar_labels[EXPERIMENT_MAX_BARS];
    double bar_values[EXPERIMENT_MAX_BARS];
    for (int i = 0; i < r->bar_count; i++)
        bar_labels[i] = r->bar[i].label, bar_values[i] = r->bar[i].value;
    ExperimentFigureCheck checks[EXPERIMENT_MAX_CHECKS];
    for (int i = 0; i < r->check_count; i++)
        checks[i] = (ExperimentFigureCheck){r->check[i].criterion, r->check[i].observed, r->check[i].passed};
    ExperimentFigure figure = {
        .heading = heading,
        .source = r->info->source,
        .map_slots = EXPERIMENT_MAX_MAPS,
        .map_count = r->map_count,
        .maps = maps,
        .bars = {.title = r->figure_title, .labels = bar_labels, .values = bar_values, .count = r->bar_count},
        .check_count = r->check_count,
        .checks = checks,
    };
    return experiment_figure_write(path, &figure, files_write_atomic, err, err_size);
}
