/* replicates: one schedule (or sweep point) simulated at several seeds, summarised per
 * column of the measurement table (sim_table.h) as mean, standard deviation and n, so that
 * "A beats B" can be read against the seed-to-seed spread. */
#ifndef HM_REPLICATES_H
#define HM_REPLICATES_H

#include <stdio.h>

#include "simulate.h"

#define REPLICATES_MAX_SEEDS 64 /* compare --seeds and sweep --seeds */

typedef struct {
    int n;       /* values summarised (absent cells are not counted) */
    double mean; /* 0 when n = 0 */
    double sd;   /* sample standard deviation (n - 1 in the denominator); 0 when n < 2 */
} ReplicateStat;

/* Mean, SD and n of values[0..count-1]. */
ReplicateStat replicates_of(const double *values, int count);

/* The statistic of one table column over the final measurement of each result, for hand. */
ReplicateStat replicates_column(const SimResult *const *results, int count, int hand, int column);

/* Three rows per reported hand, in the shape of simulate_csv_rows: before, then "mean", "sd"
 * or "n", then after, then every column. Numbers: the statistic (a blank SD when n < 2, a
 * blank mean when n = 0); texts: the value all results share, else blank (the hand always). */
void replicates_csv_rows(FILE *out, const char *before, const char *after, const SimResult *const *results,
                         int count);

#endif
