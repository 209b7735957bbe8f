/* Everyday use of the hands between practice sessions. */
#include "everyday.h"

#include <math.h>

/* A diet pattern's digits once blocked digits are taken away and glued ones added. */
static unsigned manipulated(unsigned digits, unsigned blocked, unsigned glued)
{
    if (digits & glued)
        digits |= glued;
    return digits & ~blocked;
}

/* Adds a pattern (whole length or not) once manipulated; splinted digits keep a share. */
static void add_manipulated(Diet *diet, unsigned digits, float weight, int whole, unsigned blocked, unsigned glued,
                            unsigned splinted)
{
    digits = manipulated(digits, blocked, glued);
    if (!digits || !(weight > 0.0f))
        return;
    float kept = digits & splinted ? EVERYDAY_SPLINT_SHARE : 1.0f;
    unsigned rest = digits & ~splinted;
    if (whole) {
        diet_add_whole(diet, digits, weight * kept);
        if (kept < 1.0f && rest)
            diet_add_whole(diet, rest, weight * (1.0f - kept));
    } else {
        diet_add(diet, digits, weight * kept);
        if (kept < 1.0f && rest)
            diet_add(diet, rest, weight * (1.0f - kept));
    }
}

void everyday_diet_mix(Diet *diet, const EverydayMix *mix, unsigned blocked, unsigned glued, unsigned splinted)
{
    diet_init(diet);
    for (int d = 0; d < SKIN_DIGITS; d++)
        add_manipulated(diet, 1u << d, mix->single / SKIN_DIGITS, 0, blocked, glued, splinted);
    for (int d = 0; d + 1 < SKIN_DIGITS; d++)
        add_manipulated(diet, 3u << d, mix->neighbours / (SKIN_DIGITS - 1), 0, blocked, glued, splinted);
    for (int d = 0; d < SKIN_DIGITS; d++)
        add_manipulated(diet, 1u << d, mix->whole / SKIN_DIGITS, 1, blocked, glued, splinted);
    add_manipulated(diet, (1u << SKIN_DIGITS) - 1, mix->grasp, 0, blocked, glued, splinted);
}

void everyday_diet(Diet *diet, unsigned blocked, unsigned glued)
{
    everyday_diet_mix(diet, &EVERYDAY_MIX_DEFAULT, blocked, glued, 0);
}

void everyday_init_mix(Everyday *everyday, const Model *model, const EverydayMix *mix, unsigned blocked,
                       unsigned glued, unsigned splinted, int fast_factor)
{
    everyday_diet_mix(&everyday->diet, mix, blocked, glued, splinted);
    const float rate = model_get_params(model)->everyday_touches_per_hour;
    const int k = fast_factor > 1 ? fast_factor : 1;
    const int sampled = k > EVERYDAY_SAMPLING ? k : EVERYDAY_SAMPLING; /* one touch in sampled presented */
    everyday->weight = (float)sampled / (float)k;
    everyday->interval_s = rate > 0.0f && everyday->diet.count > 0 ? 3600.0 * sampled / rate : 0.0;
    if (splinted && everyday->interval_s > 0.0) { /* the touches that only a splinted digit had are lost */
        Diet unsplinted;
        everyday_diet_mix(&unsplinted, mix, blocked, glued, 0);
        everyday->interval_s *= diet_total_weight(&unsplinted) / diet_total_weight(&everyday->diet);
    }
}

void everyday_init(Everyday *everyday, const Model *model, unsigned blocked, unsigned glued, int fast_factor)
{
    everyday_init_mix(everyday, model, &EVERYDAY_MIX_DEFAULT, blocked, glued, 0, fast_factor);
}

uint64_t everyday_pass(const Everyday *everyday, Model *model, double awake_s, Rng *rng, float *stimulus)
{
    if (!(awake_s > 0.0) || !isfinite(awake_s))
        return 0;
    double used_s = awake_s < EVERYDAY_MAX_GAP_S ? awake_s : EVERYDAY_MAX_GAP_S;
    uint64_t touches = everyday->interval_s > 0.0 ? (uint64_t)(used_s / everyday->interval_s) : 0;
    for (uint64_t i = 0; i < touches; i++) {
        diet_draw(&everyday->diet, model_skin(model), rng, stimulus);
        model_present_weighted(model, stimulus, everyday->weight);
        model_elapse(model, everyday->interval_s, MODEL_AWAKE);
    }
    model_elapse(model, awake_s - (double)touches * everyday->interval_s, MODEL_AWAKE);
    return touches;
}
