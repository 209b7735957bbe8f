/* simulation_figure: the layout of the simulation and comparison pictures. */
#include "simulation_figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "map_picture.h"

#define PAGE_WIDTH 1200
#define PAGE_HEIGHT 820
#define FONT_SIZE 13.0
#define READINGS 4 /* the panels besides territory */

static const ChartStyle STYLE = {
    .text_grey = 0.0, .frame_grey = 0.0, .grid_grey = 0.9, .vertical_grid = 1,
    .tick_size = FONT_SIZE, .legend_size = FONT_SIZE, .legend_grey = 0.0,
    .title_size = FONT_SIZE, .title_bold = 0, .title_centred = 1, .title_gap = 10,
    .dash = {6.0, 0.0}, .ink_anchored = 1,
};

/* Distinct colours for compared simulations (finger colours are for digits). */
static const double SERIES_RGB[8][3] = {{0.12, 0.47, 0.71}, {0.84, 0.15, 0.16}, {0.17, 0.63, 0.17},
                                        {0.58, 0.40, 0.74}, {1.00, 0.50, 0.05}, {0.55, 0.34, 0.29},
                                        {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50}};
static const double BLACK[3] = {0.1, 0.1, 0.1};
static const char *const DIGIT_NAMES[5] = {"D1 thumb", "D2 index", "D3 middle", "D4 ring", "D5 little"};

typedef double (*Reading)(const MapMetrics *m);
static double read_risk(const MapMetrics *m) { return m->overlap_risk; }
static double read_multi(const MapMetrics *m) { return 100.0 * m->multi_digit_fraction; }
static double read_rf(const MapMetrics *m) { return m->rf_points_mean; }
static double read_distance(const MapMetrics *m) { return m->d1_d5_distance_mm; }
static const Reading READING[READINGS] = {read_risk, read_multi, read_rf, read_distance};

/* A panel given by its outer box: the plot area inside leaves room for the title, the tick
 * labels and the x axis's label. */
static void draw_boxed_panel(cairo_t *cr, ChartPanel *panel, const char *title, const char *x_label, double left,
                             double top, double width, double height)
{
    panel->title = title;
    panel->x_label = x_label;
    panel->x_label_gap = 34;
    panel->y_axis.pad_fraction = 0.05;
    chart_draw_panel(cr, &STYLE, panel, left + 60, top + 24, width - 75, height - 64);
}

/* A hand's final map with its title. */
static void draw_final_map(cairo_t *cr, const Model *model, const char *title, double x, double y, double size)
{
    MetricsProbe *probe = model ? metrics_probe_create(model) : NULL;
    if (!probe)
        return;
    MapMetrics m;
    metrics_compute(probe, model, &m);
    map_picture_draw(cr, metrics_preferred_digit(probe), metrics_selectivity(probe), model_sheet_size(model),
                     m.overlap_risk, x, y + 20, size, 10);
    cairo_set_source_rgb(cr, 0, 0, 0);
    picture_text_on_ink(cr, x + size / 2, y + 14, FONT_SIZE, 0, 0.5, "%s, risk %.2f", title, m.overlap_risk);
    metrics_probe_free(probe);
}

/* Simulated time on the x axis: hours for up to two days, else days. */
static double time_scale(double span_h, const char **label)
{
    *label = span_h > 48.0 ? "simulated time (days)" : "simulated time (hours)";
    return span_h > 48.0 ? 1.0 / 24.0 : 1.0;
}

static double last_time(const MetricsTimeline *run) { return run->count ? run->time[run->count - 1] : 0.0; }

/* Columns of x and y values (and band bounds), count at a time: allocated for columns x count. */
typedef struct {
    double *x, *y, *lower, *upper;
    size_t used;
} Columns;

static int columns_create(Columns *c, size_t values)
{
    c->x = malloc(values * sizeof *c->x + 1), c->y = malloc(values * sizeof *c->y + 1), c->used = 0;
    c->lower = malloc(values * sizeof *c->lower + 1), c->upper = malloc(values * sizeof *c->upper + 1);
    return c->x && c->y && c->lower && c->upper ? 0 : -1;
}

/* A series of run's hand through reading (or digit's area if reading is NULL); with a spread,
 * its band of mean +- SD (the readings are linear in the metrics, so the SD's reading is the
 * reading's SD). */
