/* chart: panels of line series and bar charts with cairo. */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "map_picture.h"
#include "picture_file.h"

#define FULL_CIRCLE (2.0 * 3.14159265358979323846)
#define LINE_WIDTH 2.0
#define BAND_ALPHA 0.2
#define MARKER_GREY 0.55
#define LEGEND_ROW 16.0 /* the in-panel legend's line pitch */

/* A value and the data's range so far (lo > hi: none yet). */
static void widen(double *lo, double *hi, double value)
{
    if (isfinite(value))
        *lo = fmin(*lo, value), *hi = fmax(*hi, value);
}

/* Rounds up to 1, 2 or 5 x 10^k. */
static double round_up(double target)
{
    if (!(target > 0.0) || !isfinite(target))
        return 1.0;
    double power = pow(10.0, floor(log10(target)));
    static const double steps[] = {1.0, 2.0, 5.0};
    for (int i = 0; i < 3; i++)
        if (steps[i] * power >= target)
            return steps[i] * power;
    return 10.0 * power;
}

/* The axis's range from the data's lo .. hi (see ChartAxis). */
static void axis_range(const ChartAxis *axis, double *lo, double *hi)
{
    if (axis->from_zero) {
        *hi = round_up(fmax(isfinite(*hi) ? *hi * 1.1 : 0.0, axis->at_least));
        *lo = 0.0;
        return;
    }
    /* a constant (or no data) gets a span of 1, unless pad_min gives it one already */
    if (!(*hi - *lo > 1e-9 * fmax(1.0, fabs(*hi))) && !(axis->pad_min > 0.0 && isfinite(*lo))) {
        *lo = isfinite(*lo) && *lo != 0.0 ? *lo - 0.5 : 0.0;
        *hi = *lo + 1.0;
    }
    double pad = fmax(axis->pad_fraction * (*hi - *lo), axis->pad_min);
    *lo -= pad, *hi += pad;
}

/* A "nice" tick step (1, 2 or 5 x 10^k) giving about five ticks over span. */
static double tick_step(double span)
{
    double raw = span / 5.0, magnitude = pow(10.0, floor(log10(raw))), r = raw / magnitude;
    return magnitude * (r < 1.5 ? 1.0 : (r < 3.5 ? 2.0 : (r < 7.5 ? 5.0 : 10.0)));
}

/* The ticks' values in order: count of them into values (at most max). */
static int axis_ticks(const ChartAxis *axis, double lo, double hi, double *values, int max)
{
    int count = 0;
    if (axis->even_ticks > 0) {
        for (int i = 0; i <= axis->even_ticks && count < max; i++)
            values[count++] = lo + (hi - lo) * i / axis->even_ticks;
        return count;
    }
    double step = tick_step(hi - lo);
    for (double v = ceil(lo / step) * step; v <= hi + 1e-9 * step && count < max; v += step)
        values[count++] = v;
    return count;
}

static void tick_label(const ChartAxis *axis, double value, char *label, size_t size)
{
    label[0] = '\0';
    if (axis->time_format) {
        time_t when = (time_t)llround(value);
        struct tm local;
        if (localtime_r(&when, &local))
            strftime(label, size, axis->time_format, &local);
    } else if (axis->even_ticks > 0 && axis->format)
        snprintf(label, size, axis->format, value);
    else
        snprintf(label, size, "%g", fabs(value) < 1e-12 ? 0.0 : value);
}

static void text(cairo_t *cr, const ChartStyle *style, double x, double y, double size, int bold, double anchor,
                 const char *words)
{
    if (style->ink_anchored)
        picture_text_on_ink(cr, x, y, size, bold, anchor, "%s", words);
    else
        picture_text(cr, x, y, size, bold, anchor, "%s", words);
}

static void set_grey(cairo_t *cr, double grey) { cairo_set_source_rgb(cr, grey, grey, grey); }

static void set_dash(cairo_t *cr, const ChartStyle *style, int dashed)
{
    cairo_set_dash(cr, style->dash, dashed ? (style->dash[1] > 0.0 ? 2 : 1) : 0, 0);
}

/* Where data lands in the plot area. */
typedef struct {
    double left, top, width, height;
    double x_lo, x_hi, y_lo, y_hi;
} Area;

static double area_x(const Area *a, double x) { return a->left + (x - a->x_lo) / (a->x_hi - a->x_lo) * a->width; }
static double area_y(const Area *a, double y)
{
    return a->top + a->height - (y - a->y_lo) / (a->y_hi - a->y_lo) * a->height;
}

