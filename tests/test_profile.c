/* Profiles: where they live, what the time between sessions counts as (rest or sleep, in
 * local time across DST changes), and that a damaged profile is refused and left alone. */
#include <cairo/cairo.h>
#include <check.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "engine_file.h"
#include "files.h"
#include "player_settings.h"
#include "practice_log.h"
#include "profile.h"
#include "state.h"
#include "suites.h"

#define RATE 48000.0
#define BLOCK 1024
#define HOUR 3600
#define JUNE_1_2026_UTC 1780272000 /* 2026-06-01 00:00 UTC */

/* A fresh directory under /tmp, used as XDG_DATA_HOME. */
static char *temporary_home(void)
{
    char *dir = strdup("/tmp/hm-profile-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("XDG_DATA_HOME", dir, 1);
    return dir;
}

static void remove_tree(const char *dir)
{
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
}

static void use_time_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

/* A small engine (16 x 16 sheets) that has practised a few seconds of notes. */
static Engine *practised_engine(int notes)
{
    EngineConfig config;
    engine_config_default(&config, RATE, BLOCK);
    config.model.sheet_size = 16;
    fingering_config_default(&config.fingering, FINGERING_FIXED);
    char err[256];
    Engine *engine = engine_create(&config, err, sizeof err);
    ck_assert_msg(engine != NULL, "%s", err);
    float left[BLOCK], right[BLOCK];
    static const uint8_t keys[] = {60, 62, 64, 65, 67, 48, 52, 55};
    for (int i = 0; i < notes; i++) {
        EngineEvent on = {.frame = 10, .size = 3, .bytes = {0x90, keys[i % 8], 90}};
        EngineEvent off = {.frame = 900, .size = 3, .bytes = {0x80, keys[i % 8], 0}};
        engine_process(engine, &on, 1, left, right, BLOCK);
        engine_process(engine, &off, 1, left, right, BLOCK);
        for (int k = 0; k < 8; k++)
            engine_process(engine, NULL, 0, left, right, BLOCK);
    }
    engine_finish(engine);
    return engine;
}

/* The engine's saved state (malloc'd) at a fixed saving time. */
static uint8_t *state_of(const Engine *engine, int64_t saved_at, size_t *size)
{
    *size = engine_state_size(engine);
    uint8_t *data = malloc(*size);
    ck_assert_ptr_nonnull(data);
    ck_assert_uint_eq(engine_state_save(engine, saved_at, data, *size), *size);
    return data;
}

/* 1 when both engines' hand models serialise identically (the engine state also holds
 * times relative to each engine's clock, so it is compared model by model). */
static int same_models(const Engine *a, const Engine *b)
{
    int same = 1;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        size_t size = state_model_size(engine_model(a, h));
        ck_assert_uint_eq(state_model_size(engine_model(b, h)), size);
        uint8_t *x = malloc(size), *y = malloc(size);
        ck_assert_uint_eq(state_model_write(engine_model(a, h), 0, x, size), size);
        ck_assert_uint_eq(state_model_write(engine_model(b, h), 0, y, size), size);
        same &= memcmp(x, y, size) == 0;
        free(x), free(y);
    }
    return same;
}

static uint8_t *read_whole(const char *path, size_t *size)
{
    uint8_t *data = NULL;
    char err[256];
    ck_assert_msg(files_read(path, (size_t)1 << 26, &data, size, err, sizeof err) == 0, "%s", err);
    return data;
}

START_TEST(paths_follow_xdg)
{
    ProfilePaths p;
    char err[256];
    setenv("XDG_DATA_HOME", "/data/me", 1);
    ck_assert_int_eq(profile_paths("default", &p, err, sizeof err), 0);
    ck_assert_str_eq(p.directory, "/data/me/homunculus");
    ck_assert_str_eq(p.state_path, "/data/me/homunculus/default.profile");
    ck_assert_str_eq(p.log_path, "/data/me/homunculus/default.log.jsonl");
    setenv("XDG_DATA_HOME", "relative/dir", 1); /* not absolute: ignored, as the XDG spec says */
    setenv("HOME", "/home/pianist", 1);
    ck_assert_int_eq(profile_paths("Anna_2.0-b", &p, err, sizeof err), 0);
    ck_assert_str_eq(p.state_path, "/home/pianist/.local/share/homunculus/Anna_2.0-b.profile");
    unsetenv("XDG_DATA_HOME");
    unsetenv("HOME");
    ck_assert_int_eq(profile_paths("default", &p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "HOME"));
}
END_TEST

