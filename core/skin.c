/* Receptor layouts and touch stimuli. */
#include "skin.h"

#include <math.h>
#include <string.h>

void skin_init(Skin *skin, const ModelParams *p, Rng *rng)
{
    memset(skin, 0, sizeof *skin);
    skin->layout = p->skin_layout;
    skin->touch_width = p->touch_width;
    if (p->skin_layout == SKIN_HAND) {
        int k = p->receptors_per_digit;
        skin->per_digit = k;
        skin->digits = SKIN_DIGITS;
        skin->count = SKIN_DIGITS * k;
        for (int d = 0; d < SKIN_DIGITS; d++)
            for (int i = 0; i < k; i++) {
                int r = d * k + i;
                skin->x[r] = (float)d + p->receptor_jitter * (2.0f * rng_uniform(rng) - 1.0f);
                skin->y[r] = (float)i / (float)(k - 1) +
                             p->receptor_jitter * (2.0f * rng_uniform(rng) - 1.0f);
            }
    } else {
        /* The published grid: x = j / side + jitter, wrapped into [0, 1). */
        int side = p->grid_side;
        skin->count = side * side;
        for (int row = 0; row < side; row++)
            for (int col = 0; col < side; col++) {
                int r = row * side + col;
                float x = (float)col / (float)side + p->receptor_jitter * (2.0f * rng_uniform(rng) - 1.0f);
                float y = (float)row / (float)side + p->receptor_jitter * (2.0f * rng_uniform(rng) - 1.0f);
                skin->x[r] = x - floorf(x);
                skin->y[r] = y - floorf(y);
            }
    }
}

void skin_clear(const Skin *skin, float *stimulus)
{
    memset(stimulus, 0, (size_t)skin->count * sizeof *stimulus);
}

static float torus_delta(float a, float b)
{
    float d = fabsf(a - b);
    return d < 1.0f - d ? d : 1.0f - d;
}

void skin_touch_at(const Skin *skin, float *stimulus, float x, float y, float intensity)
{
    if (!(intensity > 0.0f))
        return; /* also rejects NaN */
    if (intensity > 1.0f)
        intensity = 1.0f;
    float inv_two_var = 1.0f / (2.0f * skin->touch_width * skin->touch_width);
    for (int r = 0; r < skin->count; r++) {
        float dx, dy;
        if (skin->layout == SKIN_TORUS_GRID) {
            dx = torus_delta(skin->x[r], x);
            dy = torus_delta(skin->y[r], y);
        } else {
            dx = skin->x[r] - x;
            dy = skin->y[r] - y;
        }
        float value = intensity * expf(-(dx * dx + dy * dy) * inv_two_var);
        if (value > stimulus[r])
            stimulus[r] = value;
    }
}

void skin_touch_digit(const Skin *skin, float *stimulus, int digit, float along, float intensity)
{
    if (skin->layout != SKIN_HAND || digit < 0 || digit >= SKIN_DIGITS)
        return;
    if (along < 0.0f)
        along = 0.0f;
    if (along > 1.0f)
        along = 1.0f;
    skin_touch_at(skin, stimulus, (float)digit, along, intensity);
}

int skin_receptor_digit(const Skin *skin, int receptor)
{
    if (skin->layout != SKIN_HAND || receptor < 0 || receptor >= skin->count)
        return -1;
    return receptor / skin->per_digit;
}
