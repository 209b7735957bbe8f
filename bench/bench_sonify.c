/* Sonifier cost: mean and worst time per 64-frame block at 48 kHz in each mode, with both
 * hands' maps set, dense notes (30 a second) in echo mode, a warning in alarm mode, and
 * a crossfade through every mode. Prints figures; asserts nothing. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sonify.h"

#define SAMPLE_RATE 48000.0
#define BLOCK 64u
#define SECONDS 20u
#define BLOCKS ((uint32_t)(SECONDS * SAMPLE_RATE) / BLOCK)

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void some_map(MapMetrics *m, float dice)
{
    memset(m, 0, sizeof *m);
    m->valid = 1;
    for (int d = 0; d < METRICS_DIGITS; d++) {
        m->area_fraction[d] = 0.2f;
        m->rf_digits[d] = 1.3f;
        m->overlap[d][d] = 1.0f;
    }
    for (int d = 0; d + 1 < METRICS_DIGITS; d++)
        m->overlap[d][d + 1] = m->overlap[d + 1][d] = dice;
}

static void run(const char *name, SonifyMode mode, int crossfade)
{
    char err[256];
    Sonify *s = sonify_create(SAMPLE_RATE, BLOCK, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench_sonify: %s\n", err);
        return;
    }
    MapMetrics m;
    some_map(&m, 0.5f);
    sonify_set_map(s, SONIFY_HAND_RIGHT, &m);
    sonify_set_map(s, SONIFY_HAND_LEFT, &m);
    sonify_set_mode(s, mode);
    sonify_set_warning(s, 1.0f);
    float left[BLOCK], right[BLOCK];
    double total = 0.0, worst = 0.0, sink = 0.0;
    const uint32_t note_every = (uint32_t)(SAMPLE_RATE / 30.0);
    for (uint32_t b = 0; b < BLOCKS; b++) {
        uint32_t start = b * BLOCK;
        uint32_t first = (start + note_every - 1) / note_every * note_every;
        for (uint32_t t = first; t < start + BLOCK; t += note_every)
            for (int k = 0; k < 3; k++) /* chords of three */
                sonify_note(s, (int)(t / note_every % 2), (int)((t / note_every + 2 * (uint32_t)k) % 5), 0.8f,
                            t - start);
        if (crossfade && b % 200 == 0)
            sonify_set_mode(s, (SonifyMode)(1 + b / 200 % 3));
        if (b % 750 == 0) {
            some_map(&m, (float)(b / 750 % 10) * 0.1f);
            sonify_set_map(s, (int)(b / 750 % 2), &m);
        }
        double t0 = now_s();
        sonify_process(s, left, right, BLOCK);
        double dt = now_s() - t0;
        total += dt;
        if (dt > worst)
            worst = dt;
        sink += left[0] + right[BLOCK - 1];
    }
    const double period = BLOCK / SAMPLE_RATE;
    printf("%-22s mean %6.2f us (%5.2f %% of the block period), worst %6.2f us (%5.2f %%)%s\n", name,
           1e6 * total / BLOCKS, 100.0 * total / BLOCKS / period, 1e6 * worst, 100.0 * worst / period,
           sink == 12345.678 ? " " : "");
    sonify_free(s);
}

int main(void)
{
    printf("sonify: %u-frame blocks at %.0f Hz, %u s each\n", BLOCK, SAMPLE_RATE, SECONDS);
    run("off", SONIFY_OFF, 0);
    run("map", SONIFY_MAP, 0);
    run("echo (90 notes/s)", SONIFY_ECHO, 0);
    run("alarm", SONIFY_ALARM, 0);
    run("crossfading modes", SONIFY_MAP, 1);
    return 0;
}
