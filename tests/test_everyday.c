/* Everyday use of the hands: the mix of touches, whole-length touches, splinted digits. */
#include <check.h>

#include "diet.h"
#include "everyday.h"
#include "suites.h"

/* The sum of the weights of the patterns touching digit d. */
static float weight_on(const Diet *diet, int d)
{
    float sum = 0.0f;
    for (int i = 0; i < diet->count; i++)
        if (diet->pattern[i].digits & (1u << d))
            sum += diet->pattern[i].weight;
    return sum;
}

START_TEST(the_default_mix_is_model_v2s_mixed_use)
{
    Diet mixed, everyday;
    diet_mixed_use(&mixed);
    everyday_diet_mix(&everyday, &EVERYDAY_MIX_DEFAULT, 0, 0, 0);
    ck_assert_int_eq(everyday.count, mixed.count);
    for (int i = 0; i < mixed.count; i++) {
        ck_assert_uint_eq(everyday.pattern[i].digits, mixed.pattern[i].digits);
        ck_assert(everyday.pattern[i].weight == mixed.pattern[i].weight);
        ck_assert_int_eq(everyday.pattern[i].whole_length, 0);
    }
}
END_TEST

START_TEST(a_mix_adds_whole_digits_and_grasps)
{
    EverydayMix mix = {0.0f, 0.0f, 0.5f, 0.5f};
    Diet diet;
    everyday_diet_mix(&diet, &mix, 0, 0, 0);
    ck_assert_int_eq(diet.count, SKIN_DIGITS + 1); /* five whole digits and the grasp */
    ck_assert_int_eq(diet.pattern[0].whole_length, 1);
    ck_assert_uint_eq(diet.pattern[SKIN_DIGITS].digits, (1u << SKIN_DIGITS) - 1);
    /* a whole-length touch reaches the digit's tip and base together */
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = 16;
    char err[200];
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_ptr_nonnull(model);
    Diet whole;
    diet_init(&whole);
    ck_assert_int_eq(diet_add_whole(&whole, 1u << 2, 1.0f), 0);
    float stimulus[SKIN_MAX_RECEPTORS];
    Rng rng;
    rng_seed(&rng, 1);
    diet_draw(&whole, model_skin(model), &rng, stimulus);
    int per_digit = model_receptor_count(model) / SKIN_DIGITS;
    ck_assert_float_gt(stimulus[2 * per_digit], 0.5f);                 /* D3's tip */
    ck_assert_float_gt(stimulus[3 * per_digit - 1], 0.5f);             /* D3's base */
    ck_assert_float_lt(stimulus[1 * per_digit], 0.01f);                /* D2 untouched */
    model_free(model);
}
END_TEST

START_TEST(a_splinted_digit_keeps_a_share_of_its_everyday_touches)
{
    Diet free_hand, splinted, removed;
    everyday_diet_mix(&free_hand, &EVERYDAY_MIX_DEFAULT, 0, 0, 0);
    everyday_diet_mix(&splinted, &EVERYDAY_MIX_DEFAULT, 0, 0, 1u << 2);
    everyday_diet_mix(&removed, &EVERYDAY_MIX_DEFAULT, 1u << 2, 0, 0);
    ck_assert_float_eq_tol(weight_on(&splinted, 2), EVERYDAY_SPLINT_SHARE * weight_on(&free_hand, 2), 1e-6f);
    ck_assert_float_eq(weight_on(&removed, 2), 0.0f);
    /* the touches that miss the splinted digit still reach its neighbours */
    ck_assert_float_eq_tol(weight_on(&splinted, 1), weight_on(&free_hand, 1), 1e-6f);
}
END_TEST

Suite *everyday_suite(void)
{
    Suite *suite = suite_create("everyday");
    TCase *mix = tcase_create("mix");
    tcase_add_test(mix, the_default_mix_is_model_v2s_mixed_use);
    tcase_add_test(mix, a_mix_adds_whole_digits_and_grasps);
    tcase_add_test(mix, a_splinted_digit_keeps_a_share_of_its_everyday_touches);
    suite_add_tcase(suite, mix);
    return suite;
}
