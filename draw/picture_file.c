/* picture_file: cairo drawings to PNG or SVG files through a memory buffer, handed whole to the
 * caller's writer (a temporary file and rename: the file appears whole or not at all). */
#include "picture_file.h"

#include <cairo/cairo-svg.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct PictureFile {
    char *path;
    PictureFormat format;
    cairo_surface_t *surface;
    cairo_t *cr;
    uint8_t *bytes; /* the encoded file */
    size_t used, capacity;
    int out_of_memory;
};

int picture_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return -1;
    if (strcasecmp(dot, ".png") == 0)
        return PICTURE_PNG;
    if (strcasecmp(dot, ".svg") == 0)
        return PICTURE_SVG;
    return -1;
}

/* cairo's write callback: appends to the picture's buffer. */
static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
    PictureFile *p = closure;
    if (p->used + length > p->capacity) {
        size_t capacity = p->capacity ? p->capacity : 65536;
        while (capacity < p->used + length)
            capacity *= 2;
        uint8_t *grown = realloc(p->bytes, capacity);
        if (!grown) {
            p->out_of_memory = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        p->bytes = grown;
        p->capacity = capacity;
    }
    memcpy(p->bytes + p->used, data, length);
    p->used += length;
    return CAIRO_STATUS_SUCCESS;
}

PictureFile *picture_file_create(const char *path, PictureFormat format, int width, int height, char *err,
                                 size_t err_size)
{
    PictureFile *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        snprintf(err, err_size, "cannot draw '%s': out of memory", path);
        free(p);
        return NULL;
    }
    p->format = format;
    p->surface = format == PICTURE_SVG ? cairo_svg_surface_create_for_stream(collect, p, width, height)
                                       : cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    p->cr = cairo_create(p->surface);
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, err_size, "cannot draw '%s': %s", path, cairo_status_to_string(cairo_status(p->cr)));
        picture_file_discard(p);
        return NULL;
    }
    cairo_set_source_rgb(p->cr, 1, 1, 1); /* a white page */
    cairo_paint(p->cr);
    return p;
}

cairo_t *picture_file_context(PictureFile *picture)
{
    return picture->cr;
}

int picture_file_finish(PictureFile *p, PictureWriter write, char *err, size_t err_size)
{
    cairo_status_t status = cairo_status(p->cr);
    cairo_destroy(p->cr);
    p->cr = NULL;
    cairo_surface_flush(p->surface);
    if (status == CAIRO_STATUS_SUCCESS && p->format == PICTURE_PNG)
        status = cairo_surface_write_to_png_stream(p->surface, collect, p);
    cairo_surface_finish(p->surface); /* an SVG surface writes its document now */
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(p->surface);
    int result = 0;
    if (status != CAIRO_STATUS_SUCCESS || p->out_of_memory) {
        snprintf(err, err_size, "cannot draw '%s': %s", p->path,
                 p->out_of_memory ? "out of memory" : cairo_status_to_string(status));
        result = -1;
    } else
        result = write(p->path, p->bytes, p->used, err, err_size);
    picture_file_discard(p);
    return result;
}

void picture_file_discard(PictureFile *p)
{
    if (!p)
        return;
    if (p->cr)
        cairo_destroy(p->cr);
    if (p->surface)
        cairo_surface_destroy(p->surface);
    free(p->bytes);
    free(p->path);
    free(p);
}

/* Both text functions: formats, sets the face and size, and measures; ink says whether to
 * anchor on the drawn glyphs (width and bearing) or on the pen's advance. */
static void show_text(cairo_t *cr, double x, double y, double size, int bold, double anchor, int ink,
                      const char *format, va_list args)
{
    char text[512];
    vsnprintf(text, sizeof text, format, args);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text, &extents);
    double shift = ink ? anchor * extents.width + extents.x_bearing * (anchor > 0.0) : anchor * extents.x_advance;
    cairo_move_to(cr, x - shift, y);
    cairo_show_text(cr, text);
}

void picture_text(cairo_t *cr, double x, double y, double size, int bold, double anchor, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    show_text(cr, x, y, size, bold, anchor, 0, format, args);
    va_end(args);
}

void picture_text_on_ink(cairo_t *cr, double x, double y, double size, int bold, double anchor, const char *format,
                         ...)
{
    va_list args;
    va_start(args, format);
    show_text(cr, x, y, size, bold, anchor, 1, format, args);
    va_end(args);
}
