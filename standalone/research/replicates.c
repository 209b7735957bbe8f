/* replicates: statistics across seeds of a simulation's final measurement. */
#include "replicates.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_table.h"

ReplicateStat replicates_of(const double *values, int count)
{
    ReplicateStat stat = {count, 0.0, 0.0};
    if (count < 1)
        return stat;
    double sum = 0.0;
    for (int i = 0; i < count; i++)
        sum += values[i];
    stat.mean = sum / count;
    double squares = 0.0; /* two passes: no cancellation for values far from 0 */
    for (int i = 0; i < count; i++)
        squares += (values[i] - stat.mean) * (values[i] - stat.mean);
    stat.sd = count > 1 ? sqrt(squares / (count - 1)) : 0.0;
    return stat;
}

ReplicateStat replicates_column(const SimResult *const *results, int count, int hand, int column)
{
    double *values = malloc((size_t)(count > 0 ? count : 1) * sizeof *values);
    int n = 0;
    for (int i = 0; values && i < count; i++) {
        SimCell cell = sim_table_cell(results[i], results[i]->count - 1, hand, column);
        if (cell.present && cell.kind != SIM_CELL_TEXT)
            values[n++] = cell.number;
    }
    ReplicateStat stat = replicates_of(values, n);
    free(values);
    return stat;
}

/* A text column's value when every result has the same, else NULL. */
static const char *shared_text(const SimResult *const *results, int count, int hand, int column)
{
    SimCell first = sim_table_cell(results[0], results[0]->count - 1, hand, column);
    for (int i = 1; i < count; i++) {
        SimCell cell = sim_table_cell(results[i], results[i]->count - 1, hand, column);
        if (strcmp(cell.text, first.text) != 0)
            return NULL;
    }
    return first.text;
}

void replicates_csv_rows(FILE *out, const char *before, const char *after, const SimResult *const *results,
                         int count)
{
    static const char *const statistics[] = {"mean", "sd", "n"};
    if (count < 1)
        return;
    int hands[SIM_HANDS], hand_count = simulate_hands(results[0]->hands, hands);
    for (int k = 0; k < hand_count; k++)
        for (int s = 0; s < 3; s++) {
            fprintf(out, "%s%s%s", before, statistics[s], after);
            for (int c = 0; c < sim_table_columns(); c++) {
                if (c)
                    fputc(',', out);
                if (sim_table_kind(c) == SIM_CELL_TEXT) {
                    const char *text = shared_text(results, count, hands[k], c);
                    fputs(text ? text : "", out);
                    continue;
                }
                ReplicateStat stat = replicates_column(results, count, hands[k], c);
                if (s == 2)
                    fprintf(out, "%d", stat.n);
                else if (s == 0 && stat.n > 0)
                    fprintf(out, "%.6f", stat.mean);
                else if (s == 1 && stat.n > 1)
                    fprintf(out, "%.6f", stat.sd);
            }
            fputc('\n', out);
        }
}
