/* The practice window's view (standalone/live/practice_window.c) without a display: a
 * snapshot fills the panel's maps, areas, neighbour overlaps, load, warning and last notes,
 * the status fills its lines; drawn, the maps show in the finger colours, the status sits
 * beside them, and the coach's proposal appears in its own box only when there is one. */
#include <check.h>
#include <cairo/cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "practice_window.h"
#include "suites.h"

static const PracticeViewStatus STATUS = {.profile = "alice", .audio = "audio: test device",
                                          .midi = "midi: test port", .sonify = SONIFY_ECHO, .elapsed_s = 75.0,
                                          .notice = "profile saved at 12:00:00"};

static EngineSnapshot *trained_snapshot(Engine **engine)
{
    EngineConfig config;
    engine_config_default(&config, 48000, 256);
    char err[256];
    *engine = engine_create(&config, err, sizeof err);
    ck_assert_msg(*engine != NULL, "%s", err);
    engine_finish(*engine);
    EngineSnapshot *s = malloc(sizeof *s);
    ck_assert_ptr_nonnull(s);
    memcpy(s, engine_snapshot(*engine), sizeof *s);
    s->map[0].area_fraction[1] = 0.3f;
    s->map[1].overlap[2][3] = 0.4f;
    s->load.notes_per_minute = 123;
    s->load.playing_s = 600;
    s->warning = (Warning){WARNING_LEVEL_ADVICE, WARNING_REPETITIVE, 70.0f, -1, 0};
    s->recent[0] = (EngineFingeredNote){.note = 62, .hand = 0, .finger = 1};
    s->recent_count = 1;
    return s;
}

static void pixel(cairo_surface_t *s, int x, int y, int rgb[3])
{
    const unsigned char *p = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s) + 4 * x;
    rgb[0] = p[2], rgb[1] = p[1], rgb[2] = p[0];
}

static cairo_surface_t *draw(const PanelView *v, PanelLayout *l)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PANEL_WIDTH, PANEL_HEIGHT);
    cairo_t *cr = cairo_create(s);
    panel_layout(l, v, PANEL_WIDTH, PANEL_HEIGHT);
    panel_draw(cr, v, l);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* Pixels of the coach box's blue (0.12, 0.2, 0.3) in the right column below the status. */
static int coach_box_pixels(cairo_surface_t *s)
{
    int n = 0, rgb[3];
    for (int y = 196; y < PANEL_HEIGHT; y++)
        for (int x = 490; x < PANEL_WIDTH - 12; x += 4) {
            pixel(s, x, y, rgb);
            n += abs(rgb[0] - 31) < 4 && abs(rgb[1] - 51) < 4 && abs(rgb[2] - 77) < 4;
        }
    return n;
}

START_TEST(a_snapshot_fills_the_panel_and_draws_the_maps)
{
    Engine *engine;
    EngineSnapshot *s = trained_snapshot(&engine);
    PanelView *v = calloc(1, sizeof *v);
    ck_assert_ptr_nonnull(v);
    practice_window_fill_view(v, s, &STATUS);
    ck_assert_int_eq(v->has_maps, 1);
    ck_assert_int_eq(v->sheet_size, s->sheet_size);
    ck_assert_int_eq(v->hands, 3);
    int units = s->sheet_size * s->sheet_size;
    ck_assert_int_eq(memcmp(v->preferred_digit[1], s->preferred_digit[1], (size_t)units), 0);
    ck_assert_float_eq(v->area[0][1], 0.3f);
    ck_assert_float_eq(v->neighbour_overlap[1][2], 0.4f);
    ck_assert_float_eq(v->notes_per_minute, 123.0f);
    ck_assert_float_eq(v->minutes_playing, 10.0f);
    ck_assert_int_eq(v->warning.reason, WARNING_REPETITIVE);
    ck_assert_int_eq(v->recent_count, 1);
    ck_assert_int_eq(v->recent[0].note, 62);
    ck_assert_int_eq(v->recent[0].finger, 1);
    ck_assert_msg(strstr(v->status[0], "profile 'alice'") && strstr(v->status[0], "00:01:15") &&
                      strstr(v->status[0], "sonify: echo"), "%s", v->status[0]);
    ck_assert_str_eq(v->status[1], "audio: test device");
    ck_assert_str_eq(v->status[2], "midi: test port");
    ck_assert_msg(strstr(v->status[3], "[q] quit") && strstr(v->status[3], "profile saved at 12:00:00"), "%s",
                  v->status[3]);

    PanelLayout l;
    cairo_surface_t *plain = draw(v, &l);
    int rgb[3], coloured = 0;
    for (int h = 0; h < PANEL_HANDS; h++) /* the middle row of each map: finger colours, not grey */
        for (int x = (int)l.map[h].x + 2; x < (int)(l.map[h].x + l.map[h].w) - 2; x++) {
            pixel(plain, x, (int)(l.map[h].y + l.map[h].h / 2), rgb);
            int max = rgb[0] > rgb[1] ? (rgb[0] > rgb[2] ? rgb[0] : rgb[2]) : (rgb[1] > rgb[2] ? rgb[1] : rgb[2]);
            int min = rgb[0] < rgb[1] ? (rgb[0] < rgb[2] ? rgb[0] : rgb[2]) : (rgb[1] < rgb[2] ? rgb[1] : rgb[2]);
            coloured += max > 100 && max - min > max / 3;
        }
    ck_assert_int_gt(coloured, (int)(2 * 0.9 * (l.map[0].w - 4)));
    ck_assert_int_eq(coach_box_pixels(plain), 0);

    practice_window_fill_view(v, NULL, &STATUS); /* no snapshot: the maps stay as they were */
    ck_assert_int_eq(v->has_maps, 1);
    snprintf(v->coach, sizeof v->coach, "rest today; tomorrow 20 min of D3-D4 independence exercises");
    cairo_surface_t *coached = draw(v, &l);
    ck_assert_int_gt(coach_box_pixels(coached), 100);

    cairo_surface_destroy(plain);
    cairo_surface_destroy(coached);
    cairo_debug_reset_static_data();
    FcFini();
    free(v);
    free(s);
    engine_free(engine);
}
END_TEST

Suite *practice_window_suite(void)
{
    Suite *s = suite_create("practice_window");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_snapshot_fills_the_panel_and_draws_the_maps);
    suite_add_tcase(s, tc);
    return s;
}
