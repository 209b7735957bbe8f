/* The practice log: records come back exactly as appended, a line torn by a crash is
 * ignored (and cut before the next append), any other bad line is named by file and line. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "practice_log.h"
#include "session_changes.h"
#include "suites.h"

/* A path in a fresh temporary directory (free the result and call cleanup). */
static char *log_path(void)
{
    char *dir = strdup("/tmp/hm-log-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *path = malloc(strlen(dir) + 32);
    sprintf(path, "%s/test.log.jsonl", dir);
    free(dir);
    return path;
}

static void cleanup(char *path)
{
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
    free(path);
}

/* A record with every field set to something distinct (seed varies it). */
static PracticeSessionRecord sample_record(int seed)
{
    PracticeSessionRecord r;
    memset(&r, 0, sizeof r);
    r.start_unix = 1780000000 + seed * 86400;
    r.end_unix = r.start_unix + 2700 + seed;
    r.played_s = 1234.56789 + seed;
    r.notes = 4000u + (unsigned)seed;
    r.hands_used = 1 + seed % 3;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        for (int f = 0; f < 5; f++)
            r.notes_per_finger[h][f] = (uint64_t)(100 * h + 10 * f + seed);
        float *values = (float *)&r.map[h];
        size_t floats = sizeof r.map[h] / sizeof(float);
        for (size_t i = 0; i < floats; i++)
            values[i] = (float)(sin((double)(i + 7 * h + seed)) * 1.7);
        r.map[h].valid = 1;
        r.map[h].risk_pair = (seed + h) % 4;
        for (int d = 0; d < METRICS_DIGITS; d++)
            r.map[h].patches[d] = (seed + h + d) % 4;
    }
    /* what changed: the start known for the right hand, a week before for the left on odd seeds */
    practice_log_reference(&r.at_start[0], &r.map[1]);
    r.at_start[0].overlap_risk = 0.25f + 0.01f * (float)seed;
    if (seed % 2)
        practice_log_reference(&r.week_ago[1], &r.map[0]);
    r.warnings_count = 2;
    snprintf(r.warnings[0], sizeof r.warnings[0], "45 minutes without a break: rest \"now\"");
    snprintf(r.warnings[1], sizeof r.warnings[1], "D3-D4 merging\\ fast\n\tÜberlastung ≥ 0.3");
    return r;
}

static void append_ok(const char *path, const PracticeSessionRecord *r)
{
    char err[512];
    ck_assert_msg(practice_log_append(path, r, NULL, 0, err, sizeof err) == 0, "%s", err);
}

