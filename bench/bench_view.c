/* bench_view: what the live views cost the main thread, and what the exact notes-per-minute
 * window costs the audio thread. Prints figures; asserts nothing.
 *   - the terminal view rendered at 80x24 and 120x50 (microseconds a frame; 10 frames a second)
 *   - the practice window's panel drawn offscreen at 760x520 (milliseconds a frame)
 *   - a note added to the 60 s window and the count read, with 6000 notes in the window
 *     (nanoseconds each), and the window's memory */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "note_window.h"
#include "practice_view.h"
#include "practice_window.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void bench_terminal(const EngineSnapshot *s, const PracticeViewStatus *status, int columns, int rows)
{
    static char out[1 << 17];
    const PracticeViewScreen screen = {columns, rows, 1};
    const int frames = 2000;
    size_t bytes = 0;
    double start = now_s();
    for (int i = 0; i < frames; i++)
        bytes = practice_view_render(s, status, &screen, out, sizeof out);
    printf("terminal view %dx%d: %.1f us a frame, %zu bytes a frame\n", columns, rows,
           1e6 * (now_s() - start) / frames, bytes);
}

static void bench_panel(const EngineSnapshot *s, const PracticeViewStatus *status)
{
    PanelView *view = calloc(1, sizeof *view);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PANEL_WIDTH, PANEL_HEIGHT);
    PanelLayout layout;
    const int frames = 100;
    double start = now_s();
    for (int i = 0; i < frames; i++) {
        practice_window_fill_view(view, s, status);
        cairo_t *cr = cairo_create(surface);
        panel_layout(&layout, view, PANEL_WIDTH, PANEL_HEIGHT);
        panel_draw(cr, view, &layout);
        cairo_destroy(cr);
    }
    cairo_surface_flush(surface);
    printf("practice window panel %dx%d (offscreen): %.2f ms a frame, PanelView %zu bytes\n", PANEL_WIDTH,
           PANEL_HEIGHT, 1e3 * (now_s() - start) / frames, sizeof *view);
    cairo_surface_destroy(surface);
    free(view);
}

static void bench_note_window(void)
{
    static NoteWindow window;
    note_window_clear(&window);
    const int notes = 1000000;
    const double step_s = 0.01; /* 6000 notes a minute: the plugin's output range */
    volatile uint32_t sink = 0;
    double start = now_s();
    for (int i = 0; i < notes; i++) {
        double t = i * step_s;
        note_window_add(&window, t);
        note_window_advance(&window, t);
        sink += note_window_count(&window, t);
    }
    double elapsed = now_s() - start;
    printf("notes per minute window: %.0f ns a note (add, advance, count) with %u notes in the window; %zu bytes\n",
           1e9 * elapsed / notes, note_window_count(&window, (notes - 1) * step_s), sizeof window);
    (void)sink;
}

int main(void)
{
    EngineConfig config;
    engine_config_default(&config, 48000, 256);
    char err[256];
    Engine *engine = engine_create(&config, err, sizeof err);
    if (!engine) {
        fprintf(stderr, "bench-view: %s\n", err);
        return 1;
    }
    engine_finish(engine);
    const PracticeViewStatus status = {.profile = "bench", .audio = "audio: none", .midi = "midi: none",
                                       .sonify = SONIFY_MAP, .elapsed_s = 75.0};
    bench_terminal(engine_snapshot(engine), &status, 80, 24);
    bench_terminal(engine_snapshot(engine), &status, 120, 50);
    bench_panel(engine_snapshot(engine), &status);
    bench_note_window();
    engine_free(engine);
    return 0;
}
