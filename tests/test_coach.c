/* The coach: each proposal from a state built to need it, and its words. */
#include <check.h>
#include <string.h>

#include "coach.h"
#include "suites.h"

/* A fresh default map's metrics (the healthy ordered start), for both hands. */
static void healthy_input(CoachInput *input)
{
    memset(input, 0, sizeof *input);
    ModelParams params;
    model_params_default(&params);
    char err[256];
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "%s", err);
    MetricsProbe *probe = metrics_probe_create(model);
    ck_assert_ptr_nonnull(probe);
    metrics_compute(probe, model, &input->now[0]);
    metrics_probe_free(probe);
    model_free(model);
    ck_assert(input->now[0].valid);
    input->now[1] = input->now[0];
    input->before[0] = input->before[1] = input->now[0];
    input->has_before = 1;
    input->hands_used = 1;
}

/* The proposal's one line holds the text a (and b, unless NULL). */
static void summary_says(const CoachProposal *p, const char *a, const char *b)
{
    char text[320];
    coach_summary(p, text, sizeof text);
    ck_assert_msg(strstr(text, a) && (!b || strstr(text, b)), "%s", text);
}

static void set_pair_overlap(MapMetrics *m, int pair, float dice)
{
    m->overlap[pair][pair + 1] = m->overlap[pair + 1][pair] = dice;
}

START_TEST(a_healthy_map_gets_varied_practice_tomorrow)
{
    CoachInput input;
    healthy_input(&input);
    ck_assert_float_lt(input.now[0].overlap_risk, COACH_RISK_HIGH);
    CoachProposal p;
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_PRACTISE);
    ck_assert_int_eq(p.pair, -1);
    ck_assert(p.come_back_h == COACH_NEXT_DAY_H);
    ck_assert(p.session_s == COACH_SESSION_S);
    summary_says(&p, "varied practice", "tomorrow");
}
END_TEST

START_TEST(a_pair_whose_overlap_rises_is_separated)
{
    CoachInput input;
    healthy_input(&input);
    /* D3-D4 of the right hand rose by 0.12 against a week ago; D1-D2 by less than the threshold */
    float start = input.before[0].overlap[2][3];
    set_pair_overlap(&input.now[0], 2, start + 0.12f);
    set_pair_overlap(&input.now[0], 0, input.before[0].overlap[0][1] + 0.8f * COACH_OVERLAP_RISE);
    CoachProposal p;
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_SEPARATE);
    ck_assert_int_eq(p.hand, 0);
    ck_assert_int_eq(p.pair, 2);
    ck_assert_float_eq_tol(p.overlap_now - p.overlap_before, 0.12f, 1e-6f);
    ck_assert(p.session_s == COACH_SEPARATE_SESSION_S);
    summary_says(&p, "D3-D4 (right hand)", "each of the two fingers alone");
    /* a rise just below the threshold is no trend */
    set_pair_overlap(&input.now[0], 2, start + 0.8f * COACH_OVERLAP_RISE);
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_PRACTISE);
}
END_TEST

START_TEST(the_unplayed_hand_is_not_judged)
{
    CoachInput input;
    healthy_input(&input);
    set_pair_overlap(&input.now[1], 1, input.before[1].overlap[1][2] + 0.3f); /* left, not played */
    CoachProposal p;
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_PRACTISE);
    input.hands_used = 3;
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_SEPARATE);
    ck_assert_int_eq(p.hand, 1);
    ck_assert_int_eq(p.pair, 1);
}
END_TEST

START_TEST(a_high_risk_without_history_separates_its_pair)
{
    CoachInput input;
    healthy_input(&input);
    input.has_before = 0;
    input.now[0].overlap_risk = COACH_RISK_HIGH + 0.05f;
    input.now[0].risk_pair = 3;
    CoachProposal p;
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_SEPARATE);
    ck_assert_int_eq(p.pair, 3);
    ck_assert_float_lt(p.overlap_before, 0.0f); /* unknown */
    summary_says(&p, "D4-D5", "overlap risk 0.35");
}
END_TEST

START_TEST(a_long_stretch_without_a_break_gets_a_break_now)
{
    CoachInput input;
    healthy_input(&input);
    input.playing_s = COACH_BREAK_AFTER_S - 1.0;
    CoachProposal p;
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_PRACTISE);
    input.playing_s = COACH_BREAK_AFTER_S;
    input.played_day_s = COACH_DAY_LIMIT_S + 60.0; /* a break comes before the day's limit */
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_BREAK);
    ck_assert_double_eq_tol(p.come_back_h * 60.0, COACH_BREAK_S / 60.0, 1e-9);
    summary_says(&p, "a break now: 10 min", NULL);
}
END_TEST

START_TEST(a_full_day_gets_rest_until_tomorrow_keeping_the_pair)
{
    CoachInput input;
    healthy_input(&input);
    input.played_day_s = COACH_DAY_LIMIT_S;
    set_pair_overlap(&input.now[0], 1, input.before[0].overlap[1][2] + 0.2f);
    CoachProposal p;
    coach_propose(&input, &p);
    ck_assert_int_eq(p.advice, COACH_REST_DAY);
    ck_assert(p.come_back_h == COACH_NEXT_DAY_H);
    ck_assert_int_eq(p.pair, 1); /* tomorrow's session still separates D2-D3 */
    summary_says(&p, "enough for today", "D2-D3");
}
END_TEST

Suite *coach_suite(void)
{
    Suite *suite = suite_create("coach");
    TCase *c = tcase_create("proposals");
    tcase_add_test(c, a_healthy_map_gets_varied_practice_tomorrow);
    tcase_add_test(c, a_pair_whose_overlap_rises_is_separated);
    tcase_add_test(c, the_unplayed_hand_is_not_judged);
    tcase_add_test(c, a_high_risk_without_history_separates_its_pair);
    tcase_add_test(c, a_long_stretch_without_a_break_gets_a_break_now);
    tcase_add_test(c, a_full_day_gets_rest_until_tomorrow_keeping_the_pair);
    suite_add_tcase(suite, c);
    return suite;
}
