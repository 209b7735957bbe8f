/* picture_file: a cairo drawing saved as a PNG or SVG file, the format chosen by the file's
 * extension; the whole file is encoded in memory and handed to the caller's writer (the
 * program's is files_write_atomic) once the drawing is finished: draw/ itself writes no files. */
#ifndef HM_PICTURE_FILE_H
#define HM_PICTURE_FILE_H

#include <cairo/cairo.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PICTURE_PNG, PICTURE_SVG } PictureFormat;

/* The format of path from its extension (.png or .svg, any case), or -1 for anything else. */
int picture_format_of(const char *path);

typedef struct PictureFile PictureFile;

/* Starts a width x height (points; pixels for PNG) drawing for path. NULL with err on failure. */
PictureFile *picture_file_create(const char *path, PictureFormat format, int width, int height, char *err,
                                 size_t err_size);

/* The drawing's cairo context (owned by the picture). */
cairo_t *picture_file_context(PictureFile *picture);

/* Writes size bytes of data to path whole or not at all. Returns 0, or -1 with err. */
typedef int (*PictureWriter)(const char *path, const uint8_t *data, size_t size, char *err, size_t err_size);

/* Finishes the drawing, writes the file with write and frees the picture. Returns 0 or -1
 * with err (the file untouched when write keeps it so). */
int picture_file_finish(PictureFile *picture, PictureWriter write, char *err, size_t err_size);

/* Writes formatted text on the baseline y, in a sans-serif face of size points (bold when
 * bold), in the current source colour; anchor places x: 0 at the text's left end, 0.5 at its
 * middle, 1 at its right end. */
__attribute__((format(printf, 7, 8))) void picture_text(cairo_t *cr, double x, double y, double size, int bold,
                                                        double anchor, const char *format, ...);

/* The same, anchored on the text's ink rather than its advance: anchor 0.5 centres the drawn
 * glyphs on x, 1 ends them at x (0 starts the pen at x, as picture_text). */
__attribute__((format(printf, 7, 8))) void picture_text_on_ink(cairo_t *cr, double x, double y, double size,
                                                               int bold, double anchor, const char *format, ...);

/* Frees a picture without writing it; NULL is allowed. */
void picture_file_discard(PictureFile *picture);

#endif
