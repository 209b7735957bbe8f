/* The inline display: maps published by the audio thread, drawn with cairo elsewhere. */
#include "inline_display.h"

#include <cairo/cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "triple.h"

typedef struct {
    uint64_t sequence;
    int sheet_size;
    int hands; /* bit 0 right, bit 1 left */
    float risk[ENGINE_HANDS];
    int8_t preferred_digit[ENGINE_HANDS][ENGINE_MAX_UNITS];
    float selectivity[ENGINE_HANDS][ENGINE_MAX_UNITS];
} DisplayFrame;

struct InlineDisplay {
    TripleBuffer frames;
    uint64_t published_sequence; /* audio thread */
    int published_hands;
    cairo_surface_t *surface;    /* GUI thread */
    LV2_Inline_Display_Image_Surface image;
};

/* D1 thumb .. D5 little: red, orange, green, blue, violet. */
static const double finger_rgb[5][3] = {
    {0.90, 0.30, 0.25}, {0.95, 0.65, 0.20}, {0.35, 0.75, 0.35}, {0.30, 0.55, 0.90}, {0.65, 0.40, 0.85}};

InlineDisplay *inline_display_create(void)
{
    InlineDisplay *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (triple_init(&d->frames, sizeof(DisplayFrame)) != 0) {
        free(d);
        return NULL;
    }
    return d;
}

void inline_display_free(InlineDisplay *d)
{
    if (!d)
        return;
    if (d->surface)
        cairo_surface_destroy(d->surface);
    triple_free(&d->frames);
    free(d);
}

HM_REALTIME int inline_display_publish(InlineDisplay *d, const EngineSnapshot *s, int hands)
{
    if (!s || (s->sequence == d->published_sequence && hands == d->published_hands))
        return 0;
    DisplayFrame *f = triple_write_buffer(&d->frames);
    int units = s->sheet_size * s->sheet_size;
    if (units > ENGINE_MAX_UNITS)
        units = ENGINE_MAX_UNITS;
    f->sequence = s->sequence;
    f->sheet_size = s->sheet_size;
    f->hands = hands;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        f->risk[h] = s->map[h].overlap_risk;
        memcpy(f->preferred_digit[h], s->preferred_digit[h], (size_t)units);
        memcpy(f->selectivity[h], s->selectivity[h], (size_t)units * sizeof(float));
    }
    triple_publish(&d->frames);
    d->published_sequence = s->sequence;
    d->published_hands = hands;
    return 1;
}

/* One hand's map in a square of side size at (x, y), its risk bar below. */
static void draw_hand(cairo_t *cr, const DisplayFrame *f, int hand, double x, double y, double size, double bar)
{
    int n = f->sheet_size;
    double cell = size / n;
    for (int row = 0; row < n; row++)
        for (int col = 0; col < n; col++) {
            int unit = row * n + col, digit = f->preferred_digit[hand][unit];
            float sel = f->selectivity[hand][unit];
            double shade = 0.25 + 0.75 * (isfinite(sel) ? fmin(fmax(sel, 0.0), 1.0) : 0.0);
            if (digit >= 0 && digit < 5)
                cairo_set_source_rgb(cr, finger_rgb[digit][0] * shade, finger_rgb[digit][1] * shade,
                                     finger_rgb[digit][2] * shade);
            else
                cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
            cairo_rectangle(cr, x + col * cell, y + row * cell, cell + 0.5, cell + 0.5);
            cairo_fill(cr);
        }
    double risk = isfinite(f->risk[hand]) ? fmin(fmax(f->risk[hand], 0.0), 1.0) : 0.0;
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_rectangle(cr, x, y + size + 2, size, bar);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.3 + 0.7 * risk, 0.8 * (1.0 - risk) + 0.1, 0.2);
    cairo_rectangle(cr, x, y + size + 2, size * risk, bar);
    cairo_fill(cr);
}

LV2_Inline_Display_Image_Surface *inline_display_render(InlineDisplay *d, uint32_t w, uint32_t h)
{
    const DisplayFrame *f = triple_read(&d->frames);
    int shown = f ? (f->hands & 1) + ((f->hands >> 1) & 1) : 1;
    const double pad = 2, bar = w >= 100 ? 5 : 3;
    double size = ((double)w - pad * (shown + 1)) / shown;
    if (size > (double)h - bar - 2 - 2 * pad)
        size = (double)h - bar - 2 - 2 * pad;
    if (size < 4)
        return NULL;
    int width = (int)w, height = (int)ceil(size + bar + 2 + 2 * pad);
    if (!d->surface || cairo_image_surface_get_width(d->surface) != width ||
        cairo_image_surface_get_height(d->surface) != height) {
        if (d->surface)
            cairo_surface_destroy(d->surface);
        d->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
        if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(d->surface);
            d->surface = NULL;
            return NULL;
        }
    }
    cairo_t *cr = cairo_create(d->surface);
    cairo_set_source_rgb(cr, 0.08, 0.08, 0.08);
    cairo_paint(cr);
    if (f) {
        double x = pad + ((double)w - pad * (shown + 1) - size * shown) / 2;
        for (int hand = ENGINE_HANDS - 1; hand >= 0; hand--) /* the left hand on the left */
            if (f->hands & (1 << hand)) {
                draw_hand(cr, f, hand, x, pad, size, bar);
                x += size + pad;
            }
    }
    cairo_destroy(cr);
    cairo_surface_flush(d->surface);
    d->image = (LV2_Inline_Display_Image_Surface){cairo_image_surface_get_data(d->surface), width, height,
                                                  cairo_image_surface_get_stride(d->surface)};
    return &d->image;
}
