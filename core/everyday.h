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

typedef struct {
    Diet diet;          /* diet_mixed_use with today's manipulations applied */
    double interval_s;  /* awake time between two presented touches (0: off) */
} Everyday;

/* The everyday diet (diet_mixed_use) with blocked digits taken out of every pattern (a
 * pattern left with none is dropped) and glued digits touched together. */
void everyday_diet(Diet *diet, unsigned blocked, unsigned glued);

/* Everyday use for a hand of model: blocked digits (removed, splinted) give no input, glued
 * digits are touched together; fast_factor k presents one touch in k (the caller scales the
 * learning rates by k, as the simulator's fast mode does). */
void everyday_init(Everyday *everyday, const Model *model, unsigned blocked, unsigned glued, int fast_factor);

/* Lets awake_s of everyday use pass on model: touches drawn from the diet one every
 * interval_s, time passing awake between them; after EVERYDAY_MAX_GAP_S, plain awake time.
 * stimulus is scratch space of model_receptor_count floats. Returns the touches presented.
 * Allocates nothing; not bounded in time (a gap of hours costs thousands of stimuli), so not
 * for an audio thread. */
uint64_t everyday_pass(const Everyday *everyday, Model *model, double awake_s, Rng *rng, float *stimulus);

#endif
