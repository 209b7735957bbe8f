/* Settling the field: the Euler steps of tau du/dt = -u + (Ke G_e - Ki G_i) (*) max(u, 0) + I
 * with separable kernels, over the active rows only, and the deferral of rows certified to
 * stay silent. Built for vectors of 4 floats and, on x86-64, AVX (chosen at run time); every
 * path gives bit-identical results. The semantics are in model.c and docs/model.md. */
#include "model_internal.h"
#include "model_vector.h"

#include <math.h>
#include <string.h>

/* Settling. A step is the lateral interaction of the rectified field V = max(U, 0) (held
 * below the activity ceiling) with the separable difference of Gaussians, then an Euler
 * step: a horizontal pass over the rows where V has active units, then a vertical pass
 * over those rows only, fused with the Euler step of each row. Only the bump is active
 * once the field has settled, so a step costs about (active rows) x n^2 instead of n^4.
 * During settling, m->active_rows lists the first unit (y n) of each active row y. */

/* Rows whose activity the fused step tracks in one bit mask; a larger sheet rectifies
 * the field in a pass of its own each step. */
#define ROW_MASK_BITS 64

/* The Euler step u += (-u + (Le - Li) + I) dt / tau of the W units at column x of the
 * current row, from its lateral terms e and i (uses the row pointers u, in, le, li, v and
 * rate, top, keep_terms, rectify, active of lateral_*_columns). With keep_terms, Le and
 * Li are kept; with rectify, V = CLAMP(u, ceiling) is set for the next step and the lanes
 * left active are added to `active`. */
#define EULER_STEP(e, i, x, CLAMP)                                                          \
    do {                                                                                    \
        Vec field_ = VEC_AT(u + (x));                                                       \
        if (keep_terms) {                                                                   \
            VEC_AT(le + (x)) = (e);                                                         \
            VEC_AT(li + (x)) = (i);                                                         \
        }                                                                                   \
        field_ += (-field_ + ((e) - (i)) + VEC_AT(in + (x))) * rate;                        \
        VEC_AT(u + (x)) = field_;                                                           \
        if (rectify) {                                                                      \
            const Vec rectified_ = CLAMP(field_, top);                                      \
            VEC_AT(v + (x)) = rectified_;                                                   \
            active |= VEC_NONZERO(rectified_);                                              \
        }                                                                                   \
    } while (0)

/* The span [*first, *last) from a row's first to its last active unit (V > 0), empty
 * (n, n) when none is; whole vectors of zeros are passed over at once. */
static FORCE_INLINE void active_span_scan(const float *v, int n, int *first, int *last)
{
    LANE_TYPES(BASE_LANES);
    int lo = 0, hi = n;
    while (lo + BASE_LANES <= hi && !VEC_ANY(VEC_POSITIVE(VEC_AT(v + lo)), BASE_LANES))
        lo += BASE_LANES;
    while (lo < hi && !(v[lo] > 0.0f))
        lo++;
    while (hi - BASE_LANES >= lo && !VEC_ANY(VEC_POSITIVE(VEC_AT(v + hi - BASE_LANES)), BASE_LANES))
        hi -= BASE_LANES;
    while (hi > lo && !(v[hi - 1] > 0.0f))
        hi--;
    *first = lo;
    *last = hi;
}

#if defined(MODEL_AVX)
/* The same span from a bit mask of the active units, W at a time with MOVMSKPS (POSITIVE_BITS
 * of W floats: bit k set where lane k > 0), for rows of at most 64 units: the scan above
 * cost a tenth of the settle's instructions (the horizontal pass and the certificate call it
 * for every active row of every step). */
#define ACTIVE_SPAN_BY_BITS(NAME, ATTRIBUTES, W, POSITIVE_BITS)                             \
    ATTRIBUTES static FORCE_INLINE void NAME(const float *v, int n, int *first, int *last)  \
    {                                                                                       \
        LANE_TYPES(W);                                                                      \
        if (n > 64) {                                                                       \
            active_span_scan(v, n, first, last);                                            \
            return;                                                                         \
        }                                                                                   \
        uint64_t bits = 0;                                                                  \
        int x = 0;                                                                          \
        for (; x + (W) <= n; x += (W))                                                      \
            bits |= (uint64_t)(unsigned)POSITIVE_BITS(VEC_AT(v + x)) << x;                  \
        for (; x < n; x++)                                                                  \
            bits |= (uint64_t)(v[x] > 0.0f) << x;                                           \
        *first = bits ? __builtin_ctzll(bits) : n;                                          \
        *last = bits ? 64 - __builtin_clzll(bits) : n;                                      \
    }
#define POSITIVE_BITS_SSE(x) __builtin_ia32_movmskps((Vec)VEC_POSITIVE(x))
#define POSITIVE_BITS_AVX(x) __builtin_ia32_movmskps256((Vec)VEC_POSITIVE(x))
ACTIVE_SPAN_BY_BITS(active_span, , BASE_LANES, POSITIVE_BITS_SSE)
ACTIVE_SPAN_BY_BITS(active_span_avx, __attribute__((target("avx"))), 8, POSITIVE_BITS_AVX)
#ifdef MODEL_AVX512
#define POSITIVE_BITS_AVX512(x) _mm512_cmp_ps_mask((__m512)(x), _mm512_setzero_ps(), _CMP_GT_OQ)
ACTIVE_SPAN_BY_BITS(active_span_avx512, AVX512_TARGET, 16, POSITIVE_BITS_AVX512)
#endif
#else
#define active_span active_span_scan
#endif

