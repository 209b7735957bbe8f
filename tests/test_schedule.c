/* The schedule language: every example parses; broken schedules are refused naming the
 * file, the line and what was expected (each fixture's first line says which). */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "suites.h"

START_TEST(every_example_parses)
{
    glob_t found;
    ck_assert_int_eq(glob("examples/*.ini", 0, NULL, &found), 0);
    ck_assert_uint_ge(found.gl_pathc, 5);
    for (size_t i = 0; i < found.gl_pathc; i++) {
        char err[1600] = "";
        Schedule s;
        ck_assert_msg(schedule_load(found.gl_pathv[i], &s, err, sizeof err) == 0, "%s", err);
        /* every example practises, but the no-practice control */
        int control = strstr(found.gl_pathv[i], "no-practice-control") != NULL;
        ck_assert_int_eq(s.session_count > 0, !control);
        ck_assert(control || schedule_practice_total_s(&s) > 0.0);
        schedule_free(&s);
    }
    globfree(&found);
}
END_TEST

START_TEST(broken_schedules_name_their_line)
{
    glob_t found;
    ck_assert_int_eq(glob("tests/fixtures/schedules/broken-*.ini", 0, NULL, &found), 0);
    ck_assert_uint_ge(found.gl_pathc, 10);
    for (size_t i = 0; i < found.gl_pathc; i++) {
        const char *path = found.gl_pathv[i];
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        char first[300];
        ck_assert_ptr_nonnull(fgets(first, sizeof first, f));
        fclose(f);
        int line = -1, used = 0;
        ck_assert_msg(sscanf(first, "; expect: %d: %n", &line, &used) == 1, "%s lacks its '; expect:' line", path);
        char fragment[300];
        snprintf(fragment, sizeof fragment, "%s", first + used);
        fragment[strcspn(fragment, "\n")] = 0;
        char err[1600] = "", where[600];
        Schedule s;
        ck_assert_msg(schedule_load(path, &s, err, sizeof err) == -1, "%s was accepted", path);
        if (line > 0)
            snprintf(where, sizeof where, "%s:%d: ", path, line);
        else
            snprintf(where, sizeof where, "%s: ", path);
        ck_assert_msg(strncmp(err, where, strlen(where)) == 0, "%s: expected '%s...', got '%s'", path, where, err);
        ck_assert_msg(strstr(err, fragment) != NULL, "%s: expected '%s' in '%s'", path, fragment, err);
    }
    globfree(&found);
}
END_TEST

/* Plot titles and tables name a schedule by its file name, its control characters escaped. */
START_TEST(a_schedule_is_named_by_its_file_name)
{
    char name[64];
    schedule_name("studies/2026/massed.ini", name, sizeof name);
    ck_assert_str_eq(name, "massed");
    schedule_name("spaced", name, sizeof name);
    ck_assert_str_eq(name, "spaced");
    schedule_name("a/x\033[2J.ini", name, sizeof name);
    ck_assert_str_eq(name, "x\\x1b[2J");
}
END_TEST

/* Writes text to a temporary schedule file and loads it. */
static int load_text(const char *text, Schedule *s, char *err, size_t err_size)
{
    char path[] = "/tmp/hm-schedule-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    int status = schedule_load(path, s, err, err_size);
    remove(path);
    return status;
}

START_TEST(sessions_items_and_days_are_read_in_order)
{
    char err[1600];
    Schedule s;
    ck_assert_msg(load_text("[player]\nhands = both\nage = 9\ninhibition = 5\n"
                            "[calendar]\nweeks = 2\nrest = sat,sun\nwake = 06:30\nsleep = 21:00\n"
                            "[session]\nat = 08:00\ndays = 1-3, fri\n"
                            "[exercise]\nkind = trill\nfingers = 4,5\nrate = 8\nduration = 90 s\n"
                            "[exercise]\nkind = chord\nhand = left\nduration = 2 min\n"
                            "[break]\nduration = 5 min\n"
                            "[exercise]\nkind = scale\ntempo = 120\nnotes_per_beat = 2\nduration = 0.5 h\n"
                            "[manipulation]\nkind = glue\ndigits = D2-D3\nfrom = 4\n",
                            &s, err, sizeof err) == 0,
                  "%s", err);
    ck_assert_int_eq(s.hands, HANDS_BOTH);
    ck_assert_float_eq(s.params.age_years, 9.0f);
    ck_assert_float_eq(s.params.inhibition_strength, 5.0f);
    ck_assert_int_eq(s.days, 14);
    ck_assert_double_eq(s.wake_s, 6.5 * 3600);
    ck_assert_int_eq(s.session_count, 1);
    ck_assert_int_eq(s.sessions[0].item_count, 4);
    const SessionItem *items = &s.items[s.sessions[0].first_item];
    ck_assert_int_eq(items[0].exercise.kind, EXERCISE_TRILL);
    ck_assert_int_eq(items[0].exercise.fingers[0], 3);
    ck_assert_double_eq_tol(items[0].exercise.step_s, 0.125, 1e-12);
    ck_assert_int_eq(items[0].exercise.hands, HANDS_BOTH); /* the player's hands */
    ck_assert_int_eq(items[1].exercise.hands, HANDS_LEFT);
    ck_assert_int_eq(items[2].kind, ITEM_BREAK);
    ck_assert_double_eq(items[2].duration_s, 300.0);
    ck_assert_double_eq_tol(items[3].exercise.step_s, 0.25, 1e-12);
    ck_assert_double_eq(schedule_session_length_s(&s, &s.sessions[0]), 90 + 120 + 300 + 1800);
    /* days 1, 2, 3 (Mon-Wed) and Fridays 5 and 12; weekends rest */
    int played[15] = {0};
    for (int day = 1; day <= 14; day++)
        played[day] = schedule_session_on(&s, &s.sessions[0], day);
    int expected[15] = {0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0};
    ck_assert_mem_eq(played, expected, sizeof played);
    ck_assert_double_eq(schedule_practice_total_s(&s), 5 * (90 + 120 + 1800));
    ck_assert_int_eq(s.manipulation_count, 1);
    ck_assert_uint_eq(s.manipulations[0].digits, 0x6);
    ck_assert(!schedule_day_in(&s.manipulations[0].days, 3));
    ck_assert(schedule_day_in(&s.manipulations[0].days, 4));
    schedule_free(&s);
}
END_TEST

