/* The model's numeric kernels outside settling: the L1 distances behind the input drive and
 * the pass over every weight when time elapses, in plain C and with GCC/Clang vectors (SSE2
 * or NEON, and AVX chosen at run time), every path bit-identical to the plain loop. */
#include "model_internal.h"
#include "model_vector.h"

#include <math.h>
#include <string.h>

/* |w - s|_1 of one unit, adding |w - s| receptor by receptor. */
static float unit_distance(const float *restrict w, const float *restrict s, int receptors)
{
    float distance = 0.0f;
    for (int r = 0; r < receptors; r++)
        distance += fabsf(w[r] - s[r]);
    return distance;
}

/* The sum over receptors is a chain of dependent additions. With vectors, eight units
 * are summed side by side instead: four receptors of each are loaded, their |w - s|
 * transposed so that a lane holds one unit, and the lanes added in receptor order, so
 * every unit's sum is bit-identical to unit_distance's. Each function below sums |w - s|
 * over the first multiple of 4 receptors of the eight units whose weights start at w,
 * stride apart, into distance[8], and returns how many receptors it summed. */
#ifdef MODEL_VECTORS
static int eight_distances(const float *w, size_t stride, const float *s, int receptors,
                           float distance[8])
{
    LANE_TYPES(4);
    const VecMask magnitude = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    Vec sums[2] = {{0.0f}, {0.0f}}; /* lane k: units k and 4 + k */
    int r = 0;
    for (; r + 4 <= receptors; r += 4) {
        const Vec sv = VEC_AT(s + r);
        for (int half = 0; half < 2; half++) {
            Vec d[4];
            for (int k = 0; k < 4; k++) {
                const float *wk = w + (size_t)(4 * half + k) * stride + (size_t)r;
                d[k] = (Vec)((VecMask)(VEC_AT(wk) - sv) & magnitude);
            }
            const Vec lo01 = SHUFFLE4(d[0], d[1], 0, 4, 1, 5);
            const Vec lo23 = SHUFFLE4(d[2], d[3], 0, 4, 1, 5);
            const Vec hi01 = SHUFFLE4(d[0], d[1], 2, 6, 3, 7);
            const Vec hi23 = SHUFFLE4(d[2], d[3], 2, 6, 3, 7);
            sums[half] += SHUFFLE4(lo01, lo23, 0, 1, 4, 5); /* receptor r */
            sums[half] += SHUFFLE4(lo01, lo23, 2, 3, 6, 7); /* r + 1 */
            sums[half] += SHUFFLE4(hi01, hi23, 0, 1, 4, 5); /* r + 2 */
            sums[half] += SHUFFLE4(hi01, hi23, 2, 3, 6, 7); /* r + 3 */
        }
    }
    for (int k = 0; k < 4; k++) {
        distance[k] = sums[0][k];
        distance[4 + k] = sums[1][k];
    }
    return r;
}
#endif

#ifdef MODEL_AVX_DRIVE
/* The same in AVX: the low half of a vector holds units 0..3, the high half units 4..7,
 * and the transposes work within each half. */