/* The two passes of a step for vectors of W floats, as NAME_rows and NAME_columns, with
 * CLAMP rectifying the field and ANY telling whether any lane of a mask is set. Each keeps
 * four vectors of each sum in registers while it walks the terms (two where a row holds
 * fewer than 4 W units: 32 units are 2 vectors of AVX-512). */
#define LATERAL_PASSES(NAME, ATTRIBUTES, W, CLAMP, SPAN, ANY)                                     \
    /* Horizontal pass: row a of row_e and row_i receives, for every column x, the sum over \
     * the units xs of active row a (rows[a] is its first unit; in order) of V[xs] times    \
     * the x factors' entry (xs, x). Only the span from the row's first to its last active  \
     * unit is walked (and kept in m->spans): a zero in between adds exactly +0 (V >= 0,    \
     * the factors are positive), leaving sums unchanged. On a sheet of 2 W columns two    \
     * active rows are summed together over the union of their spans (for the same reason \
     * exact): eight independent chains of additions instead of four. */                   \
    ATTRIBUTES static void NAME##_rows(Model *m, const int *rows, int active_rows,          \
                                       float *row_e, float *row_i)                          \
    {                                                                                       \
        LANE_TYPES(W);                                                                      \
        const int n = m->n;                                                                 \
        const float *kernel_e = m->kernel_excitation_x, *kernel_i = m->kernel_inhibition_x; \
        for (int a = 0; a < active_rows; a++) {                                             \
            if (n == 2 * (W) && a + 1 < active_rows) {                                      \
                const float *va = m->v + rows[a], *vb = m->v + rows[a + 1];                 \
                int first_a, last_a, first_b, last_b;                                       \
                SPAN(va, n, &first_a, &last_a);                                             \
                SPAN(vb, n, &first_b, &last_b);                                             \
                m->spans[2 * a] = first_a;                                                  \
                m->spans[2 * a + 1] = last_a;                                               \
                m->spans[2 * a + 2] = first_b;                                              \
                m->spans[2 * a + 3] = last_b;                                               \
                const int first = first_a < first_b ? first_a : first_b;                    \
                const int last = last_a > last_b ? last_a : last_b;                         \
                Vec ea0 = {0.0f}, ea1 = {0.0f}, ia0 = {0.0f}, ia1 = {0.0f};                 \
                Vec eb0 = {0.0f}, eb1 = {0.0f}, ib0 = {0.0f}, ib1 = {0.0f};                 \
                for (int xs = first; xs < last; xs++) {                                     \
                    const float value_a = va[xs], value_b = vb[xs];                         \
                    const float *ke = kernel_e + xs * n, *ki = kernel_i + xs * n;           \
                    Vec ke0 = VEC_AT(ke), ke1 = VEC_AT(ke + (W));                           \
                    Vec ki0 = VEC_AT(ki), ki1 = VEC_AT(ki + (W));                           \
                    IN_REGISTERS4(ke0, ke1, ki0, ki1);                                      \
                    ea0 += value_a * ke0;                                                   \
                    ea1 += value_a * ke1;                                                   \
                    ia0 += value_a * ki0;                                                   \
                    ia1 += value_a * ki1;                                                   \
                    eb0 += value_b * ke0;                                                   \
                    eb1 += value_b * ke1;                                                   \
                    ib0 += value_b * ki0;                                                   \
                    ib1 += value_b * ki1;                                                   \
                }                                                                           \
                float *he = row_e + a * n, *hi = row_i + a * n;                             \
                VEC_AT(he) = ea0;                                                           \
                VEC_AT(he + (W)) = ea1;                                                     \
                VEC_AT(hi) = ia0;                                                           \
                VEC_AT(hi + (W)) = ia1;                                                     \
                VEC_AT(he + n) = eb0;                                                       \
                VEC_AT(he + n + (W)) = eb1;                                                 \
                VEC_AT(hi + n) = ib0;                                                       \
                VEC_AT(hi + n + (W)) = ib1;                                                 \
                a++;                                                                        \
                continue;                                                                   \
            }                                                                               \
            const float *v = m->v + rows[a];                                                \
            float *he = row_e + a * n, *hi = row_i + a * n;                                 \
            int first, last;                                                                \
            SPAN(v, n, &first, &last);                                                      \
            m->spans[2 * a] = first;                                                        \
            m->spans[2 * a + 1] = last;                                                     \
            int x0 = 0;                                                                     \
            for (; x0 + 4 * (W) <= n; x0 += 4 * (W)) {                                      \
                Vec e0 = {0.0f}, e1 = {0.0f}, e2 = {0.0f}, e3 = {0.0f};                     \
                Vec i0 = {0.0f}, i1 = {0.0f}, i2 = {0.0f}, i3 = {0.0f};                     \
                for (int xs = first; xs < last; xs++) {                                     \
                    const float value = v[xs];                                              \
                    const float *ke = kernel_e + xs * n + x0, *ki = kernel_i + xs * n + x0; \
                    e0 += value * VEC_AT(ke);                                               \
                    e1 += value * VEC_AT(ke + (W));                                         \
                    e2 += value * VEC_AT(ke + 2 * (W));                                     \
                    e3 += value * VEC_AT(ke + 3 * (W));                                     \
                    i0 += value * VEC_AT(ki);                                               \
                    i1 += value * VEC_AT(ki + (W));                                         \
                    i2 += value * VEC_AT(ki + 2 * (W));                                     \
                    i3 += value * VEC_AT(ki + 3 * (W));                                     \
                }                                                                           \
                VEC_AT(he + x0) = e0;                                                       \
                VEC_AT(he + x0 + (W)) = e1;                                                 \
                VEC_AT(he + x0 + 2 * (W)) = e2;                                             \
                VEC_AT(he + x0 + 3 * (W)) = e3;                                             \
                VEC_AT(hi + x0) = i0;                                                       \
                VEC_AT(hi + x0 + (W)) = i1;                                                 \
                VEC_AT(hi + x0 + 2 * (W)) = i2;                                             \
                VEC_AT(hi + x0 + 3 * (W)) = i3;                                             \
            }                                                                               \
            for (; x0 + 2 * (W) <= n; x0 += 2 * (W)) {                                      \
                Vec e0 = {0.0f}, e1 = {0.0f}, i0 = {0.0f}, i1 = {0.0f};                     \
                for (int xs = first; xs < last; xs++) {                                     \
                    const float value = v[xs];                                              \
                    const float *ke = kernel_e + xs * n + x0, *ki = kernel_i + xs * n + x0; \
                    e0 += value * VEC_AT(ke);                                               \
                    e1 += value * VEC_AT(ke + (W));                                         \
                    i0 += value * VEC_AT(ki);                                               \
                    i1 += value * VEC_AT(ki + (W));                                         \
                }                                                                           \
                VEC_AT(he + x0) = e0;                                                       \
                VEC_AT(he + x0 + (W)) = e1;                                                 \
                VEC_AT(hi + x0) = i0;                                                       \
                VEC_AT(hi + x0 + (W)) = i1;                                                 \
            }                                                                               \
            for (; x0 + (W) <= n; x0 += (W)) {                                              \
                Vec e = {0.0f}, i = {0.0f};                                                 \
                for (int xs = first; xs < last; xs++) {                                     \
                    e += v[xs] * VEC_AT(kernel_e + xs * n + x0);                            \
                    i += v[xs] * VEC_AT(kernel_i + xs * n + x0);                            \
                }                                                                           \
                VEC_AT(he + x0) = e;                                                        \
                VEC_AT(hi + x0) = i;                                                        \
            }                                                                               \
            for (; x0 < n; x0++) {                                                          \
                float e = 0.0f, i = 0.0f;                                                   \
                for (int xs = first; xs < last; xs++) {                                     \
                    e += v[xs] * kernel_e[xs * n + x0];                                     \
                    i += v[xs] * kernel_i[xs * n + x0];                                     \
                }                                                                           \
                he[x0] = e;                                                                 \
                hi[x0] = i;                                                                 \
            }                                                                               \
        }                                                                                   \
    }                                                                                       \
                                                                                            \
    /* Vertical pass fused with the Euler step: row y's lateral terms are the sums over     \
     * the active rows a (in order) of the y factors' entry (row a, y) times row a of the   \
     * horizontal pass, and the row takes its step while they are in registers. The terms   \
     * are stored only with keep_terms (the last step of a run: learning reads Le). With    \
     * rectify, V is rectified for the next step; returns whether any unit of row y is      \
     * left active. */                                                                      \
    ATTRIBUTES static FORCE_INLINE int NAME##_column_row(                                   \
        Model *m, const int *rows, int active_rows, const float *row_e, const float *row_i, \
        float rate, float ceiling, const int keep_terms, const int rectify, int y)          \
    {                                                                                       \
        LANE_TYPES(W);                                                                      \
        const int n = m->n;                                                                 \
        const Vec top = (Vec){0.0f} + ceiling;                                              \
        const float *kernel_e = m->kernel_excitation_y, *kernel_i = m->kernel_inhibition_y; \
        float *le = m->excitation + y * n, *li = m->inhibition + y * n;                     \
        float *u = m->u + y * n, *v = m->v + y * n;                                         \
        const float *in = m->drive + y * n;                                                 \
        VecMask active = {0};                                                               \
        int x0 = 0;                                                                         \
        for (; x0 + 4 * (W) <= n; x0 += 4 * (W)) {                                          \
            Vec e0 = {0.0f}, e1 = {0.0f}, e2 = {0.0f}, e3 = {0.0f};                         \
            Vec i0 = {0.0f}, i1 = {0.0f}, i2 = {0.0f}, i3 = {0.0f};                         \
            for (int a = 0; a < active_rows; a++) {                                         \
                const float ce = kernel_e[rows[a] + y], ci = kernel_i[rows[a] + y];         \
                const float *he = row_e + a * n + x0, *hi = row_i + a * n + x0;             \
                e0 += ce * VEC_AT(he);                                                      \
                e1 += ce * VEC_AT(he + (W));                                                \
                e2 += ce * VEC_AT(he + 2 * (W));                                            \
                e3 += ce * VEC_AT(he + 3 * (W));                                            \
                i0 += ci * VEC_AT(hi);                                                      \
                i1 += ci * VEC_AT(hi + (W));                                                \
                i2 += ci * VEC_AT(hi + 2 * (W));                                            \
                i3 += ci * VEC_AT(hi + 3 * (W));                                            \
            }                                                                               \
            EULER_STEP(e0, i0, x0, CLAMP);                                                  \
            EULER_STEP(e1, i1, x0 + (W), CLAMP);                                            \
            EULER_STEP(e2, i2, x0 + 2 * (W), CLAMP);                                        \
            EULER_STEP(e3, i3, x0 + 3 * (W), CLAMP);                                        \
        }                                                                                   \
        for (; x0 + 2 * (W) <= n; x0 += 2 * (W)) {                                          \
            Vec e0 = {0.0f}, e1 = {0.0f}, i0 = {0.0f}, i1 = {0.0f};                         \
            for (int a = 0; a < active_rows; a++) {                                         \
                const float ce = kernel_e[rows[a] + y], ci = kernel_i[rows[a] + y];         \
                const float *he = row_e + a * n + x0, *hi = row_i + a * n + x0;             \
                e0 += ce * VEC_AT(he);                                                      \
                e1 += ce * VEC_AT(he + (W));                                                \
                i0 += ci * VEC_AT(hi);                                                      \
                i1 += ci * VEC_AT(hi + (W));                                                \
            }                                                                               \
            EULER_STEP(e0, i0, x0, CLAMP);                                                  \
            EULER_STEP(e1, i1, x0 + (W), CLAMP);                                            \
        }                                                                                   \
        for (; x0 + (W) <= n; x0 += (W)) {                                                  \
            Vec e = {0.0f}, i = {0.0f};                                                     \
            for (int a = 0; a < active_rows; a++) {                                         \
                e += kernel_e[rows[a] + y] * VEC_AT(row_e + a * n + x0);                    \
                i += kernel_i[rows[a] + y] * VEC_AT(row_i + a * n + x0);                    \
            }                                                                               \
            EULER_STEP(e, i, x0, CLAMP);                                                    \
        }                                                                                   \
        int any = ANY(active, W);                                                           \
        for (; x0 < n; x0++) {                                                              \
            float e = 0.0f, i = 0.0f;                                                       \
            for (int a = 0; a < active_rows; a++) {                                         \
                e += kernel_e[rows[a] + y] * row_e[a * n + x0];                             \
                i += kernel_i[rows[a] + y] * row_i[a * n + x0];                             \
            }                                                                               \
            if (keep_terms) {                                                               \
                le[x0] = e;                                                                 \
                li[x0] = i;                                                                 \
            }                                                                               \
            u[x0] += (-u[x0] + (e - i) + in[x0]) * rate;                                    \
            if (rectify) {                                                                  \
                v[x0] = u[x0] > 0.0f ? (u[x0] < ceiling ? u[x0] : ceiling) : 0.0f;          \
                any |= v[x0] > 0.0f;                                                        \
            }                                                                               \
        }                                                                                   \
        return any;                                                                         \
    }                                                                                       \
                                                                                            \
    /* Two rows ya and yb of a sheet of 2 W columns at once: the same sums, lane by lane and \
     * a by a, as NAME_column_row's, and the same steps; the rows' eight sums are chains of \
     * additions independent of each other, where one row's four would wait on the latency  \
     * of each addition. Returns the rows left active (bits ya and yb). */                  \
    ATTRIBUTES static FORCE_INLINE uint64_t NAME##_column_pair(                             \
        Model *m, const int *rows, int active_rows, const float *row_e, const float *row_i, \
        float rate, float ceiling, const int keep_terms, const int rectify, int ya, int yb) \
    {                                                                                       \
        LANE_TYPES(W);                                                                      \
        const int n = m->n;                                                                 \
        const Vec top = (Vec){0.0f} + ceiling;                                              \
        const float *kernel_e = m->kernel_excitation_y, *kernel_i = m->kernel_inhibition_y; \
        Vec ea0 = {0.0f}, ea1 = {0.0f}, ia0 = {0.0f}, ia1 = {0.0f};                         \
        Vec eb0 = {0.0f}, eb1 = {0.0f}, ib0 = {0.0f}, ib1 = {0.0f};                         \
        for (int a = 0; a < active_rows; a++) {                                             \
            const float *he = row_e + a * n, *hi = row_i + a * n;                           \
            Vec he0 = VEC_AT(he), he1 = VEC_AT(he + (W));                                   \
            Vec hi0 = VEC_AT(hi), hi1 = VEC_AT(hi + (W));                                   \
            IN_REGISTERS4(he0, he1, hi0, hi1);                                              \
            const float cea = kernel_e[rows[a] + ya], cia = kernel_i[rows[a] + ya];         \
            const float ceb = kernel_e[rows[a] + yb], cib = kernel_i[rows[a] + yb];         \
            ea0 += cea * he0;                                                               \
            ea1 += cea * he1;                                                               \
            ia0 += cia * hi0;                                                               \
            ia1 += cia * hi1;                                                               \
            eb0 += ceb * he0;                                                               \
            eb1 += ceb * he1;                                                               \
            ib0 += cib * hi0;                                                               \
            ib1 += cib * hi1;                                                               \
        }                                                                                   \
        uint64_t next_rows = 0;                                                             \
        for (int k = 0; k < 2; k++) {                                                       \
            const int y = k ? yb : ya;                                                      \
            float *le = m->excitation + y * n, *li = m->inhibition + y * n;                 \
            float *u = m->u + y * n, *v = m->v + y * n;                                     \
            const float *in = m->drive + y * n;                                             \
            VecMask active = {0};                                                           \
            EULER_STEP(k ? eb0 : ea0, k ? ib0 : ia0, 0, CLAMP);                             \
            EULER_STEP(k ? eb1 : ea1, k ? ib1 : ia1, W, CLAMP);                             \
            if (ANY(active, W))                                                             \
                next_rows |= (uint64_t)1 << y;                                              \
        }                                                                                   \
        return next_rows;                                                                   \
    }                                                                                       \
                                                                                            \
    /* The vertical pass over every row not in skip_rows; returns the rows left active (bit \
     * y). A sheet of 2 W columns takes its rows two at a time (NAME_column_pair). */       \
    ATTRIBUTES static FORCE_INLINE uint64_t NAME##_columns_with(                            \
        Model *m, const int *rows, int active_rows, const float *row_e, const float *row_i, \
        float rate, float ceiling, const int keep_terms, const int rectify,                 \
        uint64_t skip_rows)                                                                 \
    {                                                                                       \
        const int n = m->n;                                                                 \
        uint64_t next_rows = 0;                                                             \
        int y = 0;                                                                          \
        if (n == 2 * (W)) {                                                                 \
            int pending = -1; /* a row waiting for a second */                              \
            for (; y < n; y++) {                                                            \
                if (skip_rows >> y & 1u)                                                    \
                    continue;                                                               \
                if (pending < 0) {                                                          \
                    pending = y;                                                            \
                    continue;                                                               \
                }                                                                           \
                next_rows |= NAME##_column_pair(m, rows, active_rows, row_e, row_i, rate,   \
                                                ceiling, keep_terms, rectify, pending, y);  \
                pending = -1;                                                               \
            }                                                                               \
            if (pending >= 0 && NAME##_column_row(m, rows, active_rows, row_e, row_i, rate, \
                                                  ceiling, keep_terms, rectify, pending))   \
                next_rows |= (uint64_t)1 << pending;                                        \
            return next_rows;                                                               \
        }                                                                                   \
        for (; y < n; y++) {                                                                \
            if (y < ROW_MASK_BITS && (skip_rows >> y & 1u))                                 \
                continue;                                                                   \
            if (NAME##_column_row(m, rows, active_rows, row_e, row_i, rate, ceiling,        \
                                  keep_terms, rectify, y) &&                                \
                y < ROW_MASK_BITS)                                                          \
                next_rows |= (uint64_t)1 << y;                                              \
        }                                                                                   \
        return next_rows;                                                                   \
    }                                                                                       \
                                                                                            \
    /* The step built once for each way it is used (the last step keeps the terms and does  \
     * not rectify), so that the flags branch nowhere in the loops. */                      \
    ATTRIBUTES static uint64_t NAME##_columns(Model *m, const int *rows, int active_rows,   \
                                              const float *row_e, const float *row_i,       \
                                              float rate, float ceiling, int keep_terms,    \
                                              int rectify, uint64_t skip_rows)              \
    {                                                                                       \
        if (keep_terms)                                                                     \
            return NAME##_columns_with(m, rows, active_rows, row_e, row_i, rate, ceiling,   \
                                       1, rectify, skip_rows);                              \
        if (rectify && active_rows == 0) /* no lateral terms: the field only relaxes */     \
            return NAME##_columns_with(m, rows, 0, row_e, row_i, rate, ceiling, 0, 1,       \
                                       skip_rows);                                          \
        if (rectify)                                                                        \
            return NAME##_columns_with(m, rows, active_rows, row_e, row_i, rate, ceiling,   \
                                       0, 1, skip_rows);                                    \
        return NAME##_columns_with(m, rows, active_rows, row_e, row_i, rate, ceiling, 0, 0, \
                                   skip_rows);                                              \
    }

