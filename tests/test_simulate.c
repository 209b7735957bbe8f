/* The simulated player: reproducible results, independent of threads and of how a sweep
 * is split; manipulations reach the skin; a simulated state loads in the engine. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "engine.h"
#include "replicates.h"
#include "schedule.h"
#include "sim_table.h"
#include "simulate.h"
#include "suites.h"

#define SHORT_SCHEDULE "tests/fixtures/schedules/short.ini"

static void load(const char *path, Schedule *s)
{
    char err[1600];
    ck_assert_msg(schedule_load(path, s, err, sizeof err) == 0, "%s", err);
}

/* Simulates s (seed 0: the schedule's own). */
static SimResult run_seeded(const Schedule *s, int fast_factor, uint32_t seed)
{
    SimOptions o;
    simulate_options_default(&o);
    o.fast_factor = fast_factor;
    o.has_seed = seed != 0;
    o.seed = seed;
    SimResult r;
    char err[300];
    ck_assert_msg(simulate_run(s, &o, &r, err, sizeof err) == 0, "%s", err);
    return r;
}

static SimResult run(const Schedule *s, int fast_factor) { return run_seeded(s, fast_factor, 0); }

/* The CSV of a result as a string (free()). */
static char *csv_of(const SimResult *r)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    simulate_write_csv(f, r);
    fclose(f);
    return text;
}

static char *simulate_csv(const Schedule *s, uint32_t seed)
{
    SimResult r = run_seeded(s, 1, seed);
    char *text = csv_of(&r);
    simulate_result_free(&r);
    return text;
}

START_TEST(same_seed_same_csv)
{
    Schedule s;
    load(SHORT_SCHEDULE, &s);
    char *a = simulate_csv(&s, 3), *b = simulate_csv(&s, 3), *c = simulate_csv(&s, 4);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_ptr_nonnull(strstr(a, ",start,"));
    ck_assert_ptr_nonnull(strstr(a, ",practice,"));
    ck_assert_ptr_nonnull(strstr(a, ",before_sleep,"));
    ck_assert_ptr_nonnull(strstr(a, ",end,"));
    free(a), free(b), free(c);
    schedule_free(&s);
}
END_TEST

START_TEST(practice_changes_the_practised_hand)
{
    Schedule s;
    load(SHORT_SCHEDULE, &s);
    SimResult r = run(&s, 1);
    const SimPoint *start = &r.points[0], *end = &r.points[r.count - 1];
    ck_assert_str_eq(start->label, "start");
    ck_assert_str_eq(end->label, "end");
    ck_assert_double_eq_tol(end->practice_h, 1.5 / 60.0, 1e-9);
    ck_assert_uint_eq(end->stimuli[HAND_RIGHT], 400); /* one minute of 0.15 s steps */
    ck_assert_uint_eq(end->stimuli[HAND_LEFT], 450);  /* and 50 chords */
    for (int i = 1; i < r.count; i++) {
        ck_assert(r.points[i].time_h >= r.points[i - 1].time_h);
        ck_assert(r.points[i].practice_h >= r.points[i - 1].practice_h);
    }
    ck_assert(end->map[HAND_RIGHT].rf_points_mean != start->map[HAND_RIGHT].rf_points_mean);
    simulate_result_free(&r);
    schedule_free(&s);
}
END_TEST

START_TEST(threads_do_not_change_results)
{
    Schedule s;
    load(SHORT_SCHEDULE, &s);
    SimJob one[3], two[3];
    memset(one, 0, sizeof one);
    memset(two, 0, sizeof two);
    for (int i = 0; i < 3; i++) {
        simulate_options_default(&one[i].options);
        one[i].schedule = &s;
        one[i].options.has_seed = 1;
        one[i].options.seed = 10 + (uint32_t)i;
        two[i] = one[i];
    }
    ck_assert_int_eq(simulate_run_jobs(one, 3, 1), 0);
    ck_assert_int_eq(simulate_run_jobs(two, 3, 2), 0);
    for (int i = 0; i < 3; i++) {
        char *a = csv_of(&one[i].result), *b = csv_of(&two[i].result);
        ck_assert_str_eq(a, b);
        free(a), free(b);
        simulate_result_free(&one[i].result);
        simulate_result_free(&two[i].result);
    }
    schedule_free(&s);
}
END_TEST

