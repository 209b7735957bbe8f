/* PCG32 (O'Neill 2014, pcg-random.org): 64-bit LCG state, xorshift-rotate output. */
#include "rng.h"

#define PCG_MULTIPLIER 6364136223846793005ULL

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
    rng->state = old * PCG_MULTIPLIER + rng->increment;
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

#if defined(__x86_64__) && (defined(__clang__) || __GNUC__ >= 12)
#include <immintrin.h>
#define RNG_AVX512 1
#define RNG_LANES 16 /* draws per round: two vectors of 8 states */

/* rng_uniform_fill in AVX-512, whole rounds of 16 draws: lane j of the two vectors holds the
 * state of draw k + j, all advance 16 draws at once (s -> A s + C, A and C those of 16 single
 * steps, mod 2^64), and every lane makes its draw as rng_next and rng_uniform do (the same
 * integer operations, the same exact conversion and scaling). Returns the draws made; the
 * generator is left after them. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static int fill_avx512(Rng *rng, float scale, float *out,
                                                                            int count)
{
    const int rounds = count / RNG_LANES;
    if (rounds == 0)
        return 0;
    uint64_t states[RNG_LANES], jump_multiplier = 1, jump_increment = 0;
    for (int j = 0; j < RNG_LANES; j++) {
        states[j] = rng->state;
        rng->state = rng->state * PCG_MULTIPLIER + rng->increment;
        jump_multiplier *= PCG_MULTIPLIER; /* A = a^16, C = sum of a^i c, i < 16 */
        jump_increment = jump_increment * PCG_MULTIPLIER + rng->increment;
    }
    const __m512i multiplier = _mm512_set1_epi64((long long)jump_multiplier);
    const __m512i increment = _mm512_set1_epi64((long long)jump_increment);
    const __m256 unit = _mm256_set1_ps(1.0f / 16777216.0f), scaled = _mm256_set1_ps(scale);
    __m512i low = _mm512_loadu_si512(states), high = _mm512_loadu_si512(states + 8);
    for (int round = 0; round < rounds; round++) {
        for (int half = 0; half < 2; half++) {
            const __m512i old = half ? high : low;
            const __m512i mixed = _mm512_srli_epi64(_mm512_xor_si512(_mm512_srli_epi64(old, 18), old), 27);
            const __m256i xorshifted = _mm512_cvtepi64_epi32(mixed); /* the low 32 bits */
            const __m256i rot = _mm512_cvtepi64_epi32(_mm512_srli_epi64(old, 59));
            const __m256i bits = _mm256_srli_epi32(_mm256_rorv_epi32(xorshifted, rot), 8);
            const __m256 draw = _mm256_mul_ps(_mm256_cvtepi32_ps(bits), unit);
            _mm256_storeu_ps(out + round * RNG_LANES + half * 8, _mm256_mul_ps(scaled, draw));
        }
        low = _mm512_add_epi64(_mm512_mullo_epi64(low, multiplier), increment);
        high = _mm512_add_epi64(_mm512_mullo_epi64(high, multiplier), increment);
    }
    _mm512_storeu_si512(states, low);
    rng->state = states[0]; /* the state of the first draw not made */
    return rounds * RNG_LANES;
}
#endif

void rng_uniform_fill(Rng *rng, float scale, float *out, int count, int wide)
{
    int i = 0;
#ifdef RNG_AVX512
    if (wide && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
        i = fill_avx512(rng, scale, out, count);
#else
    (void)wide;
#endif
    for (; i < count; i++)
        out[i] = scale * rng_uniform(rng);
}