#ifdef MODEL_AVX
LATERAL_PASSES(lateral_base, , BASE_LANES, VEC_CLAMP_SSE, active_span, VEC_ANY)
LATERAL_PASSES(lateral_avx, __attribute__((target("avx"))), 8, VEC_CLAMP_AVX, active_span_avx, VEC_ANY)
#else
LATERAL_PASSES(lateral_base, , BASE_LANES, VEC_CLAMP, active_span, VEC_ANY)
#endif
#ifdef MODEL_AVX512
LATERAL_PASSES(lateral_avx512, AVX512_TARGET, 16, VEC_CLAMP_AVX512, active_span_avx512, VEC_ANY_AVX512)
#endif

/* The firing rate where V saturates (infinite when there is no ceiling). */
static float activity_ceiling(const Model *m)
{
    return m->params.activity_ceiling > 0.0f ? m->params.activity_ceiling : INFINITY;
}

/* Rectifies the field, V = min(max(U, 0), ceiling), and lists the active rows; returns
 * how many. */
static int rectify_field(Model *m, float ceiling)
{
    const int n = m->n;
    int active_rows = 0;
    for (int y = 0; y < n; y++) {
        const float *restrict u = m->u + y * n;
        float *restrict v = m->v + y * n;
        for (int x = 0; x < n; x++)
            v[x] = u[x] > 0.0f ? (u[x] < ceiling ? u[x] : ceiling) : 0.0f;
        int any = 0;
        for (int x = 0; x < n; x++)
            any |= v[x] > 0.0f;
        if (any)
            m->active_rows[active_rows++] = y * n;
    }
    return active_rows;
}