START_TEST(saved_state_loads_in_a_fresh_engine)
{
    Schedule s;
    load(SHORT_SCHEDULE, &s);
    SimResult r = run(&s, 1);
    char err[300];
    Engine *simulated = simulate_make_engine(&s, &r, err, sizeof err);
    ck_assert_msg(simulated != NULL, "%s", err);
    size_t size = engine_state_size(simulated);
    uint8_t *data = malloc(size);
    ck_assert_uint_eq(engine_state_save(simulated, 1700000000, data, size), size);
    EngineConfig config;
    engine_config_default(&config, 48000.0, 256);
    config.model = s.params; /* the same sheet as the simulated player */
    Engine *fresh = engine_create(&config, err, sizeof err);
    ck_assert_ptr_nonnull(fresh);
    int64_t saved_at = 0;
    ck_assert_msg(engine_state_load(fresh, data, size, &saved_at, err, sizeof err) == STATE_OK, "%s", err);
    ck_assert_int_eq(saved_at, 1700000000);
    const EngineSnapshot *snapshot = engine_snapshot(fresh);
    const SimPoint *end = &r.points[r.count - 1];
    for (int h = 0; h < SIM_HANDS; h++) {
        const MapMetrics *a = &snapshot->map[h], *b = &end->map[h];
        ck_assert_float_eq(a->overlap_risk, b->overlap_risk);
        ck_assert_float_eq(a->rf_points_mean, b->rf_points_mean);
        ck_assert_mem_eq(a->area_fraction, b->area_fraction, sizeof a->area_fraction);
        int count = model_unit_count(r.model[h]) * model_receptor_count(r.model[h]);
        ck_assert_mem_eq(model_weights(engine_model(fresh, h)), model_weights(r.model[h]), (size_t)count * sizeof(float));
    }
    engine_free(fresh);
    engine_free(simulated);
    free(data);
    simulate_result_free(&r);
    schedule_free(&s);
}
END_TEST

/* A schedule with one manipulation on the right hand, random single-finger touches. */
static void manipulated(Schedule *s, const char *manipulation)
{
    char path[] = "/tmp/hm-manipulation-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "[player]\nsheet = 16\nseed = 2\neveryday = 60\n[calendar]\ndays = 1\n%s\n[session]\nat = 09:00\n"
               "[exercise]\nkind = random\nrate = 5\nduration = 2 min\n",
            manipulation);
    fclose(f);
    char err[1600];
    int status = schedule_load(path, s, err, sizeof err);
    remove(path);
    ck_assert_msg(status == 0, "%s", err);
}

START_TEST(removed_digits_give_no_input_and_glued_digits_merge)
{
    Schedule control, removed, glued;
    manipulated(&control, "");
    manipulated(&removed, "[manipulation]\nkind = remove\ndigits = D1-D5\n");
    manipulated(&glued, "[manipulation]\nkind = glue\ndigits = D3,D4\n");
    SimResult c = run(&control, 1), r = run(&removed, 1), g = run(&glued, 1);
    /* right after the session, before the night consolidates or loses the early changes */
    ck_assert_str_eq(c.points[1].label, "session");
    const SimPoint *c_end = &c.points[1], *r_end = &r.points[1], *g_end = &g.points[1];
    ck_assert_uint_eq(c_end->stimuli[HAND_RIGHT], 600);
    ck_assert_uint_eq(r_end->stimuli[HAND_RIGHT], 0);
    ck_assert_float_eq(r_end->map[HAND_RIGHT].rf_points_mean, r.points[0].map[HAND_RIGHT].rf_points_mean);
    ck_assert_uint_eq(g_end->stimuli[HAND_RIGHT], 600);
    /* touched together, D3 and D4 share more of the map than in the control */
    ck_assert_float_gt(g_end->map[HAND_RIGHT].overlap[2][3], c_end->map[HAND_RIGHT].overlap[2][3]);
    simulate_result_free(&c), simulate_result_free(&r), simulate_result_free(&g);
    schedule_free(&control), schedule_free(&removed), schedule_free(&glued);
}
END_TEST

