/* everyday: DAYS days, each 2 h of fingertip single-digit touches (6.7 a second, the
 * simulator's kind of input), then H hours of everyday mixed use (the experiments' baseline
 * diet: 4 touches a second anywhere along the digits, 10 % neighbouring pairs), the rest of
 * the 16 waking hours awake without input, 8 h asleep; the map after each day.
 *   ./everyday H DAYS [notips]      (notips: the everyday use alone)
 * Build from the repository's root after make:
 *   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Icore docs/model-notes/settle-numerics/everyday.c \
 *      build/libhomunculus-core.a -lm -o everyday */
#include <stdio.h>
#include <stdlib.h>
#include "diet.h"
#include "metrics.h"
#include "model.h"
#include "params.h"
int main(int argc, char **argv)
{
    double everyday_h = argc > 1 ? atof(argv[1]) : 0;
    int days = argc > 2 ? atoi(argv[2]) : 5;
    ModelParams params; model_params_default(&params);
    char err[256];
    Model *m = model_create(&params, err, sizeof err);
    Diet tips, everyday;
    diet_init(&tips); for (int d = 0; d < 5; d++) diet_add_at(&tips, 1u << d, 0.2f, 0.1f, 0.1f);
    diet_mixed_use(&everyday);
    Rng rng; rng_seed(&rng, 1);
    float *stim = malloc(sizeof(float) * model_receptor_count(m));
    MetricsProbe *p = metrics_probe_create(m);
    MapMetrics mm;
    for (int day = 1; day <= days; day++) {
        if (argc <= 3) diet_practise(&tips, m, &rng, 48000, 0.15, stim);
        if (everyday_h > 0) diet_practise(&everyday, m, &rng, (int)(everyday_h * 3600 * 4), 0.25, stim);
        double awake_left = 16 * 3600 - 2 * 3600 - everyday_h * 3600;
        if (awake_left > 0) model_elapse(m, awake_left, MODEL_AWAKE);
        model_elapse(m, 8 * 3600, MODEL_ASLEEP);
        metrics_compute(p, m, &mm);
        printf("day %d everyday %.1f h: areas %.1f %.1f %.1f %.1f %.1f unresponsive %.1f %% multi %.1f %% D1-D5 %.2f mm risk %.2f\n", day, everyday_h,
               100 * mm.area_fraction[0], 100 * mm.area_fraction[1], 100 * mm.area_fraction[2], 100 * mm.area_fraction[3], 100 * mm.area_fraction[4],
               100 * mm.unresponsive_fraction, 100 * mm.multi_digit_fraction, mm.d1_d5_distance_mm, mm.overlap_risk);
        double dice = 0, border = 0;
        for (int k = 0; k < 4; k++) {
            dice += mm.overlap[k][k + 1] / 4;
            border += mm.border_sharpness[k] / 4;
        }
        printf("   neighbour Dice mean %.3f border mean %.3f\n", dice, border);
        fflush(stdout);
    }
    return 0;
}