/* Lists the rows set in a mask from lateral_*_columns; returns how many. */
static int list_rows(Model *m, uint64_t rows)
{
    int active_rows = 0;
#if defined(__GNUC__)
    for (; rows; rows &= rows - 1) /* lowest set bit first: rows in order */
        m->active_rows[active_rows++] = __builtin_ctzll(rows) * m->n;
#else
    for (int y = 0; y < m->n && y < ROW_MASK_BITS; y++)
        if (rows >> y & 1u)
            m->active_rows[active_rows++] = y * m->n;
#endif
    return active_rows;
}

/* Deferred rows (model_present only). Once a bump has formed, the far field is held below
 * zero by the surround inhibition. A row whose every unit is certified to stay silent is
 * not stepped: its Euler steps are deferred, with what they read (the active rows and
 * their horizontal terms, step by step) kept in a history. If the certificate still holds
 * at the end of the settle, the deferred steps are never taken: they would change nothing
 * that is read (V stays 0 there; the last step computes Le everywhere; U is scratch, reset
 * by the next stimulus). If it breaks, or the history is full, the deferred rows take
 * their steps then, exactly as they would have (same operations, same order), before
 * anything reads them. Either way results are bit-identical to stepping every row.
 *
 * The certificate: while the active units stay inside a region R and their total activity
 * S stays at least s_min, unit j's input satisfies
 *   (Le - Li + I)_j <= I_j + S (max_R Ke(., j) - min_R Ki(., j)) <= I_j - s_min D_j < 0
 * (the kernels are separable, so the max and min over R are products of 1-D ones), so
 * u_j <= 0 stays <= 0. Every step checks R and s_min. The margins (DEFER_MARGIN of the
 * terms' size) cover the float rounding of the sums many times over. */
