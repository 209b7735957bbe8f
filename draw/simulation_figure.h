/* simulation_figure: the pictures of simulations (`simulate --plot`, `compare --plot`): map
 * metrics over simulated time in panels (chart.h) beside the final maps (map_picture.h);
 * PNG or SVG (picture_file.h). */
#ifndef HM_SIMULATION_FIGURE_H
#define HM_SIMULATION_FIGURE_H

#include <stddef.h>

#include "metrics_timeline.h"
#include "picture_file.h"

/* One simulation (times in simulated hours): each digit's territory, the overlap risk, the
 * multi-digit units and the D1-D5 distance over time per hand (a second hand dashed), the
 * run's markers (sessions, nights) as dotted lines, and each hand's final map. Writes path
 * with write. Returns 0, or -1 with err. */
int simulation_figure_write(const char *path, PictureFormat format, const char *title, const MetricsTimeline *run,
                            PictureWriter write, char *err, size_t err_size);

/* Several simulations: one line per simulation (its first hand) in each panel, with a band of
 * mean +- SD where a run has a spread (replicates), a legend with names, and the final maps
 * of the first six. Returns 0, or -1 with err. */
int simulation_figure_write_comparison(const char *path, PictureFormat format, const char *const *names,
                                       const MetricsTimeline *const *runs, int count, PictureWriter write,
                                       char *err, size_t err_size);

#endif
