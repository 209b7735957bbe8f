/* The practice panel (draw/panel.c): placement and pointer handling of its controls, the
 * risk history, and what a drawing shows: the maps in the finger colours, the warning box in
 * the colour of its level with the reason's words in it. */
#include <check.h>
#include <cairo/cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

#include "panel.h"
#include "suites.h"

static PanelView *view_with_controls(void)
{
    PanelView *v = calloc(1, sizeof *v);
    v->control_count = 3;
    v->controls[0] = (PanelControl){"Level", PANEL_SLIDER, -60, 6, -12, 0, {NULL}};
    v->controls[1] = (PanelControl){"Root", PANEL_SLIDER, 12, 115, 60, 1, {NULL}};
    v->controls[2] = (PanelControl){"Hand", PANEL_CHOICE, 0, 2, 2, 0, {"Auto", "Right", "Left"}};
    return v;
}

START_TEST(controls_follow_the_pointer_at_any_window_size)
{
    PanelView *v = view_with_controls();
    for (double scale = 1; scale <= 2; scale += 1) {
        PanelLayout l;
        panel_layout(&l, v, PANEL_WIDTH * scale, PANEL_HEIGHT * scale);
        ck_assert_double_eq(l.scale, scale);
        for (int i = 0; i < v->control_count; i++) {
            const PanelRect *k = &l.control_knob[i];
            ck_assert_int_eq(panel_control_at(&l, v, (k->x + k->w / 2) * scale, (k->y + k->h / 2) * scale), i);
        }
        ck_assert_int_eq(panel_control_at(&l, v, 5 * scale, 5 * scale), -1);
        const PanelRect *k = &l.control_knob[0];
        ck_assert_float_eq(panel_control_value(&l, v, 0, (k->x - 20) * scale), -60.0f);
        ck_assert_float_eq(panel_control_value(&l, v, 0, (k->x + k->w + 20) * scale), 6.0f);
        ck_assert_float_eq_tol(panel_control_value(&l, v, 0, (k->x + k->w / 2) * scale), -27.0f, 0.01f);
        float root = panel_control_value(&l, v, 1, (l.control_knob[1].x + l.control_knob[1].w / 3) * scale);
        ck_assert_float_eq(root, (float)(int)root); /* whole notes */
        ck_assert_float_eq(panel_control_value(&l, v, 2, 0), 0.0f); /* Left -> Auto: a click cycles */
    }
    free(v);
}
END_TEST

START_TEST(risk_history_keeps_the_newest_samples)
{
    PanelView *v = calloc(1, sizeof *v);
    for (int i = 0; i < PANEL_RISK_HISTORY + 10; i++)
        panel_push_risk(v, (const float[PANEL_HANDS]){(float)i, -(float)i});
    ck_assert_int_eq(v->risk_count, PANEL_RISK_HISTORY);
    ck_assert_float_eq(v->risk_history[0][0], 10.0f);
    ck_assert_float_eq(v->risk_history[0][PANEL_RISK_HISTORY - 1], PANEL_RISK_HISTORY + 9.0f);
    ck_assert_float_eq(v->risk_history[1][PANEL_RISK_HISTORY - 1], -(PANEL_RISK_HISTORY + 9.0f));
    free(v);
}
END_TEST

/* Draws v at the design size; returns the image (caller destroys). */
static cairo_surface_t *draw_view(const PanelView *v)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PANEL_WIDTH, PANEL_HEIGHT);
    cairo_t *cr = cairo_create(s);
    PanelLayout l;
    panel_layout(&l, v, PANEL_WIDTH, PANEL_HEIGHT);
    panel_draw(cr, v, &l);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static void pixel(cairo_surface_t *s, int x, int y, int rgb[3])
{
    const unsigned char *p = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s) + 4 * x;
    rgb[0] = p[2], rgb[1] = p[1], rgb[2] = p[0];
}

/* Pixels that differ between two drawings inside a rectangle. */
static int differing(cairo_surface_t *a, cairo_surface_t *b, int x0, int y0, int w, int h)
{
    int n = 0;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            int p[3], q[3];
            pixel(a, x, y, p);
            pixel(b, x, y, q);
            n += memcmp(p, q, sizeof p) != 0;
        }
    return n;
}

START_TEST(drawing_shows_the_maps_and_the_warning_in_words)
{
    PanelView *v = view_with_controls();
    v->has_maps = 1;
    v->sheet_size = 8;
    v->hands = 3;
    for (int h = 0; h < PANEL_HANDS; h++)
        for (int u = 0; u < 64; u++) {
            v->preferred_digit[h][u] = (int8_t)(h == 0 ? 1 : 3); /* right all D2, left all D4 */
            v->selectivity[h][u] = 1.0f;
        }
    PanelLayout l;
    panel_layout(&l, v, PANEL_WIDTH, PANEL_HEIGHT);
    cairo_surface_t *calm = draw_view(v);
    int rgb[3];
    const PanelRect *right = &l.map[0], *left = &l.map[1];
    ck_assert_double_lt(left->x, right->x); /* the left hand on the left */
    pixel(calm, (int)(right->x + right->w / 2), (int)(right->y + right->h / 2), rgb);
    ck_assert_msg(rgb[0] > 200 && rgb[1] > 130 && rgb[1] < 200 && rgb[2] < 80, "right map centre %d %d %d", rgb[0],
                  rgb[1], rgb[2]); /* D2 orange */
    pixel(calm, (int)(left->x + left->w / 2), (int)(left->y + left->h / 2), rgb);
    ck_assert_msg(rgb[2] > 200 && rgb[0] < 100, "left map centre %d %d %d", rgb[0], rgb[1], rgb[2]); /* D4 blue */
    int box_x = PANEL_WIDTH - 20, box_y = 100; /* inside the warning box, below its text */
    pixel(calm, box_x, box_y, rgb);
    ck_assert_msg(rgb[1] > rgb[0] && rgb[1] > rgb[2], "no warning: the box is green (%d %d %d)", rgb[0], rgb[1], rgb[2]);

    v->warning = (Warning){WARNING_LEVEL_WARNING, WARNING_NO_BREAK, 58.0f, -1, -1};
    cairo_surface_t *no_break = draw_view(v);
    pixel(no_break, box_x, box_y, rgb);
    ck_assert_msg(rgb[0] > 2 * rgb[1] && rgb[0] > 2 * rgb[2], "a warning: the box is red (%d %d %d)", rgb[0], rgb[1],
                  rgb[2]);
    v->warning = (Warning){WARNING_LEVEL_WARNING, WARNING_RISK_RISING, 20.0f, 1, 0};
    cairo_surface_t *rising = draw_view(v);
    /* the reason's words: the text lines of the box differ between the two reasons */
    ck_assert_int_gt(differing(no_break, rising, 490, 56, 260, 40), 100);
    cairo_surface_destroy(calm);
    cairo_surface_destroy(no_break);
    cairo_surface_destroy(rising);
    free(v);
    cairo_debug_reset_static_data(); /* cairo's and fontconfig's font caches: not leaks, but */
    FcFini();                        /* LeakSanitizer cannot tell */
}
END_TEST

Suite *panel_suite(void)
{
    Suite *s = suite_create("panel");
    TCase *tc = tcase_create("panel");
    tcase_add_test(tc, controls_follow_the_pointer_at_any_window_size);
    tcase_add_test(tc, risk_history_keeps_the_newest_samples);
    tcase_add_test(tc, drawing_shows_the_maps_and_the_warning_in_words);
    suite_add_tcase(s, tc);
    return s;
}