START_TEST(bad_names_are_refused)
{
    static const char *const bad[] = {"", ".hidden", "a/b", "..", "with space", "tab\t", "ü",
                                      "0123456789012345678901234567890123456789012345678901234567890123"};
    ProfilePaths p;
    char err[256];
    setenv("XDG_DATA_HOME", "/data", 1);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(profile_paths(bad[i], &p, err, sizeof err) == -1, "'%s' accepted", bad[i]);
        ck_assert_ptr_nonnull(strstr(err, "profile name"));
    }
    ck_assert_int_eq(profile_paths("012345678901234567890123456789012345678901234567890123456789012", &p, err,
                                   sizeof err),
                     0); /* 63 characters */
}
END_TEST

START_TEST(sleep_window_parses)
{
    SleepWindow w;
    ck_assert_int_eq(profile_parse_sleep_window("23-7", &w), 0);
    ck_assert_int_eq(w.start_hour, 23);
    ck_assert_int_eq(w.end_hour, 7);
    ck_assert_int_eq(profile_parse_sleep_window("0-6", &w), 0);
    ck_assert_int_eq(w.start_hour, 0);
    ck_assert_int_eq(w.end_hour, 6);
    static const char *const bad[] = {"", "23", "23-", "-7", "24-7", "23-24", "23-7x", "a-b", " 23-7", "23 - 7",
                                      "123-7", "+1-7"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(profile_parse_sleep_window(bad[i], &w) == -1, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(nights_count_as_sleep)
{
    use_time_zone("UTC0");
    const int64_t day = JUNE_1_2026_UTC;
    SleepWindow night = SLEEP_WINDOW_DEFAULT;
    /* 22:00 to 08:00: the 8 hours from 23 to 7 */
    ck_assert_double_eq(profile_sleep_seconds(day + 22 * HOUR, day + 32 * HOUR, night), 8.0 * HOUR);
    ck_assert_double_eq(profile_sleep_seconds(day + 9 * HOUR, day + 17 * HOUR, night), 0.0);
    /* three whole days hold three nights */
    ck_assert_double_eq(profile_sleep_seconds(day, day + 72 * HOUR, night), 24.0 * HOUR);
    /* starting mid-night, at 05:30: 1.5 hours */
    ck_assert_double_eq(profile_sleep_seconds(day + 5 * HOUR + 1800, day + 12 * HOUR, night), 1.5 * HOUR);
    ck_assert_double_eq(profile_sleep_seconds(day + 13 * HOUR, day + 15 * HOUR, (SleepWindow){13, 15}), 2.0 * HOUR);
    ck_assert_double_eq(profile_sleep_seconds(day, day + 48 * HOUR, (SleepWindow){5, 5}), 0.0);
    ck_assert_double_eq(profile_sleep_seconds(day + HOUR, day, night), 0.0); /* the clock went back */
    /* ten years away (a clock far off, too): a third of the time is night, and it is quick */
    int64_t ten_years = (int64_t)3652 * 24 * HOUR;
    ck_assert_double_eq_tol(profile_sleep_seconds(day, day + ten_years, night), ten_years / 3.0, HOUR);
    ck_assert_double_eq_tol(profile_sleep_seconds(-(INT64_C(1) << 40), day, night), (day + (INT64_C(1) << 40)) / 3.0,
                            24.0 * HOUR);
}
END_TEST

START_TEST(nights_follow_the_local_clock)
{
    use_time_zone("CET-1CEST,M3.5.0,M10.5.0/3"); /* Central Europe, no tz database needed */
    SleepWindow night = SLEEP_WINDOW_DEFAULT;
    /* 2026-03-28 22:00 CET to 2026-03-29 08:00 CEST: the clock springs forward, 7 hours of night */
    ck_assert_double_eq(profile_sleep_seconds(1774731600, 1774731600 + 9 * HOUR, night), 7.0 * HOUR);
    /* 2026-10-24 22:00 CEST to 2026-10-25 08:00 CET: it falls back, 9 hours of night */
    ck_assert_double_eq(profile_sleep_seconds(1792875600 - HOUR, 1792908000 + HOUR, night), 9.0 * HOUR);
    use_time_zone("IST-5:30"); /* half-hour offset: 23:00 local is 17:30 UTC */
    ck_assert_double_eq(profile_sleep_seconds(JUNE_1_2026_UTC + 17 * HOUR, JUNE_1_2026_UTC + 18 * HOUR, night),
                        0.5 * HOUR);
}
END_TEST

START_TEST(a_saved_profile_reopens_with_the_gap_applied)
{
    use_time_zone("UTC0");
    char *home = temporary_home();
    char err[512];
    ProfilePaths paths;
    ck_assert_int_eq(profile_paths("pianist", &paths, err, sizeof err), 0);
    const int64_t saved_at = JUNE_1_2026_UTC + 20 * HOUR;
    Engine *played = practised_engine(40);
    size_t size;
    uint8_t *state = state_of(played, saved_at, &size);
    ck_assert_msg(profile_save(&paths, state, size, err, sizeof err) == 0, "%s", err); /* creates the directories */

    /* reopened at once: the same state */
    Engine *same = practised_engine(0);
    ProfileOpening opening;
    ck_assert_msg(profile_open(&paths, same, saved_at, SLEEP_WINDOW_DEFAULT, &opening, err, sizeof err) == 0, "%s",
                  err);
    ck_assert_int_eq(opening.existed, 1);
    ck_assert_int_eq(opening.saved_unix, saved_at);
    ck_assert_double_eq(opening.awake_s + opening.asleep_s, 0.0);
    ck_assert(same_models(same, played));

    /* the next morning at 09:00: 20-23 and 7-9 awake, 23-7 asleep */
    Engine *next_day = practised_engine(0);
    ck_assert_int_eq(profile_open(&paths, next_day, saved_at + 13 * HOUR, SLEEP_WINDOW_DEFAULT, &opening, err,
                                  sizeof err),
                     0);
    ck_assert_double_eq(opening.asleep_s, 8.0 * HOUR);
    ck_assert_double_eq(opening.awake_s, 5.0 * HOUR);
    ck_assert_msg(!same_models(next_day, played), "a night changed nothing");

    /* a clock set back before the saving: no gap, nothing applied */
    Engine *back = practised_engine(0);
    ck_assert_int_eq(profile_open(&paths, back, saved_at - HOUR, SLEEP_WINDOW_DEFAULT, &opening, err, sizeof err), 0);
    ck_assert_double_eq(opening.awake_s + opening.asleep_s, 0.0);

    free(state);
    engine_free(played), engine_free(same), engine_free(next_day), engine_free(back);
    remove_tree(home);
    free(home);
}
END_TEST

/* A state's saving time is any int64_t: the far past makes a gap whose int64_t difference
 * overflows (tests/fuzz/regressions/state/), the far future none. */
START_TEST(saving_times_at_the_ends_of_time)
{
    use_time_zone("UTC0");
    const SleepWindow night = SLEEP_WINDOW_DEFAULT;
    double all = 18446744073709551615.0; /* INT64_MIN .. INT64_MAX */
    ck_assert_double_eq_tol(profile_sleep_seconds(INT64_MIN, INT64_MAX, night), all / 3.0, all * 1e-9);
    Engine *played = practised_engine(10);
    size_t size;
    uint8_t *state = state_of(played, INT64_MIN, &size);
    char err[512];
    ProfileOpening opening;
    const int64_t now = JUNE_1_2026_UTC;
    Engine *opened = practised_engine(0);
    ck_assert_msg(profile_restore("far.profile", opened, state, size, now, night, &opening, err, sizeof err) == 0,
                  "%s", err);
    ck_assert_int_eq(opening.saved_unix, INT64_MIN);
    double gap = (double)now + 9223372036854775808.0;
    ck_assert_double_eq_tol(opening.asleep_s, gap / 3.0, gap * 1e-9);
    ck_assert_double_eq_tol(opening.awake_s, gap * 2.0 / 3.0, gap * 1e-9);
    const EngineSnapshot *snapshot = engine_snapshot(opened);
    ck_assert(snapshot != NULL && isfinite(snapshot->map[0].area_mm2[0]) && isfinite(snapshot->map[1].rf_points_mean));
    free(state);
    state = state_of(played, INT64_MAX, &size);
    ck_assert_msg(profile_restore("far.profile", opened, state, size, now, night, &opening, err, sizeof err) == 0,
                  "%s", err);
    ck_assert_double_eq(opening.awake_s + opening.asleep_s, 0.0);
    free(state);
    engine_free(played), engine_free(opened);
}
END_TEST

START_TEST(a_missing_profile_is_new)
{
    char *home = temporary_home();
    char err[512];
    ProfilePaths paths;
    ck_assert_int_eq(profile_paths("default", &paths, err, sizeof err), 0);
    Engine *engine = practised_engine(0);
    Engine *reference = practised_engine(0);
    ProfileOpening opening;
    ck_assert_int_eq(profile_open(&paths, engine, 1780000000, SLEEP_WINDOW_DEFAULT, &opening, err, sizeof err), 0);
    ck_assert_int_eq(opening.existed, 0);
    ck_assert_double_eq(opening.awake_s + opening.asleep_s, 0.0);
    ck_assert(same_models(engine, reference));
    ck_assert_int_ne(access(paths.directory, F_OK), 0); /* opening creates nothing */
    engine_free(engine), engine_free(reference);
    remove_tree(home);
    free(home);
}
END_TEST

/* Writes bytes as the profile's file, opens it, and checks the refusal: -1, a message
 * naming the file and expected words, the engine and the file untouched. */
static void check_refused(const ProfilePaths *paths, const uint8_t *bytes, size_t size, const char *expected)
{
    char err[512];
    ck_assert_int_eq(files_write_atomic(paths->state_path, bytes, size, err, sizeof err), 0);
    Engine *engine = practised_engine(3);
    Engine *reference = practised_engine(3);
    ProfileOpening opening;
    err[0] = '\0';
    ck_assert_int_eq(profile_open(paths, engine, 1780000000, SLEEP_WINDOW_DEFAULT, &opening, err, sizeof err), -1);
    ck_assert_msg(strstr(err, paths->state_path) != NULL, "message without the file: %s", err);
    ck_assert_msg(strstr(err, expected) != NULL, "message without '%s': %s", expected, err);
    ck_assert(same_models(engine, reference));
    size_t on_disk_size;
    uint8_t *on_disk = read_whole(paths->state_path, &on_disk_size);
    ck_assert_uint_eq(on_disk_size, size);
    ck_assert_int_eq(memcmp(on_disk, bytes, size), 0);
    free(on_disk);
    engine_free(engine), engine_free(reference);
}

START_TEST(damaged_profiles_are_refused_and_left_alone)
{
    char *home = temporary_home();
    char err[512];
    ProfilePaths paths;
    ck_assert_int_eq(profile_paths("default", &paths, err, sizeof err), 0);
    Engine *engine = practised_engine(10);
    size_t size;
    uint8_t *state = state_of(engine, 1770000000, &size);
    ck_assert_int_eq(profile_save(&paths, state, size, err, sizeof err), 0);

    check_refused(&paths, (const uint8_t *)"not a profile", 13, "magic");
    check_refused(&paths, state, size / 2, "truncated");
    uint8_t *future = malloc(size);
    memcpy(future, state, size);
    future[4] = 99; /* format version 99 */
    check_refused(&paths, future, size, "version");
    memcpy(future, state, size);
    future[size / 2] ^= 0x40;
    check_refused(&paths, future, size, "refused");

    free(future), free(state);
    engine_free(engine);
    remove_tree(home);
    free(home);
}
END_TEST

/* Runs a command with its standard output discarded; returns its exit status. */
static int run_quietly(CommandFunction command, int argc, char **argv)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), quiet = open("/dev/null", O_WRONLY);
    ck_assert(saved >= 0 && quiet >= 0);
    dup2(quiet, STDOUT_FILENO);
    int status = command(argc, argv);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved), close(quiet);
    return status;
}

