/* sim_table: the columns of the simulation's measurement table. */
#include "sim_table.h"

#include "cli.h"

/* A group of columns: one, or one per digit, per pair of digits or per neighbouring pair. */
typedef enum { PER_ROW, PER_DIGIT, PER_PAIR, PER_NEIGHBOURS } Spread;

typedef struct {
    const char *name; /* a printf pattern taking the digit numbers of the column, 1-based */
    Spread spread;
    SimCellKind kind;
    int id;
} ColumnGroup;

enum {
    COL_POINT, COL_LABEL, COL_DAY, COL_TIME, COL_PRACTICE, COL_HAND, COL_STIMULI, COL_AREA, COL_RF_POINTS,
    COL_RF_MEAN, COL_RF_DIGITS_MEAN, COL_MULTI, COL_UNRESPONSIVE, COL_OVERLAP, COL_D1_D5, COL_DISTANCE, COL_RISK,
    COL_RISK_PAIR, COL_EARLY, COL_ORDER, COL_PATCHES, COL_BORDER, COL_LARGEST_PATCH, COL_AGE
};

/* In the order of the CSV; new columns go at the end, so older readers keep their positions. */
static const ColumnGroup GROUPS[] = {
    {"point", PER_ROW, SIM_CELL_WHOLE, COL_POINT},
    {"label", PER_ROW, SIM_CELL_TEXT, COL_LABEL},
    {"day", PER_ROW, SIM_CELL_WHOLE, COL_DAY},
    {"time_h", PER_ROW, SIM_CELL_REAL, COL_TIME},
    {"practice_h", PER_ROW, SIM_CELL_REAL, COL_PRACTICE},
    {"hand", PER_ROW, SIM_CELL_TEXT, COL_HAND},
    {"stimuli", PER_ROW, SIM_CELL_WHOLE, COL_STIMULI},
    {"area_D%d", PER_DIGIT, SIM_CELL_REAL, COL_AREA},
    {"rf_points_D%d", PER_DIGIT, SIM_CELL_REAL, COL_RF_POINTS},
    {"rf_points_mean", PER_ROW, SIM_CELL_REAL, COL_RF_MEAN},
    {"rf_digits_mean", PER_ROW, SIM_CELL_REAL, COL_RF_DIGITS_MEAN},
    {"multi_digit", PER_ROW, SIM_CELL_REAL, COL_MULTI},
    {"unresponsive", PER_ROW, SIM_CELL_REAL, COL_UNRESPONSIVE},
    {"overlap_D%d_D%d", PER_PAIR, SIM_CELL_REAL, COL_OVERLAP},
    {"d1_d5_mm", PER_ROW, SIM_CELL_REAL, COL_D1_D5},
    {"distance_D%d_D%d_mm", PER_NEIGHBOURS, SIM_CELL_REAL, COL_DISTANCE},
    {"overlap_risk", PER_ROW, SIM_CELL_REAL, COL_RISK},
    {"risk_pair", PER_ROW, SIM_CELL_TEXT, COL_RISK_PAIR},
    {"early_share", PER_ROW, SIM_CELL_REAL, COL_EARLY},
    {"order_index", PER_ROW, SIM_CELL_REAL, COL_ORDER},
    {"patches_D%d", PER_DIGIT, SIM_CELL_WHOLE, COL_PATCHES},
    {"border_D%d_D%d", PER_NEIGHBOURS, SIM_CELL_REAL, COL_BORDER},
    {"largest_patch_D%d", PER_DIGIT, SIM_CELL_REAL, COL_LARGEST_PATCH},
    {"age_years", PER_ROW, SIM_CELL_REAL, COL_AGE},
};
#define GROUP_COUNT ((int)(sizeof GROUPS / sizeof GROUPS[0]))

static int spread_width(Spread spread)
{
    switch (spread) {
    case PER_DIGIT:
        return METRICS_DIGITS;
    case PER_PAIR:
        return METRICS_DIGITS * (METRICS_DIGITS - 1) / 2;
    case PER_NEIGHBOURS:
        return METRICS_PAIRS;
    default:
        return 1;
    }
}

