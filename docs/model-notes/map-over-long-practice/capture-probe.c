/* Capture probe: fingertip singles (one digit at random, along 0.1, intensity 0.7-1, 0.15 s
 * apart), default model; prints every touch won by a unit outside the touched digit's home
 * columns (the first 40, then every 200th) with the winner's share of the stimulus
 * (sum min(w, s) / sum s), its raw drive against the sheet's best, and both thresholds.
 * Build: cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Icore \
 *          docs/model-notes/map-over-long-practice/capture-probe.c build/libhomunculus-core.a -lm -o capture-probe
 * Run:   ./capture-probe 12000 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "model.h"
#include "skin.h"
#include "rng.h"
int main(int argc, char **argv)
{
    ModelParams params; model_params_default(&params);
    long touches = argc > 1 ? atol(argv[1]) : 12000;
    Model *m = model_create(&params, NULL, 0);
    int R = model_receptor_count(m), N = model_unit_count(m), n = model_sheet_size(m);
    float *stim = malloc(sizeof(float) * R), *drive = malloc(sizeof(float) * N);
    Rng rng; rng_seed(&rng, 99);
    const float *th = model_thresholds(m), *w = model_weights(m);
    long foreign = 0;
    for (long t = 0; t < touches; t++) {
        int d = (int)(rng_uniform(&rng) * 5); if (d > 4) d = 4;
        skin_clear(model_skin(m), stim); skin_touch_digit(model_skin(m), stim, d, 0.1f, 0.7f + 0.3f * rng_uniform(&rng));
        model_drive(m, stim, drive);
        int imax = 0; for (int i = 0; i < N; i++) if (drive[i] > drive[imax]) imax = i;
        float sn = 0; for (int r = 0; r < R; r++) sn += stim[r];
        /* share of each unit before learning */
        model_settle_begin(m, stim); model_settle_run(m, 1000); 
        const float *v = model_field(m);
        int win = 0; for (int i = 0; i < N; i++) if (v[i] > v[win]) win = i;
        int home = (win % n) * 5 / n;
        float sh = 0; for (int r = 0; r < R; r++) sh += fminf(w[(size_t)win*R+r], stim[r]);
        float dwin = drive[win], thw = th[win], thh = th[imax];
        model_settle_finish(m);
        model_elapse(m, 0.15, MODEL_AWAKE);
        if (home != d) {
            foreign++;
            if (foreign < 40 || foreign % 200 == 0)
                printf("t %6ld D%d won at r%2d c%2d (home D%d) share %.2f drive %.4f vs hi %.4f (r%d c%d) th %+.4f vs %+.4f\n",
                       t, d + 1, win / n, win % n, home + 1, sh / sn, dwin, drive[imax], imax / n, imax % n, thw, thh);
        }
    }
    printf("foreign wins %ld\n", foreign);
    return 0;
}