/* report and history --plot through their commands: the PNG reads back with cairo at the
 * page's size, the SVG is an XML document. */
START_TEST(pictures_read_back)
{
    char *home = temporary_home();
    char state_path[256], png[256], svg[256], plot[256];
    snprintf(state_path, sizeof state_path, "%s/hands.state", home);
    snprintf(png, sizeof png, "%s/report.png", home);
    snprintf(svg, sizeof svg, "%s/report.svg", home);
    snprintf(plot, sizeof plot, "%s/history.png", home);
    EngineConfig config;
    engine_config_default(&config, RATE, BLOCK); /* the program's geometry */
    char err[256];
    Engine *engine = engine_create(&config, err, sizeof err);
    ck_assert_ptr_nonnull(engine);
    engine_finish(engine);
    ck_assert_int_eq(engine_file_save(engine, state_path, 1780000000), 0);

    char *report_png[] = {"report", "--state", state_path, "-o", png, NULL};
    ck_assert_int_eq(run_quietly(command_report, 5, report_png), 0);
    cairo_surface_t *picture = cairo_image_surface_create_from_png(png);
    ck_assert_int_eq(cairo_surface_status(picture), CAIRO_STATUS_SUCCESS);
    ck_assert_int_eq(cairo_image_surface_get_width(picture), 960);
    ck_assert_int_eq(cairo_image_surface_get_height(picture), 520);
    cairo_surface_destroy(picture);

    char *report_svg[] = {"report", "--state", state_path, "--output", svg, NULL};
    ck_assert_int_eq(run_quietly(command_report, 5, report_svg), 0);
    size_t size;
    uint8_t *text = read_whole(svg, &size);
    ck_assert_uint_gt(size, 1000);
    ck_assert_int_eq(memcmp(text, "<?xml", 5), 0);
    free(text);

    ProfilePaths paths;
    ck_assert_int_eq(profile_paths("plotted", &paths, err, sizeof err), 0);
    ck_assert_int_eq(mkdir(paths.directory, 0700), 0);
    PracticeSessionRecord session;
    practice_log_begin(&session, 1780000000, NULL);
    practice_log_finish(&session, 1780003600, 1800.0, engine_snapshot(engine));
    ck_assert_int_eq(practice_log_append(paths.log_path, &session, NULL, 0, err, sizeof err), 0);
    char *history[] = {"history", "--profile", "plotted", "--plot", plot, NULL};
    ck_assert_int_eq(run_quietly(command_history, 5, history), 0);
    picture = cairo_image_surface_create_from_png(plot);
    ck_assert_int_eq(cairo_surface_status(picture), CAIRO_STATUS_SUCCESS);
    ck_assert_int_gt(cairo_image_surface_get_width(picture), 400);
    cairo_surface_destroy(picture);

    cairo_debug_reset_static_data(); /* cairo's and fontconfig's font caches: not leaks, but */
    FcFini();                        /* LeakSanitizer cannot tell */
    engine_free(engine);
    remove_tree(home);
    free(home);
}
END_TEST

