/* history_figure: the picture of a profile's practice history (`history --plot`): two panels
 * sharing a time axis (session start, local time), each finger's territory in % of the
 * sheet and each hand's overlap risk (right hand solid, left dashed, a dot per session). */
#ifndef HM_HISTORY_FIGURE_H
#define HM_HISTORY_FIGURE_H

#include <stddef.h>

#include "metrics_timeline.h"
#include "picture_file.h"

/* Draws sessions (times in unix seconds, at least one, both hands) titled, and writes path
 * in format with write. Returns 0, or -1 with err (the file untouched). */
int history_figure_write(const char *path, PictureFormat format, const char *title, const MetricsTimeline *sessions,
                         PictureWriter write, char *err, size_t err_size);

#endif
