/* history_plot: a profile's practice log drawn over time (for `homunculus history --plot`):
 * the sessions converted into draw/'s MetricsTimeline and drawn by history_figure.h (each
 * finger's territory per hand and each hand's overlap risk against the session dates). */
#ifndef HM_HISTORY_PLOT_H
#define HM_HISTORY_PLOT_H

#include <stddef.h>

#include "picture_file.h"
#include "practice_log.h"

/* Writes the plot of count (>= 1) sessions to path in format, titled. Returns 0, or -1 with
 * err (the file untouched). */
int history_plot_write(const char *path, PictureFormat format, const char *title,
                       const PracticeSessionRecord *sessions, size_t count, char *err, size_t err_size);

#endif