/* Between sessions the hands are in everyday use, at the player's rate; 0 switches it off. */
START_TEST(everyday_use_fills_the_time_between_sessions)
{
    Schedule with, without;
    manipulated(&with, "");
    manipulated(&without, "");
    without.params.everyday_touches_per_hour = 0.0f;
    SimResult a = run(&with, 1), b = run(&without, 1);
    ModelScalars sa, sb;
    model_get_scalars(a.model[HAND_RIGHT], &sa);
    model_get_scalars(b.model[HAND_RIGHT], &sb);
    ck_assert_uint_eq(sb.stimuli, 600);
    const double waking_h = (with.sleep_s - with.wake_s) / 3600.0 - 2.0 / 60.0;
    /* one touch in EVERYDAY_SAMPLING presented, standing for them all */
    ck_assert_msg(fabs((double)(sa.stimuli - 600) - waking_h * with.params.everyday_touches_per_hour / EVERYDAY_SAMPLING) <=
                      2.0,
                  "%llu everyday touches in %.2f h",
                  (unsigned long long)(sa.stimuli - 600), waking_h);
    simulate_result_free(&a), simulate_result_free(&b);
    schedule_free(&with), schedule_free(&without);
}
END_TEST

/* A splint immobilises: no practice input from the digits, but still some everyday input. */
START_TEST(splinted_digits_give_no_practice_input_and_some_everyday_input)
{
    Schedule splinted;
    manipulated(&splinted, "[manipulation]\nkind = splint\ndigits = D1-D5\n");
    SimResult r = run(&splinted, 1);
    ModelScalars scalars;
    model_get_scalars(r.model[HAND_RIGHT], &scalars);
    ck_assert_uint_eq(r.points[r.count - 1].stimuli[HAND_RIGHT], 0); /* no practice stimulus */
    /* everyday touches went on, a share of them (the awake day at 60 an hour, about 950, one
     * in EVERYDAY_SAMPLING presented) */
    const double waking_h = (splinted.sleep_s - splinted.wake_s) / 3600.0;
    ck_assert_msg(fabs((double)scalars.stimuli - EVERYDAY_SPLINT_SHARE * 60.0 * waking_h / EVERYDAY_SAMPLING) <= 2.0,
                  "%llu touches",
                  (unsigned long long)scalars.stimuli);
    simulate_result_free(&r);
    schedule_free(&splinted);
}
END_TEST

/* A hand the schedule does not play lives through it (everyday use, nights) only when its
 * state is wanted (all_hands: --save-state); the played hand's results are the same. */
START_TEST(a_hand_not_played_lives_only_when_its_state_is_kept)
{
    Schedule s;
    manipulated(&s, "");
    ck_assert_int_eq(s.hands, HANDS_RIGHT);
    SimResult r[2];
    for (int all = 0; all < 2; all++) {
        SimOptions o;
        simulate_options_default(&o);
        o.all_hands = all;
        char err[300];
        ck_assert_msg(simulate_run(&s, &o, &r[all], err, sizeof err) == 0, "%s", err);
    }
    char *idle = csv_of(&r[0]), *living = csv_of(&r[1]);
    ck_assert_str_eq(idle, living);
    ModelScalars left[2], right[2];
    for (int all = 0; all < 2; all++) {
        model_get_scalars(r[all].model[HAND_LEFT], &left[all]);
        model_get_scalars(r[all].model[HAND_RIGHT], &right[all]);
    }
    ck_assert_uint_eq(left[0].stimuli, 0);
    ck_assert_uint_gt(left[1].stimuli, 0); /* its everyday touches */
    ck_assert(left[1].time_s == right[1].time_s);
    free(idle), free(living);
    simulate_result_free(&r[0]), simulate_result_free(&r[1]);
    schedule_free(&s);
}
END_TEST

/* The practice stimuli at the end and all stimuli the right hand learned (everyday included). */
static void right_hand_stimuli(const char *manipulation, uint64_t *practice, uint64_t *learned)
{
    Schedule s;
    manipulated(&s, manipulation);
    SimResult r = run(&s, 1);
    ModelScalars scalars;
    model_get_scalars(r.model[HAND_RIGHT], &scalars);
    *practice = r.points[r.count - 1].stimuli[HAND_RIGHT];
    *learned = scalars.stimuli;
    simulate_result_free(&r);
    schedule_free(&s);
}

