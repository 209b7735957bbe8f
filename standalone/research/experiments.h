/* experiments: the built-in replications of published experiments on the default hand model
 * (docs/validation.md). Each has a protocol, the published expectation and its source, and
 * criteria the model must meet; running one returns the observed values, PASS/FAIL per
 * criterion and the maps and key figures to draw. The program's `experiment` command and
 * the Check tests run these same protocols. Nothing here prints; not for the audio thread. */
#ifndef HM_EXPERIMENTS_H
#define HM_EXPERIMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The seed the criteria were established with (docs/validation.md: robustness across seeds). */
#define EXPERIMENT_DEFAULT_SEED 7u

#define EXPERIMENT_MAX_CHECKS 8
#define EXPERIMENT_MAX_MAPS 4
#define EXPERIMENT_MAX_BARS 6
#define EXPERIMENT_TEXT 160

/* What an experiment is, as a reader of the paper would describe it. */
typedef struct {
    const char *name;      /* short id, e.g. "jenkins1990" */
    const char *title;     /* one line */
    const char *source;    /* authors, year, journal */
    const char *protocol;  /* what the model is put through, in model time */
    const char *published; /* what the paper reports */
} ExperimentInfo;

/* One criterion of the model and how it came out. */
typedef struct {
    char criterion[EXPERIMENT_TEXT]; /* e.g. "D2 area grows >= 1.5x" */
    char observed[EXPERIMENT_TEXT];  /* e.g. "0.188 -> 0.321 (1.71x)" */
    bool passed;
} ExperimentCheck;

/* A map at one stage of the experiment, as map_picture_draw takes it. */
typedef struct {
    char label[48];        /* e.g. "after 20,000 touches" */
    int sheet_size;        /* n: the arrays have n x n entries */
    int8_t *preferred;     /* preferred digit per unit, -1 none */
    float *selectivity;    /* 0..1 per unit */
    float overlap_risk;
} ExperimentMap;

/* One bar of the experiment's key figure. */
typedef struct {
    char label[24];
    double value;
} ExperimentBar;

typedef struct {
    const ExperimentInfo *info;
    uint32_t seed;
    bool passed; /* every check passed */
    int check_count;
    ExperimentCheck check[EXPERIMENT_MAX_CHECKS];
    int map_count;
    ExperimentMap map[EXPERIMENT_MAX_MAPS];
    char figure_title[64]; /* what the bars show, with the unit */
    int bar_count;
    ExperimentBar bar[EXPERIMENT_MAX_BARS];
} ExperimentResult;

/* The shared starting point of the experiments for one seed: the default hand after the
 * baseline's everyday use, trained once and copied by every experiment. */
typedef struct ExperimentLab ExperimentLab;

/* How many experiments there are, and each one's description (index 0..count-1). */
int experiment_count(void);
const ExperimentInfo *experiment_info(int index);

/* The index of the experiment called name, or -1. */
int experiment_find(const char *name);

/* A lab for seed: trains the baseline map (a second or two). Returns NULL with a message in
 * err if out of memory. */
ExperimentLab *experiment_lab_create(uint32_t seed, char *err, size_t err_size);

/* Frees a lab; NULL is allowed. */
void experiment_lab_free(ExperimentLab *lab);

/* Runs experiment index in lab and fills result (free it with experiment_result_free).
 * Returns 0, or -1 with a message in err if the model could not be built (no memory);
 * a criterion the model misses is a FAIL in result, not an error. */
int experiment_run(ExperimentLab *lab, int index, ExperimentResult *result, char *err, size_t err_size);

/* Frees the maps of a result (the result itself is the caller's); safe on a zeroed result. */
void experiment_result_free(ExperimentResult *result);

#endif
