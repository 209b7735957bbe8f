/* map_picture: drawing one hand's map with cairo. */
#include "map_picture.h"

#include <math.h>

const double MAP_PICTURE_FINGER_RGB[5][3] = {
    {0.90, 0.30, 0.25}, {0.95, 0.65, 0.20}, {0.35, 0.75, 0.35}, {0.30, 0.55, 0.90}, {0.65, 0.40, 0.85}};

static double unit_interval(double v)
{
    return isfinite(v) ? fmin(fmax(v, 0.0), 1.0) : 0.0;
}

void map_picture_set_digit_colour(cairo_t *cr, int digit, double shade)
{
    if (digit >= 0 && digit < 5)
        cairo_set_source_rgb(cr, MAP_PICTURE_FINGER_RGB[digit][0] * shade, MAP_PICTURE_FINGER_RGB[digit][1] * shade,
                             MAP_PICTURE_FINGER_RGB[digit][2] * shade);
    else
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
}

void map_picture_draw(cairo_t *cr, const int8_t *preferred_digit, const float *selectivity, int n, float risk,
                      double x, double y, double size, double bar)
{
    double cell = size / n;
    for (int row = 0; row < n; row++)
        for (int col = 0; col < n; col++) {
            int unit = row * n + col;
            map_picture_set_digit_colour(cr, preferred_digit[unit], 0.25 + 0.75 * unit_interval(selectivity[unit]));
            cairo_rectangle(cr, x + col * cell, y + row * cell, cell + 0.5, cell + 0.5);
            cairo_fill(cr);
        }
    if (bar <= 0)
        return;
    double r = unit_interval(risk);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_rectangle(cr, x, y + size + 2, size, bar);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.3 + 0.7 * r, 0.8 * (1.0 - r) + 0.1, 0.2);
    cairo_rectangle(cr, x, y + size + 2, size * r, bar);
    cairo_fill(cr);
}