static void draw_ticks(cairo_t *cr, const ChartStyle *style, const ChartPanel *panel, const Area *a)
{
    double values[64];
    char label[64];
    cairo_set_line_width(cr, 1.0);
    int count = axis_ticks(&panel->x_axis, a->x_lo, a->x_hi, values, 64);
    for (int i = 0; i < count; i++) {
        double px = area_x(a, values[i]);
        if (style->vertical_grid) {
            set_grey(cr, style->grid_grey);
            cairo_move_to(cr, px, a->top), cairo_line_to(cr, px, a->top + a->height), cairo_stroke(cr);
        }
        set_grey(cr, style->text_grey);
        tick_label(&panel->x_axis, values[i], label, sizeof label);
        text(cr, style, px, a->top + a->height + 16, style->tick_size, 0, 0.5, label);
    }
    count = axis_ticks(&panel->y_axis, a->y_lo, a->y_hi, values, 64);
    for (int i = 0; i < count; i++) {
        double py = area_y(a, values[i]);
        set_grey(cr, style->grid_grey);
        cairo_move_to(cr, a->left, py), cairo_line_to(cr, a->left + a->width, py), cairo_stroke(cr);
        set_grey(cr, style->text_grey);
        tick_label(&panel->y_axis, values[i], label, sizeof label);
        text(cr, style, a->left - 6, py + 4, style->tick_size, 0, 1.0, label);
    }
}

static void draw_markers(cairo_t *cr, const ChartStyle *style, const ChartPanel *panel, const Area *a)
{
    static const double dotted[] = {2.0, 3.0};
    cairo_set_line_width(cr, 1.0);
    for (int i = 0; i < panel->marker_count; i++) {
        double px = area_x(a, panel->markers[i].x);
        set_grey(cr, MARKER_GREY);
        cairo_set_dash(cr, dotted, 2, 0);
        cairo_move_to(cr, px, a->top), cairo_line_to(cr, px, a->top + a->height), cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (panel->markers[i].label)
            text(cr, style, px + 3, a->top + style->tick_size, style->tick_size, 0, 0.0, panel->markers[i].label);
    }
}

/* The band of one series: a filled outline over each run of points with finite bounds. */
static void draw_band(cairo_t *cr, const ChartSeries *s, const Area *a)
{
    cairo_set_source_rgba(cr, s->rgb[0], s->rgb[1], s->rgb[2], BAND_ALPHA);
    for (int start = 0; start < s->count;) {
        if (!isfinite(s->lower[start]) || !isfinite(s->upper[start])) {
            start++;
            continue;
        }
        int end = start;
        while (end + 1 < s->count && isfinite(s->lower[end + 1]) && isfinite(s->upper[end + 1]))
            end++;
        for (int i = start; i <= end; i++)
            cairo_line_to(cr, area_x(a, s->x[i]), area_y(a, s->upper[i]));
        for (int i = end; i >= start; i--)
            cairo_line_to(cr, area_x(a, s->x[i]), area_y(a, s->lower[i]));
        cairo_close_path(cr);
        cairo_fill(cr);
        start = end + 1;
    }
}