static ChartSeries columns_add(Columns *c, const MetricsTimeline *run, double scale, int hand, Reading reading,
                               int digit)
{
    double *x = c->x + c->used, *y = c->y + c->used, *lower = c->lower + c->used, *upper = c->upper + c->used;
    for (int i = 0; i < run->count; i++) {
        const MapMetrics *m = &run->map[hand][i], *sd = run->spread[hand] ? &run->spread[hand][i] : m;
        x[i] = run->time[i] * scale;
        y[i] = reading ? reading(m) : 100.0 * m->area_fraction[digit];
        double width = reading ? reading(sd) : 100.0 * sd->area_fraction[digit];
        lower[i] = y[i] - width, upper[i] = y[i] + width;
    }
    c->used += (size_t)run->count;
    int banded = run->spread[hand] != NULL;
    return (ChartSeries){.x = x, .y = y, .count = run->count, .lower = banded ? lower : NULL,
                         .upper = banded ? upper : NULL};
}

static void columns_free(Columns *c) { free(c->x), free(c->y), free(c->lower), free(c->upper); }

/* The run's markers on the x axis's scale (markers has room for run->marker_count). */
static int scaled_markers(const MetricsTimeline *run, double scale, ChartMarker *markers)
{
    for (int i = 0; i < run->marker_count; i++)
        markers[i] = (ChartMarker){run->marker_time[i] * scale, run->marker_label[i]};
    return run->marker_count;
}

static int out_of_memory(PictureFile *picture, Columns *c, char *err, size_t err_size)
{
    columns_free(c);
    picture_file_discard(picture);
    snprintf(err, err_size, "out of memory for the plot");
    return -1;
}

