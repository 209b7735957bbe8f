/* The generator: reproducible, seed-dependent and uniform enough for the model. */
#include <string.h>

#include "rng.h"
#include "suites.h"

START_TEST(test_same_seed_same_sequence)
{
    Rng a, b;
    rng_seed(&a, 12345);
    rng_seed(&b, 12345);
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_eq(rng_next(&a), rng_next(&b));
}
END_TEST

START_TEST(test_different_seeds_differ)
{
    Rng a, b;
    rng_seed(&a, 1);
    rng_seed(&b, 2);
    int same = 0;
    for (int i = 0; i < 1000; i++)
        same += rng_next(&a) == rng_next(&b);
    ck_assert_int_lt(same, 5);
}
END_TEST

START_TEST(test_uniform_range_and_mean)
{
    Rng rng;
    rng_seed(&rng, 99);
    const int draws = 100000;
    double sum = 0.0;
    for (int i = 0; i < draws; i++) {
        float x = rng_uniform(&rng);
        ck_assert(x >= 0.0f && x < 1.0f);
        sum += x;
    }
    /* the standard error of the mean is 0.29 / sqrt(100000) ~ 0.0009 */
    ck_assert_double_eq_tol(sum / draws, 0.5, 0.005);
}
END_TEST

START_TEST(test_below_in_range)
{
    Rng rng;
    rng_seed(&rng, 3);
    const uint32_t bounds[] = { 1, 2, 5, 7, 100, 1000003, 4294967295u };
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
        int hits_top = 0;
        for (int i = 0; i < 10000; i++) {
            uint32_t x = rng_below(&rng, bounds[b]);
            ck_assert_uint_lt(x, bounds[b]);
            hits_top += x == bounds[b] - 1;
        }
        if (bounds[b] <= 7)
            ck_assert_int_gt(hits_top, 0); /* small ranges are covered to the top */
    }
}
END_TEST

/* rng_uniform_fill, narrow and wide (AVX-512 where the machine runs it), gives the draws of
 * rng_uniform one by one, scaled, and leaves the generator where they leave it: for counts
 * around the wide path's rounds of 16 and the model's 1,024 units. */
START_TEST(test_fill_matches_single_draws)
{
    static const int counts[] = {0, 1, 15, 16, 17, 31, 32, 33, 100, 1024, 4096};
    static float filled[4096];
    for (int wide = 0; wide < 2; wide++)
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            Rng one, all;
            rng_seed(&one, 77 + c);
            rng_seed(&all, 77 + c);
            rng_uniform_fill(&all, 0.01f, filled, counts[c], wide);
            for (int i = 0; i < counts[c]; i++) {
                const float expected = 0.01f * rng_uniform(&one);
                ck_assert_msg(memcmp(&filled[i], &expected, sizeof expected) == 0,
                              "draw %d of %d (wide %d): %a, expected %a", i, counts[c], wide, filled[i], expected);
            }
            ck_assert_uint_eq(all.state, one.state);
            ck_assert_uint_eq(rng_next(&all), rng_next(&one));
        }
}
END_TEST

Suite *rng_suite(void)
{
    Suite *suite = suite_create("rng");
    TCase *tc = tcase_create("pcg32");
    tcase_add_test(tc, test_same_seed_same_sequence);
    tcase_add_test(tc, test_different_seeds_differ);
    tcase_add_test(tc, test_uniform_range_and_mean);
    tcase_add_test(tc, test_below_in_range);
    tcase_add_test(tc, test_fill_matches_single_draws);
    suite_add_tcase(suite, tc);
    return suite;
}
