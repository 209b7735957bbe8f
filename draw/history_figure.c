/* history_figure: the layout of the practice history's picture. */
#include "history_figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "map_picture.h"

#define PAGE_WIDTH 900
#define PAGE_HEIGHT 640
#define TICKS 5
#define DAY_S 86400.0

static const ChartStyle STYLE = {
    .text_grey = 0.2, .frame_grey = 0.2, .grid_grey = 0.88, .vertical_grid = 0,
    .tick_size = 11, .legend_size = 12, .legend_grey = 0.1,
    .title_size = 14, .title_bold = 1, .title_centred = 0, .title_gap = 8,
    .dash = {6.0, 4.0}, .ink_anchored = 0,
};
static const double KEY_RGB[3] = {0.1, 0.1, 0.1};
static const double RISK_RGB[3] = {0.15, 0.15, 0.15};

/* The finger colours, then a solid and a dashed line for the hands. */
static void draw_legend(cairo_t *cr, const MetricsTimeline *t, double x, double y)
{
    chart_draw_finger_legend(cr, &STYLE, x, y, 60);
    for (int h = 0; h < t->hand_count; h++) {
        char label[32];
        snprintf(label, sizeof label, "%s hand", t->hand_name[h]);
        ChartSeries key = {.rgb = KEY_RGB, .dashed = h, .label = label};
        chart_draw_key(cr, &STYLE, &key, x + 320 + h * 110, y, 30);
    }
}

/* A session's point: a bigger dot for the solid line, so that a dashed one on top stays apart. */
static double dot_radius(int hand) { return hand ? 2.5 : 3.5; }

int history_figure_write(const char *path, PictureFormat format, const char *title, const MetricsTimeline *t,
                         PictureWriter write, char *err, size_t err_size)
{
    int hands = t->hand_count, n = t->count;
    double *values = malloc(((size_t)hands * 6 * (size_t)n + 1) * sizeof *values);
    PictureFile *picture = values ? picture_file_create(path, format, PAGE_WIDTH, PAGE_HEIGHT, err, err_size) : NULL;
    if (!picture) {
        if (!values)
            snprintf(err, err_size, "cannot draw '%s': out of memory", path);
        free(values);
        return -1;
    }
    cairo_t *cr = picture_file_context(picture);
    ChartSeries area[5 * METRICS_TIMELINE_HANDS], risk[METRICS_TIMELINE_HANDS];
    double *next = values;
    for (int h = 0; h < hands; h++) {
        for (int d = 0; d < 5; d++, next += n) {
            for (int i = 0; i < n; i++)
                next[i] = 100.0 * t->map[h][i].area_fraction[d];
            area[h * 5 + d] = (ChartSeries){.x = t->time, .y = next, .count = n, .rgb = MAP_PICTURE_FINGER_RGB[d],
                                            .dashed = h, .dot_radius = dot_radius(h)};
        }
        for (int i = 0; i < n; i++)
            next[i] = t->map[h][i].overlap_risk;
        risk[h] = (ChartSeries){.x = t->time, .y = next, .count = n, .rgb = RISK_RGB, .dashed = h,
                                .dot_radius = dot_radius(h)};
        next += n;
    }
    /* a margin on each side, so that a lone session sits mid-axis; dates for spans over three days */
    double first = INFINITY, last = -INFINITY;
    for (int i = 0; i < n; i++)
        first = fmin(first, t->time[i]), last = fmax(last, t->time[i]);
    double margin = fmax((last - first) * 0.04, 1800.0);
    const char *time_format = last - first + 2 * margin > 3 * DAY_S ? "%Y-%m-%d" : "%m-%d %H:%M";
    ChartAxis time_axis = {.pad_fraction = 0.04, .pad_min = 1800.0, .even_ticks = TICKS, .time_format = time_format};

    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    picture_text(cr, 30, 34, 17, 1, 0, "%s", title);
    draw_legend(cr, t, 80, 62);
    ChartPanel territory = {.title = "Territory per finger (% of the sheet)", .x_axis = time_axis,
                            .y_axis = {.from_zero = 1, .at_least = 10.0, .even_ticks = TICKS, .format = "%.0f"},
                            .series = area, .series_count = 5 * hands};
    ChartPanel overlap = {.title = "Overlap risk (0 healthy baseline .. 1 merged; not a diagnosis)",
                          .x_axis = time_axis,
                          .y_axis = {.from_zero = 1, .at_least = 0.1, .even_ticks = TICKS, .format = "%.2f"},
                          .series = risk, .series_count = hands};
    chart_draw_panel(cr, &STYLE, &territory, 80, 90, PAGE_WIDTH - 120, 260);
    chart_draw_panel(cr, &STYLE, &overlap, 80, 410, PAGE_WIDTH - 120, 160);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    picture_text(cr, 80 + (PAGE_WIDTH - 120) / 2.0, PAGE_HEIGHT - 24, 12, 0, 0.5, "session start (local time)");
    free(values);
    return picture_file_finish(picture, write, err, err_size);
}
