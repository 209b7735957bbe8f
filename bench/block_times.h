/* block_times: what a bench measures of a real-time function, block by block: this
 * thread's CPU time (the work a block costs, without time lost to other processes that
 * preempt it on a shared machine) and the summary of many blocks' times. */
#ifndef HM_BLOCK_TIMES_H
#define HM_BLOCK_TIMES_H

/* This thread's CPU time in microseconds. */
double block_times_now_us(void);

typedef struct {
    double mean_us, p999_us, worst_us; /* 99.9th percentile */
    long over_tenth;                   /* blocks that took more than 10 % of the block period */
} BlockTimeFigures;

/* The figures of count block times (count >= 1; spent is not changed). Returns 0, or -1
 * when there is no memory for sorting. */
int block_times_summarise(const double *spent, long count, double period_us, BlockTimeFigures *figures);

/* Prints the figures under title, with each time as a share of the block period. */
void block_times_print(const char *title, const BlockTimeFigures *figures, long count, double period_us);

#endif
