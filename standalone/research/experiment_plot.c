/* experiment_plot: drawing an experiment's figure with cairo and saving it as a PNG. */
#include "experiment_plot.h"

#include <cairo/cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "map_picture.h"

#define MARGIN 20.0
#define MAP_SIZE 190.0
#define MAP_PITCH 210.0
#define RISK_BAR 8.0
#define MAPS_TOP 78.0
#define CHART_LEFT (MARGIN + EXPERIMENT_MAX_MAPS * MAP_PITCH + 10.0)
#define CHART_WIDTH 250.0
#define CHECKS_TOP (MAPS_TOP + MAP_SIZE + RISK_BAR + 56.0)
#define LINE_HEIGHT 20.0
#define FIGURE_WIDTH ((int)(CHART_LEFT + CHART_WIDTH + MARGIN))

static void text_at(cairo_t *cr, double x, double y, double size, const char *text)
{
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text);
}

/* Text centred on x. */
static void text_centred(cairo_t *cr, double x, double y, double size, const char *text)
{
    cairo_text_extents_t extents;
    cairo_set_font_size(cr, size);
    cairo_text_extents(cr, text, &extents);
    text_at(cr, x - extents.width / 2 - extents.x_bearing, y, size, text);
}

static void draw_maps(cairo_t *cr, const ExperimentResult *r)
{
    for (int i = 0; i < r->map_count; i++) {
        const ExperimentMap *map = &r->map[i];
        double x = MARGIN + i * MAP_PITCH;
        map_picture_draw(cr, map->preferred, map->selectivity, map->sheet_size, map->overlap_risk, x, MAPS_TOP,
                         MAP_SIZE, RISK_BAR);
        char risk[48];
        snprintf(risk, sizeof risk, "overlap risk %.2f", map->overlap_risk);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_centred(cr, x + MAP_SIZE / 2, MAPS_TOP + MAP_SIZE + RISK_BAR + 18, 12, map->label);
        text_centred(cr, x + MAP_SIZE / 2, MAPS_TOP + MAP_SIZE + RISK_BAR + 33, 11, risk);
    }
}

/* The key figure: one bar per value, on a scale from 0 to 1.15x the largest. */
static void draw_bars(cairo_t *cr, const ExperimentResult *r)
{
    if (r->bar_count == 0)
        return;
    double largest = 0.0;
    for (int i = 0; i < r->bar_count; i++)
        if (isfinite(r->bar[i].value))
            largest = fmax(largest, r->bar[i].value);
    double scale = largest > 0.0 ? 1.15 * largest : 1.0;
    double pitch = CHART_WIDTH / r->bar_count, bottom = MAPS_TOP + MAP_SIZE;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_centred(cr, CHART_LEFT + CHART_WIDTH / 2, MAPS_TOP - 8, 12, r->figure_title);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, CHART_LEFT, bottom + 0.5);
    cairo_line_to(cr, CHART_LEFT + CHART_WIDTH, bottom + 0.5);
    cairo_stroke(cr);
    for (int i = 0; i < r->bar_count; i++) {
        double value = isfinite(r->bar[i].value) ? fmax(r->bar[i].value, 0.0) : 0.0;
        double height = (MAP_SIZE - 16) * value / scale, x = CHART_LEFT + i * pitch;
        cairo_set_source_rgb(cr, 0.30, 0.45, 0.70);
        cairo_rectangle(cr, x + pitch * 0.2, bottom - height, pitch * 0.6, height);
        cairo_fill(cr);
        char number[32];
        snprintf(number, sizeof number, "%.3g", r->bar[i].value);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_centred(cr, x + pitch / 2, bottom - height - 4, 11, number);
        text_centred(cr, x + pitch / 2, bottom + 16, 10, r->bar[i].label);
    }
}

static void draw_checks(cairo_t *cr, const ExperimentResult *r)
{
    double y = CHECKS_TOP;
    for (int i = 0; i < r->check_count; i++, y += LINE_HEIGHT) {
        const ExperimentCheck *c = &r->check[i];
        if (c->passed)
            cairo_set_source_rgb(cr, 0.10, 0.55, 0.15);
        else
            cairo_set_source_rgb(cr, 0.80, 0.10, 0.10);
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        text_at(cr, MARGIN, y, 12, c->passed ? "PASS" : "FAIL");
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        char line[2 * EXPERIMENT_TEXT + 8];
        snprintf(line, sizeof line, "%s: %s", c->criterion, c->observed);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, MARGIN + 44, y, 12, line);
    }
}

static void draw(cairo_t *cr, const ExperimentResult *r)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    char title[256];
    snprintf(title, sizeof title, "%s: %s — %s (seed %u)", r->info->name, r->info->title,
             r->passed ? "PASS" : "FAIL", (unsigned)r->seed);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, MARGIN, 28, 15, title);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    text_at(cr, MARGIN, 48, 11, r->info->source);
    draw_maps(cr, r);
    draw_bars(cr, r);
    draw_checks(cr, r);
}

/* A growing buffer that cairo's PNG writer appends to. */
typedef struct {
    uint8_t *data;
    size_t size, capacity;
} PngBuffer;

static cairo_status_t append_png(void *closure, const unsigned char *data, unsigned int length)
{
    PngBuffer *buffer = closure;
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = (buffer->capacity ? 2 * buffer->capacity : 65536) + length;
        uint8_t *grown = realloc(buffer->data, capacity);
        if (!grown)
            return CAIRO_STATUS_NO_MEMORY;
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, data, length);
    buffer->size += length;
    return CAIRO_STATUS_SUCCESS;
}

int experiment_plot_write(const ExperimentResult *result, const char *path, char *err, size_t err_size)
{
    int height = (int)(CHECKS_TOP + result->check_count * LINE_HEIGHT + 4);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, FIGURE_WIDTH, height);
    cairo_t *cr = cairo_create(surface);
    draw(cr, result);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    PngBuffer png = {NULL, 0, 0};
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream(surface, append_png, &png);
    cairo_surface_destroy(surface);
    int written = -1;
    if (status != CAIRO_STATUS_SUCCESS)
        snprintf(err, err_size, "cannot draw '%s': %s", path, cairo_status_to_string(status));
    else
        written = files_write_atomic(path, png.data, png.size, err, err_size);
    free(png.data);
    return written;
}
