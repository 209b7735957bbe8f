/* PCG32 (O'Neill 2014, pcg-random.org): 64-bit LCG state, xorshift-rotate output. */
#include "rng.h"

void rng_seed(Rng *rng, uint64_t seed)
{
    rng->state = 0u;
    rng->increment = (seed << 1u) | 1u;
    (void)rng_next(rng);
    rng->state += 0x853c49e6748fea9bULL ^ seed;
    (void)rng_next(rng);
}

uint32_t rng_next(Rng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * 6364136223846793005ULL + rng->increment;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

float rng_uniform(Rng *rng)
{
    return (float)(rng_next(rng) >> 8) * (1.0f / 16777216.0f);
}

/* Multiply-shift (Lemire 2019) without the rejection step: a bias below bound / 2^32,
 * negligible here, in exchange for a fixed cost (this runs in real-time code). */
uint32_t rng_below(Rng *rng, uint32_t bound)
{
    return (uint32_t)(((uint64_t)rng_next(rng) * bound) >> 32);
}