#define DEFER_MARGIN 1.0e-2f
/* Units by which R extends the active region. 0 is exact like any other value (a unit
 * active outside R breaks the certificate, and the deferred rows catch up) and defers most:
 * on the callgrind day of docs/schedules.md, 5.78 billion instructions against 5.96 with 1
 * and 6.17 with 2. */
#define DEFER_PAD 0
#define DEFER_SHARE 0.9f    /* S may fall to this share of its value when certified */
#define DEFER_TRY_EVERY 4   /* steps between attempts to certify */

typedef struct {
    int y0, y1, x0, x1; /* R: the active units must stay in rows y0..y1, columns x0..x1 */
    float s_min;
} Certificate;

/* The active units' bounding box (rows y0..y1, columns x0..x1) and total activity; 0 when
 * nothing is active. */
static int active_extent(const Model *m, int active_rows, int box[4], float *total)
{
    const int n = m->n;
    int x0 = n, x1 = -1;
    float sum = 0.0f;
    for (int a = 0; a < active_rows; a++) {
        const float *v = m->v + m->active_rows[a];
        int first, last;
        active_span(v, n, &first, &last);
        if (first == last)
            continue;
        for (int x = first; x < last; x++)
            sum += v[x];
        x0 = first < x0 ? first : x0;
        x1 = last - 1 > x1 ? last - 1 : x1;
    }
    if (x1 < 0)
        return 0;
    box[0] = m->active_rows[0] / n;
    box[1] = m->active_rows[active_rows - 1] / n;
    box[2] = x0;
    box[3] = x1;
    *total = sum;
    return 1;
}

