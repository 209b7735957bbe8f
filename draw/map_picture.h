/* map_picture: one hand's cortical map drawn with cairo: each unit a square coloured by its
 * preferred finger and shaded by its selectivity, with an overlap-risk bar below. Shared by
 * the plugin's inline display and the program's pictures and plots. Not for the audio thread. */
#ifndef HM_MAP_PICTURE_H
#define HM_MAP_PICTURE_H

#include <cairo/cairo.h>
#include <stdint.h>

/* D1 thumb .. D5 little: red, orange, green, blue, violet (the same everywhere). */
extern const double MAP_PICTURE_FINGER_RGB[5][3];

/* Sets cr's source to digit's colour (0..4), or a dark grey for units no digit drives. */
void map_picture_set_digit_colour(cairo_t *cr, int digit, double shade);

/* Draws an n x n map (row-major per-unit preferred digit, -1 for none, and selectivity 0..1)
 * in the square of side size at (x, y); then, if bar > 0, a risk bar (risk 0..1) of that
 * height 2 units below it. Non-finite values draw as 0. */
void map_picture_draw(cairo_t *cr, const int8_t *preferred_digit, const float *selectivity, int n, float risk,
                      double x, double y, double size, double bar);

#endif