/* Manipulations in time: only in sessions, only between them, in given sessions, in a clock window. */
START_TEST(manipulations_hold_in_their_part_of_the_day)
{
    uint64_t practice, learned;
    right_hand_stimuli("[manipulation]\nkind = remove\ndigits = D1-D5\nduring = sessions\n", &practice, &learned);
    ck_assert_uint_eq(practice, 0);
    ck_assert_uint_gt(learned, 800 / EVERYDAY_SAMPLING); /* everyday use went on between sessions */
    right_hand_stimuli("[manipulation]\nkind = remove\ndigits = D1-D5\nduring = between\n", &practice, &learned);
    ck_assert_uint_eq(practice, 600);
    ck_assert_uint_eq(learned, 600); /* no everyday input */
    /* a second session at 14:00, written first: it is session 1, the 09:00 one session 2 */
    static const char afternoon[] = "[session]\nat = 14:00\n[exercise]\nkind = random\nrate = 5\nduration = 2 min\n";
    char text[400];
    snprintf(text, sizeof text, "[manipulation]\nkind = remove\ndigits = D1-D5\nsessions = 1\n%s", afternoon);
    right_hand_stimuli(text, &practice, &learned);
    ck_assert_uint_eq(practice, 600);
    snprintf(text, sizeof text, "[manipulation]\nkind = remove\ndigits = D1-D5\nclock = 13:30-15:00\n%s", afternoon);
    right_hand_stimuli(text, &practice, &learned);
    ck_assert_uint_eq(practice, 600);
}
END_TEST

/* A schedule without sessions is a no-practice control: everyday use and nights only. */
START_TEST(a_schedule_without_sessions_is_a_no_practice_control)
{
    static const char text[] = "[player]\nsheet = 16\neveryday = 60\n[calendar]\ndays = 2\n";
    Schedule s;
    char err[1600];
    ck_assert_msg(schedule_parse_text("control.ini", text, sizeof text - 1, 0, &s, err, sizeof err) == 0, "%s", err);
    SimResult r = run(&s, 1);
    ck_assert_int_eq(r.count, 2); /* start and end */
    ck_assert_uint_eq(r.points[1].stimuli[HAND_RIGHT], 0);
    ck_assert(r.points[1].practice_h == 0.0);
    ModelScalars scalars;
    model_get_scalars(r.model[HAND_RIGHT], &scalars);
    ck_assert_uint_gt(scalars.stimuli, 1600 / EVERYDAY_SAMPLING); /* two waking days of everyday use */
    simulate_result_free(&r);
    schedule_free(&s);
}
END_TEST

/* aging = yes: the age advances with the calendar and the learning rate's critical-period
 * factor with it; without it the age stays fixed. */
