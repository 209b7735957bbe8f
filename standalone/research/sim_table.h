/* sim_table: the measurement table of a simulation, one row per measurement point and hand:
 * its columns, their names and each cell's value. The CSV of simulate, compare and sweep and
 * the statistics over replicate seeds (replicates.h) read it, so a column is defined once.
 * Shares are fractions (0..1) here and in every file; percent is for text for people only. */
#ifndef HM_SIM_TABLE_H
#define HM_SIM_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "simulate.h"

typedef enum { SIM_CELL_WHOLE, SIM_CELL_REAL, SIM_CELL_TEXT } SimCellKind;

/* One cell: a number (written %d or %.6f by kind) or a text; absent cells are written blank
 * (a digit without territory has no receptive field: a 0 would read as a measurement). */
typedef struct {
    SimCellKind kind;
    int present;
    double number;
    const char *text;
} SimCell;

/* How many columns a row has. */
int sim_table_columns(void);

/* Column c's name (e.g. "area_D3") in name; returns name. */
const char *sim_table_name(int column, char *name, size_t size);

/* Column c's kind, the same in every row. */
SimCellKind sim_table_kind(int column);

/* The cell of column c in the row of point and hand. */
SimCell sim_table_cell(const SimResult *result, int point, int hand, int column);

/* Writes a cell as the CSV holds it (no separator). */
void sim_table_write_cell(FILE *out, const SimCell *cell);

#endif
