/* plot: line charts and maps with cairo. */
#include "plot.h"

#include <cairo/cairo-svg.h>
#include <cairo/cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "files.h"
#include "map_picture.h"
#include "picture_file.h"

#define PLOT_WIDTH 1200.0
#define PLOT_HEIGHT 820.0
#define FONT_SIZE 13.0

typedef struct {
    const double *x, *y;
    int count;
    const double *rgb;
    int dashed;
    const char *label;
} Series;

/* Distinct colours for compared simulations (finger colours are for digits). */
static const double SERIES_RGB[8][3] = {{0.12, 0.47, 0.71}, {0.84, 0.15, 0.16}, {0.17, 0.63, 0.17},
                                        {0.58, 0.40, 0.74}, {1.00, 0.50, 0.05}, {0.55, 0.34, 0.29},
                                        {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50}};

static int ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

int plot_format_known(const char *path) { return ends_with(path, ".png") || ends_with(path, ".svg"); }

/* A "nice" tick step (1, 2 or 5 x 10^k) giving about five ticks over span. */
static double tick_step(double span)
{
    double raw = span / 5.0, magnitude = pow(10.0, floor(log10(raw))), r = raw / magnitude;
    return magnitude * (r < 1.5 ? 1.0 : (r < 3.5 ? 2.0 : (r < 7.5 ? 5.0 : 10.0)));
}

static void text_at(cairo_t *cr, double x, double y, const char *text, double align)
{
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text, &extents);
    cairo_move_to(cr, x - align * extents.width, y);
    cairo_show_text(cr, text);
}

/* One panel: axes with ticks, a grid, the series and the labels of the first legend ones. */
static void draw_panel(cairo_t *cr, double left, double top, double width, double height, const char *title,
                       const char *x_label, const Series *series, int count, int legend)
{
    double x_min = INFINITY, x_max = -INFINITY, y_min = INFINITY, y_max = -INFINITY;
    for (int s = 0; s < count; s++)
        for (int i = 0; i < series[s].count; i++) {
            if (!isfinite(series[s].y[i]))
                continue;
            x_min = fmin(x_min, series[s].x[i]), x_max = fmax(x_max, series[s].x[i]);
            y_min = fmin(y_min, series[s].y[i]), y_max = fmax(y_max, series[s].y[i]);
        }
    if (!(x_max > x_min))
        x_min = isfinite(x_min) ? x_min - 0.5 : 0.0, x_max = x_min + 1.0;
    if (!(y_max - y_min > 1e-9 * fmax(1.0, fabs(y_max)))) { /* a constant: 0 shows as 0..1 */
        y_min = isfinite(y_min) && y_min != 0.0 ? y_min - 0.5 : 0.0;
        y_max = y_min + 1.0;
    }
    double pad = 0.05 * (y_max - y_min);
    y_min -= pad, y_max += pad;
    double plot_left = left + 60, plot_top = top + 24, plot_width = width - 75, plot_height = height - 64;
    cairo_set_font_size(cr, FONT_SIZE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text_at(cr, plot_left + plot_width / 2, top + 14, title, 0.5);
    text_at(cr, plot_left + plot_width / 2, top + height - 6, x_label, 0.5);
    char label[32];
    double step = tick_step(x_max - x_min);
    cairo_set_line_width(cr, 1.0);
    for (double v = ceil(x_min / step) * step; v <= x_max + 1e-9 * step; v += step) {
        double px = plot_left + (v - x_min) / (x_max - x_min) * plot_width;
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, px, plot_top), cairo_line_to(cr, px, plot_top + plot_height), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        snprintf(label, sizeof label, "%g", fabs(v) < 1e-12 ? 0.0 : v);
        text_at(cr, px, plot_top + plot_height + 16, label, 0.5);
    }
    step = tick_step(y_max - y_min);
    for (double v = ceil(y_min / step) * step; v <= y_max + 1e-9 * step; v += step) {
        double py = plot_top + plot_height - (v - y_min) / (y_max - y_min) * plot_height;
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, plot_left, py), cairo_line_to(cr, plot_left + plot_width, py), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        snprintf(label, sizeof label, "%g", fabs(v) < 1e-12 ? 0.0 : v);
        text_at(cr, plot_left - 6, py + 4, label, 1.0);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, plot_left, plot_top, plot_width, plot_height);
    cairo_stroke(cr);
    cairo_save(cr);
    cairo_rectangle(cr, plot_left, plot_top, plot_width, plot_height);
    cairo_clip(cr);
    cairo_set_line_width(cr, 2.0);
    for (int s = 0; s < count; s++) {
        const Series *se = &series[s];
        double dash = 6.0;
        cairo_set_dash(cr, &dash, se->dashed ? 1 : 0, 0);
        cairo_set_source_rgb(cr, se->rgb[0], se->rgb[1], se->rgb[2]);
        int pen_down = 0;
        for (int i = 0; i < se->count; i++) {
            if (!isfinite(se->y[i])) {
                pen_down = 0;
                continue;
            }
            double px = plot_left + (se->x[i] - x_min) / (x_max - x_min) * plot_width;
            double py = plot_top + plot_height - (se->y[i] - y_min) / (y_max - y_min) * plot_height;
            if (pen_down)
                cairo_line_to(cr, px, py);
            else
                cairo_move_to(cr, px, py);
            pen_down = 1;
        }
        if (se->count == 1) /* a single point still shows */
            cairo_rel_line_to(cr, 0.1, 0);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    for (int s = 0; s < legend && s < count; s++) {
        double ly = plot_top + 14 + 16 * s;
        double dash = 6.0;
        cairo_set_dash(cr, &dash, series[s].dashed ? 1 : 0, 0);
        cairo_set_line_width(cr, 2.0);
        cairo_set_source_rgb(cr, series[s].rgb[0], series[s].rgb[1], series[s].rgb[2]);
        cairo_move_to(cr, plot_left + 8, ly - 4), cairo_line_to(cr, plot_left + 30, ly - 4), cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text_at(cr, plot_left + 36, ly, series[s].label, 0.0);
    }
    cairo_set_dash(cr, NULL, 0, 0);
}

