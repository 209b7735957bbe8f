/* everyday: the everyday use of the hands between practice sessions (grasping, typing,
 * gestures: whole digit surfaces, now and then two neighbours together). Hands are in use all
 * waking day, and without that input the parts of the map that fingertip practice never
 * drives have nothing to keep them (docs/model.md §3.9). Presented as sampled touches at the
 * params' everyday_touches_per_hour; 0 switches it off (deprivation experiments). */
#ifndef HM_EVERYDAY_H
#define HM_EVERYDAY_H

#include <stdint.h>

#include "diet.h"
#include "model.h"
#include "rng.h"

/* The most waking time one gap applies as everyday use; beyond it the map has long reached
 * the steady state of everyday use, and the rest passes as plain awake time. */
#define EVERYDAY_MAX_GAP_S (3.0 * 16.0 * 3600.0)

/* The mix of everyday touches, relative weights (the schedule's [everyday] section). The
 * skin model has no palm (core/skin.h: five digits, tip to base), so there is no palm share. */
typedef struct {
    float single;      /* one digit alone, anywhere along it */
    float neighbours;  /* two neighbouring digits together */
    float whole;       /* one digit along its whole length at once (holding, pressing flat) */
    float grasp;       /* all five digits together (grasping) */
} EverydayMix;

/* Model v2's everyday use: diet_mixed_use (docs/model.md §3.9). */
#define EVERYDAY_MIX_DEFAULT ((EverydayMix){0.90f, 0.10f, 0.0f, 0.0f})

/* A splinted digit still gets this share of the everyday touches it would get (through the
 * splint, at its base), the rest of those touches miss it: immobilised, not deafferented. */
#define EVERYDAY_SPLINT_SHARE 0.25f

/* The everyday background is sampled: one touch in EVERYDAY_SAMPLING is presented, standing
 * for all of them (model_present_weighted: that many times the learning). Its touches are
 * drawn independently of each other, so a sample of them is the same stream, thinned. At 2
 * issue 15's month ends with the same maps, its session-end maps split no more often and read
 * a slightly lower overlap risk, and issue 16's month runs 1.07 x as fast; 4 split a digit at
 * nearly every session's end (docs/model-notes/settle-numerics.md §6). A fast mode of k >= this presents one in k,
 * weighing 1 (the caller scales the rates by k), as before. */
#define EVERYDAY_SAMPLING 2

typedef struct {
    Diet diet;          /* the mix with today's manipulations applied */
    double interval_s;  /* awake time between two presented touches (0: off) */
    float weight;       /* how many touches each presented one stands for (besides a fast mode's k) */
} Everyday;

/* The everyday diet (diet_mixed_use) with blocked digits taken out of every pattern (a
 * pattern left with none is dropped) and glued digits touched together. */
void everyday_diet(Diet *diet, unsigned blocked, unsigned glued);

/* The same for a mix (a pattern of weight 0 is left out; EVERYDAY_MIX_DEFAULT gives
 * everyday_diet's patterns) with splinted digits: a pattern touching one keeps
 * EVERYDAY_SPLINT_SHARE of its weight, the rest goes to the pattern without the splinted
 * digits (dropped if none is left). */
void everyday_diet_mix(Diet *diet, const EverydayMix *mix, unsigned blocked, unsigned glued, unsigned splinted);

/* Everyday use for a hand of model: blocked digits (removed, splinted) give no input, glued
 * digits are touched together; fast_factor k presents one touch in k (the caller scales the
 * learning rates by k, as the simulator's fast mode does), one in EVERYDAY_SAMPLING at the
 * least, each then weighing EVERYDAY_SAMPLING / k. */
void everyday_init(Everyday *everyday, const Model *model, unsigned blocked, unsigned glued, int fast_factor);

/* everyday_init with a mix and splinted digits (everyday_diet_mix). */
void everyday_init_mix(Everyday *everyday, const Model *model, const EverydayMix *mix, unsigned blocked,
                       unsigned glued, unsigned splinted, int fast_factor);

/* Lets awake_s of everyday use pass on model: touches drawn from the diet one every
 * interval_s, time passing awake between them; after EVERYDAY_MAX_GAP_S, plain awake time.
 * stimulus is scratch space of model_receptor_count floats. Returns the touches presented.
 * Allocates nothing; not bounded in time (a gap of hours costs thousands of stimuli), so not
 * for an audio thread. */
uint64_t everyday_pass(const Everyday *everyday, Model *model, double awake_s, Rng *rng, float *stimulus);

#endif
