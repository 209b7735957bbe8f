/* diet: a random mixture of touch patterns (which digits are touched together, how often)
 * that stands for a kind of hand use — everyday mixed use, one over-used digit, glued
 * digits, grasping. Used by the experiments, the demo and the simulator. */
#ifndef HM_DIET_H
#define HM_DIET_H

#include "model.h"
#include "rng.h"
#include "skin.h"

#define DIET_MAX_PATTERNS 32

typedef struct {
    unsigned digits;            /* bit d: digit d (0 = D1 .. 4 = D5) is touched */
    float weight;               /* relative frequency */
    float along_min, along_max; /* where on the digits it lands, 0 tip .. 1 base */
    int whole_length;           /* 1: the digits are touched along their whole length at once */
} TouchPattern;

typedef struct {
    int count;
    TouchPattern pattern[DIET_MAX_PATTERNS];
    float intensity_min, intensity_max; /* touch strength range */
} Diet;

/* An empty diet with touches at intensity 0.7..1. */
void diet_init(Diet *diet);

/* Adds a pattern landing anywhere along the digits; returns 0, or -1 if the diet is full
 * or the mask or weight is invalid. */
int diet_add(Diet *diet, unsigned digit_mask, float weight);

/* Adds a pattern landing between along_min and along_max (0 tip .. 1 base). */
int diet_add_at(Diet *diet, unsigned digit_mask, float weight, float along_min, float along_max);

/* Adds a pattern touching the digits along their whole length at once (tip to base: holding
 * an object against the fingers, pressing them flat); returns 0 or -1 as diet_add. */
int diet_add_whole(Diet *diet, unsigned digit_mask, float weight);

/* The sum of the patterns' weights. */
double diet_total_weight(const Diet *diet);

/* Everyday mixed use: each digit alone (90 % of touches together), each neighbouring
 * pair together (10 %). */
void diet_mixed_use(Diet *diet);

/* Draws one stimulus: a pattern by weight, one position along the digits shared by the
 * digits touched together, and an intensity. */
void diet_draw(const Diet *diet, const Skin *skin, Rng *rng, float *stimulus);

/* Practises: presents touches drawn from diet to model, one every interval_s seconds of
 * awake model time. stimulus is scratch space of model_receptor_count floats. */
void diet_practise(const Diet *diet, Model *model, Rng *rng, int touches, double interval_s, float *stimulus);

#endif
