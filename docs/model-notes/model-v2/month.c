/* month: a healthy adult's month of ordinary practice, day by day, on core/ alone.
 * Each day: `practice_h` hours of fingertip practice (singles 70 %, neighbouring pairs
 * 10 %, chords of three 10 %, thumb and little finger together 10 %; 6.7 stimuli a
 * second), then everyday use of the hands for the rest of 16 waking hours
 * (`everyday_per_h` touches an hour of diet_mixed_use: whole digits, neighbours together),
 * then 8 h asleep. `deprive=D` (1..5) removes digit D's input from everything.
 * `warmup=N` days of everyday use only come first (the map a healthy adult brings).
 *   ./month [seed=S] [days=N] [practice_h=H] [everyday_per_h=R] [deprive=D] [warmup=N]
 *           [map=1] [thumb_little=0] [after_session=1] [KEY=VALUE ...]
 * map=1 prints every unit's preferred digit (1-5, '.' unresponsive) with each report;
 * thumb_little=0 leaves the thumb-and-little-finger octaves out of the practice;
 * after_session=1 reports right after each day's practice too, before the everyday hours.
 * KEY=VALUE sets any model parameter (core/params.c). Build from the repository's root:
 *   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Icore docs/model-notes/model-v2/month.c \
 *      build/libhomunculus-core.a -lm -o build/month */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diet.h"
#include "metrics.h"
#include "model.h"
#include "params.h"

static void without_digit(Diet *diet, int digit)
{
    Diet out;
    diet_init(&out);
    for (int i = 0; i < diet->count; i++) {
        unsigned mask = diet->pattern[i].digits & ~(1u << digit);
        if (mask)
            diet_add_at(&out, mask, diet->pattern[i].weight, diet->pattern[i].along_min, diet->pattern[i].along_max);
    }
    *diet = out;
}

static int print_maps; /* map=1: the preferred digit of every unit after each report */

static void print_map(Model *m, MetricsProbe *probe)
{
    const int n = model_sheet_size(m);
    const int8_t *pref = metrics_preferred_digit(probe);
    for (int y = 0; y < n; y++) {
        printf("         ");
        for (int x = 0; x < n; x++)
            putchar(pref[y * n + x] < 0 ? '.' : '1' + pref[y * n + x]);
        putchar('\n');
    }
}