/* A hand's final map with its title. */
static void draw_final_map(cairo_t *cr, const Model *model, const char *title, double x, double y, double size)
{
    MetricsProbe *probe = metrics_probe_create(model);
    if (!probe)
        return;
    MapMetrics m;
    metrics_compute(probe, model, &m);
    map_picture_draw(cr, metrics_preferred_digit(probe), metrics_selectivity(probe), model_sheet_size(model),
                     m.overlap_risk, x, y + 20, size, 10);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, FONT_SIZE);
    char text[200];
    snprintf(text, sizeof text, "%s, risk %.2f", title, m.overlap_risk);
    text_at(cr, x + size / 2, y + 14, text, 0.5);
    metrics_probe_free(probe);
}

/* The finger colour legend under the maps. */
static void draw_finger_legend(cairo_t *cr, double x, double y)
{
    cairo_set_font_size(cr, FONT_SIZE);
    for (int d = 0; d < 5; d++) {
        map_picture_set_digit_colour(cr, d, 1.0);
        cairo_rectangle(cr, x + 52 * d, y - 10, 12, 12);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        char text[16];
        snprintf(text, sizeof text, "D%d", d + 1);
        text_at(cr, x + 52 * d + 16, y, text, 0.0);
    }
}

/* Simulated time on the x axis: hours for a day or less, else days. */
static double time_scale(const SimResult *r, const char **label)
{
    double span = r->count ? r->points[r->count - 1].time_h : 0.0;
    *label = span > 48.0 ? "simulated time (days)" : "simulated time (hours)";
    return span > 48.0 ? 1.0 / 24.0 : 1.0;
}

typedef double (*Reading)(const SimPoint *p, int hand, int digit);
static double read_area(const SimPoint *p, int h, int d) { return 100.0 * p->map[h].area_fraction[d]; }
static double read_risk(const SimPoint *p, int h, int d) { return (void)d, p->map[h].overlap_risk; }
static double read_rf(const SimPoint *p, int h, int d) { return (void)d, p->map[h].rf_points_mean; }
static double read_multi(const SimPoint *p, int h, int d) { return (void)d, 100.0 * p->map[h].multi_digit_fraction; }
static double read_distance(const SimPoint *p, int h, int d) { return (void)d, p->map[h].d1_d5_distance_mm; }

