/* experiment_plot: one PNG figure of an experiment's outcome: its maps at each stage side by
 * side (map_picture.h), its key figure as a small bar chart, and each criterion with what was
 * observed and PASS/FAIL. */
#ifndef HM_EXPERIMENT_PLOT_H
#define HM_EXPERIMENT_PLOT_H

#include <stddef.h>

#include "experiments.h"

/* Draws result and writes it as a PNG to path (atomically, files.h). Returns 0, or -1 with
 * a message naming path and the failed step in err. */
int experiment_plot_write(const ExperimentResult *result, const char *path, char *err, size_t err_size);

#endif
