/* rng: a small deterministic pseudo-random generator (PCG32) with its state in the
 * caller's struct, so that the model never touches libc's rand() or any global state. */
#ifndef HM_RNG_H
#define HM_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
    uint64_t increment; /* always odd */
} Rng;

/* Seeds the generator; the same seed always gives the same sequence. */
void rng_seed(Rng *rng, uint64_t seed);

/* Next 32 random bits. */
uint32_t rng_next(Rng *rng);

/* Uniform float in [0, 1) with 24 random bits. */
float rng_uniform(Rng *rng);

/* out[i] = scale * rng_uniform(rng) for i = 0..count-1, in order: the same values and the
 * same generator state after them as those calls. With wide, 16 draws at a time in AVX-512
 * where the machine runs it (a tenth of the time of the calls). */
void rng_uniform_fill(Rng *rng, float scale, float *out, int count, int wide);

/* Uniform integer in [0, bound), bound >= 1, in constant time. */
uint32_t rng_below(Rng *rng, uint32_t bound);

#endif