/* Starts the plot's drawing; the file is written atomically (picture_file.h) when it is
 * finished, so a failed or interrupted write leaves the previous plot as it was. */
static int open_surface(const char *path, PictureFile **picture, cairo_t **cr, char *err, size_t err_size)
{
    if (!plot_format_known(path)) {
        snprintf(err, err_size, "'%s': a plot is written as .png or .svg", path);
        return -1;
    }
    *picture = picture_file_create(path, ends_with(path, ".svg") ? PICTURE_SVG : PICTURE_PNG, (int)PLOT_WIDTH,
                                   (int)PLOT_HEIGHT, err, err_size);
    if (!*picture)
        return -1;
    *cr = picture_file_context(*picture);
    cairo_select_font_face(*cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    return 0;
}

static int close_surface(PictureFile *picture, char *err, size_t err_size)
{
    return picture_file_finish(picture, files_write_atomic, err, err_size);
}

/* Fills columns of x and y (count points each) for a reading; y is NaN-free. */
static void fill_series(const SimResult *r, double scale, Reading read, int hand, int digit, double *x, double *y)
{
    for (int i = 0; i < r->count; i++) {
        x[i] = r->points[i].time_h * scale;
        y[i] = read(&r->points[i], hand, digit);
    }
}

int plot_simulation(const char *path, const char *title, const SimResult *r, char *err, size_t err_size)
{
    PictureFile *surface;
    cairo_t *cr;
    if (open_surface(path, &surface, &cr, err, err_size) != 0)
        return -1;
    int hands[SIM_HANDS], hand_count = simulate_hands(r->hands, hands);
    const char *x_label;
    double scale = time_scale(r, &x_label);
    /* columns: per hand, 5 area series + 4 single readings */
    size_t columns = (size_t)hand_count * 9;
    double *x = malloc(columns * (size_t)r->count * sizeof *x), *y = malloc(columns * (size_t)r->count * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        picture_file_discard(surface);
        snprintf(err, err_size, "out of memory for the plot");
        return -1;
    }
    static const double BLACK[3] = {0.1, 0.1, 0.1};
    static const char *const DIGIT_NAMES[5] = {"D1 thumb", "D2 index", "D3 middle", "D4 ring", "D5 little"};
    Series area[10], single[4][2];
    static const Reading readings[4] = {read_risk, read_multi, read_rf, read_distance};
    char labels[2][5][40];
    size_t column = 0;
    for (int k = 0; k < hand_count; k++) {
        for (int d = 0; d < 5; d++, column++) {
            fill_series(r, scale, read_area, hands[k], d, x + column * (size_t)r->count, y + column * (size_t)r->count);
            snprintf(labels[k][d], sizeof labels[k][d], "%s", DIGIT_NAMES[d]);
            area[k * 5 + d] = (Series){x + column * (size_t)r->count, y + column * (size_t)r->count, r->count,
                                       MAP_PICTURE_FINGER_RGB[d], k, labels[k][d]};
        }
        for (int q = 0; q < 4; q++, column++) {
            fill_series(r, scale, readings[q], hands[k], 0, x + column * (size_t)r->count, y + column * (size_t)r->count);
            single[q][k] = (Series){x + column * (size_t)r->count, y + column * (size_t)r->count, r->count, BLACK, k,
                                    CLI_HAND_NAMES[hands[k]]};
        }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 16);
    text_at(cr, 20, 24, title, 0.0);
    double panel_w = 420, panel_h = 380;
    int hand_legend = hand_count > 1 ? hand_count : 0;
    draw_panel(cr, 10, 40, panel_w, panel_h,
               hand_count > 1 ? "territory per digit (% of the sheet; left hand dashed)"
                              : "territory per digit (% of the sheet)",
               x_label, area, 5 * hand_count, 5);
    draw_panel(cr, 10 + panel_w, 40, panel_w, panel_h, "overlap risk (0 healthy .. 1 merged)", x_label, single[0],
               hand_count, hand_legend);
    draw_panel(cr, 10, 40 + panel_h, panel_w, panel_h, "multi-digit units (%)", x_label, single[1], hand_count,
               hand_legend);
    draw_panel(cr, 10 + panel_w, 40 + panel_h, panel_w, panel_h, "D1-D5 distance (mm)", x_label, single[3],
               hand_count, hand_legend);
    double map_size = 260;
    for (int k = 0; k < hand_count; k++) {
        char map_title[64];
        snprintf(map_title, sizeof map_title, "%s hand at the end", CLI_HAND_NAMES[hands[k]]);
        draw_final_map(cr, r->model[hands[k]], map_title, 2 * panel_w + 50, 50 + k * (map_size + 60), map_size);
    }
    draw_finger_legend(cr, 2 * panel_w + 50, 50 + hand_count * (map_size + 60) + 10);
    free(x), free(y);
    return close_surface(surface, err, err_size);
}

int plot_comparison(const char *path, const char *const *names, const SimResult *results, int count, char *err,
                    size_t err_size)
{
    PictureFile *surface;
    cairo_t *cr;
    if (open_surface(path, &surface, &cr, err, err_size) != 0)
        return -1;
    const char *x_label = "simulated time (hours)";
    double scale = 1.0;
    for (int i = 0; i < count; i++) /* one axis for all: days if any run is long */
        if (results[i].count && results[i].points[results[i].count - 1].time_h > 48.0)
            scale = 1.0 / 24.0, x_label = "simulated time (days)";
    size_t total = 0;
    for (int i = 0; i < count; i++)
        total += (size_t)results[i].count;
    double *x = malloc(4 * total * sizeof *x + 1), *y = malloc(4 * total * sizeof *y + 1);
    Series *series = malloc(4 * (size_t)count * sizeof *series + 1);
    if (!x || !y || !series) {
        free(x), free(y), free(series);
        picture_file_discard(surface);
        snprintf(err, err_size, "out of memory for the plot");
        return -1;
    }
    static const Reading readings[4] = {read_risk, read_multi, read_rf, read_distance};
    size_t at = 0;
    for (int q = 0; q < 4; q++)
        for (int i = 0; i < count; i++) {
            const SimResult *r = &results[i];
            int hands[SIM_HANDS];
            simulate_hands(r->hands, hands);
            for (int p = 0; p < r->count; p++) {
                x[at + (size_t)p] = r->points[p].time_h * scale;
                y[at + (size_t)p] = readings[q](&r->points[p], hands[0], 0);
            }
            series[q * count + i] = (Series){x + at, y + at, r->count, SERIES_RGB[i % 8], i >= 8, names[i]};
            at += (size_t)r->count;
        }
    double panel_w = 590, panel_h = 270;
    draw_panel(cr, 10, 10, panel_w, panel_h, "overlap risk (first hand)", x_label, series, count, count);
    draw_panel(cr, 10 + panel_w, 10, panel_w, panel_h, "multi-digit units (%)", x_label, series + count, count, 0);
    draw_panel(cr, 10, 10 + panel_h, panel_w, panel_h, "mean receptive field (points)", x_label, series + 2 * count,
               count, 0);
    draw_panel(cr, 10 + panel_w, 10 + panel_h, panel_w, panel_h, "D1-D5 distance (mm)", x_label, series + 3 * count,
               count, 0);
    int shown = count < 6 ? count : 6;
    double map_size = fmin(200.0, (PLOT_WIDTH - 40) / shown - 20);
    for (int i = 0; i < shown; i++) {
        int hands[SIM_HANDS];
        simulate_hands(results[i].hands, hands);
        draw_final_map(cr, results[i].model[hands[0]], names[i], 20 + i * (map_size + 20), 2 * panel_h + 30, map_size);
    }
    draw_finger_legend(cr, 20 + shown * (map_size + 20) + 10, 2 * panel_h + 70);
    free(x), free(y), free(series);
    return close_surface(surface, err, err_size);
}
