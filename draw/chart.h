/* chart: the charts every plot of the program is made of, drawn with cairo from draw's own
 * types: a panel of line series over x (axes, ticks, grid, optional shaded bands such as
 * mean +- SD, vertical markers such as sessions or nights, an in-panel legend), a small bar
 * chart, and the legend keys. The plots (simulation_figure, history_figure,
 * experiment_figure) lay these out on a page; the chart holds the axis and drawing code once. */
#ifndef HM_CHART_H
#define HM_CHART_H

#include <cairo/cairo.h>

/* How a figure's charts look (each figure keeps its own look). */
typedef struct {
    double text_grey;    /* titles, tick labels, legend text */
    double frame_grey;   /* the plot area's frame */
    double grid_grey;    /* grid lines at the ticks */
    int vertical_grid;   /* grid lines at the x ticks too */
    double tick_size;    /* font size (points) of tick labels (bar charts: of the values) */
    double legend_size;  /* font size of legend text (bar charts: of the bars' labels) */
    double legend_grey;  /* legend text */
    double title_size;   /* font size of the panel's title */
    int title_bold;
    int title_centred;   /* centred above the plot area; else from its left edge */
    double title_gap;    /* title baseline above the plot area */
    double dash[2];      /* dashed series: on and off lengths (equal lengths: one value) */
    int ink_anchored;    /* text centred and right-aligned on its glyphs (else on its advance) */
} ChartStyle;

/* One line: count points (x[i], y[i]); a non-finite y breaks the line. Optional: a shaded
 * band from lower[i] to upper[i] in the line's colour (NULL: none), a dot of dot_radius at
 * each point (0: none). label names it in the panel's legend. */
typedef struct {
    const double *x, *y;
    int count;
    const double *lower, *upper;
    const double *rgb;
    int dashed;
    double dot_radius;
    const char *label;
} ChartSeries;

/* A vertical line across the plot area at x (a session, a night), labelled at its top. */
typedef struct {
    double x;
    const char *label;
} ChartMarker;

/* One axis's range and ticks. The range covers the data (series, bands and markers): if
 * from_zero, 0 to a round value (1, 2 or 5 x 10^k) at least 1.1 x the largest and at least
 * at_least; else the data's span (a constant one widened to 1 around it, 0 to 1 for 0),
 * widened on each side by the larger of pad_fraction x span and pad_min. Ticks: if
 * even_ticks > 0, that many equal steps labelled with format (printf of the value) or
 * time_format (strftime, the value being unix seconds, in local time); else round steps
 * (1, 2 or 5 x 10^k, about five) labelled %g. */
typedef struct {
    int from_zero;
    double at_least;
    double pad_fraction, pad_min;
    int even_ticks;
    const char *format;
    const char *time_format;
} ChartAxis;

typedef struct {
    const char *title;
    const char *x_label; /* under the tick labels, NULL for none */
    double x_label_gap;  /* its baseline below the plot area */
    ChartAxis x_axis, y_axis;
    const ChartSeries *series;
    int series_count;
    int legend_count;    /* the first legend_count series are named in the legend (top left) */
    const ChartMarker *markers;
    int marker_count;
} ChartPanel;

/* Draws panel with its plot area (the inside of the axes) at (x, y), width x height. */
void chart_draw_panel(cairo_t *cr, const ChartStyle *style, const ChartPanel *panel, double x, double y,
                      double width, double height);

/* A bar chart: one bar per value on a scale from 0 to 1.15 x the largest, its value above
 * and its label below; the title above. */
typedef struct {
    const char *title;
    const char *const *labels;
    const double *values;
    int count;
    const double *rgb;
} ChartBars;

/* Draws bars on the baseline y + height, bars up to height - 16 tall, across x .. x + width. */
void chart_draw_bars(cairo_t *cr, const ChartStyle *style, const ChartBars *bars, double x, double y, double width,
                     double height);

/* A legend key: a line sample of length at (x, y - 4) drawn as series would be, and its
 * label from x + length + 6 on the baseline y. */
void chart_draw_key(cairo_t *cr, const ChartStyle *style, const ChartSeries *series, double x, double y,
                    double length);

/* The finger colours' legend: a square and D1..D5 every pitch points from x, on baseline y. */
void chart_draw_finger_legend(cairo_t *cr, const ChartStyle *style, double x, double y, double pitch);

#endif
