/* experiment_plot: an experiment's outcome as a PNG figure: the result converted into draw/'s
 * ExperimentFigure (its maps at each stage, its key figure as bars, each criterion with what
 * was observed and PASS/FAIL) and drawn by experiment_figure.h. */
#ifndef HM_EXPERIMENT_PLOT_H
#define HM_EXPERIMENT_PLOT_H

#include <stddef.h>

#include "experiments.h"

/* Draws result and writes it as a PNG to path (atomically, files.h). Returns 0, or -1 with
 * a message naming path and the failed step in err. */
int experiment_plot_write(const ExperimentResult *result, const char *path, char *err, size_t err_size);

#endif
