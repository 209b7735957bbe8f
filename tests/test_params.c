/* Parameters: presets valid, the published configuration intact, bad values named. */
#include <math.h>
#include <string.h>

#include "params.h"
#include "suites.h"

START_TEST(test_presets_validate)
{
    ModelParams params;
    char err[256] = "";
    model_params_default(&params);
    ck_assert_msg(model_params_validate(&params, err, sizeof err) == 0, "default: %s", err);
    model_params_reference(&params);
    ck_assert_msg(model_params_validate(&params, err, sizeof err) == 0, "reference: %s", err);
}
END_TEST

START_TEST(test_reference_is_the_published_configuration)
{
    /* Detorakis & Rougier 2012: n = 32, 16 x 16 receptors, 100 Euler steps of 0.1 tau,
     * alpha 0.1, gamma 0.1, Ke 3.72 sigma_e 0.1, Ki 2.40 sigma_i 1.0 */
    ModelParams p;
    model_params_reference(&p);
    ck_assert_int_eq(p.sheet_size, 32);
    ck_assert_int_eq(p.skin_layout, SKIN_TORUS_GRID);
    ck_assert_int_eq(p.grid_side, 16);
    ck_assert_int_eq(p.settle_steps, 100);
    ck_assert_float_eq(p.dt, 0.1f);
    ck_assert_float_eq(p.tau, 1.0f);
    ck_assert_float_eq(p.alpha, 0.1f);
    ck_assert_float_eq(p.learning_rate, 0.1f);
    ck_assert_float_eq(p.excitation_strength, 3.72f);
    ck_assert_float_eq(p.excitation_width, 0.1f);
    ck_assert_float_eq(p.inhibition_strength, 2.40f);
    ck_assert_float_eq(p.inhibition_width, 1.0f);
    ck_assert_int_eq(p.weight_init, INIT_UNIFORM);
    ck_assert_float_eq(p.early_depression_limit, 0.0f); /* the published learning rule is not bounded */
    ck_assert_float_eq(p.early_potentiation_limit, 0.0f);
}
END_TEST

START_TEST(test_set_accepts_and_reads_back)
{
    ModelParams params;
    model_params_default(&params);
    char err[256];
    ck_assert_int_eq(model_param_set(&params, "sheet_size", 48, err, sizeof err), 0);
    ck_assert_int_eq(params.sheet_size, 48);
    ck_assert_int_eq(model_param_set(&params, "plasticity_gain", 2.5, err, sizeof err), 0);
    ck_assert_float_eq(params.plasticity_gain, 2.5f);
    ck_assert_int_eq(model_param_set(&params, "seed", 4294967295.0, err, sizeof err), 0);
    ck_assert_uint_eq(params.seed, 4294967295u);
    const ParamInfo *info = model_param_find("plasticity_gain");
    ck_assert_ptr_nonnull(info);
    ck_assert_double_eq(model_param_get(&params, info), 2.5);
}
END_TEST

START_TEST(test_set_refuses_out_of_range_naming_the_key)
{
    ModelParams params, before;
    model_params_default(&params);
    before = params;
    char err[256] = "";
    ck_assert_int_eq(model_param_set(&params, "sheet_size", 1000, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "sheet_size"));
    ck_assert_int_eq(model_param_set(&params, "learning_rate", -0.5, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "learning_rate"));
    ck_assert_int_eq(model_param_set(&params, "tau", NAN, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "tau"));
    ck_assert(memcmp(&params, &before, sizeof params) == 0);
}
END_TEST

START_TEST(test_set_refuses_unknown_key)
{
    ModelParams params;
    model_params_default(&params);
    char err[256] = "";
    ck_assert_int_eq(model_param_set(&params, "sheet_sise", 32, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "sheet_sise"));
    ck_assert_ptr_null(model_param_find("sheet_sise"));
}
END_TEST

START_TEST(test_integer_params_refuse_fractions)
{
    size_t count;
    const ParamInfo *table = model_param_table(&count);
    ModelParams params;
    model_params_default(&params);
    char err[256];
    int integers = 0;
    for (size_t i = 0; i < count; i++) {
        if (table[i].type == PARAM_FLOAT)
            continue;
        integers++;
        ck_assert_msg(model_param_set(&params, table[i].key, 2.5, err, sizeof err) == -1, "%s took 2.5",
                      table[i].key);
        ck_assert_ptr_nonnull(strstr(err, table[i].key));
    }
    ck_assert_int_gt(integers, 0);
}
END_TEST

START_TEST(test_validate_names_cross_rule)
{
    ModelParams params;
    model_params_default(&params);
    params.dt = 0.5f;
    params.tau = 0.1f;
    char err[256] = "";
    ck_assert_int_eq(model_params_validate(&params, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "dt"));
}
END_TEST

START_TEST(test_table_keys_unique)
{
    size_t count;
    const ParamInfo *table = model_param_table(&count);
    for (size_t i = 0; i < count; i++) {
        ck_assert_ptr_eq(model_param_find(table[i].key), &table[i]);
        ck_assert(table[i].min <= table[i].max);
    }
}
END_TEST

Suite *params_suite(void)
{
    Suite *suite = suite_create("params");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_presets_validate);
    tcase_add_test(tc, test_reference_is_the_published_configuration);
    tcase_add_test(tc, test_set_accepts_and_reads_back);
    tcase_add_test(tc, test_set_refuses_out_of_range_naming_the_key);
    tcase_add_test(tc, test_set_refuses_unknown_key);
    tcase_add_test(tc, test_integer_params_refuse_fractions);
    tcase_add_test(tc, test_validate_names_cross_rule);
    tcase_add_test(tc, test_table_keys_unique);
    suite_add_tcase(suite, tc);
    return suite;
}
