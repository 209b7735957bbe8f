/* The coach's week as a schedule: the schedule reader takes it, and it holds what the
 * proposal says (a rest day first, the merging pair's fingers alone, the lengths). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "schedule.h"
#include "suites.h"

static void parse_week(const CoachProposal *p, int hands_used, Schedule *schedule)
{
    PlanContext context = {.profile = "anna", .made_on = "2026-06-03 10:00", .hands_used = hands_used, .hour = 23};
    char *text = NULL, err[512];
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(plan_week_schedule(p, &context, out), 0);
    fclose(out);
    ck_assert_msg(schedule_parse_text("week.ini", text, length, 0, schedule, err, sizeof err) == 0, "%s\n%s", err,
                  text);
    free(text);
}

START_TEST(a_separating_week_practises_each_finger_of_the_pair_alone)
{
    CoachProposal p = {.advice = COACH_SEPARATE, .hand = 1, .pair = 2, .overlap_now = 0.6f, .overlap_before = 0.3f,
                       .come_back_h = 24.0, .session_s = COACH_SEPARATE_SESSION_S};
    Schedule s;
    parse_week(&p, 3, &s);
    ck_assert_int_eq(s.days, 7);
    ck_assert_int_eq(s.session_count, 1);
    ck_assert(s.sessions[0].days.all);
    ck_assert_double_eq_tol(s.sessions[0].start_s, 21 * 3600.0, 1e-9); /* 23:00 moved into the day */
    ck_assert_double_eq_tol(schedule_session_length_s(&s, &s.sessions[0]), COACH_SEPARATE_SESSION_S, 1e-6);
    const ExerciseSpec *first = &s.items[s.sessions[0].first_item].exercise;
    const ExerciseSpec *second = &s.items[s.sessions[0].first_item + 1].exercise;
    ck_assert_int_eq(first->kind, EXERCISE_REPEATED);
    ck_assert_int_eq(first->finger_count, 1);
    ck_assert_int_eq(first->fingers[0], 2); /* D3 (0-based) */
    ck_assert_int_eq(second->finger_count, 1);
    ck_assert_int_eq(second->fingers[0], 3); /* D4 */
    schedule_free(&s);
}
END_TEST

START_TEST(a_rest_day_leaves_day_one_free)
{
    CoachProposal p = {.advice = COACH_REST_DAY, .hand = -1, .pair = -1, .overlap_before = -1.0f,
                       .come_back_h = 24.0, .session_s = COACH_SESSION_S};
    Schedule s;
    parse_week(&p, 1, &s);
    ck_assert(!schedule_session_on(&s, &s.sessions[0], 1));
    for (int day = 2; day <= 7; day++)
        ck_assert(schedule_session_on(&s, &s.sessions[0], day));
    ck_assert_double_eq_tol(schedule_practice_total_s(&s), 6 * COACH_SESSION_S, 1e-6);
    schedule_free(&s);
}
END_TEST

START_TEST(a_failing_output_is_reported)
{
    CoachProposal p = {.advice = COACH_PRACTISE, .hand = -1, .pair = -1, .session_s = COACH_SESSION_S};
    PlanContext context = {.profile = "anna", .made_on = "now", .hands_used = 1, .hour = 10};
    FILE *full = fopen("/dev/full", "w");
    ck_assert_ptr_nonnull(full);
    setvbuf(full, NULL, _IONBF, 0); /* every write reaches the device, which refuses it */
    ck_assert_int_eq(plan_week_schedule(&p, &context, full), -1);
    fclose(full);
}
END_TEST

Suite *plan_suite(void)
{
    Suite *suite = suite_create("plan");
    TCase *c = tcase_create("week");
    tcase_add_test(c, a_separating_week_practises_each_finger_of_the_pair_alone);
    tcase_add_test(c, a_rest_day_leaves_day_one_free);
    tcase_add_test(c, a_failing_output_is_reported);
    suite_add_tcase(suite, c);
    return suite;
}