START_TEST(an_aging_player_grows_older_over_the_years)
{
    static const char text[] = "[player]\nsheet = 16\nage = 8\neveryday = 0\naging = yes\n[calendar]\nyears = 2\n"
                               "[session]\nat = 09:00\ndays = 1,730\n[exercise]\nkind = scale\nduration = 1 min\n";
    Schedule aging, fixed;
    char err[1600];
    ck_assert_msg(schedule_parse_text("aging.ini", text, sizeof text - 1, 0, &aging, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(schedule_parse_text("fixed.ini", text, sizeof text - 1, 0, &fixed, err, sizeof err) == 0, "%s", err);
    fixed.aging = 0;
    SimResult a = run(&aging, 1), f = run(&fixed, 1);
    ck_assert_float_eq_tol(a.points[0].age_years, 8.0f, 1e-6f);
    ck_assert_float_eq_tol(a.points[a.count - 1].age_years, 8.0f + 729.0f / 365.0f, 1e-4f);
    ck_assert_float_eq_tol(f.points[f.count - 1].age_years, 8.0f, 1e-6f);
    /* at ten the childhood boost is smaller than at eight */
    ck_assert_float_lt(model_learning_rate(a.model[HAND_RIGHT]), model_learning_rate(f.model[HAND_RIGHT]));
    simulate_result_free(&a), simulate_result_free(&f);
    schedule_free(&aging), schedule_free(&fixed);
}
END_TEST

/* [everyday] hours: that much use a waking day; 0 is none, the same as everyday = 0. */
START_TEST(everyday_hours_set_how_much_the_hands_are_used)
{
    Schedule quarter, none, off;
    manipulated(&quarter, "[everyday]\nhours = 4\n");
    manipulated(&none, "[everyday]\nhours = 0\n");
    manipulated(&off, "");
    off.params.everyday_touches_per_hour = 0.0f;
    SimResult a = run(&quarter, 1), b = run(&none, 1), c = run(&off, 1);
    ModelScalars sa;
    model_get_scalars(a.model[HAND_RIGHT], &sa);
    const double waking_h = (quarter.sleep_s - quarter.wake_s) / 3600.0 - 2.0 / 60.0;
    const double expected = waking_h * quarter.params.everyday_touches_per_hour * 4.0 / 16.0 / EVERYDAY_SAMPLING;
    ck_assert_msg(fabs((double)(sa.stimuli - 600) - expected) <= 2.0, "%llu everyday touches, expected %.1f",
                  (unsigned long long)(sa.stimuli - 600), expected);
    char *csv_none = csv_of(&b), *csv_off = csv_of(&c);
    ck_assert_str_eq(csv_none, csv_off);
    free(csv_none), free(csv_off);
    simulate_result_free(&a), simulate_result_free(&b), simulate_result_free(&c);
    schedule_free(&quarter), schedule_free(&none), schedule_free(&off);
}
END_TEST

START_TEST(fast_mode_forms_every_stimulus_and_presents_a_share)
{
    Schedule s;
    manipulated(&s, "");
    SimResult fast = run(&s, 8);
    const SimPoint *end = &fast.points[fast.count - 1];
    ck_assert_uint_eq(end->stimuli[HAND_RIGHT], 600);
    ModelScalars scalars;
    model_get_scalars(fast.model[HAND_RIGHT], &scalars);
    /* the model learned from one practice stimulus in 8, and from one everyday touch in 8
     * between waking and the session (09:00) and between its end (09:02) and the night */
    const double interval_s = 3600.0 * 8 / s.params.everyday_touches_per_hour;
    const uint64_t everyday = (uint64_t)((9 * 3600.0 - s.wake_s) / interval_s) +
                              (uint64_t)((s.sleep_s - (9 * 3600.0 + 120.0)) / interval_s);
    ck_assert_uint_gt(everyday, 0);
    ck_assert_uint_eq(scalars.stimuli, 600 / 8 + everyday);
    ck_assert_int_eq(fast.fast_factor, 8);
    simulate_result_free(&fast);
    schedule_free(&s);
}
END_TEST

/* Reads a whole file into a string (free()). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    text[n] = 0;
    fclose(f);
    return text;
}

static int sweep(const char *dir, const char *task)
{
    char *argv[] = {"sweep", SHORT_SCHEDULE, "--vary", "inhibition=9.6,5", "--vary", "plasticity=1,2", "-o",
                    (char *)dir, "-j", "2", task ? "--task" : NULL, (char *)task, NULL};
    int argc = task ? 12 : 10;
    return command_sweep(argc, argv);
}

START_TEST(sweep_shares_together_equal_the_whole_sweep)
{
    char whole[] = "/tmp/hm-sweep-whole-XXXXXX", parts[] = "/tmp/hm-sweep-parts-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(whole));
    ck_assert_ptr_nonnull(mkdtemp(parts));
    ck_assert_int_eq(sweep(whole, NULL), 0);
    ck_assert_int_eq(sweep(parts, "1/3"), 0);
    ck_assert_int_eq(sweep(parts, "2/3"), 0);
    ck_assert_int_eq(sweep(parts, "3/3"), 0);
    char path[300];
    for (int point = 0; point < 4; point++) {
        snprintf(path, sizeof path, "%s/point-%04d.csv", whole, point);
        char *a = slurp(path);
        snprintf(path, sizeof path, "%s/point-%04d.csv", parts, point);
        char *b = slurp(path);
        ck_assert_str_eq(a, b);
        free(a), free(b);
        remove(path);
        snprintf(path, sizeof path, "%s/point-%04d.csv", whole, point);
        remove(path);
    }
    /* the summaries' rows: the whole one's equal the shares' together, point by point */
    snprintf(path, sizeof path, "%s/summary.csv", whole);
    char *summary = slurp(path);
    remove(path);
    int rows = 0;
    for (int task = 1; task <= 3; task++) {
        snprintf(path, sizeof path, "%s/summary-%d-of-3.csv", parts, task);
        char *share = slurp(path);
        remove(path);
        char *line = strchr(share, '\n') + 1; /* after the header */
        while (*line) {
            char *end = strchr(line, '\n');
            *end = 0;
            ck_assert_msg(strstr(summary, line) != NULL, "row '%s' is not in the whole sweep", line);
            rows++;
            line = end + 1;
        }
        free(share);
    }
    ck_assert_int_eq(rows, 8); /* four points, two hands */
    free(summary);
    rmdir(whole);
    rmdir(parts);
}
END_TEST

START_TEST(replicates_give_mean_sample_sd_and_n)
{
    const double values[] = {1.0, 2.0, 3.0, 4.0};
    ReplicateStat stat = replicates_of(values, 4);
    ck_assert_int_eq(stat.n, 4);
    ck_assert_double_eq_tol(stat.mean, 2.5, 1e-12);
    ck_assert_double_eq_tol(stat.sd, 1.2909944487, 1e-9); /* sqrt(5/3): n - 1 in the denominator */
    stat = replicates_of(values, 1);
    ck_assert(stat.n == 1 && stat.mean == 1.0 && stat.sd == 0.0);
}
END_TEST

/* The table's columns: each named once, the documented new ones present, cells as the CSV has them. */
START_TEST(table_columns_are_named_once_and_read_the_metrics)
{
    int count = sim_table_columns(), border = -1, order = -1;
    for (int c = 0; c < count; c++) {
        char a[64], b[64];
        sim_table_name(c, a, sizeof a);
        for (int d = c + 1; d < count; d++)
            ck_assert_str_ne(a, sim_table_name(d, b, sizeof b));
        border = strcmp(a, "border_D3_D4") ? border : c;
        order = strcmp(a, "order_index") ? order : c;
    }
    ck_assert_int_ge(border, 0);
    ck_assert_int_ge(order, 0);
    Schedule s;
    load(SHORT_SCHEDULE, &s);
    SimResult r = run(&s, 1);
    SimCell cell = sim_table_cell(&r, r.count - 1, HAND_RIGHT, border);
    ck_assert(cell.present && cell.kind == SIM_CELL_REAL);
    ck_assert(cell.number == r.points[r.count - 1].map[HAND_RIGHT].border_sharpness[2]);
    cell = sim_table_cell(&r, r.count - 1, HAND_RIGHT, order);
    ck_assert(cell.number == r.points[r.count - 1].map[HAND_RIGHT].order_index);
    simulate_result_free(&r);
    schedule_free(&s);
}
END_TEST

Suite *simulate_suite(void)
{
    Suite *suite = suite_create("simulate");
    TCase *player = tcase_create("player");
    tcase_set_timeout(player, 120);
    tcase_add_test(player, same_seed_same_csv);
    tcase_add_test(player, practice_changes_the_practised_hand);
    tcase_add_test(player, threads_do_not_change_results);
    tcase_add_test(player, saved_state_loads_in_a_fresh_engine);
    tcase_add_test(player, removed_digits_give_no_input_and_glued_digits_merge);
    tcase_add_test(player, fast_mode_forms_every_stimulus_and_presents_a_share);
    tcase_add_test(player, everyday_use_fills_the_time_between_sessions);
    tcase_add_test(player, a_hand_not_played_lives_only_when_its_state_is_kept);
    tcase_add_test(player, everyday_hours_set_how_much_the_hands_are_used);
    tcase_add_test(player, manipulations_hold_in_their_part_of_the_day);
    tcase_add_test(player, a_schedule_without_sessions_is_a_no_practice_control);
    tcase_add_test(player, an_aging_player_grows_older_over_the_years);
    tcase_add_test(player, splinted_digits_give_no_practice_input_and_some_everyday_input);
    tcase_add_test(player, sweep_shares_together_equal_the_whole_sweep);
    tcase_add_test(player, replicates_give_mean_sample_sd_and_n);
    tcase_add_test(player, table_columns_are_named_once_and_read_the_metrics);
    suite_add_tcase(suite, player);
    return suite;
}
