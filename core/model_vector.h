/* model_vector: the vector types, lane macros and floating-point mode shared by the model's
 * kernels (model_field.c, model_kernels.c) and its learning loop. Internal to core/model*. */
#ifndef HM_MODEL_VECTOR_H
#define HM_MODEL_VECTOR_H

#include <stdint.h>

/* SIMD. The hot loops (drive, settling, learning) are written for vectors of W floats with
 * the GCC/Clang vector extension and built for W = 4 (SSE2 or NEON: every x86-64 and
 * ARM64 machine); on x86-64 they are also built for AVX (W = 8), chosen at run time. Every
 * lane does exactly the operations of the plain scalar loop, in the same order (no fused
 * multiply-add, no reassociation), so all versions give bit-identical results. Other
 * compilers build the plain loops (W = 1). */
#if defined(__GNUC__)
#define MODEL_VECTORS 1
#define BASE_LANES 4
#if defined(__x86_64__)
#define MODEL_AVX 1
#endif
/* Vec: W floats; VecMask: W lanes of all-ones or zero; VecAt: W floats at any address. */
#define LANE_TYPES(W)                                                                       \
    typedef float Vec __attribute__((vector_size(4 * (W)), unused));                        \
    typedef int32_t VecMask __attribute__((vector_size(4 * (W)), unused));                  \
    typedef uint64_t VecPairs __attribute__((vector_size(4 * (W)), unused));                \
    typedef float VecAt __attribute__((vector_size(4 * (W)), aligned(4), may_alias, unused))
#define VEC_AT(p) (*(VecAt *)(p))
#define VEC_POSITIVE(x) ((x) > 0.0f)                     /* lanes set where x > 0 */
#define VEC_KEEP(x, mask) ((Vec)((VecMask)(x) & (mask))) /* x where mask is set, else +0 */
#define VEC_NONZERO(x) ((VecMask)(x)) /* lanes not +0 (so, for x >= 0, where x > 0) */
#define VEC_MAX(x, y) /* x > y ? x : y, lane by lane */                                     \
    ({                                                                                      \
        const VecMask above_ = (x) > (y);                                                   \
        (Vec)(((VecMask)(x) & above_) | ((VecMask)(y) & ~above_));                          \
    })
#define VEC_BELOW(x, top) /* x < top ? x : top, lane by lane */                             \
    ({                                                                                      \
        const VecMask below_ = (x) < (top);                                                 \
        (Vec)(((VecMask)(x) & below_) | ((VecMask)(top) & ~below_));                        \
    })
#if defined(__x86_64__)
/* VEC_CLAMP in one MAXPS and one MINPS: with these operand orders their NaN and
 * signed-zero rules are exactly those of the C expression. */
#define VEC_CLAMP_SSE(x, top) __builtin_ia32_minps(__builtin_ia32_maxps(x, (Vec){0.0f}), top)
#define VEC_CLAMP_AVX(x, top)                                                               \
    __builtin_ia32_minps256(__builtin_ia32_maxps256(x, (Vec){0.0f}), top)
#endif
#define VEC_ANY(mask, W) /* is any lane of mask set? (looked at two lanes at a time) */     \
    ({                                                                                      \
        const VecPairs pairs_ = (VecPairs)(mask);                                           \
        int any_ = 0;                                                                       \
        for (int k_ = 0; k_ < (W) / 2; k_++)                                                \
            any_ |= pairs_[k_] != 0;                                                        \
        any_;                                                                               \
    })
#if defined(__clang__) || __GNUC__ >= 12
#define SHUFFLE4(a, b, i, j, k, l) __builtin_shufflevector(a, b, i, j, k, l)
#ifdef MODEL_AVX
#define MODEL_AVX_DRIVE 1
#endif
#else
#define SHUFFLE4(a, b, i, j, k, l) __builtin_shuffle(a, b, (VecMask){i, j, k, l})
#endif
#define FORCE_INLINE inline __attribute__((always_inline))
#if defined(__x86_64__)
/* Holds a loaded vector in a register. Where two rows share a vector of terms (the passes'
 * pairs of rows), GCC otherwise folds the load into each multiply that reads it: twice
 * the loads, and the pairs' inner loops then wait on the load ports, not on the
 * arithmetic. Changes no operation. */