/* Largest or smallest entry (source in lo..hi) of each target's column of a 1-D factor.
 * On a bounded sheet an entry falls with the distance from the target: the largest is at
 * the source nearest the target, the smallest at an end. */
static void factor_reach(const float *kernel, int n, int torus, int lo, int hi, int largest, float *out)
{
    for (int target = 0; !torus && target < n; target++) {
        const int nearest = target < lo ? lo : target > hi ? hi : target;
        const float a = kernel[lo * n + target], b = kernel[hi * n + target];
        out[target] = largest ? kernel[nearest * n + target] : a < b ? a : b;
    }
    for (int target = 0; torus && target < n; target++) {
        float reach = kernel[lo * n + target];
        for (int source = lo + 1; source <= hi; source++) {
            float k = kernel[source * n + target];
            reach = (largest ? k > reach : k < reach) ? k : reach;
        }
        out[target] = reach;
    }
}

/* The test unit by unit from unit x on; most: the largest S of the units before x. */
static FORCE_INLINE int units_stay_silent(const float *u, const float *in, int x, int n, float excitation_y,
                                          float inhibition_y, const float *excitation_x,
                                          const float *inhibition_x, float total, float most, float *needed)
{
    const float allowed = DEFER_SHARE * total;
    for (; x < n; x++) {
        const float most_e = excitation_y * excitation_x[x];
        const float least_i = inhibition_y * inhibition_x[x];
        const float margin = DEFER_MARGIN * (most_e + least_i);
        const float held = least_i - most_e - margin;
        if (!(u[x] <= 0.0f && held > margin))
            return 0;
        const float s = (in[x] + DEFER_MARGIN * (fabsf(in[x]) + total * least_i)) / held;
        if (!(s <= allowed))
            return 0;
        most = s > most ? s : most;
    }
    *needed = most;
    return 1;
}

/* The certificate's test of one row outside R, from the reach of the kernels' factors over
 * R at its row (excitation_y, inhibition_y) and at each column: whether every unit has
 * u <= 0 and stays silent while S >= DEFER_SHARE total; *needed is then the largest S any
 * of them needs. Four units at a time where vectors are built, sixteen with AVX-512 (the
 * same operations, lane by lane, and the largest S does not depend on the order). */
