/* The charts draw where the data says: a line at its value, a shaded band around it (mean
 * +- SD) and nowhere else, a vertical marker at its x, a from-zero axis that keeps a line at
 * 0 whole, and bars scaled to the largest. Pixels are read back from an image surface. */
#include <cairo/cairo.h>
#include <check.h>
#include <fontconfig/fontconfig.h>

#include "chart.h"
#include "suites.h"

#define SIZE 200
/* the plot area: 100 x 100 points at (50, 50) */
#define LEFT 50.0
#define TOP 50.0
#define SIDE 100.0

static cairo_surface_t *surface;
static cairo_t *cr;

/* White grid and frame, so that only the data shows inside the plot area. */
static const ChartStyle STYLE = {.text_grey = 0.0, .frame_grey = 1.0, .grid_grey = 1.0, .tick_size = 8,
                                 .legend_size = 8, .title_size = 8, .dash = {6.0, 0.0}};
static const double BLUE[3] = {0.0, 0.0, 1.0};

static void setup(void)
{
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, SIZE, SIZE);
    cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
}

static void teardown(void)
{
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    cairo_debug_reset_static_data(); /* cairo's and fontconfig's font caches: not leaks, but */
    FcFini();                        /* LeakSanitizer cannot tell */
}

/* The red, green and blue (0..255) of pixel (x, y). */
static void pixel(int x, int y, int rgb[3])
{
    cairo_surface_flush(surface);
    const unsigned char *row = cairo_image_surface_get_data(surface) + y * cairo_image_surface_get_stride(surface);
    uint32_t value = ((const uint32_t *)row)[x];
    rgb[0] = (int)(value >> 16 & 0xff), rgb[1] = (int)(value >> 8 & 0xff), rgb[2] = (int)(value & 0xff);
}

static int is_white(int x, int y)
{
    int c[3];
    pixel(x, y, c);
    return c[0] == 255 && c[1] == 255 && c[2] == 255;
}

/* A light blue: the band's 20 % of blue over white. */
static int is_band(int x, int y)
{
    int c[3];
    pixel(x, y, c);
    return c[2] == 255 && c[0] > 190 && c[0] < 220 && c[0] == c[1];
}

static int is_blue(int x, int y)
{
    int c[3];
    pixel(x, y, c);
    return c[2] > 200 && c[0] < 60 && c[1] < 60;
}

START_TEST(band_shades_between_its_bounds_only)
{
    /* x 0..10, y from 0 to 10: the line at 5 is at pixel row 100, the band 4..6 rows 90..110 */
    static const double x[] = {0.0, 10.0}, y[] = {5.0, 5.0}, lower[] = {4.0, 4.0}, upper[] = {6.0, 6.0};
    ChartSeries mean = {.x = x, .y = y, .count = 2, .lower = lower, .upper = upper, .rgb = BLUE, .label = "mean"};
    ChartPanel panel = {.y_axis = {.from_zero = 1, .at_least = 10.0}, .series = &mean, .series_count = 1};
    chart_draw_panel(cr, &STYLE, &panel, LEFT, TOP, SIDE, SIDE);
    for (int column = 60; column <= 140; column += 20) {
        ck_assert_msg(is_blue(column, 100), "the line at row 100, column %d", column);
        ck_assert_msg(is_band(column, 93) && is_band(column, 107), "the band around the line, column %d", column);
        ck_assert_msg(is_white(column, 85) && is_white(column, 115), "nothing outside the band, column %d", column);
    }
}
END_TEST

START_TEST(band_widens_the_range_to_fit)
{
    /* a band beyond the line's values: the auto range covers it (0..20 with the pad: the
     * band's top at 20 lands inside the plot area, not outside it) */
    static const double x[] = {0.0, 10.0}, y[] = {10.0, 10.0}, lower[] = {0.0, 0.0}, upper[] = {20.0, 20.0};
    ChartSeries mean = {.x = x, .y = y, .count = 2, .lower = lower, .upper = upper, .rgb = BLUE};
    ChartPanel panel = {.y_axis = {.pad_fraction = 0.1}, .series = &mean, .series_count = 1};
    chart_draw_panel(cr, &STYLE, &panel, LEFT, TOP, SIDE, SIDE);
    /* range -2..22: the band from row 150 - 2/24*100 = 141.7 up to 150 - 22/24*100 = 58.3 */
    ck_assert(is_band(100, 65) && is_band(100, 135));
    ck_assert(is_white(100, 55) && is_white(100, 145));
    ck_assert(is_blue(100, 100));
}
END_TEST

START_TEST(marker_is_drawn_at_its_x)
{
    static const double x[] = {0.0, 10.0}, y[] = {0.0, 0.0};
    ChartSeries flat = {.x = x, .y = y, .count = 2, .rgb = BLUE};
    ChartMarker night = {.x = 2.55, .label = NULL}; /* column 75.5: pixel 75 whole */
    ChartPanel panel = {.y_axis = {.from_zero = 1, .at_least = 1.0}, .series = &flat, .series_count = 1,
                        .markers = &night, .marker_count = 1};
    chart_draw_panel(cr, &STYLE, &panel, LEFT, TOP, SIDE, SIDE);
    int grey_rows = 0;
    for (int row = 52; row < 140; row++) {
        int c[3];
        pixel(75, row, c);
        grey_rows += c[0] < 200 && c[0] == c[2];
        ck_assert_msg(is_white(70, row) && is_white(80, row), "only the marker's column, row %d", row);
    }
    ck_assert_int_gt(grey_rows, 20); /* dotted: about two in five rows */
    ck_assert_int_lt(grey_rows, 60);
    /* the line at 0 sits on the from-zero axis's bottom edge and is not cut there */
    ck_assert(is_blue(100, 150) && is_blue(100, 149));
}
END_TEST

START_TEST(bars_scale_to_the_largest)
{
    static const double values[] = {1.0, 2.0};
    static const char *const labels[] = {"a", "b"};
    ChartBars bars = {.labels = labels, .values = values, .count = 2, .rgb = BLUE};
    chart_draw_bars(cr, &STYLE, &bars, LEFT, TOP, SIDE, SIDE);
    /* baseline at row 150, bars up to 84 points for 1.15 x 2: 2 -> 73.0, 1 -> 36.5 points;
     * the bars' middles at columns 75 (value 1) and 125 (value 2) */
    ck_assert(is_blue(125, 148) && is_blue(125, 150 - 72) && is_white(125, 150 - 75));
    ck_assert(is_blue(75, 148) && is_blue(75, 150 - 35) && is_white(75, 150 - 38));
    ck_assert(is_white(50 + 5, 140) && is_white(100, 140)); /* the gaps between bars */
}
END_TEST

Suite *chart_suite(void)
{
    Suite *s = suite_create("chart");
    TCase *c = tcase_create("pixels");
    tcase_add_checked_fixture(c, setup, teardown);
    tcase_add_test(c, band_shades_between_its_bounds_only);
    tcase_add_test(c, band_widens_the_range_to_fit);
    tcase_add_test(c, marker_is_drawn_at_its_x);
    tcase_add_test(c, bars_scale_to_the_largest);
    suite_add_tcase(s, c);
    return s;
}