/* Two settings are the same when each setting's words are. */
static void assert_same_settings(const PlayerSettings *a, const PlayerSettings *b)
{
    for (int k = 0; k < SETTING_COUNT; k++) {
        char x[32], y[32];
        player_settings_value(a, (SettingKey)k, x, sizeof x);
        player_settings_value(b, (SettingKey)k, y, sizeof y);
        ck_assert_msg(strcmp(x, y) == 0, "%s: %s vs %s", player_settings_name((SettingKey)k), x, y);
    }
}

/* The player's controls: every setting's words read back as written; a saved file reopens
 * to the same settings; damaged files (bad values, unknown keys, binary, too large) are
 * refused naming the line, the settings untouched; a missing file is the defaults. */
START_TEST(player_settings_round_trip_and_refuse_bad_files)
{
    char *home = temporary_home();
    ProfilePaths paths;
    char err[512];
    ck_assert_int_eq(profile_paths("keys", &paths, err, sizeof err), 0);
    PlayerSettings defaults, s, back;
    player_settings_default(&defaults);
    s = defaults;
    ck_assert_int_eq(player_settings_load(&paths, &s, err, sizeof err), 0); /* no file: unchanged */
    assert_same_settings(&s, &defaults);
    static const char *const values[SETTING_COUNT] = {"left", "fixed", "G4", "45.5", "2.5", "12", "9", "echo", "-24"};
    for (int k = 0; k < SETTING_COUNT; k++) {
        ck_assert_msg(player_settings_parse(&s, (SettingKey)k, values[k], err, sizeof err) == 0, "%s", err);
        char words[32];
        player_settings_value(&s, (SettingKey)k, words, sizeof words);
        ck_assert_str_eq(words, values[k]);
    }
    ck_assert_int_eq(s.root_note, 67);
    ck_assert_int_eq(player_settings_parse(&s, SETTING_ROOT, "40", err, sizeof err), 0);
    ck_assert_int_eq(s.root_note, 40);
    ck_assert_int_eq(player_settings_save(&paths, &s, err, sizeof err), 0);
    back = defaults;
    ck_assert_int_eq(player_settings_load(&paths, &back, err, sizeof err), 0);
    assert_same_settings(&back, &s);

    char path[PROFILE_PATH_MAX + 80];
    snprintf(path, sizeof path, "%s/keys.settings", paths.directory);
    static const struct {
        const char *text;
        size_t length;
        const char *expected;
    } bad[] = {{"hand = left\nroot = 7\n", 21, ":2: root '7' is not a note 12..115"},
               {"# mine\n\ntempo = 60\n", 20, ":3: expected 'KEY = VALUE'"},
               {"age = 30 years\n", 15, ":1: expected 'KEY = VALUE'"},
               {"volume = 9\n", 11, ":1: volume '9' is not dB in -60 (muted)..6"},
               {"hand\0= left\n", 12, ":1: expected 'KEY = VALUE'"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(files_write_atomic(path, (const uint8_t *)bad[i].text, bad[i].length, err, sizeof err), 0);
        back = defaults;
        ck_assert_int_eq(player_settings_load(&paths, &back, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "keys.settings") && strstr(err, bad[i].expected), "%zu: %s", i, err);
        assert_same_settings(&back, &defaults);
    }
    uint8_t *large = calloc(1, 8192);
    memset(large, '#', 8192);
    ck_assert_int_eq(files_write_atomic(path, large, 8192, err, sizeof err), 0);
    free(large);
    ck_assert_int_eq(player_settings_load(&paths, &back, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "keys.settings") != NULL, "%s", err);
    remove_tree(home);
    free(home);
}
END_TEST

Suite *profile_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *names = tcase_create("paths");
    tcase_add_test(names, paths_follow_xdg);
    tcase_add_test(names, bad_names_are_refused);
    suite_add_tcase(s, names);
    TCase *time = tcase_create("sleep");
    tcase_add_test(time, sleep_window_parses);
    tcase_add_test(time, nights_count_as_sleep);
    tcase_add_test(time, nights_follow_the_local_clock);
    suite_add_tcase(s, time);
    TCase *files = tcase_create("open_save");
    tcase_set_timeout(files, 60);
    tcase_add_test(files, a_saved_profile_reopens_with_the_gap_applied);
    tcase_add_test(files, a_missing_profile_is_new);
    tcase_add_test(files, saving_times_at_the_ends_of_time);
    tcase_add_test(files, damaged_profiles_are_refused_and_left_alone);
    tcase_add_test(files, player_settings_round_trip_and_refuse_bad_files);
    suite_add_tcase(s, files);
    TCase *pictures = tcase_create("pictures");
    tcase_set_timeout(pictures, 60);
    tcase_add_test(pictures, pictures_read_back);
    suite_add_tcase(s, pictures);
    return s;
}
