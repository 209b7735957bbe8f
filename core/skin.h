/* skin: where the receptors lie and how a touch becomes a stimulus (a pattern of receptor
 * activations in [0, 1]). The hand layout is 5 digits side by side (1 skin unit apart,
 * so a touch on one digit does not reach its neighbour), each a line of K receptors from
 * tip (0) to base (1). */
#ifndef HM_SKIN_H
#define HM_SKIN_H

#include "params.h"
#include "rng.h"

#define SKIN_DIGITS 5
#define SKIN_MAX_RECEPTORS 1024 /* 32 x 32 torus grid; the hand needs at most 5 x 16 */
#define SKIN_MAX_PER_DIGIT 16   /* receptors_per_digit's maximum */

typedef struct {
    int layout;           /* SkinLayout */
    int count;            /* receptors */
    int per_digit;        /* hand: K; grid: 0 */
    int digits;           /* hand: 5; grid: 0 */
    float touch_width;    /* sigma of a touch */
    float x[SKIN_MAX_RECEPTORS];
    float y[SKIN_MAX_RECEPTORS];
} Skin;

/* Lays out the receptors for params (jitter drawn from rng). */
void skin_init(Skin *skin, const ModelParams *params, Rng *rng);

/* Sets a stimulus to no touch. */
void skin_clear(const Skin *skin, float *stimulus);

/* Adds a touch at skin position (x, y): each receptor takes the larger of its current
 * value and intensity * exp(-d^2 / (2 touch_width^2)), so touches combine without
 * exceeding the strongest. Intensity is clamped to [0, 1]. */
void skin_touch_at(const Skin *skin, float *stimulus, float x, float y, float intensity);

/* Adds a touch on digit (0 = D1 thumb .. 4 = D5 little) at position along it (0 = tip,
 * 1 = base). Hand layout only; ignored otherwise. */
void skin_touch_digit(const Skin *skin, float *stimulus, int digit, float along, float intensity);

/* The digit a receptor belongs to (hand layout), or -1. */
int skin_receptor_digit(const Skin *skin, int receptor);

#endif
