/* The inline display: maps published by the audio thread, drawn with cairo elsewhere. */
#include "inline_display.h"

#include <cairo/cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map_picture.h"
#include "triple.h"

#define INLINE_DISPLAY_TEXT_LINE 11        /* pixels of the warning's line */
#define INLINE_DISPLAY_TEXT_MIN_HEIGHT 50  /* strips lower than this show the maps only */

/* One published picture: this header, then the maps, sized to the sheet (units per hand):
 * selectivity (float) of both hands, then their preferred digits (int8). */
typedef struct {
    uint64_t sequence;
    int sheet_size;
    int hands; /* bit 0 right, bit 1 left */
    float risk[ENGINE_HANDS];
    Warning warning;
    float maps[];
} DisplayFrame;

static float *frame_selectivity(DisplayFrame *f, int hand, int units) { return f->maps + hand * units; }

static int8_t *frame_digits(DisplayFrame *f, int hand, int units)
{
    return (int8_t *)(f->maps + ENGINE_HANDS * units) + hand * units;
}

struct InlineDisplay {
    TripleBuffer frames;
    int units;                   /* per hand, as the frames were sized */
    uint64_t published_sequence; /* audio thread */
    int published_hands;
    cairo_surface_t *surface;    /* GUI thread */
    LV2_Inline_Display_Image_Surface image;
};

InlineDisplay *inline_display_create(int sheet_size)
{
    InlineDisplay *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->units = sheet_size * sheet_size;
    if (triple_init(&d->frames, sizeof(DisplayFrame) + (size_t)(ENGINE_HANDS * d->units) * (sizeof(float) + 1)) != 0) {
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
    int units = d->units;
    if (!s || (s->sequence == d->published_sequence && hands == d->published_hands) ||
        s->sheet_size * s->sheet_size != units)
        return 0;
    DisplayFrame *f = triple_write_buffer(&d->frames);
    f->sequence = s->sequence;
    f->sheet_size = s->sheet_size;
    f->hands = hands;
    f->warning = s->warning;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        f->risk[h] = s->map[h].overlap_risk;
        memcpy(frame_digits(f, h, units), s->preferred_digit[h], (size_t)units);
        memcpy(frame_selectivity(f, h, units), s->selectivity[h], (size_t)units * sizeof(float));
    }
    triple_publish(&d->frames);
    d->published_sequence = s->sequence;
    d->published_hands = hands;
    return 1;
}

/* One line of text, clipped to width: amber for advice, red for a warning. */
static void draw_warning_line(cairo_t *cr, const Warning *warning, const char *text, double x, double y, double width,
                              double line)
{
    cairo_save(cr);
    cairo_rectangle(cr, x, y, width, line);
    cairo_clip(cr);
    if (warning->level == WARNING_LEVEL_WARNING)
        cairo_set_source_rgb(cr, 1.0, 0.35, 0.3);
    else
        cairo_set_source_rgb(cr, 1.0, 0.8, 0.2);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, line - 2);
    cairo_move_to(cr, x, y + line - 2);
    cairo_show_text(cr, text);
    cairo_restore(cr);
}

LV2_Inline_Display_Image_Surface *inline_display_render(InlineDisplay *d, uint32_t w, uint32_t h)
{
    DisplayFrame *f = (DisplayFrame *)triple_read(&d->frames); /* the reader's own buffer */
    int shown = f ? (f->hands & 1) + ((f->hands >> 1) & 1) : 1;
    const double pad = 2, bar = w >= 100 ? 5 : 3;
    /* a warning's words take a line under the maps where the strip is tall enough */
    double line = f && f->warning.level != WARNING_LEVEL_NONE && h >= INLINE_DISPLAY_TEXT_MIN_HEIGHT
                      ? INLINE_DISPLAY_TEXT_LINE
                      : 0;
    double size = ((double)w - pad * (shown + 1)) / shown;
    if (size > (double)h - bar - 2 - 2 * pad - line)
        size = (double)h - bar - 2 - 2 * pad - line;
    if (size < 4)
        return NULL;
    int width = (int)w, height = (int)ceil(size + bar + 2 + 2 * pad + line);
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
                map_picture_draw(cr, frame_digits(f, hand, d->units), frame_selectivity(f, hand, d->units),
                                 f->sheet_size, f->risk[hand], x, pad, size, bar);
                x += size + pad;
            }
        if (line > 0) {
            char text[160];
            load_warning_text(&f->warning, text, sizeof text);
            draw_warning_line(cr, &f->warning, text, pad, size + bar + 2 + pad, (double)w - 2 * pad, line);
        }
    }
    cairo_destroy(cr);
    cairo_surface_flush(d->surface);
    d->image = (LV2_Inline_Display_Image_Surface){cairo_image_surface_get_data(d->surface), width, height,
                                                  cairo_image_surface_get_stride(d->surface)};
    return &d->image;
}