START_TEST(player_keys_come_from_the_parameter_table)
{
    char err[1600];
    Schedule s;
    memset(&s, 0, sizeof s);
    model_params_default(&s.params);
    ck_assert_int_eq(schedule_set_player(&s, "excitation_width", "0.07", err, sizeof err), 0);
    ck_assert_float_eq_tol(s.params.excitation_width, 0.07f, 1e-7f);
    ck_assert_int_eq(schedule_set_player(&s, "plasticity", "2.5", err, sizeof err), 0);
    ck_assert_float_eq(s.params.plasticity_gain, 2.5f);
    ck_assert_int_eq(schedule_set_player(&s, "sheet", "70", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "sheet_size"));
    ck_assert_int_eq(schedule_set_player(&s, "colour", "1", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "valid:"));
    ck_assert_ptr_nonnull(strstr(err, "homeostasis_rate")); /* the list names the table's keys */
    ck_assert_int_eq(schedule_set_player(&s, "hands", "three", err, sizeof err), -1);
}
END_TEST

/* Refused numbers are reported and never converted (they were, uninitialised: UBSan's
 * float-cast-overflow in tests/fuzz/regressions/schedule/). */
START_TEST(refused_numbers_are_not_used)
{
    static const char *const cases[][2] = {
        {"[calendar]\ndays = 1k\n", "fuzz.ini:2: days = '1k'"},
        {"[calendar]\nyears = x\n", "fuzz.ini:2: years = 'x'"},
        {"[calendar]\ndays = 2\n[session]\nat = 08:00\n[exercise]\nkind = scale\nvelocity = loud\n",
         "fuzz.ini:7: velocity = 'loud'"},
        {"[calendar]\ndays = 2\n[session]\nat = 08:00\n[exercise]\nkind = scale\nvelocity_spread = -\n",
         "fuzz.ini:7: velocity_spread = '-'"},
        {"[calendar]\ndays = 2\n[session]\nat = 08:00\n[exercise]\nkind = scale\nrepeat = 1e99\n",
         "fuzz.ini:7: repeat = '1e99'"},
        {"[calendar]\ndays = 2\n[manipulation]\nkind = glue\ndigits = D2-D3\nfrom = soon\n",
         "fuzz.ini:6: from = 'soon'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[1600] = "";
        Schedule s;
        ck_assert_int_eq(schedule_parse_text("fuzz.ini", cases[i][0], strlen(cases[i][0]), 0, &s, err, sizeof err), -1);
        ck_assert_msg(strncmp(err, cases[i][1], strlen(cases[i][1])) == 0, "expected '%s...', got '%s'", cases[i][1],
                      err);
    }
}
END_TEST

/* schedule_parse_text reads exactly its length (no terminator needed) and, when told not to,
 * refuses a recording's file unread, naming its line. */
START_TEST(text_without_files)
{
    static const char text[] = "[calendar]\ndays = 1\n[session]\nat = 08:00\n[exercise]\nkind = midi\n"
                               "file = /dev/zero\nduration = 1 min\n";
    char *exact = malloc(sizeof text - 1);
    memcpy(exact, text, sizeof text - 1);
    char err[1600] = "";
    Schedule s;
    ck_assert_int_eq(schedule_parse_text("dir/x.ini", exact, sizeof text - 1, 0, &s, err, sizeof err), -1);
    ck_assert_str_eq(err, "dir/x.ini:7: /dev/zero: files named in this schedule are not read here");
    free(exact);
    static const char scale[] = "[calendar]\ndays = 1\n[session]\nat = 08:00\n[exercise]\nkind = scale\n"
                                "duration = 1 min\n[bogus";
    size_t length = strlen(scale) - strlen("[bogus"); /* what follows is not part of the text */
    ck_assert_msg(schedule_parse_text("dir/x.ini", scale, length, 0, &s, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(s.days, 1);
    ck_assert_int_eq(s.session_count, 1);
    ck_assert_double_eq(schedule_practice_total_s(&s), 60.0);
    schedule_free(&s);
}
END_TEST

Suite *schedule_suite(void)
{
    Suite *suite = suite_create("schedule");
    TCase *parse = tcase_create("parse");
    tcase_add_test(parse, every_example_parses);
    tcase_add_test(parse, a_schedule_is_named_by_its_file_name);
    tcase_add_test(parse, broken_schedules_name_their_line);
    tcase_add_test(parse, sessions_items_and_days_are_read_in_order);
    tcase_add_test(parse, player_keys_come_from_the_parameter_table);
    tcase_add_test(parse, refused_numbers_are_not_used);
    tcase_add_test(parse, text_without_files);
    suite_add_tcase(suite, parse);
    return suite;
}
