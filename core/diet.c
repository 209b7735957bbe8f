/* Random touch patterns for simulated hand use. */
#include "diet.h"

#include <math.h>

void diet_init(Diet *diet)
{
    diet->count = 0;
    diet->intensity_min = 0.7f;
    diet->intensity_max = 1.0f;
}

int diet_add_at(Diet *diet, unsigned digit_mask, float weight, float along_min, float along_max)
{
    if (diet->count >= DIET_MAX_PATTERNS || digit_mask == 0 || digit_mask >= (1u << SKIN_DIGITS) ||
        !(weight > 0.0f) || !isfinite(weight) || !(along_min >= 0.0f) || !(along_max <= 1.0f) ||
        !(along_min <= along_max))
        return -1;
    TouchPattern *pattern = &diet->pattern[diet->count++];
    pattern->digits = digit_mask;
    pattern->weight = weight;
    pattern->along_min = along_min;
    pattern->along_max = along_max;
    pattern->whole_length = 0;
    return 0;
}

int diet_add_whole(Diet *diet, unsigned digit_mask, float weight)
{
    if (diet_add_at(diet, digit_mask, weight, 0.0f, 1.0f) != 0)
        return -1;
    diet->pattern[diet->count - 1].whole_length = 1;
    return 0;
}

int diet_add(Diet *diet, unsigned digit_mask, float weight)
{
    return diet_add_at(diet, digit_mask, weight, 0.0f, 1.0f);
}

double diet_total_weight(const Diet *diet)
{
    double total = 0.0;
    for (int i = 0; i < diet->count; i++)
        total += diet->pattern[i].weight;
    return total;
}

void diet_mixed_use(Diet *diet)
{
    diet_init(diet);
    for (int d = 0; d < SKIN_DIGITS; d++)
        diet_add(diet, 1u << d, 0.90f / SKIN_DIGITS);
    for (int d = 0; d + 1 < SKIN_DIGITS; d++)
        diet_add(diet, 3u << d, 0.10f / (SKIN_DIGITS - 1));
}

void diet_draw(const Diet *diet, const Skin *skin, Rng *rng, float *stimulus)
{
    skin_clear(skin, stimulus);
    if (diet->count == 0)
        return;
    float total = 0.0f;
    for (int i = 0; i < diet->count; i++)
        total += diet->pattern[i].weight;
    float pick = rng_uniform(rng) * total;
    int chosen = diet->count - 1;
    for (int i = 0; i < diet->count; i++) {
        pick -= diet->pattern[i].weight;
        if (pick < 0.0f) {
            chosen = i;
            break;
        }
    }
    const TouchPattern *pattern = &diet->pattern[chosen];
    float along = pattern->along_min + (pattern->along_max - pattern->along_min) * rng_uniform(rng);
    float intensity = diet->intensity_min + (diet->intensity_max - diet->intensity_min) * rng_uniform(rng);
    enum { WHOLE_LENGTH_SPOTS = 5 }; /* tip, base and three between: the bumps merge into one stripe */
    for (int d = 0; d < SKIN_DIGITS; d++) {
        if (!(pattern->digits & (1u << d)))
            continue;
        if (!pattern->whole_length)
            skin_touch_digit(skin, stimulus, d, along, intensity);
        for (int k = 0; pattern->whole_length && k < WHOLE_LENGTH_SPOTS; k++)
            skin_touch_digit(skin, stimulus, d, (float)k / (WHOLE_LENGTH_SPOTS - 1), intensity);
    }
}

void diet_practise(const Diet *diet, Model *model, Rng *rng, int touches, double interval_s, float *stimulus)
{
    for (int i = 0; i < touches; i++) {
        diet_draw(diet, model_skin(model), rng, stimulus);
        model_present(model, stimulus);
        model_elapse(model, interval_s, MODEL_AWAKE);
    }
}