__attribute__((target("avx"))) static int eight_distances_avx(const float *w, size_t stride,
                                                             const float *s, int receptors,
                                                             float distance[8])
{
    LANE_TYPES(8);
    typedef float Half __attribute__((vector_size(16)));
    typedef float HalfAt __attribute__((vector_size(16), aligned(4), may_alias));
    const VecMask magnitude = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                               0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    Vec sum = {0.0f};
    int r = 0;
    for (; r + 4 <= receptors; r += 4) {
        const Half s4 = *(const HalfAt *)(s + r);
        const Vec sv = __builtin_shufflevector(s4, s4, 0, 1, 2, 3, 4, 5, 6, 7);
        Vec d[4];
        for (int k = 0; k < 4; k++) {
            const Half lo = *(const HalfAt *)(w + (size_t)k * stride + (size_t)r);
            const Half hi = *(const HalfAt *)(w + (size_t)(k + 4) * stride + (size_t)r);
            const Vec both = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
            d[k] = (Vec)((VecMask)(both - sv) & magnitude);
        }
        const Vec lo01 = __builtin_shufflevector(d[0], d[1], 0, 8, 1, 9, 4, 12, 5, 13);
        const Vec lo23 = __builtin_shufflevector(d[2], d[3], 0, 8, 1, 9, 4, 12, 5, 13);
        const Vec hi01 = __builtin_shufflevector(d[0], d[1], 2, 10, 3, 11, 6, 14, 7, 15);
        const Vec hi23 = __builtin_shufflevector(d[2], d[3], 2, 10, 3, 11, 6, 14, 7, 15);
        sum += __builtin_shufflevector(lo01, lo23, 0, 1, 8, 9, 4, 5, 12, 13);
        sum += __builtin_shufflevector(lo01, lo23, 2, 3, 10, 11, 6, 7, 14, 15);
        sum += __builtin_shufflevector(hi01, hi23, 0, 1, 8, 9, 4, 5, 12, 13);
        sum += __builtin_shufflevector(hi01, hi23, 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int k = 0; k < 8; k++)
        distance[k] = sum[k];
    return r;
}
#endif

void model_kernel_distances(const Model *m, const float *stimulus, float *distance_out)
{
    const int receptors = m->receptors;
    const float *s = stimulus;
    int i = 0;
#ifdef MODEL_VECTORS
    const size_t stride = (size_t)receptors;
#ifdef MODEL_AVX_DRIVE
    const int avx = m->lanes >= 8;
#endif
    for (; i + 8 <= m->units; i += 8) {
        const float *w = m->weights + (size_t)i * stride;
        float distance[8];
        int r;
#ifdef MODEL_AVX_DRIVE
        if (avx)
            r = eight_distances_avx(w, stride, s, receptors, distance);
        else
#endif
            r = eight_distances(w, stride, s, receptors, distance);
        for (; r < receptors; r++)
            for (int k = 0; k < 8; k++)
                distance[k] += fabsf(w[(size_t)k * stride + (size_t)r] - s[r]);
        for (int k = 0; k < 8; k++)
            distance_out[i + k] = distance[k];
    }
#endif
    for (; i < m->units; i++)
        distance_out[i] = unit_distance(m->weights + (size_t)i * (size_t)receptors, s, receptors);
}

/* The weights' part of an elapse step, four at a time with GNU vector extensions (this
 * runs whenever time passes, over every weight): |x| and the flush of negligible values as
 * bit operations, so that nothing branches. Each of the four lanes keeps its own sum of
 * |early| over the weights i = lane (mod 4), in order, and its own "early change left"
 * mask. Each function continues from weight `from` and returns where it stopped. */
#if defined(__GNUC__)
typedef float Quad __attribute__((vector_size(16)));
typedef int32_t QuadBits __attribute__((vector_size(16)));
typedef float QuadAt __attribute__((vector_size(16), aligned(4), may_alias));

static size_t elapse_weights_quads(float *restrict w, float *restrict e, size_t from, size_t count,
                                   float lost_share, float keep, Quad *lane_magnitude,
                                   QuadBits *lane_left)
{
    const float negligible = NEGLIGIBLE_EARLY;
    int32_t negligible_bits;
    memcpy(&negligible_bits, &negligible, sizeof negligible_bits);
    size_t i = from;
    for (; i + 4 <= count; i += 4) {
        Quad early, weight, magnitude_bits;
        QuadBits bits;
        memcpy(&early, e + i, sizeof early);
        memcpy(&weight, w + i, sizeof weight);
        memcpy(&bits, &early, sizeof bits);
        bits &= 0x7fffffff; /* |early| */
        memcpy(&magnitude_bits, &bits, sizeof bits);
        *lane_magnitude += magnitude_bits;
        weight -= lost_share * early;
        early *= keep;
        memcpy(&bits, &early, sizeof bits);
        QuadBits kept = (bits & 0x7fffffff) >= negligible_bits; /* all ones where kept */
        bits &= kept;
        *lane_left |= kept;
        memcpy(&early, &bits, sizeof early);
        memcpy(e + i, &early, sizeof early);
        memcpy(w + i, &weight, sizeof weight);
    }
    return i;
}

#ifdef MODEL_AVX
/* The elapse of the eight weights from index at, in AVX: their |early| added to the four
 * lanes of sum (low half, then high half), their flush mask to left, their new weights
 * left in new_weight (uses w, e, lost_share, keep, magnitude_mask and negligible). */
#define ELAPSE_EIGHT(at, new_weight)                                                        \
    do {                                                                                    \
        Vec early_ = VEC_AT(e + (at)), weight_ = VEC_AT(w + (at));                          \
        const Vec magnitude_ = (Vec)((VecMask)early_ & magnitude_mask);                     \
        sum += __builtin_shufflevector(magnitude_, magnitude_, 0, 1, 2, 3);                 \
        sum += __builtin_shufflevector(magnitude_, magnitude_, 4, 5, 6, 7);                 \
        weight_ -= lost_share * early_;                                                     \
        early_ *= keep;                                                                     \
        const VecMask kept_ = ~((Vec)((VecMask)early_ & magnitude_mask) < negligible);      \
        const VecMask flushed_ = (VecMask)early_ & kept_;                                   \
        left |= flushed_; /* non-zero exactly where kept */                                 \
        VEC_AT(e + (at)) = (Vec)flushed_;                                                   \
        VEC_AT(w + (at)) = weight_;                                                         \
        (new_weight) = weight_;                                                             \
    } while (0)

/* The same eight weights at a time in AVX, for the whole multiples of 8. The sums stay
 * four lanes wide and take the low half (weights i..i+3) before the high half (i+4..i+7),
 * so every lane adds exactly what it adds, in the order it adds it, in the loop above.
 * The flush compares as floats: for |early| (never negative) that orders exactly like the
 * bits, and ~(x < y) keeps a NaN as the bit comparison does. */
__attribute__((target("avx"))) static size_t elapse_weights_avx(float *restrict w, float *restrict e,
                                                                size_t count, float lost_share,
                                                                float keep, Quad *lane_magnitude,
                                                                QuadBits *lane_left)
{
    LANE_TYPES(8);
    const VecMask magnitude_mask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                                    0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    const Vec negligible = (Vec){0.0f} + NEGLIGIBLE_EARLY;
    Quad sum = *lane_magnitude;
    VecMask left = {0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        Vec weight;
        ELAPSE_EIGHT(i, weight);
        (void)weight;
    }
    *lane_magnitude = sum;
    *lane_left |= __builtin_shufflevector(left, left, 0, 1, 2, 3) | __builtin_shufflevector(left, left, 4, 5, 6, 7);
    return i;
}

/* The same pass unit by unit over each unit's span (model_weight_span; spans are whole
 * quads, as the receptors are), eight weights and then a last four at a time, fused with
 * the norms of the cosine drive: each unit's new weights are squared and summed in the
 * lanes, and the order, unit_norm uses, so m->norm comes out bit-identical to
 * model_kernel_norms without another pass over the weights. The weights skipped are 0
 * with no early part: the flat pass would leave them as they are and add +0 to a lane. */
__attribute__((target("avx"))) static void elapse_weights_norms_avx(Model *m, float lost_share, float keep,
                                                                    Quad *lane_magnitude,
                                                                    QuadBits *lane_left)
{
    LANE_TYPES(8);
    const VecMask magnitude_mask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff,
                                    0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    const Vec negligible = (Vec){0.0f} + NEGLIGIBLE_EARLY;
    const QuadBits quad_mask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    const Quad quad_negligible = (Quad){0.0f} + NEGLIGIBLE_EARLY;
    float *restrict w = m->weights, *restrict e = m->early;
    const size_t stride = (size_t)m->receptors;
    Quad sum = *lane_magnitude;
    VecMask left = {0};
    QuadBits quad_left = {0};
    for (int unit = 0; unit < m->units; unit++) {
        int first, end;
        model_weight_span(m, unit, &first, &end);
        size_t i = (size_t)unit * stride + (size_t)first;
        const size_t stop = (size_t)unit * stride + (size_t)end;
        Quad squares = {0.0f};
        for (; i + 8 <= stop; i += 8) {
            Vec weight;
            ELAPSE_EIGHT(i, weight);
            const Vec square = weight * weight;
            squares += __builtin_shufflevector(square, square, 0, 1, 2, 3);
            squares += __builtin_shufflevector(square, square, 4, 5, 6, 7);
        }
        if (i < stop) { /* the span's last four */
            Quad early = *(QuadAt *)(e + i), weight = *(QuadAt *)(w + i);
            sum += (Quad)((QuadBits)early & quad_mask);
            weight -= lost_share * early;
            early *= keep;
            const QuadBits kept = ~((Quad)((QuadBits)early & quad_mask) < quad_negligible);
            const QuadBits flushed = (QuadBits)early & kept;
            quad_left |= flushed;
            *(QuadAt *)(e + i) = (Quad)flushed;
            *(QuadAt *)(w + i) = weight;
            squares += weight * weight;
        }
        m->norm[unit] = ((squares[0] + squares[1]) + squares[2]) + squares[3];
    }
    /* then the square roots, eight at a time (VSQRTPS rounds each lane as sqrtf does: one
     * scalar root a unit, with its errno test, cost as much as the unit's weights) */
    int unit = 0;
    for (; unit + 8 <= m->units; unit += 8)
        VEC_AT(m->norm + unit) = __builtin_ia32_sqrtps256(VEC_AT(m->norm + unit));
    for (; unit < m->units; unit++)
        m->norm[unit] = sqrtf(m->norm[unit]);
    *lane_magnitude = sum;
    *lane_left |= quad_left | __builtin_shufflevector(left, left, 0, 1, 2, 3) |
                  __builtin_shufflevector(left, left, 4, 5, 6, 7);
}
#endif
#endif

double model_kernel_elapse_weights(Model *m, float lost_share, float keep, bool *any_left_out)
{
    float *restrict w = m->weights, *restrict e = m->early;
    const size_t count = (size_t)m->units * (size_t)m->receptors;
    size_t i = 0;
    m->norms_valid = false;
#if defined(__GNUC__)
    Quad lane_magnitude = {0.0f, 0.0f, 0.0f, 0.0f};
    QuadBits lane_left = {0, 0, 0, 0};
#ifdef MODEL_AVX
    if (m->lanes >= 8 && m->params.drive_rule == DRIVE_COSINE && m->receptors % 4 == 0) {
        elapse_weights_norms_avx(m, lost_share, keep, &lane_magnitude, &lane_left);
        m->norms_valid = true;
        i = count;
    } else if (m->lanes >= 8)
        i = elapse_weights_avx(w, e, count, lost_share, keep, &lane_magnitude, &lane_left);
#endif
    i = elapse_weights_quads(w, e, i, count, lost_share, keep, &lane_magnitude, &lane_left);
#endif
    double magnitude = 0.0;
    bool any_left = false;
    for (; i < count; i++) {
        float early = e[i];
        magnitude += fabsf(early);
        w[i] -= lost_share * early;
        early *= keep;
        e[i] = fabsf(early) < NEGLIGIBLE_EARLY ? 0.0f : early;
        any_left |= e[i] != 0.0f;
    }
#if defined(__GNUC__)
    for (int j = 0; j < 4; j++) {
        magnitude += lane_magnitude[j];
        any_left |= lane_left[j] != 0;
    }
#endif
    *any_left_out = any_left;
    return magnitude;
}

/* |w| of one unit: squares summed four lanes wide (lane j takes the receptors r = j mod 4,
 * in order), the lanes then added in order, then the tail. */
static float unit_norm(const float *restrict w, int receptors)
{
    float sum = 0.0f;
    int r = 0;
#ifdef MODEL_VECTORS
    LANE_TYPES(4);
    Vec lanes = {0.0f};
    for (; r + 4 <= receptors; r += 4) {
        const Vec v = VEC_AT(w + r);
        lanes += v * v;
    }
    sum = ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3];
#endif
    for (; r < receptors; r++)
        sum += w[r] * w[r];
    return sqrtf(sum);
}

