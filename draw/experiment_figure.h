/* experiment_figure: the picture of a published experiment's replication (`experiment run
 * --plot`): its maps at each stage side by side (map_picture.h), its key figure as a bar
 * chart (chart.h), and each criterion with what was observed and PASS/FAIL. */
#ifndef HM_EXPERIMENT_FIGURE_H
#define HM_EXPERIMENT_FIGURE_H

#include <stddef.h>
#include <stdint.h>

#include "chart.h"
#include "picture_file.h"

/* A map at one stage, as map_picture_draw takes it. */
typedef struct {
    const char *label;          /* e.g. "after 20,000 touches" */
    int sheet_size;             /* n: the arrays have n x n entries */
    const int8_t *preferred;    /* preferred digit per unit, -1 none */
    const float *selectivity;   /* 0..1 per unit */
    float overlap_risk;
} ExperimentFigureMap;

/* One criterion and how it came out. */
typedef struct {
    const char *criterion, *observed;
    int passed;
} ExperimentFigureCheck;

typedef struct {
    const char *heading;        /* the first line, e.g. "wang1995: ... — PASS (seed 7)" */
    const char *source;         /* authors, year, journal */
    int map_slots;              /* the room left for maps (the most an experiment has) */
    int map_count;
    const ExperimentFigureMap *maps;
    ChartBars bars;             /* the key figure (its colour is the figure's) */
    int check_count;
    const ExperimentFigureCheck *checks;
} ExperimentFigure;

/* Draws figure as a PNG and writes it to path with write. Returns 0, or -1 with a message
 * naming path and the failed step in err. */
int experiment_figure_write(const char *path, const ExperimentFigure *figure, PictureWriter write, char *err,
                            size_t err_size);

#endif
