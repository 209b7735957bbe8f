/* Every built-in replication of a published experiment (standalone/research/experiments.h,
 * docs/validation.md) passes its criteria on the default hand with the default seed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments.h"
#include "suites.h"

static ExperimentLab *lab;

static void create_lab(void)
{
    char err[256];
    lab = experiment_lab_create(EXPERIMENT_DEFAULT_SEED, err, sizeof err);
    ck_assert_msg(lab != NULL, "%s", err);
}

static void free_lab(void)
{
    experiment_lab_free(lab);
    lab = NULL;
}

/* Weeks of simulated days (kolasinski2016: six days at the everyday rate, 86,400 touches;
 * wang1995: two hands for three weeks):
 * under valgrind (make check VALGRIND=1) they would take minutes each and under ASan (SANITIZE=1) about 7 times their plain time, and they run no code the other
 * experiments do not (the plain run keeps them; candia2002 stays, on its 16 x 16 sheet, for the
 * days-long protocols' code). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#else
#define UNDER_SANITIZER 0
#endif
static int weeks_long_skipped(int index)
{
    static const char *const weeks_long[] = {"jenkins1990", "wang1995", "pascual_leone1995", "elbert1995",
                                             "merzenich1984", "healthy_month", "kolasinski2016"};
    const char *name = experiment_info(index)->name;
    if (!UNDER_SANITIZER && !under_valgrind())
        return 0;
    for (size_t i = 0; i < sizeof weeks_long / sizeof weeks_long[0]; i++)
        if (strcmp(name, weeks_long[i]) == 0)
            return 1;
    return 0;
}

START_TEST(experiment_passes)
{
    ExperimentResult result;
    char err[256];
    if (weeks_long_skipped(_i)) {
        printf("  %s: skipped under valgrind and ASan (weeks of model time; the plain run has it)\n",
               experiment_info(_i)->name);
        return;
    }
    ck_assert_msg(experiment_run(lab, _i, &result, err, sizeof err) == 0, "%s", err);
    printf("  %s:\n", result.info->name);
    for (int c = 0; c < result.check_count; c++)
        printf("    %s %s: %s\n", result.check[c].passed ? "PASS" : "FAIL", result.check[c].criterion,
               result.check[c].observed);
    fflush(stdout);
    ck_assert_int_gt(result.check_count, 0);
    ck_assert_int_gt(result.map_count, 0);
    for (int c = 0; c < result.check_count; c++)
        ck_assert_msg(result.check[c].passed, "%s: %s: observed %s", result.info->name, result.check[c].criterion,
                      result.check[c].observed);
    ck_assert(result.passed);
    experiment_result_free(&result);
}
END_TEST

/* The catalogue: names are unique and found, every entry says what it is and where it is from. */
START_TEST(every_experiment_is_described_and_found)
{
    ck_assert_int_ge(experiment_count(), 8);
    for (int i = 0; i < experiment_count(); i++) {
        const ExperimentInfo *info = experiment_info(i);
        ck_assert_ptr_nonnull(info);
        ck_assert_int_eq(experiment_find(info->name), i);
        ck_assert(strlen(info->title) > 0 && strlen(info->source) > 0 && strlen(info->protocol) > 0 &&
                  strlen(info->published) > 0);
    }
    ck_assert_int_eq(experiment_find("no-such-experiment"), -1);
    ck_assert_ptr_null(experiment_info(experiment_count()));
    ck_assert_int_ge(experiment_find("candia2002"), 0);
}
END_TEST

Suite *experiments_suite(void)
{
    Suite *suite = suite_create("experiments");
    TCase *catalogue = tcase_create("catalogue");
    tcase_add_test(catalogue, every_experiment_is_described_and_found);
    suite_add_tcase(suite, catalogue);
    TCase *replications = tcase_create("replications");
    tcase_add_unchecked_fixture(replications, create_lab, free_lab);
    tcase_set_timeout(replications, 600);
    tcase_add_loop_test(replications, experiment_passes, 0, experiment_count());
    suite_add_tcase(suite, replications);
    return suite;
}