int simulation_figure_write(const char *path, PictureFormat format, const char *title, const MetricsTimeline *run,
                            PictureWriter write, char *err, size_t err_size)
{
    PictureFile *picture = picture_file_create(path, format, PAGE_WIDTH, PAGE_HEIGHT, err, err_size);
    if (!picture)
        return -1;
    cairo_t *cr = picture_file_context(picture);
    const char *x_label;
    double scale = time_scale(last_time(run), &x_label);
    int hands = run->hand_count;
    Columns c;
    if (columns_create(&c, (size_t)hands * (5 + READINGS) * (size_t)run->count) != 0)
        return out_of_memory(picture, &c, err, err_size);
    ChartSeries area[5 * METRICS_TIMELINE_HANDS], single[READINGS][METRICS_TIMELINE_HANDS];
    for (int k = 0; k < hands; k++) {
        for (int d = 0; d < 5; d++) {
            area[k * 5 + d] = columns_add(&c, run, scale, k, NULL, d);
            area[k * 5 + d].rgb = MAP_PICTURE_FINGER_RGB[d];
            area[k * 5 + d].dashed = k;
            area[k * 5 + d].label = DIGIT_NAMES[d];
        }
        for (int q = 0; q < READINGS; q++) {
            single[q][k] = columns_add(&c, run, scale, k, READING[q], 0);
            single[q][k].rgb = BLACK;
            single[q][k].dashed = k;
            single[q][k].label = run->hand_name[k];
        }
    }
    ChartMarker *markers = malloc((size_t)run->marker_count * sizeof *markers + 1);
    if (!markers)
        return out_of_memory(picture, &c, err, err_size);
    int marker_count = scaled_markers(run, scale, markers);
    char marked_label[160];
    if (marker_count > 0 && run->marker_legend) {
        snprintf(marked_label, sizeof marked_label, "%s; %s", x_label, run->marker_legend);
        x_label = marked_label;
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    picture_text(cr, 20, 24, 16, 0, 0, "%s", title);
    double panel_w = 420, panel_h = 380;
    int hand_legend = hands > 1 ? hands : 0;
    ChartPanel territory = {.series = area, .series_count = 5 * hands, .legend_count = 5, .markers = markers,
                            .marker_count = marker_count};
    draw_boxed_panel(cr, &territory,
                     hands > 1 ? "territory per digit (% of the sheet; left hand dashed)"
                               : "territory per digit (% of the sheet)",
                     x_label, 10, 40, panel_w, panel_h);
    static const char *const TITLES[READINGS] = {"overlap risk (0 healthy .. 1 merged)", "multi-digit units (%)",
                                                 NULL, "D1-D5 distance (mm)"};
    static const int SHOWN[3] = {0, 1, 3}; /* the receptive fields are left to the comparison */
    for (int i = 0; i < 3; i++) {
        int q = SHOWN[i], at = i + 1;
        ChartPanel panel = {.series = single[q], .series_count = hands, .legend_count = hand_legend,
                            .markers = markers, .marker_count = marker_count};
        draw_boxed_panel(cr, &panel, TITLES[q], x_label, 10 + (at % 2) * panel_w, 40 + (at / 2) * panel_h, panel_w,
                         panel_h);
    }
    double map_size = 260;
    for (int k = 0; k < hands; k++) {
        char map_title[64];
        snprintf(map_title, sizeof map_title, "%s hand at the end", run->hand_name[k]);
        draw_final_map(cr, run->final_model[k], map_title, 2 * panel_w + 50, 50 + k * (map_size + 60), map_size);
    }
    chart_draw_finger_legend(cr, &STYLE, 2 * panel_w + 50, 50 + hands * (map_size + 60) + 10, 52);
    columns_free(&c);
    free(markers);
    return picture_file_finish(picture, write, err, err_size);
}

int simulation_figure_write_comparison(const char *path, PictureFormat format, const char *const *names,
                                       const MetricsTimeline *const *runs, int count, PictureWriter write,
                                       char *err, size_t err_size)
{
    PictureFile *picture = picture_file_create(path, format, PAGE_WIDTH, PAGE_HEIGHT, err, err_size);
    if (!picture)
        return -1;
    cairo_t *cr = picture_file_context(picture);
    double longest = 0.0; /* one axis for all: days if any run is long */
    size_t total = 0;
    for (int i = 0; i < count; i++)
        longest = fmax(longest, last_time(runs[i])), total += (size_t)runs[i]->count;
    const char *x_label;
    double scale = time_scale(longest, &x_label);
    Columns c;
    ChartSeries *series = malloc(READINGS * (size_t)count * sizeof *series + 1);
    if (columns_create(&c, READINGS * total) != 0 || !series) {
        free(series);
        return out_of_memory(picture, &c, err, err_size);
    }
    for (int q = 0; q < READINGS; q++)
        for (int i = 0; i < count; i++) {
            ChartSeries *s = &series[q * count + i];
            *s = columns_add(&c, runs[i], scale, 0, READING[q], 0);
            s->rgb = SERIES_RGB[i % 8];
            s->dashed = i >= 8;
            s->label = names[i];
        }
    static const char *const TITLES[READINGS] = {"overlap risk (first hand)", "multi-digit units (%)",
                                                 "mean receptive field (points)", "D1-D5 distance (mm)"};
    static const char *const BANDED_TITLES[READINGS] = {
        "overlap risk (first hand; mean, band +- SD)", "multi-digit units (%; mean, band +- SD)",
        "mean receptive field (points; mean, band +- SD)", "D1-D5 distance (mm; mean, band +- SD)"};
    int banded = 0;
    for (int i = 0; i < count; i++)
        banded |= runs[i]->spread[0] != NULL;
    double panel_w = 590, panel_h = 270;
    for (int q = 0; q < READINGS; q++) {
        ChartPanel panel = {.series = series + q * count, .series_count = count, .legend_count = q == 0 ? count : 0};
        draw_boxed_panel(cr, &panel, banded ? BANDED_TITLES[q] : TITLES[q], x_label, 10 + (q % 2) * panel_w,
                         10 + (q / 2) * panel_h, panel_w, panel_h);
    }
    int shown = count < 6 ? count : 6;
    double map_size = fmin(200.0, (PAGE_WIDTH - 40.0) / shown - 20);
    for (int i = 0; i < shown; i++)
        draw_final_map(cr, runs[i]->final_model[0], names[i], 20 + i * (map_size + 20), 2 * panel_h + 30, map_size);
    chart_draw_finger_legend(cr, &STYLE, 20 + shown * (map_size + 20) + 10, 2 * panel_h + 70, 52);
    columns_free(&c);
    free(series);
    return picture_file_finish(picture, write, err, err_size);
}