/* The group of column c and the index within it; the digits (0-based) it reads. */
static const ColumnGroup *locate(int column, int *d, int *e)
{
    for (int g = 0; g < GROUP_COUNT; g++) {
        int width = spread_width(GROUPS[g].spread);
        if (column < width) {
            *d = column, *e = column + 1;
            if (GROUPS[g].spread == PER_PAIR) /* pairs in the order D1-D2, D1-D3, ..., D4-D5 */
                for (*d = 0; column >= METRICS_DIGITS - 1 - *d; (*d)++)
                    column -= METRICS_DIGITS - 1 - *d;
            if (GROUPS[g].spread == PER_PAIR)
                *e = *d + 1 + column;
            return &GROUPS[g];
        }
        column -= width;
    }
    return NULL;
}

int sim_table_columns(void)
{
    int count = 0;
    for (int g = 0; g < GROUP_COUNT; g++)
        count += spread_width(GROUPS[g].spread);
    return count;
}

const char *sim_table_name(int column, char *name, size_t size)
{
    int d = 0, e = 0;
    const ColumnGroup *group = locate(column, &d, &e);
    snprintf(name, size, group ? group->name : "?", d + 1, e + 1);
    return name;
}

SimCellKind sim_table_kind(int column)
{
    int d = 0, e = 0;
    const ColumnGroup *group = locate(column, &d, &e);
    return group ? group->kind : SIM_CELL_TEXT;
}

SimCell sim_table_cell(const SimResult *r, int point, int hand, int column)
{
    int d = 0, e = 0;
    const ColumnGroup *group = locate(column, &d, &e);
    const SimPoint *p = &r->points[point];
    const MapMetrics *m = &p->map[hand];
    SimCell cell = {group ? group->kind : SIM_CELL_TEXT, 1, 0.0, ""};
    if (!group)
        return cell;
    switch (group->id) {
    case COL_POINT: cell.number = point; break;
    case COL_LABEL: cell.text = p->label; break;
    case COL_DAY: cell.number = p->day; break;
    case COL_TIME: cell.number = p->time_h; break;
    case COL_PRACTICE: cell.number = p->practice_h; break;
    case COL_HAND: cell.text = CLI_HAND_NAMES[hand]; break;
    case COL_STIMULI: cell.number = (double)p->stimuli[hand]; break;
    case COL_AREA: cell.number = m->area_fraction[d]; break;
    case COL_RF_POINTS: cell.number = m->rf_points[d], cell.present = m->patches[d] > 0; break;
    case COL_RF_MEAN: cell.number = m->rf_points_mean; break;
    case COL_RF_DIGITS_MEAN: cell.number = m->rf_digits_mean; break;
    case COL_MULTI: cell.number = m->multi_digit_fraction; break;
    case COL_UNRESPONSIVE: cell.number = m->unresponsive_fraction; break;
    case COL_OVERLAP: cell.number = m->overlap[d][e]; break;
    case COL_D1_D5: cell.number = m->d1_d5_distance_mm; break;
    case COL_DISTANCE: cell.number = m->neighbour_distance_mm[d]; break;
    case COL_RISK: cell.number = m->overlap_risk; break;
    case COL_RISK_PAIR: cell.text = m->risk_pair >= 0 ? metrics_pair_name(m->risk_pair) : ""; break;
    case COL_EARLY: cell.number = p->early_share[hand]; break;
    case COL_ORDER: cell.number = m->order_index; break;
    case COL_PATCHES: cell.number = m->patches[d], cell.present = m->patches[d] > 0; break;
    case COL_BORDER: cell.number = m->border_sharpness[d]; break;
    case COL_LARGEST_PATCH: cell.number = m->largest_patch_fraction[d], cell.present = m->patches[d] > 0; break;
    case COL_AGE: cell.number = p->age_years; break;
    }
    return cell;
}

void sim_table_write_cell(FILE *out, const SimCell *cell)
{
    if (!cell->present)
        return;
    if (cell->kind == SIM_CELL_TEXT)
        fputs(cell->text, out);
    else if (cell->kind == SIM_CELL_WHOLE)
        fprintf(out, "%.0f", cell->number);
    else
        fprintf(out, "%.6f", cell->number);
}
