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

void everyday_diet(Diet *diet, unsigned blocked, unsigned glued)
{
    Diet mixed;
    diet_mixed_use(&mixed);
    diet_init(diet);
    for (int i = 0; i < mixed.count; i++) {
        const TouchPattern *p = &mixed.pattern[i];
        unsigned digits = manipulated(p->digits, blocked, glued);
        if (digits)
            diet_add_at(diet, digits, p->weight, p->along_min, p->along_max);
    }
}

void everyday_init(Everyday *everyday, const Model *model, unsigned blocked, unsigned glued, int fast_factor)
{
    everyday_diet(&everyday->diet, blocked, glued);
    const float rate = model_get_params(model)->everyday_touches_per_hour;
    const int k = fast_factor > 1 ? fast_factor : 1;
    everyday->interval_s = rate > 0.0f && everyday->diet.count > 0 ? 3600.0 * k / rate : 0.0;
}

uint64_t everyday_pass(const Everyday *everyday, Model *model, double awake_s, Rng *rng, float *stimulus)
{
    if (!(awake_s > 0.0) || !isfinite(awake_s))
        return 0;
    double used_s = awake_s < EVERYDAY_MAX_GAP_S ? awake_s : EVERYDAY_MAX_GAP_S;
    uint64_t touches = everyday->interval_s > 0.0 ? (uint64_t)(used_s / everyday->interval_s) : 0;
    for (uint64_t i = 0; i < touches; i++) {
        diet_draw(&everyday->diet, model_skin(model), rng, stimulus);
        model_present(model, stimulus);
        model_elapse(model, everyday->interval_s, MODEL_AWAKE);
    }
    model_elapse(model, awake_s - (double)touches * everyday->interval_s, MODEL_AWAKE);
    return touches;
}
