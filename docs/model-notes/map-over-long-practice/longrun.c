/* longrun: long practice with a diet, printing metrics at checkpoints and ASCII maps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diet.h"
#include "metrics.h"
#include "model.h"
#include "params.h"

static void print_maps(const Model *m, MetricsProbe *p)
{
    int n = model_sheet_size(m), R = model_receptor_count(m);
    const Skin *skin = model_skin(m);
    const float *w = model_weights(m);
    const int8_t *pref = metrics_preferred_digit(p);
    printf("preferred digit (1-5, .=none) | preferred position along digit (0 tip..9 base)\n");
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
            int i = r * n + c;
            putchar(pref[i] < 0 ? '.' : '1' + pref[i]);
        }
        printf("   ");
        for (int c = 0; c < n; c++) {
            int i = r * n + c;
            if (pref[i] < 0) { putchar('.'); continue; }
            double s = 0, sy = 0;
            for (int k = 0; k < R; k++)
                if (skin_receptor_digit(skin, k) == pref[i]) { s += w[i * R + k]; sy += w[i * R + k] * skin->y[k]; }
            int a = (int)(sy / s * 9.99);
            putchar('0' + a);
        }
        putchar('\n');
    }
}

int main(int argc, char **argv)
{
    ModelParams params;
    model_params_default(&params);
    const char *diet_name = "singles";
    long touches = 240000, every = 24000;
    double interval = 0.15;
    int maps = 0;
    char err[256];
    for (int a = 1; a < argc; a++) {
        char key[64]; double v;
        if (sscanf(argv[a], "diet=%63s", key) == 1) { diet_name = strdup(key); continue; }
        if (sscanf(argv[a], "touches=%lf", &v) == 1) { touches = (long)v; continue; }
        if (sscanf(argv[a], "every=%lf", &v) == 1) { every = (long)v; continue; }
        if (sscanf(argv[a], "interval=%lf", &v) == 1) { interval = v; continue; }
        if (sscanf(argv[a], "maps=%lf", &v) == 1) { maps = (int)v; continue; }
        char *eq = strchr(argv[a], '=');
        if (!eq) { fprintf(stderr, "bad arg %s\n", argv[a]); return 2; }
        *eq = 0;
        if (model_param_set(&params, argv[a], atof(eq + 1), err, sizeof err)) { fprintf(stderr, "%s\n", err); return 2; }
    }
    Model *m = model_create(&params, err, sizeof err);
    if (!m) { fprintf(stderr, "%s\n", err); return 1; }
    Diet diet;
    if (!strcmp(diet_name, "mixed")) diet_mixed_use(&diet);
    else if (!strcmp(diet_name, "singles")) { diet_init(&diet); for (int d = 0; d < 5; d++) diet_add(&diet, 1u << d, 0.2f); }
    else if (!strncmp(diet_name, "pairs", 5)) { /* pairsNN: NN % neighbouring pairs */
        double share = atof(diet_name + 5) / 100.0;
        diet_init(&diet);
        for (int d = 0; d < 5; d++) diet_add(&diet, 1u << d, (float)((1 - share) / 5));
        for (int d = 0; d < 4; d++) diet_add(&diet, 3u << d, (float)(share / 4));
    } else if (!strcmp(diet_name, "tipsingles")) { diet_init(&diet); for (int d = 0; d < 5; d++) diet_add_at(&diet, 1u << d, 0.2f, 0.1f, 0.1f); }
    else if (!strncmp(diet_name, "tippairs", 8)) {
        double share = atof(diet_name + 8) / 100.0;
        diet_init(&diet);
        for (int d = 0; d < 5; d++) diet_add_at(&diet, 1u << d, (float)((1 - share) / 5), 0.1f, 0.1f);
        for (int d = 0; d < 4; d++) diet_add_at(&diet, 3u << d, (float)(share / 4), 0.1f, 0.1f);
    } else if (!strcmp(diet_name, "tipspread")) { diet_init(&diet); for (int d = 0; d < 5; d++) diet_add_at(&diet, 1u << d, 0.2f, 0.0f, 0.3f); }
    else if (!strncmp(diet_name, "tipbg", 5)) { /* tipbgNN: NN % everyday mixed use among fingertip singles */
        double share = atof(diet_name + 5) / 100.0;
        diet_init(&diet);
        for (int d = 0; d < 5; d++) diet_add_at(&diet, 1u << d, (float)((1 - share) / 5), 0.1f, 0.1f);
        for (int d = 0; d < 5; d++) diet_add(&diet, 1u << d, (float)(share * 0.9 / 5));
        for (int d = 0; d < 4; d++) diet_add(&diet, 3u << d, (float)(share * 0.1 / 4));
    } else { fprintf(stderr, "diet?\n"); return 2; }
    MetricsProbe *p = metrics_probe_create(m);
    float *stim = malloc(sizeof(float) * (size_t)model_receptor_count(m));
    Rng rng; rng_seed(&rng, params.seed + 99);
    MapMetrics mm;
    printf("touches  areas(%%)                   multi unresp  patch(min..max)  border(D1D2..D4D5)      dice_nb_max  d1d5mm  risk  rf\n");
    for (long t = 0; t <= touches; t += every) {
        if (t > 0) diet_practise(&diet, m, &rng, (int)every, interval, stim);
        metrics_compute(p, m, &mm);
        float pmin = 1, pmax = 0, dmax = 0;
        for (int d = 0; d < 5; d++) { pmin = fminf(pmin, mm.largest_patch_fraction[d]); pmax = fmaxf(pmax, mm.largest_patch_fraction[d]); }
        for (int d = 0; d < 4; d++) dmax = fmaxf(dmax, mm.overlap[d][d + 1]);
        printf("%7ld ", t);
        for (int d = 0; d < 5; d++) printf("%4.1f ", 100 * mm.area_fraction[d]);
        printf(" %5.3f %5.3f  %4.2f..%4.2f  ", mm.multi_digit_fraction, mm.unresponsive_fraction, pmin, pmax);
        for (int d = 0; d < 4; d++) printf("%4.2f ", mm.border_sharpness[d]);
        const float *th = model_thresholds(m);
        float tmin = 1, tmax = -1; int nu = model_unit_count(m);
        for (int i = 0; i < nu; i++) { tmin = fminf(tmin, th[i]); tmax = fmaxf(tmax, th[i]); }
        /* drive range for a D1 fingertip touch */
        float *drive = malloc(sizeof(float) * (size_t)nu);
        skin_clear(model_skin(m), stim); skin_touch_digit(model_skin(m), stim, 0, 0.1f, 0.85f);
        model_drive(m, stim, drive);
        float dmin = 1, dmx = -1; for (int i = 0; i < nu; i++) { dmin = fminf(dmin, drive[i]); dmx = fmaxf(dmx, drive[i]); }
        free(drive);
        printf("  %5.3f  %6.2f  %4.2f %4.2f  th[%+.4f,%+.4f] driveD1[%.4f..%.4f]\n", dmax, mm.d1_d5_distance_mm, mm.overlap_risk, mm.rf_points_mean, tmin, tmax, dmin, dmx);
        if (maps && (t == 0 || t % (every * maps) == 0)) print_maps(m, p);
        fflush(stdout);
    }
    if (!maps) print_maps(m, p);
    return 0;
}