static void report(const char *label, Model *m, MetricsProbe *probe)
{
    MapMetrics mm;
    metrics_compute(probe, m, &mm);
    if (print_maps)
        print_map(m, probe);
    const float *g = model_thresholds(m);
    float gmin = 1e9f, gmax = -1e9f, amean = 0.0f;
    for (int i = 0; i < model_unit_count(m); i++) {
        amean += model_activity(m)[i] / (float)model_unit_count(m);
        gmin = g[i] < gmin ? g[i] : gmin;
        gmax = g[i] > gmax ? g[i] : gmax;
    }
    printf("%-8s areas %4.1f %4.1f %4.1f %4.1f %4.1f  unresp %4.1f%%  patches %d%d%d%d%d  order %.2f  "
           "D1-D5 %5.2f mm  multi %4.1f%%  risk %.2f  excit %.3f..%.3f a %.4f\n",
           label, 100 * mm.area_fraction[0], 100 * mm.area_fraction[1], 100 * mm.area_fraction[2],
           100 * mm.area_fraction[3], 100 * mm.area_fraction[4], 100 * mm.unresponsive_fraction,
           mm.patches[0], mm.patches[1], mm.patches[2], mm.patches[3], mm.patches[4], mm.order_index,
           mm.d1_d5_distance_mm, 100 * mm.multi_digit_fraction, mm.overlap_risk, gmin, gmax, amean);
    double dice = 0, border = 0;
    for (int k = 0; k < 4; k++) {
        dice += mm.overlap[k][k + 1] / 4;
        border += mm.border_sharpness[k] / 4;
    }
    printf("         neighbour Dice mean %.3f  border sharpness mean %.3f\n", dice, border);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    ModelParams params;
    model_params_default(&params);
    int days = 30, deprive = 0, warmup = 0, thumb_little = 1, after_session = 0;
    double practice_h = 1.5, everyday_per_h = 900;
    unsigned seed = 1;
    char err[256];
    for (int i = 1; i < argc; i++) {
        char key[64];
        const char *eq = strchr(argv[i], '=');
        if (!eq || (size_t)(eq - argv[i]) >= sizeof key) {
            fprintf(stderr, "month: '%s' is not KEY=VALUE\n", argv[i]);
            return 2;
        }
        memcpy(key, argv[i], (size_t)(eq - argv[i]));
        key[eq - argv[i]] = '\0';
        double value = atof(eq + 1);
        if (!strcmp(key, "days")) days = (int)value;
        else if (!strcmp(key, "practice_h")) practice_h = value;
        else if (!strcmp(key, "everyday_per_h")) everyday_per_h = value;
        else if (!strcmp(key, "deprive")) deprive = (int)value;
        else if (!strcmp(key, "warmup")) warmup = (int)value;
        else if (!strcmp(key, "seed")) seed = (unsigned)value;
        else if (!strcmp(key, "map")) print_maps = (int)value;
        else if (!strcmp(key, "thumb_little")) thumb_little = (int)value;
        else if (!strcmp(key, "after_session")) after_session = (int)value;
        else if (model_param_set(&params, key, value, err, sizeof err) != 0) {
            fprintf(stderr, "month: %s\n", err);
            return 2;
        }
    }
    params.seed = seed;
    Model *m = model_create(&params, err, sizeof err);
    if (!m) {
        fprintf(stderr, "month: %s\n", err);
        return 1;
    }
    Diet practice, everyday;
    diet_init(&practice);
    for (int d = 0; d < 5; d++)
        diet_add_at(&practice, 1u << d, 0.70f / 5, 0.1f, 0.1f);
    for (int d = 0; d + 1 < 5; d++)
        diet_add_at(&practice, 3u << d, 0.10f / 4, 0.1f, 0.1f);
    const unsigned chords[] = {0x15u /* D1 D3 D5 */, 0x0Bu /* D1 D2 D4 */, 0x1Au /* D2 D4 D5 */, 0x0Eu /* D2 D3 D4 */};
    for (int c = 0; c < 4; c++)
        diet_add_at(&practice, chords[c], 0.10f / 4, 0.1f, 0.1f);
    if (thumb_little)
        diet_add_at(&practice, 0x11u, 0.10f, 0.1f, 0.1f);
    diet_mixed_use(&everyday);
    if (deprive >= 1 && deprive <= 5) {
        without_digit(&practice, deprive - 1);
        without_digit(&everyday, deprive - 1);
    }
    Rng rng;
    rng_seed(&rng, seed * 7919u + 17u);
    float *stimulus = malloc(sizeof(float) * (size_t)model_receptor_count(m));
    MetricsProbe *probe = metrics_probe_create(m);
    const double awake_h = 16.0;
    for (int day = -warmup + 1; day <= days; day++) {
        if (day == 1 || (day == -warmup + 1 && warmup == 0))
            report("start", m, probe);
        double played_h = day >= 1 ? practice_h : 0.0;
        if (played_h > 0) {
            diet_practise(&practice, m, &rng, (int)(played_h * 3600 / 0.15), 0.15, stimulus);
            if (after_session) {
                char label[24];
                snprintf(label, sizeof label, "d%d after", day);
                report(label, m, probe);
            }
        }
        double rest_h = awake_h - played_h;
        if (everyday_per_h > 0) {
            int touches = (int)(rest_h * everyday_per_h);
            diet_practise(&everyday, m, &rng, touches, 3600.0 / everyday_per_h, stimulus);
        } else {
            model_elapse(m, rest_h * 3600, MODEL_AWAKE);
        }
        model_elapse(m, 8 * 3600, MODEL_ASLEEP);
        if (day >= 1) {
            char label[16];
            snprintf(label, sizeof label, "day %d", day);
            report(label, m, probe);
        }
    }
    metrics_probe_free(probe);
    free(stimulus);
    model_free(m);
    return 0;
}
