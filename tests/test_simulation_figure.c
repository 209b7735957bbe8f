/* The simulation pictures: replicates drawn as bands of mean +- SD, sessions and nights
 * marked. Rendered to PNG in memory and read back pixel by pixel. */
#include <cairo/cairo.h>
#include <check.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_timeline.h"
#include "simulation_figure.h"
#include "suites.h"

typedef struct {
    uint8_t *data;
    size_t size, at;
} Png;

static Png written;

static int keep(const char *path, const uint8_t *data, size_t size, char *err, size_t err_size)
{
    (void)path, (void)err, (void)err_size;
    free(written.data);
    written.data = malloc(size);
    memcpy(written.data, data, size);
    written.size = size, written.at = 0;
    return 0;
}

static cairo_status_t read_png(void *user, unsigned char *out, unsigned int length)
{
    Png *png = user;
    if (png->at + length > png->size)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, png->data + png->at, length);
    png->at += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Pixels of the picture just written within tolerance of rgb (0..255). */
static int count_pixels(const int rgb[3], int tolerance)
{
    cairo_surface_t *image = cairo_image_surface_create_from_png_stream(read_png, &written);
    ck_assert_int_eq(cairo_surface_status(image), CAIRO_STATUS_SUCCESS);
    int width = cairo_image_surface_get_width(image), height = cairo_image_surface_get_height(image), found = 0;
    const unsigned char *data = cairo_image_surface_get_data(image);
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            uint32_t value = ((const uint32_t *)(data + y * cairo_image_surface_get_stride(image)))[x];
            int c[3] = {(int)(value >> 16 & 0xff), (int)(value >> 8 & 0xff), (int)(value & 0xff)};
            found += abs(c[0] - rgb[0]) <= tolerance && abs(c[1] - rgb[1]) <= tolerance && abs(c[2] - rgb[2]) <= tolerance;
        }
    cairo_surface_destroy(image);
    return found;
}

/* A right hand's timeline over two days, the overlap risk rising. */
static MetricsTimeline *timeline(void)
{
    MetricsTimeline *t = metrics_timeline_create(5, 1);
    ck_assert_ptr_nonnull(t);
    t->hand_name[0] = "right";
    for (int i = 0; i < 5; i++) {
        t->time[i] = 12.0 * i;
        t->map[0][i].overlap_risk = 0.1f * (float)i;
        t->map[0][i].multi_digit_fraction = 0.05f * (float)i;
        t->map[0][i].rf_points_mean = 2.5f;
        t->map[0][i].d1_d5_distance_mm = 12.0f;
        for (int d = 0; d < 5; d++)
            t->map[0][i].area_fraction[d] = 0.2f;
    }
    return t;
}

static void teardown(void)
{
    free(written.data);
    memset(&written, 0, sizeof written);
    cairo_debug_reset_static_data();
    FcFini();
}

START_TEST(replicates_are_drawn_as_bands)
{
    /* the band of the first series colour (0.12, 0.47, 0.71) shaded over white */
    MetricsTimeline *t = timeline();
    const MetricsTimeline *runs[] = {t};
    const char *names[] = {"a"};
    char err[200];
    ck_assert_int_eq(simulation_figure_write_comparison("a.png", PICTURE_PNG, names, runs, 1, keep, err, sizeof err), 0);
    int white[3] = {255, 255, 255};
    int plain_white = count_pixels(white, 0);
    ck_assert_int_eq(metrics_timeline_add_spread(t), 0);
    for (int i = 0; i < 5; i++)
        t->spread[0][i].overlap_risk = 0.05f, t->spread[0][i].multi_digit_fraction = 0.02f;
    ck_assert_int_eq(simulation_figure_write_comparison("a.png", PICTURE_PNG, names, runs, 1, keep, err, sizeof err), 0);
    written.at = 0;
    int banded_white = count_pixels(white, 0);
    /* the bands cover thousands of pixels that were white */
    ck_assert_int_gt(plain_white - banded_white, 5000);
    metrics_timeline_free(t);
}
END_TEST

START_TEST(sessions_and_nights_are_marked)
{
    MetricsTimeline *t = timeline();
    char err[200];
    ck_assert_int_eq(simulation_figure_write("s.png", PICTURE_PNG, "s", t, keep, err, sizeof err), 0);
    int white[3] = {255, 255, 255};
    int unmarked_white = count_pixels(white, 0);
    ck_assert_int_eq(metrics_timeline_add_markers(t, 4), 0);
    for (int i = 0; i < 4; i++)
        t->marker_time[i] = 2.0 + 12.0 * i;
    t->marker_legend = "dotted: sessions and nights";
    ck_assert_int_eq(simulation_figure_write("s.png", PICTURE_PNG, "s", t, keep, err, sizeof err), 0);
    written.at = 0;
    /* four dotted lines down each of four panels (about 300 points tall, half of them ink) */
    ck_assert_int_gt(unmarked_white - count_pixels(white, 0), 4 * 4 * 100);
    metrics_timeline_free(t);
}
END_TEST

Suite *simulation_figure_suite(void)
{
    Suite *suite = suite_create("simulation_figure");
    TCase *figure = tcase_create("figure");
    tcase_add_test(figure, replicates_are_drawn_as_bands);
    tcase_add_test(figure, sessions_and_nights_are_marked);
    tcase_add_checked_fixture(figure, NULL, teardown); /* cairo's and fontconfig's caches */
    tcase_set_timeout(figure, 60);
    suite_add_tcase(suite, figure);
    return suite;
}
