/* Per-block CPU times and their summary. */
#include "block_times.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double block_times_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec * 1e-3;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

int block_times_summarise(const double *spent, long count, double period_us, BlockTimeFigures *f)
{
    double *sorted = malloc((size_t)count * sizeof *sorted);
    if (!sorted)
        return -1;
    memcpy(sorted, spent, (size_t)count * sizeof *sorted);
    double total = 0.0;
    long over_tenth = 0;
    for (long b = 0; b < count; b++) {
        total += spent[b];
        over_tenth += spent[b] > 0.1 * period_us;
    }
    qsort(sorted, (size_t)count, sizeof *sorted, by_value);
    f->mean_us = total / (double)count;
    f->p999_us = sorted[(size_t)((double)count * 0.999)];
    f->worst_us = sorted[count - 1];
    f->over_tenth = over_tenth;
    free(sorted);
    return 0;
}

void block_times_print(const char *title, const BlockTimeFigures *f, long count, double period_us)
{
    printf("  %s:\n", title);
    printf("    mean %7.2f us (%5.2f %%), 99.9th percentile %7.2f us (%5.2f %%), worst %7.2f us (%5.2f %%)\n",
           f->mean_us, 100.0 * f->mean_us / period_us, f->p999_us, 100.0 * f->p999_us / period_us, f->worst_us,
           100.0 * f->worst_us / period_us);
    printf("    blocks over 10 %% of the period: %ld of %ld\n", f->over_tenth, count);
}
