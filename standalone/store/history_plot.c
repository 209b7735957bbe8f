/* history_plot: two panels sharing a time axis (session start, local time): territory per
 * finger in % of the sheet (right hand solid, left dashed, finger colours as in the maps)
 * and overlap risk (right solid, left dashed). */
#include "history_plot.h"

#include <math.h>
#include <time.h>

#include "cli.h"
#include "files.h"
#include "map_picture.h"

#define PAGE_WIDTH 900
#define PAGE_HEIGHT 640
#define TICKS 5
#define FULL_CIRCLE (2.0 * 3.14159265358979323846)

typedef struct {
    double x, y, width, height; /* the plotting area */
    double t0, t1;              /* time range (unix seconds) */
    double y_max;               /* values 0..y_max */
} Panel;

static double panel_x(const Panel *p, double t)
{
    return p->x + p->width * (t - p->t0) / (p->t1 - p->t0);
}

static double panel_y(const Panel *p, double v)
{
    double clamped = isfinite(v) ? fmin(fmax(v, 0.0), p->y_max) : 0.0;
    return p->y + p->height * (1.0 - clamped / p->y_max);
}

/* The frame, grid, value ticks (with format) and time ticks labelled by time_format. */
static void draw_axes(cairo_t *cr, const Panel *p, const char *title, const char *value_format,
                      const char *time_format)
{
    cairo_set_line_width(cr, 1.0);
    for (int i = 0; i <= TICKS; i++) {
        double value = p->y_max * i / TICKS, y = panel_y(p, value);
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, p->x, y);
        cairo_line_to(cr, p->x + p->width, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        picture_text(cr, p->x - 6, y + 4, 11, 0, 1, value_format, value);
        double t = p->t0 + (p->t1 - p->t0) * i / TICKS, x = panel_x(p, t);
        time_t when = (time_t)llround(t);
        struct tm local;
        char label[32] = "";
        if (localtime_r(&when, &local))
            strftime(label, sizeof label, time_format, &local);
        picture_text(cr, x, p->y + p->height + 16, 11, 0, 0.5, "%s", label);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_rectangle(cr, p->x, p->y, p->width, p->height);
    cairo_stroke(cr);
    picture_text(cr, p->x, p->y - 8, 14, 1, 0, "%s", title);
}

/* One series: a line through every session's value with a dot at each. */
static void draw_series(cairo_t *cr, const Panel *p, const PracticeSessionRecord *s, size_t count, int hand,
                        int digit, int dashed)
{
    static const double dash[] = {6.0, 4.0};
    cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
    cairo_set_line_width(cr, 2.0);
    for (size_t i = 0; i < count; i++) {
        double v = digit >= 0 ? 100.0 * s[i].map[hand].area_fraction[digit] : s[i].map[hand].overlap_risk;
        double x = panel_x(p, (double)s[i].start_unix), y = panel_y(p, v);
        if (i == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    for (size_t i = 0; i < count; i++) {
        double v = digit >= 0 ? 100.0 * s[i].map[hand].area_fraction[digit] : s[i].map[hand].overlap_risk;
        cairo_arc(cr, panel_x(p, (double)s[i].start_unix), panel_y(p, v), dashed ? 2.5 : 3.5, 0, FULL_CIRCLE);
        cairo_fill(cr);
    }
}

/* Rounds a largest value up to a readable axis end (1, 2 or 5 times a power of ten). */
static double axis_end(double largest, double at_least)
{
    double target = fmax(largest * 1.1, at_least);
    double power = pow(10.0, floor(log10(target)));
    for (int i = 0; i < 3; i++) {
        static const double steps[] = {1.0, 2.0, 5.0};
        if (steps[i] * power >= target)
            return steps[i] * power;
    }
    return 10.0 * power;
}

static void draw_legend(cairo_t *cr, double x, double y)
{
    for (int d = 0; d < 5; d++) {
        map_picture_set_digit_colour(cr, d, 1.0);
        cairo_rectangle(cr, x + d * 60, y - 10, 12, 12);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        picture_text(cr, x + d * 60 + 16, y, 12, 0, 0, "D%d", d + 1);
    }
    static const double dash[] = {6.0, 4.0};
    for (int h = 0; h < 2; h++) {
        double lx = x + 320 + h * 110;
        cairo_set_dash(cr, dash, h ? 2 : 0, 0);
        cairo_set_line_width(cr, 2.0);
        cairo_move_to(cr, lx, y - 4);
        cairo_line_to(cr, lx + 30, y - 4);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        picture_text(cr, lx + 36, y, 12, 0, 0, "%s hand", CLI_HAND_NAMES[h]);
    }
}

int history_plot_write(const char *path, PictureFormat format, const char *title,
                       const PracticeSessionRecord *sessions, size_t count, char *err, size_t err_size)
{
    PictureFile *picture = picture_file_create(path, format, PAGE_WIDTH, PAGE_HEIGHT, err, err_size);
    if (!picture)
        return -1;
    cairo_t *cr = picture_file_context(picture);
    double t0 = (double)sessions[0].start_unix, t1 = t0;
    double largest_area = 0.0, largest_risk = 0.0;
    for (size_t i = 0; i < count; i++) {
        t0 = fmin(t0, (double)sessions[i].start_unix);
        t1 = fmax(t1, (double)sessions[i].start_unix);
        for (int h = 0; h < 2; h++) {
            for (int d = 0; d < 5; d++)
                largest_area = fmax(largest_area, 100.0 * sessions[i].map[h].area_fraction[d]);
            largest_risk = fmax(largest_risk, sessions[i].map[h].overlap_risk);
        }
    }
    double margin = fmax((t1 - t0) * 0.04, 1800.0); /* a lone session sits mid-axis */
    t0 -= margin, t1 += margin;
    const char *time_format = t1 - t0 > 3 * 86400.0 ? "%Y-%m-%d" : "%m-%d %H:%M";
    Panel area = {80, 90, PAGE_WIDTH - 120, 260, t0, t1, axis_end(largest_area, 10.0)};
    Panel risk = {80, 410, PAGE_WIDTH - 120, 160, t0, t1, axis_end(largest_risk, 0.1)};

    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    picture_text(cr, 30, 34, 17, 1, 0, "%s", title);
    draw_legend(cr, 80, 62);
    draw_axes(cr, &area, "Territory per finger (% of the sheet)", "%.0f", time_format);
    draw_axes(cr, &risk, "Overlap risk (0 healthy baseline .. 1 merged; not a diagnosis)", "%.2f", time_format);
    for (int h = 0; h < 2; h++)
        for (int d = 0; d < 5; d++) {
            map_picture_set_digit_colour(cr, d, 1.0);
            draw_series(cr, &area, sessions, count, h, d, h == 1);
        }
    for (int h = 0; h < 2; h++) {
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        draw_series(cr, &risk, sessions, count, h, -1, h == 1);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    picture_text(cr, risk.x + risk.width / 2, PAGE_HEIGHT - 24, 12, 0, 0.5, "session start (local time)");
    return picture_file_finish(picture, files_write_atomic, err, err_size);
}