#ifdef MODEL_VECTORS
#define ROW_STAYS_SILENT(NAME, ATTRIBUTES, W, ANY)                                          \
    ATTRIBUTES static int NAME(const float *u, const float *in, int n, float excitation_y,  \
                               float inhibition_y, const float *excitation_x,               \
                               const float *inhibition_x, float total, float *needed)       \
    {                                                                                       \
        const float allowed = DEFER_SHARE * total;                                          \
        float most = 0.0f;                                                                  \
        int x = 0;                                                                          \
        LANE_TYPES(W);                                                                      \
        const VecMask magnitude_mask = (VecMask){0} + 0x7fffffff;                           \
        Vec lanes = {0.0f};                                                                 \
        for (; x + (W) <= n; x += (W)) {                                                    \
            const Vec most_e = excitation_y * VEC_AT(excitation_x + x);                     \
            const Vec least_i = inhibition_y * VEC_AT(inhibition_x + x);                    \
            const Vec margin = DEFER_MARGIN * (most_e + least_i);                           \
            const Vec held = least_i - most_e - margin; /* D, less the margin */            \
            const Vec drive = VEC_AT(in + x);                                               \
            const Vec magnitude = (Vec)((VecMask)drive & magnitude_mask);                   \
            const Vec s = (drive + DEFER_MARGIN * (magnitude + total * least_i)) / held;    \
            const VecMask pass = (VEC_AT(u + x) <= 0.0f) & (held > margin) & (s <= allowed); \
            if (ANY(~pass, W))                                                              \
                return 0;                                                                   \
            lanes = VEC_MAX(s, lanes);                                                      \
        }                                                                                   \
        for (int k = 0; k < (W); k++)                                                       \
            most = lanes[k] > most ? lanes[k] : most;                                       \
        return units_stay_silent(u, in, x, n, excitation_y, inhibition_y, excitation_x,     \
                                 inhibition_x, total, most, needed);                        \
    }

ROW_STAYS_SILENT(row_stays_silent, , BASE_LANES, VEC_ANY)
#else
static int row_stays_silent(const float *u, const float *in, int n, float excitation_y, float inhibition_y,
                            const float *excitation_x, const float *inhibition_x, float total, float *needed)
{
    return units_stay_silent(u, in, 0, n, excitation_y, inhibition_y, excitation_x, inhibition_x, total, 0.0f,
                             needed);
}
#endif
#ifdef MODEL_AVX512
ROW_STAYS_SILENT(row_stays_silent_avx512, AVX512_TARGET, 16, VEC_ANY_AVX512)
#endif

typedef int (*RowTest)(const float *, const float *, int, float, float, const float *, const float *, float,
                       float *);

/* Certifies the rows outside R (the active region padded by DEFER_PAD) whose every unit
 * has u <= 0 and stays silent while S >= DEFER_SHARE S (now); sets the certificate (s_min:
 * the largest S any of them needs) and returns the rows (0: none, or nothing active).
 *
 * With rows already deferred under *c, it looks for more rows to defer: R then shrinks to
 * the padded active region within the old R, and s_min can only rise, so that whenever the
 * new certificate holds the old one does too and the rows deferred under it stay silent.
 * Their u (not stepped since) is still <= 0, the only thing the test reads of it. The
 * certificate changes only when rows are added; returns them. */
static uint64_t certify_rows(Model *m, int active_rows, Certificate *c, uint64_t deferred)
{
    const int n = m->n;
    int box[4];
    float total;
    if (!active_extent(m, active_rows, box, &total))
        return 0;
    Certificate next;
    next.y0 = box[0] - DEFER_PAD > 0 ? box[0] - DEFER_PAD : 0;
    next.y1 = box[1] + DEFER_PAD < n - 1 ? box[1] + DEFER_PAD : n - 1;
    next.x0 = box[2] - DEFER_PAD > 0 ? box[2] - DEFER_PAD : 0;
    next.x1 = box[3] + DEFER_PAD < n - 1 ? box[3] + DEFER_PAD : n - 1;
    if (deferred) {
        if (box[0] < c->y0 || box[1] > c->y1 || box[2] < c->x0 || box[3] > c->x1)
            return 0; /* the certificate breaks at this step anyway */
        next.y0 = next.y0 > c->y0 ? next.y0 : c->y0;
        next.y1 = next.y1 < c->y1 ? next.y1 : c->y1;
        next.x0 = next.x0 > c->x0 ? next.x0 : c->x0;
        next.x1 = next.x1 < c->x1 ? next.x1 : c->x1;
        if (next.y0 == c->y0 && next.y1 == c->y1 && next.x0 == c->x0 && next.x1 == c->x1)
            return 0; /* R has not shrunk: no row outside it would pass that did not */
    }
    const int torus = m->params.sheet_torus;
    float *excitation_y = m->reach, *inhibition_y = m->reach + n;
    float *excitation_x = m->reach + 2 * n, *inhibition_x = m->reach + 3 * n;
    factor_reach(m->kernel_excitation_y, n, torus, next.y0, next.y1, 1, excitation_y);
    factor_reach(m->kernel_inhibition_y, n, torus, next.y0, next.y1, 0, inhibition_y);
    factor_reach(m->kernel_excitation_x, n, torus, next.x0, next.x1, 1, excitation_x);
    factor_reach(m->kernel_inhibition_x, n, torus, next.x0, next.x1, 0, inhibition_x);
    float s_min = deferred ? c->s_min : 0.0f;
    uint64_t rows = 0;
    for (int y = 0; y < n && y < ROW_MASK_BITS; y++) {
        if ((y >= next.y0 && y <= next.y1) || (deferred >> y & 1u))
            continue;
        float needed; /* the S row y needs */
        RowTest test = row_stays_silent;
#ifdef MODEL_AVX512
        if (m->lanes >= 16)
            test = row_stays_silent_avx512;
#endif
        if (test(m->u + y * n, m->drive + y * n, n, excitation_y[y], inhibition_y[y], excitation_x,
                 inhibition_x, total, &needed)) {
            rows |= (uint64_t)1 << y;
            s_min = needed > s_min ? needed : s_min;
        }
    }
    if (rows) {
        next.s_min = s_min;
        *c = next;
    }
    return rows;
}