#define IN_REGISTER(x) __asm__("" : "+v"(x))
#else
#define IN_REGISTER(x) ((void)0)
#endif
#else
#define BASE_LANES 1
#define LANE_TYPES(W) typedef float Vec
typedef int VecMask;
#define VEC_AT(p) (*(p))
#define VEC_POSITIVE(x) (-((x) > 0.0f))
#define VEC_KEEP(x, mask) ((mask) ? (x) : 0.0f)
#define VEC_NONZERO(x) ((x) != 0.0f)
#define VEC_MAX(x, y) ((x) > (y) ? (x) : (y))
#define VEC_BELOW(x, top) ((x) < (top) ? (x) : (top))
#define VEC_ANY(mask, W) ((mask) != 0)
#define FORCE_INLINE inline
#define IN_REGISTER(x) ((void)0)
#endif
/* x > 0 ? (x < top ? x : top) : 0, lane by lane: the rectified field under its ceiling. */
#define VEC_CLAMP(x, top) VEC_KEEP(VEC_BELOW(x, top), VEC_POSITIVE(x))
/* The four vectors of terms a pair of rows shares (two halves of two kernels), in registers. */
#define IN_REGISTERS4(a, b, c, d) \
    do {                          \
        IN_REGISTER(a);           \
        IN_REGISTER(b);           \
        IN_REGISTER(c);           \
        IN_REGISTER(d);           \
    } while (0)

#ifdef MODEL_AVX
/* Whether the AVX versions of the loops can run on this machine. */
static inline int have_avx(void)
{
    return __builtin_cpu_supports("avx");
}
#endif

#if defined(MODEL_AVX) && (defined(__clang__) || __GNUC__ >= 12)
/* AVX-512 (W = 16) for the settle's passes and the noise field: the same operations lane by
 * lane as the narrower paths, so the same results. */
#define MODEL_AVX512 1
#include <immintrin.h>
#define AVX512_TARGET __attribute__((target("avx512f,avx512dq")))
static inline int have_avx512(void)
{
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
/* VEC_CLAMP in one VMAXPS and one VMINPS (their NaN and signed-zero rules are those of
 * MAXPS and MINPS: see VEC_CLAMP_SSE). */
#define VEC_CLAMP_AVX512(x, top)                                                            \
    ((Vec)_mm512_min_ps(_mm512_max_ps((__m512)(x), _mm512_setzero_ps()), (__m512)(top)))
#define VEC_ANY_AVX512(mask, W) (_mm512_test_epi32_mask((__m512i)(mask), (__m512i)(mask)) != 0)
#endif

/* The widest vectors (in floats) the kernels may use on this machine: 16 (AVX-512), 8 (AVX)
 * or BASE_LANES. A model may be held to fewer (model_limit_lanes); every width gives the
 * same results. */
static inline int widest_lanes(void)
{
#ifdef MODEL_AVX512
    if (have_avx512())
        return 16;
#endif
#ifdef MODEL_AVX
    if (have_avx())
        return 8;
#endif
    return BASE_LANES;
}

#if defined(__SSE2__) || defined(_M_X64)
#include <xmmintrin.h>
/* MXCSR flush-to-zero and denormals-are-zero. Far from the bump the lateral terms fall
 * below FLT_MIN, and x86 takes a microcode assist on every denormal operand or result:
 * with the default narrow kernels that made settling 5 to 6 times slower. Flushed, such a
 * term becomes 0 instead of about 1e-40, which vanishes anyway when added to the inhibition
 * and the drive (trained weights come out bit-identical). */
#define FLUSH_DENORMALS 0x8040u
#endif

/* Sets flush-to-zero mode; returns the caller's mode for denormals_restore. */
static inline unsigned int denormals_flush(void)
{
#ifdef FLUSH_DENORMALS
    const unsigned int caller_mode = _mm_getcsr();
    _mm_setcsr(caller_mode | FLUSH_DENORMALS);
    return caller_mode;
#else
    return 0;
#endif
}

static inline void denormals_restore(unsigned int caller_mode)
{
#ifdef FLUSH_DENORMALS
    _mm_setcsr(caller_mode);
#else
    (void)caller_mode;
#endif
}

#endif