static void append_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(records_come_back_exactly)
{
    char *path = log_path();
    PracticeSessionRecord written[3] = {sample_record(0), sample_record(1), sample_record(2)};
    written[2].warnings_count = 0;
    memset(written[2].warnings, 0, sizeof written[2].warnings);
    for (int i = 0; i < 3; i++)
        append_ok(path, &written[i]);
    PracticeSessionRecord *read = NULL;
    size_t count = 0;
    char err[512];
    ck_assert_msg(practice_log_read(path, &read, &count, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_msg(memcmp(&read[i], &written[i], sizeof read[i]) == 0, "record %d differs", i);
    free(read);
    cleanup(path);
}
END_TEST

START_TEST(a_missing_log_is_empty)
{
    PracticeSessionRecord *read = NULL;
    size_t count = 7;
    char err[512];
    ck_assert_int_eq(practice_log_read("/tmp/hm-no-such-dir/none.log.jsonl", &read, &count, err, sizeof err), 0);
    ck_assert_uint_eq(count, 0);
    free(read);
}
END_TEST

START_TEST(a_torn_last_line_is_ignored_then_cut)
{
    char *path = log_path();
    PracticeSessionRecord a = sample_record(3), b = sample_record(4);
    append_ok(path, &a);
    append_text(path, "{\"start\": 1780000000, \"end\": 17"); /* a crash in the middle of a line */
    PracticeSessionRecord *read = NULL;
    size_t count = 0;
    char err[512];
    ck_assert_msg(practice_log_read(path, &read, &count, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count, 1);
    free(read);
    append_ok(path, &b);
    ck_assert_msg(practice_log_read(path, &read, &count, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(memcmp(&read[1], &b, sizeof b), 0);
    free(read);
    cleanup(path);
}
END_TEST

START_TEST(a_bad_line_is_named)
{
    static const char *const bad_lines[] = {
        "{\"start\": oops}\n",
        "not json at all\n",
        "{\"end\": 5}\n",
        "{\"start\": 0x10, \"end\": 1}\n",
    };
    for (size_t i = 0; i < sizeof bad_lines / sizeof *bad_lines; i++) {
        char *path = log_path();
        PracticeSessionRecord a = sample_record(5);
        append_ok(path, &a);
        append_text(path, bad_lines[i]);
        PracticeSessionRecord *read = NULL;
        size_t count = 0;
        char err[512], expected[600];
        ck_assert_int_eq(practice_log_read(path, &read, &count, err, sizeof err), -1);
        snprintf(expected, sizeof expected, "%s:2: column", path);
        ck_assert_msg(strstr(err, expected) != NULL, "'%s' does not name %s", err, expected);
        ck_assert_ptr_null(read);
        cleanup(path);
    }
}
END_TEST

START_TEST(a_record_with_a_wrong_value_is_refused)
{
    char *path = log_path();
    PracticeSessionRecord a = sample_record(6);
    a.map[0].overlap_risk = NAN; /* written as 0: the line stays JSON */
    append_ok(path, &a);
    append_text(path, "{\"start\": 1, \"end\": 2, \"played_s\": -5, \"notes\": 0}\n");
    PracticeSessionRecord *read = NULL;
    size_t count = 0;
    char err[512];
    ck_assert_int_eq(practice_log_read(path, &read, &count, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, ":2: column 38: played_s is negative"));
    cleanup(path);
}
END_TEST

/* Issue 20: what the writer writes, the reader reads. A record the reader would refuse (a
 * time beyond its range) is not appended, and the log stays readable. */
START_TEST(a_record_that_would_not_read_back_is_not_written)
{
    char *path = log_path();
    PracticeSessionRecord a = sample_record(8), far = sample_record(9);
    append_ok(path, &a);
    far.start_unix = far.end_unix = (int64_t)1 << 41;
    char err[768], note[768] = "x";
    ck_assert_int_eq(practice_log_append(path, &far, note, sizeof note, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "the record would not read back") && strstr(err, "whole number in range"), "%s", err);
    ck_assert_str_eq(note, "");
    PracticeSessionRecord *read = NULL;
    size_t count = 0;
    ck_assert_msg(practice_log_read(path, &read, &count, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count, 1);
    free(read);
    cleanup(path);
}
END_TEST

/* Issue 20: a log the reader refuses is set aside whole, not appended to, so that the next
 * session's record starts a log that history reads. */
START_TEST(an_unreadable_log_is_set_aside)
{
    char *path = log_path();
    PracticeSessionRecord a = sample_record(10), b = sample_record(11);
    append_ok(path, &a);
    append_text(path, "not json at all\n");
    uint8_t *before = NULL, *after = NULL;
    size_t before_size = 0, after_size = 0;
    char err[768], note[1024] = "", aside[600];
    ck_assert_int_eq(files_read(path, 1 << 20, &before, &before_size, err, sizeof err), 0);
    ck_assert_msg(practice_log_append(path, &b, note, sizeof note, err, sizeof err) == 0, "%s", err);
    snprintf(aside, sizeof aside, "%s.unreadable-%lld", path, (long long)b.end_unix);
    ck_assert_msg(strstr(note, ":2: column 1:") && strstr(note, aside), "%s", note);
    ck_assert_int_eq(files_read(aside, 1 << 20, &after, &after_size, err, sizeof err), 0);
    ck_assert_uint_eq(after_size, before_size); /* kept byte for byte */
    ck_assert_mem_eq(after, before, before_size);
    PracticeSessionRecord *read = NULL;
    size_t count = 0;
    ck_assert_msg(practice_log_read(path, &read, &count, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count, 1);
    ck_assert_int_eq(read[0].start_unix, b.start_unix);
    free(read), free(before), free(after);
    unlink(aside);
    cleanup(path);
}
END_TEST

START_TEST(a_failed_append_says_why)
{
    PracticeSessionRecord a = sample_record(7);
    char err[512];
    ck_assert_int_eq(practice_log_append("/tmp/hm-no-such-dir/x.log.jsonl", &a, NULL, 0, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/tmp/hm-no-such-dir/x.log.jsonl"));
    if (access("/dev/full", W_OK) == 0) {
        ck_assert_int_eq(practice_log_append("/dev/full", &a, NULL, 0, err, sizeof err), -1);
        ck_assert_ptr_nonnull(strstr(err, "writing failed"));
    }
}
END_TEST

START_TEST(a_session_record_counts_what_happened_in_it)
{
    EngineSnapshot *start = calloc(1, sizeof *start), *end = calloc(1, sizeof *end);
    ck_assert_ptr_nonnull(start);
    ck_assert_ptr_nonnull(end);
    start->notes = 100; /* what the profile had played before */
    start->load.notes_per_finger[0][1] = 40;
    *end = *start;
    end->notes = 130;
    end->load.notes_per_finger[0][1] = 60; /* 20 more with the right index finger */
    end->load.notes_per_finger[1][4] = 10; /* 10 with the left little finger */
    end->map[1].overlap_risk = 0.25f;
    PracticeSessionRecord r;
    practice_log_begin(&r, 1780000000, start);
    practice_log_add_warning(&r, "55 min without a break: rest 10 min");
    practice_log_add_warning(&r, "55 min without a break: rest 10 min"); /* the same: not counted again */
    for (int i = 0; i < 5; i++) {
        char text[32];
        snprintf(text, sizeof text, "warning %d", i);
        practice_log_add_warning(&r, text);
    }
    practice_log_finish(&r, 1780001800, 1500.0, end);
    ck_assert_int_eq(r.start_unix, 1780000000);
    ck_assert_int_eq(r.end_unix, 1780001800);
    ck_assert_double_eq(r.played_s, 1500.0);
    ck_assert_uint_eq(r.notes, 30);
    ck_assert_uint_eq(r.notes_per_finger[0][1], 20);
    ck_assert_uint_eq(r.notes_per_finger[1][4], 10);
    ck_assert_int_eq(r.hands_used, 3);
    ck_assert_float_eq(r.map[1].overlap_risk, 0.25f);
    ck_assert_uint_eq(r.warnings_count, 6);
    ck_assert_str_eq(r.warnings[0], "55 min without a break: rest 10 min");
    ck_assert_str_eq(r.warnings[3], "warning 2"); /* the first four distinct texts are kept */

    PracticeSessionRecord fresh; /* a new profile: no snapshot before the first notes */
    practice_log_begin(&fresh, 1780000000, NULL);
    practice_log_finish(&fresh, 1780000060, 60.0, end);
    ck_assert_uint_eq(fresh.notes, 130);
    free(start), free(end);
}
END_TEST

/* Every warning a session sees is noted once when it appears, not again while it lasts, and
 * again only when another one (or the same after none) appears (issue 18: play logged only
 * its last warning). */
START_TEST(each_warning_seen_is_noted_once)
{
    PracticeSessionRecord r;
    practice_log_begin(&r, 1780000000, NULL);
    Warning last = {0};
    Warning none = {.level = WARNING_LEVEL_NONE, .hand = -1};
    Warning repetitive = {.level = WARNING_LEVEL_ADVICE, .reason = WARNING_REPETITIVE, .value = 80, .hand = 0};
    Warning no_break = {.level = WARNING_LEVEL_WARNING, .reason = WARNING_NO_BREAK, .value = 55, .hand = -1};
    practice_log_observe_warning(&r, &none, &last);
    ck_assert_uint_eq(r.warnings_count, 0);
    for (int i = 0; i < 10; i++) /* the same warning, snapshot after snapshot */
        practice_log_observe_warning(&r, &repetitive, &last);
    ck_assert_uint_eq(r.warnings_count, 1);
    practice_log_observe_warning(&r, &no_break, &last);
    practice_log_observe_warning(&r, &no_break, &last);
    ck_assert_uint_eq(r.warnings_count, 2);
    char first[160], second[160];
    load_warning_text(&repetitive, first, sizeof first);
    load_warning_text(&no_break, second, sizeof second);
    ck_assert_str_eq(r.warnings[0], first);
    ck_assert_str_eq(r.warnings[1], second);
    practice_log_observe_warning(&r, &none, &last);
    repetitive.hand = 1; /* the other hand's: another warning */
    practice_log_observe_warning(&r, &repetitive, &last);
    ck_assert_uint_eq(r.warnings_count, 3);
}
END_TEST

/* A line written before model v2 has no "patches" and "order_index": it reads back with 0. */
START_TEST(a_line_from_before_model_v2_reads)
{
    char *path = log_path();
    PracticeSessionRecord written = sample_record(5);
    append_ok(path, &written);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char line[1 << 16], old[1 << 16];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    /* cut each hand's ', "patches": [...], "order_index": X' before its closing brace */
    size_t n = 0;
    for (const char *p = line; *p;) {
        const char *cut = strstr(p, ", \"patches\"");
        if (!cut) {
            strcpy(old + n, p);
            break;
        }
        memcpy(old + n, p, (size_t)(cut - p));
        n += (size_t)(cut - p);
        p = strchr(cut, '}');
        ck_assert_ptr_nonnull(p);
    }
    ck_assert_ptr_null(strstr(old, "order_index"));
    unlink(path);
    append_text(path, old);
    PracticeSessionRecord *read = NULL;
    size_t count = 0;
    char err[512];
    ck_assert_msg(practice_log_read(path, &read, &count, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count, 1);
    for (int h = 0; h < ENGINE_HANDS; h++) {
        memset(written.map[h].patches, 0, sizeof written.map[h].patches);
        written.map[h].order_index = 0.0f;
    }
    ck_assert_msg(memcmp(&read[0], &written, sizeof written) == 0, "the old line read back differently");
    free(read);
    cleanup(path);
}
END_TEST

START_TEST(a_line_from_before_what_changed_reads)
{
    char *path = log_path();
    PracticeSessionRecord written = sample_record(3);
    ck_assert(written.at_start[0].known && written.week_ago[1].known);
    static char line[PRACTICE_LOG_LINE_MAX];
    int length = practice_log_format(&written, line, sizeof line);
    ck_assert_int_gt(length, 0);
    char *changes = strstr(line, ", \"changes\"");
    ck_assert_ptr_nonnull(changes);
    strcpy(changes, "}\n"); /* the line as logs before "what changed today" hold it */
    append_text(path, line);
    PracticeSessionRecord *read = NULL;
    size_t count = 0;
    char err[512];
    ck_assert_msg(practice_log_read(path, &read, &count, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(count, 1);
    memset(written.at_start, 0, sizeof written.at_start);
    memset(written.week_ago, 0, sizeof written.week_ago);
    ck_assert_msg(memcmp(&read[0], &written, sizeof written) == 0, "the old line read back differently");
    char text[256];
    ck_assert_int_eq(session_changes_text(&read[0], 0, CHANGES_SINCE_START, text, sizeof text), -1);
    ck_assert_msg(strstr(text, "not recorded"), "%s", text);
    free(read);
    cleanup(path);
}
END_TEST

START_TEST(what_changed_compares_with_the_start_and_a_week_before)
{
    PracticeSessionRecord log[3] = {sample_record(0), sample_record(1), sample_record(6)};
    PracticeSessionRecord today = sample_record(8); /* 8 days after log[0], 7 after log[1] */
    today.start_unix = log[1].end_unix + 7 * 86400; /* log[1] ended exactly a week before */
    practice_log_note_week_ago(&today, log, 3);
    for (int h = 0; h < ENGINE_HANDS; h++) {
        MapReference expected;
        practice_log_reference(&expected, &log[1].map[h]);
        ck_assert_msg(memcmp(&today.week_ago[h], &expected, sizeof expected) == 0, "hand %d: not log[1]'s map", h);
    }
    today.start_unix -= 1; /* log[1] now ended less than a week before: log[0] */
    practice_log_note_week_ago(&today, log, 3);
    ck_assert_float_eq(today.week_ago[0].overlap_risk, log[0].map[0].overlap_risk);
    practice_log_note_week_ago(&today, log + 2, 1); /* only a session of two days before */
    ck_assert(!today.week_ago[0].known && !today.week_ago[1].known);

    /* the words: D2-D3 the closest pair at the end, its overlap up by 0.10 */
    PracticeSessionRecord r;
    memset(&r, 0, sizeof r);
    r.map[0].valid = 1;
    for (int d = 0; d < METRICS_DIGITS; d++)
        r.map[0].area_fraction[d] = 0.2f;
    r.map[0].area_fraction[1] = 0.25f;
    r.map[0].overlap[1][2] = r.map[0].overlap[2][1] = 0.30f;
    r.map[0].overlap[3][4] = 0.20f;
    r.map[0].overlap_risk = 0.12f;
    practice_log_reference(&r.at_start[0], &r.map[0]);
    r.at_start[0].area_fraction[1] = 0.20f;
    r.at_start[0].pair_overlap[1] = 0.20f;
    r.at_start[0].overlap_risk = 0.10f;
    ck_assert_int_eq(session_changes_closest_pair(&r.map[0]), 1);
    char text[256];
    ck_assert_int_eq(session_changes_text(&r, 0, CHANGES_SINCE_START, text, sizeof text), 0);
    ck_assert_msg(strstr(text, "D1 +0.0 D2 +5.0 D3 +0.0"), "%s", text);
    ck_assert_msg(strstr(text, "D2-D3 overlap 0.30 (+0.10), risk 0.12 (+0.02)"), "%s", text);
    ck_assert_int_eq(session_changes_text(&r, 0, CHANGES_SINCE_WEEK_AGO, text, sizeof text), -1);
    ck_assert_msg(strstr(text, "no session a week"), "%s", text);
}
END_TEST

Suite *practice_log_suite(void)
{
    Suite *s = suite_create("practice_log");
    TCase *c = tcase_create("log");
    tcase_add_test(c, records_come_back_exactly);
    tcase_add_test(c, a_missing_log_is_empty);
    tcase_add_test(c, a_line_from_before_model_v2_reads);
    tcase_add_test(c, a_line_from_before_what_changed_reads);
    tcase_add_test(c, what_changed_compares_with_the_start_and_a_week_before);
    tcase_add_test(c, a_torn_last_line_is_ignored_then_cut);
    tcase_add_test(c, a_bad_line_is_named);
    tcase_add_test(c, a_record_with_a_wrong_value_is_refused);
    tcase_add_test(c, a_failed_append_says_why);
    tcase_add_test(c, a_record_that_would_not_read_back_is_not_written);
    tcase_add_test(c, an_unreadable_log_is_set_aside);
    tcase_add_test(c, a_session_record_counts_what_happened_in_it);
    tcase_add_test(c, each_warning_seen_is_noted_once);
    suite_add_tcase(s, c);
    return s;
}
