/* plot: the pictures of simulations (`simulate --plot`, `compare --plot`): a simulation's
 * measurements converted into draw/'s MetricsTimeline and drawn by simulation_figure.h,
 * written atomically (files.h). PNG or SVG, chosen by the file name's ending. */
#ifndef HM_PLOT_H
#define HM_PLOT_H

#include <stddef.h>

#include "schedule.h"
#include "simulate.h"

/* Whether path ends in .png or .svg (the formats the plots write). */
int plot_format_known(const char *path);

/* Schedules of up to this many sessions and nights have them marked in the plot (more would
 * hide the lines). */
#define PLOT_MAX_MARKERS 64

/* One simulation of schedule: four panels of metrics over time, its sessions and nights
 * marked (up to PLOT_MAX_MARKERS), and the final map of each hand. Returns 0, or -1 with the
 * reason in err. */
int plot_simulation(const char *path, const char *title, const Schedule *schedule, const SimResult *result,
                    char *err, size_t err_size);

/* Several simulations side by side: one line per simulation in each panel, a legend with
 * names, and each one's final map (its first hand). results holds seeds runs of each
 * simulation in turn (results[i * seeds + k]); with seeds > 1 each line is the mean over its
 * runs with a band of +- SD, and the map is the first run's. Returns 0, or -1 with err. */
int plot_comparison(const char *path, const char *const *names, const SimResult *results, int count, int seeds,
                    char *err, size_t err_size);

#endif