static void draw_line(cairo_t *cr, const ChartStyle *style, const ChartSeries *s, const Area *a)
{
    set_dash(cr, style, s->dashed);
    cairo_set_line_width(cr, LINE_WIDTH);
    cairo_set_source_rgb(cr, s->rgb[0], s->rgb[1], s->rgb[2]);
    int pen_down = 0;
    for (int i = 0; i < s->count; i++) {
        if (!isfinite(s->y[i])) {
            pen_down = 0;
            continue;
        }
        double px = area_x(a, s->x[i]), py = area_y(a, s->y[i]);
        if (pen_down)
            cairo_line_to(cr, px, py);
        else
            cairo_move_to(cr, px, py);
        pen_down = 1;
    }
    if (s->count == 1 && s->dot_radius <= 0.0) /* a single point still shows */
        cairo_rel_line_to(cr, 0.1, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void draw_dots(cairo_t *cr, const ChartSeries *s, const Area *a)
{
    cairo_set_source_rgb(cr, s->rgb[0], s->rgb[1], s->rgb[2]);
    for (int i = 0; i < s->count; i++)
        if (isfinite(s->y[i])) {
            cairo_arc(cr, area_x(a, s->x[i]), area_y(a, s->y[i]), s->dot_radius, 0, FULL_CIRCLE);
            cairo_fill(cr);
        }
}

void chart_draw_panel(cairo_t *cr, const ChartStyle *style, const ChartPanel *panel, double x, double y,
                      double width, double height)
{
    Area a = {x, y, width, height, INFINITY, -INFINITY, INFINITY, -INFINITY};
    for (int s = 0; s < panel->series_count; s++) {
        const ChartSeries *se = &panel->series[s];
        for (int i = 0; i < se->count; i++) {
            if (!isfinite(se->y[i]))
                continue;
            widen(&a.x_lo, &a.x_hi, se->x[i]);
            widen(&a.y_lo, &a.y_hi, se->y[i]);
            if (se->lower && se->upper)
                widen(&a.y_lo, &a.y_hi, se->lower[i]), widen(&a.y_lo, &a.y_hi, se->upper[i]);
        }
    }
    for (int i = 0; i < panel->marker_count; i++)
        widen(&a.x_lo, &a.x_hi, panel->markers[i].x);
    axis_range(&panel->x_axis, &a.x_lo, &a.x_hi);
    axis_range(&panel->y_axis, &a.y_lo, &a.y_hi);

    set_grey(cr, style->text_grey);
    if (panel->title)
        text(cr, style, style->title_centred ? x + width / 2 : x, y - style->title_gap, style->title_size,
             style->title_bold, style->title_centred ? 0.5 : 0.0, panel->title);
    if (panel->x_label)
        text(cr, style, x + width / 2, y + height + panel->x_label_gap, style->tick_size, 0, 0.5, panel->x_label);
    draw_ticks(cr, style, panel, &a);
    draw_markers(cr, style, panel, &a);
    set_grey(cr, style->frame_grey);
    cairo_rectangle(cr, x, y, width, height);
    cairo_stroke(cr);

    /* Lines and bands are clipped at the x range's ends only, where a sloping line's end would
     * poke past the frame; the y range covers the data, and a value on its edge (0 on a
     * from-zero axis) stays whole, as do the dots. Each line's dots follow it. */
    cairo_save(cr);
    cairo_rectangle(cr, x, y - height, width, 3 * height);
    cairo_clip(cr);
    for (int s = 0; s < panel->series_count; s++)
        if (panel->series[s].lower && panel->series[s].upper)
            draw_band(cr, &panel->series[s], &a);
    cairo_restore(cr);
    for (int s = 0; s < panel->series_count; s++) {
        cairo_save(cr);
        cairo_rectangle(cr, x, y - height, width, 3 * height);
        cairo_clip(cr);
        draw_line(cr, style, &panel->series[s], &a);
        cairo_restore(cr);
        if (panel->series[s].dot_radius > 0.0)
            draw_dots(cr, &panel->series[s], &a);
    }
    for (int s = 0; s < panel->legend_count && s < panel->series_count; s++)
        chart_draw_key(cr, style, &panel->series[s], x + 8, y + 14 + LEGEND_ROW * s, 22);
}

void chart_draw_key(cairo_t *cr, const ChartStyle *style, const ChartSeries *series, double x, double y,
                    double length)
{
    set_dash(cr, style, series->dashed);
    cairo_set_line_width(cr, LINE_WIDTH);
    cairo_set_source_rgb(cr, series->rgb[0], series->rgb[1], series->rgb[2]);
    cairo_move_to(cr, x, y - 4), cairo_line_to(cr, x + length, y - 4), cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    set_grey(cr, style->legend_grey);
    text(cr, style, x + length + 6, y, style->legend_size, 0, 0.0, series->label);
}

void chart_draw_finger_legend(cairo_t *cr, const ChartStyle *style, double x, double y, double pitch)
{
    for (int d = 0; d < 5; d++) {
        map_picture_set_digit_colour(cr, d, 1.0);
        cairo_rectangle(cr, x + pitch * d, y - 10, 12, 12);
        cairo_fill(cr);
        set_grey(cr, style->legend_grey);
        char name[16];
        snprintf(name, sizeof name, "D%d", d + 1);
        text(cr, style, x + pitch * d + 16, y, style->legend_size, 0, 0.0, name);
    }
}

void chart_draw_bars(cairo_t *cr, const ChartStyle *style, const ChartBars *bars, double x, double y, double width,
                     double height)
{
    if (bars->count <= 0)
        return;
    double largest = 0.0;
    for (int i = 0; i < bars->count; i++)
        if (isfinite(bars->values[i]))
            largest = fmax(largest, bars->values[i]);
    double scale = largest > 0.0 ? 1.15 * largest : 1.0;
    double pitch = width / bars->count, bottom = y + height;
    set_grey(cr, style->text_grey);
    if (bars->title)
        text(cr, style, x + width / 2, y - style->title_gap, style->title_size, style->title_bold, 0.5, bars->title);
    set_grey(cr, style->frame_grey);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, x, bottom + 0.5);
    cairo_line_to(cr, x + width, bottom + 0.5);
    cairo_stroke(cr);
    for (int i = 0; i < bars->count; i++) {
        double value = isfinite(bars->values[i]) ? fmax(bars->values[i], 0.0) : 0.0;
        double bar_height = (height - 16) * value / scale, left = x + i * pitch;
        cairo_set_source_rgb(cr, bars->rgb[0], bars->rgb[1], bars->rgb[2]);
        cairo_rectangle(cr, left + pitch * 0.2, bottom - bar_height, pitch * 0.6, bar_height);
        cairo_fill(cr);
        char number[32];
        snprintf(number, sizeof number, "%.3g", bars->values[i]);
        set_grey(cr, style->text_grey);
        text(cr, style, left + pitch / 2, bottom - bar_height - 4, style->tick_size, 0, 0.5, number);
        text(cr, style, left + pitch / 2, bottom + 16, style->legend_size, 0, 0.5, bars->labels[i]);
    }
}