/* Over each unit's span only (model_weight_span): its first receptor is a multiple of 4,
 * so every square goes to the lane it goes to over all receptors, and the zeros skipped
 * would add +0. */
void model_kernel_norms(const Model *m, float *norm)
{
    const size_t stride = (size_t)m->receptors;
    for (int i = 0; i < m->units; i++) {
        int first, end;
        model_weight_span(m, i, &first, &end);
        norm[i] = unit_norm(m->weights + (size_t)i * stride + (size_t)first, end - first);
    }
}

void model_kernel_dots(const Model *m, const float *s, int first, int end, float *dot)
{
    const size_t stride = (size_t)m->receptors;
    for (int i = 0; i < m->units; i++) {
        int span_first, span_end;
        model_weight_span(m, i, &span_first, &span_end);
        if (span_end <= first || span_first >= end) { /* every product would be +0 */
            dot[i] = 0.0f;
            continue;
        }
        const float *restrict w = m->weights + (size_t)i * stride;
        float sum = 0.0f;
        int r = first;
#ifdef MODEL_VECTORS
        LANE_TYPES(4);
        Vec lanes = {0.0f};
        for (; r + 4 <= end; r += 4)
            lanes += VEC_AT(w + r) * VEC_AT(s + r);
        sum = ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3];
#endif
        for (; r < end; r++)
            sum += w[r] * s[r];
        dot[i] = sum;
    }
}