/* Whether the active units are still inside R with at least s_min of total activity
 * (from the spans the horizontal pass found). */
static int certificate_holds(const Model *m, int active_rows, const Certificate *c)
{
    const int n = m->n;
    if (active_rows == 0 || m->active_rows[0] / n < c->y0 || m->active_rows[active_rows - 1] / n > c->y1)
        return 0;
    float total = 0.0f;
    for (int a = 0; a < active_rows; a++) {
        const int first = m->spans[2 * a], last = m->spans[2 * a + 1];
        if (first < last && (first < c->x0 || last - 1 > c->x1))
            return 0;
        const float *v = m->v + m->active_rows[a];
        for (int x = first; x < last; x++)
            total += v[x];
    }
    return total >= c->s_min;
}

typedef void (*RowsPass)(Model *, const int *, int, float *, float *);
typedef uint64_t (*ColumnsPass)(Model *, const int *, int, const float *, const float *, float,
                                float, int, int, uint64_t);

/* Deferred steps: the k-th kept its active rows at lists + k n and their horizontal terms
 * (excitation, then inhibition) at terms + offset[k], and deferred the rows in skipped[k]
 * (rows join a deferral when they are certified later). */
typedef struct {
    uint64_t rows; /* the deferred rows (0: none) */
    uint64_t skipped[DEFER_STEPS];
    int steps;
    size_t used;   /* floats of terms used */
} Deferral;


/* Takes the deferred rows' steps and ends the deferral. */
static void catch_up(Model *m, Deferral *d, ColumnsPass columns_pass, float rate, float ceiling)
{
    const int n = m->n;
    for (int k = 0; k < d->steps; k++) {
        const int count = m->deferred_counts[k];
        const float *terms = m->deferred_terms + m->deferred_offsets[k];
        columns_pass(m, m->deferred_lists + k * n, count, terms, terms + (size_t)count * (size_t)n,
                     rate, ceiling, 0, 1, ~d->skipped[k]);
    }
    d->rows = 0;
    d->steps = 0;
    d->used = 0;
}

/* Settling runs with denormals flushed (the caller's floating-point mode is restored),
 * so results do not depend on the thread's mode. model_field() keeps showing V as it was
 * at the start of the last step, as it always has. With defer, silent rows are deferred
 * (the run must then be the whole settle). */
int model_field_settle(Model *m, int max_steps, int defer)
{
    const unsigned int caller_mode = denormals_flush();
    RowsPass rows_pass = lateral_base_rows;
    ColumnsPass columns_pass = lateral_base_columns;
#ifdef MODEL_AVX
    if (m->lanes >= 8) {
        rows_pass = lateral_avx_rows;
        columns_pass = lateral_avx_columns;
    }
#endif
#ifdef MODEL_AVX512
    if (m->lanes >= 16) {
        rows_pass = lateral_avx512_rows;
        columns_pass = lateral_avx512_columns;
    }
#endif
    const int n = m->n;
    const float rate = m->params.dt / m->params.tau, ceiling = activity_ceiling(m);
    const int track_rows = n <= ROW_MASK_BITS;
    defer = defer && track_rows;
    Deferral deferral = {0};
    Certificate certificate = {0};
    int active_rows = m->steps_left > 0 && max_steps > 0 ? rectify_field(m, ceiling) : 0;
    for (int step = 1; m->steps_left > 0 && max_steps > 0; step++) {
        const int more = m->steps_left > 1 && max_steps > 1; /* another step in this run */
        if (defer && more && active_rows > 0 && step % DEFER_TRY_EVERY == 0)
            deferral.rows |= certify_rows(m, active_rows, &certificate, deferral.rows);
        const size_t terms = 2 * (size_t)active_rows * (size_t)n;
        if (deferral.rows && more &&
            (deferral.steps == DEFER_STEPS || deferral.used + terms > DEFER_TERMS(n)))
            catch_up(m, &deferral, columns_pass, rate, ceiling);
        float *row_e = m->row_excitation, *row_i = m->row_inhibition;
        if (deferral.rows && more) { /* this step's terms go to the history */
            row_e = m->deferred_terms + deferral.used;
            row_i = row_e + (size_t)active_rows * (size_t)n;
        }
        rows_pass(m, m->active_rows, active_rows, row_e, row_i);
        if (deferral.rows && more && !certificate_holds(m, active_rows, &certificate))
            catch_up(m, &deferral, columns_pass, rate, ceiling);
        if (deferral.rows && more) {
            m->deferred_offsets[deferral.steps] = deferral.used;
            m->deferred_counts[deferral.steps] = active_rows;
            deferral.skipped[deferral.steps] = deferral.rows;
            memcpy(m->deferred_lists + deferral.steps * n, m->active_rows,
                   (size_t)active_rows * sizeof *m->active_rows);
            deferral.steps++;
            deferral.used += terms;
        }
        /* the last step computes every row: learning reads Le everywhere */
        uint64_t next_rows = columns_pass(m, m->active_rows, active_rows, row_e, row_i, rate, ceiling,
                                          !more, more && track_rows, more ? deferral.rows : 0);
        if (more)
            active_rows = track_rows ? list_rows(m, next_rows) : rectify_field(m, ceiling);
        m->steps_left--;
        max_steps--;
    }
    denormals_restore(caller_mode);
    return m->steps_left;
}
