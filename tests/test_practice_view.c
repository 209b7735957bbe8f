/* The live view as text: the screen holds both hands' maps coloured by finger, per-finger
 * areas and overlaps, the overlap risk, the load, the warning with its reason and the keys;
 * it fits the terminal it is given (80x24 and up: no line wider, no more lines, the maps
 * sized to what is left) and has no colour under NO_COLOR; the plain line holds the figures
 * a log reader needs; short buffers are cut safely. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "practice_view.h"
#include "suites.h"

static Engine *engine;
static EngineSnapshot *snapshot; /* a copy the tests may change */

static void setup(void)
{
    EngineConfig config;
    engine_config_default(&config, 48000, 256);
    char err[256];
    engine = engine_create(&config, err, sizeof err);
    ck_assert_msg(engine != NULL, "%s", err);
    engine_finish(engine);
    snapshot = malloc(sizeof *snapshot);
    ck_assert_ptr_nonnull(snapshot);
    memcpy(snapshot, engine_snapshot(engine), sizeof *snapshot);
}

static void teardown(void)
{
    free(snapshot);
    engine_free(engine);
}

static const PracticeViewStatus STATUS = {.profile = "alice", .audio = "audio: test device",
                                          .midi = "midi: test port", .sonify = SONIFY_ECHO, .elapsed_s = 75.0,
                                          .dropped = 0, .notice = "profile saved at 12:00:00"};

/* The text without ANSI escape sequences. */
static void strip_escapes(const char *in, char *out)
{
    while (*in) {
        if (*in == '\033') {
            in++;
            if (*in == '[')
                in++;
            while (*in && !((*in >= 'A' && *in <= 'Z') || (*in >= 'a' && *in <= 'z')))
                in++;
            if (*in)
                in++;
            continue;
        }
        *out++ = *in++;
    }
    *out = '\0';
}

static char screen[1 << 17], plain[1 << 17];
static const PracticeViewScreen WIDE = {120, 50, 1}, STANDARD = {80, 24, 1}, STANDARD_NO_COLOUR = {80, 24, 0};

/* Checks that the stripped screen has at most rows lines of at most columns characters. */
static void assert_fits(const char *text, int columns, int rows)
{
    int lines = 1, width = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '\n') {
            lines++;
            width = 0;
        } else if (++width > columns) {
            ck_abort_msg("line %d is wider than %d:\n%s", lines, columns, text);
        }
    }
    ck_assert_msg(lines <= rows, "%d lines for %d rows:\n%s", lines, rows, text);
}

/* The number of map rows: lines of only finger numbers, '.' and spaces, with at least
 * `cells` numbers or dots. */
static int map_rows(const char *text, int cells)
{
    int rows = 0;
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        int count = 0, other = 0;
        for (const char *c = line; *c && *c != '\n'; c++) {
            if ((*c >= '1' && *c <= '5') || *c == '.')
                count++;
            else if (*c != ' ')
                other = 1;
        }
        rows += !other && count >= cells;
    }
    return rows;
}

