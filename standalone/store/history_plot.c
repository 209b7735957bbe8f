/* history_plot: PracticeSessionRecord to MetricsTimeline, for history_figure. */
#include "history_plot.h"

#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "files.h"
#include "history_figure.h"
#include "metrics_timeline.h"

int history_plot_write(const char *path, PictureFormat format, const char *title,
                       const PracticeSessionRecord *sessions, size_t count, char *err, size_t err_size)
{
    MetricsTimeline *t = count <= INT_MAX ? metrics_timeline_create((int)count, ENGINE_HANDS) : NULL;
    if (!t) {
        snprintf(err, err_size, "cannot draw '%s': out of memory", path);
        return -1;
    }
    for (int h = 0; h < ENGINE_HANDS; h++) {
        t->hand_name[h] = CLI_HAND_NAMES[h];
        for (size_t i = 0; i < count; i++)
            t->map[h][i] = sessions[i].map[h];
    }
    for (size_t i = 0; i < count; i++)
        t->time[i] = (double)sessions[i].start_unix;
    int status = history_figure_write(path, format, title, t, files_write_atomic, err, err_size);
    metrics_timeline_free(t);
    return status;
}