START_TEST(screen_shows_maps_figures_and_keys)
{
    size_t n = practice_view_render(snapshot, &STATUS, &WIDE, screen, sizeof screen);
    ck_assert_uint_eq(n, strlen(screen));
    strip_escapes(screen, plain);
    const char *expected[] = {"profile 'alice'", "00:01:15", "sonify: echo", "[s] sonify", "[q] quit",
                              "audio: test device", "midi: test port", "right hand", "left hand",
                              "overlap risk", "area %", "D1-D2", "D4-D5", "notes 0", "0 in the last minute",
                              "fingers given: (no note yet)", "no warnings", "profile saved at 12:00:00"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        ck_assert_msg(strstr(plain, expected[i]) != NULL, "'%s' missing from:\n%s", expected[i], plain);
    /* the map: 16 rows of 32 + 32 cells under the heading, each a finger's number */
    const char *row = strstr(plain, "left hand");
    ck_assert_ptr_nonnull(row);
    row = strchr(row, '\n') + 1;
    int rows = 0, cells[5] = {0};
    for (; rows < 40; rows++) {
        const char *end = strchr(row, '\n');
        int digits = 0;
        for (const char *c = row; c < end; c++)
            if (*c >= '1' && *c <= '5') {
                digits++;
                cells[*c - '1']++;
            }
        if (digits < 64)
            break;
        row = end + 1;
    }
    ck_assert_int_eq(rows, snapshot->sheet_size / 2);
    for (int d = 0; d < 5; d++)
        ck_assert_msg(cells[d] > 0, "no cell of D%d drawn", d + 1);
    /* solid cells carry the finger's background colour (D2: yellow) */
    ck_assert_ptr_nonnull(strstr(screen, "\033[30;43m2"));
}
END_TEST

START_TEST(screen_fits_80x24)
{
    snapshot->recent[0] = (EngineFingeredNote){.note = 66, .hand = 0, .finger = 3};
    snapshot->recent_count = 1;
    size_t n = practice_view_render(snapshot, &STATUS, &STANDARD, screen, sizeof screen);
    ck_assert_uint_eq(n, strlen(screen));
    strip_escapes(screen, plain);
    assert_fits(plain, 80, 24);
    const char *expected[] = {"profile 'alice'", "sonify: echo", "[s] sonify", "[q] quit", "right hand",
                              "left hand", "overlap risk", "area %", "D4-D5", "notes 0", "in the last minute",
                              "fingers given:  F#4 R4", "no warnings", "profile saved at 12:00:00"};
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        ck_assert_msg(strstr(plain, expected[i]) != NULL, "'%s' missing from:\n%s", expected[i], plain);
    ck_assert_int_ge(map_rows(plain, 2 * 16), PRACTICE_VIEW_MIN_MAP_ROWS); /* both maps, 16+ cells across each */
    ck_assert_ptr_null(strstr(screen + 3, "\n\033[J")); /* no newline after the last row: it would scroll */
    /* a bigger terminal: the whole 32 x 32 sheet in 16 rows; a narrow one: nothing wider */
    practice_view_render(snapshot, &STATUS, &WIDE, screen, sizeof screen);
    strip_escapes(screen, plain);
    assert_fits(plain, 120, 50);
    ck_assert_int_eq(map_rows(plain, 64), 16);
    const PracticeViewScreen small = {60, 20, 1};
    practice_view_render(snapshot, &STATUS, &small, screen, sizeof screen);
    strip_escapes(screen, plain);
    assert_fits(plain, 60, 20);
    ck_assert_ptr_nonnull(strstr(plain, "[q] quit"));
}
END_TEST

START_TEST(no_colour_under_no_color)
{
    practice_view_render(snapshot, &STATUS, &STANDARD_NO_COLOUR, screen, sizeof screen);
    for (const char *c = strchr(screen, '\033'); c; c = strchr(c + 1, '\033')) {
        const char *end = c + 2;
        while (*end >= '0' && *end <= '9')
            end++;
        ck_assert_msg(*end != 'm' && *end != ';', "a colour or attribute escape under NO_COLOR: %.12s", c + 1);
    }
    strip_escapes(screen, plain);
    assert_fits(plain, 80, 24);
    ck_assert_int_ge(map_rows(plain, 32), PRACTICE_VIEW_MIN_MAP_ROWS);
}
END_TEST

START_TEST(a_long_warning_wraps_whole_at_80_columns)
{
    snapshot->warning = (Warning){.level = WARNING_LEVEL_WARNING, .reason = WARNING_RISK_RISING, .value = 20,
                                  .pair = 2, .hand = 1};
    char words[200];
    load_warning_text(&snapshot->warning, words, sizeof words);
    ck_assert_uint_gt(strlen("warning: ") + strlen(words), 80); /* else this test proves nothing */
    practice_view_render(snapshot, &STATUS, &STANDARD, screen, sizeof screen);
    strip_escapes(screen, plain);
    assert_fits(plain, 80, 24);
    char *start = strstr(plain, "warning: ");
    ck_assert_ptr_nonnull(start);
    char joined[400] = "";
    char *newline = strchr(start, '\n');
    ck_assert_ptr_nonnull(newline);
    strncat(joined, start + strlen("warning: "), (size_t)(newline - start) - strlen("warning: "));
    const char *next = newline + 1;
    while (*next == ' ')
        next++;
    strcat(joined, " ");
    strncat(joined, next, (size_t)(strchr(next, '\n') - next));
    ck_assert_msg(strcmp(joined, words) == 0, "'%s' is not '%s'", joined, words);
}
END_TEST

START_TEST(screen_and_line_give_the_warning_and_its_reason)
{
    snapshot->warning = (Warning){.level = WARNING_LEVEL_WARNING, .reason = WARNING_NO_BREAK, .value = 55,
                                  .pair = -1, .hand = -1};
    char words[200];
    load_warning_text(&snapshot->warning, words, sizeof words);
    practice_view_render(snapshot, &STATUS, &WIDE, screen, sizeof screen);
    strip_escapes(screen, plain);
    ck_assert_ptr_nonnull(strstr(plain, "warning: "));
    ck_assert_msg(strstr(plain, words) != NULL, "'%s' missing", words);
    char line[2048];
    practice_view_line(snapshot, &STATUS, line, sizeof line);
    ck_assert_ptr_nonnull(strstr(line, " | warning: "));
    ck_assert_ptr_nonnull(strstr(line, words));
}
END_TEST

START_TEST(line_holds_notes_areas_and_risk)
{
    snapshot->notes = 42;
    snapshot->map[0].area_fraction[1] = 0.25f;
    snapshot->map[1].overlap_risk = 0.125f;
    char line[2048];
    size_t n = practice_view_line(snapshot, &STATUS, line, sizeof line);
    ck_assert_uint_eq(n, strlen(line));
    ck_assert_ptr_null(strchr(line, '\n'));
    ck_assert_ptr_null(strchr(line, '\033'));
    ck_assert_msg(strncmp(line, "[   75.0 s] notes 42 | right D1 ", 32) == 0, "%s", line);
    ck_assert_msg(strstr(line, " D2 25.0 ") != NULL, "%s", line);
    ck_assert_msg(strstr(line, "| left D1") != NULL, "%s", line);
    ck_assert_msg(strstr(line, "risk 0.125") != NULL, "%s", line);
    ck_assert_msg(strstr(line, "sonify echo") != NULL, "%s", line);
}
END_TEST

START_TEST(screen_shows_the_finger_given_to_each_recent_note)
{
    snapshot->recent[0] = (EngineFingeredNote){.note = 60, .hand = 0, .finger = 0};
    snapshot->recent[1] = (EngineFingeredNote){.note = 66, .hand = 0, .finger = 3};
    snapshot->recent[2] = (EngineFingeredNote){.note = 43, .hand = 1, .finger = 4};
    snapshot->recent_count = 3;
    practice_view_render(snapshot, &STATUS, &WIDE, screen, sizeof screen);
    strip_escapes(screen, plain);
    ck_assert_msg(strstr(plain, "fingers given:  C4 R1  F#4 R4  G2 L5") != NULL, "%s", plain);
}
END_TEST

START_TEST(before_the_first_snapshot_it_waits)
{
    char line[256];
    practice_view_line(NULL, &STATUS, line, sizeof line);
    ck_assert_ptr_nonnull(strstr(line, "waiting"));
    practice_view_render(NULL, &STATUS, &WIDE, screen, sizeof screen);
    ck_assert_ptr_nonnull(strstr(screen, "waiting"));
}
END_TEST

START_TEST(short_buffers_are_cut_and_terminated)
{
    char small[64];
    memset(small, 'x', sizeof small);
    size_t n = practice_view_render(snapshot, &STATUS, &WIDE, small, sizeof small);
    ck_assert_uint_lt(n, sizeof small);
    ck_assert_uint_eq(strlen(small), n);
    n = practice_view_line(snapshot, &STATUS, small, 10);
    ck_assert_uint_eq(n, 9);
    ck_assert_uint_eq(strlen(small), 9);
}
END_TEST

Suite *practice_view_suite(void)
{
    Suite *s = suite_create("practice_view");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, screen_shows_maps_figures_and_keys);
    tcase_add_test(tc, screen_fits_80x24);
    tcase_add_test(tc, no_colour_under_no_color);
    tcase_add_test(tc, a_long_warning_wraps_whole_at_80_columns);
    tcase_add_test(tc, screen_and_line_give_the_warning_and_its_reason);
    tcase_add_test(tc, screen_shows_the_finger_given_to_each_recent_note);
    tcase_add_test(tc, line_holds_notes_areas_and_risk);
    tcase_add_test(tc, before_the_first_snapshot_it_waits);
    tcase_add_test(tc, short_buffers_are_cut_and_terminated);
    suite_add_tcase(s, tc);
    return s;
}
