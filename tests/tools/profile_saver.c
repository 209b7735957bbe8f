/* profile-saver: saves a profile over and over (real engine states, alternately two
 * different ones) until it is killed: the kill -9 test of tests/cli/test_profile.sh stops
 * it at random moments and checks that the profile always loads. With --sessions it saves
 * whole sessions (state and log record, profile_session_save; session n saved at time
 * T0 + n), and --check then settles a cut save and checks that the log holds exactly the
 * sessions the profile holds: its last record is the profile's (same time), none twice.
 * Like the program's sessions it holds the profile's lock (profile_lock) while it runs.
 * usage: profile-saver [--sessions | --check] NAME (the profile in $XDG_DATA_HOME/homunculus) */
#include <stdio.h>
#include <stdlib.h>

#include <string.h>
#include <unistd.h>

#include "engine_file.h"
#include "practice_log.h"
#include "profile.h"
#include "profile_session.h"

#define RATE 48000.0
#define BLOCK 512

/* Plays one note with the given key into engine and settles it. */
static void play_note(Engine *engine, uint8_t key)
{
    float left[BLOCK], right[BLOCK];
    EngineEvent on = {.frame = 0, .size = 3, .bytes = {0x90, key, 100}};
    EngineEvent off = {.frame = 400, .size = 3, .bytes = {0x80, key, 0}};
    engine_process(engine, &on, 1, left, right, BLOCK);
    engine_process(engine, &off, 1, left, right, BLOCK);
    engine_finish(engine);
}

#define T0 1700000000

/* Session after session, each one a state saved at T0 + n and its record, until killed. */
static int save_sessions(const ProfilePaths *paths, Engine *engine)
{
    char err[1024], note[1024];
    PracticeSessionRecord record;
    int64_t saved = T0; /* on from the profile's last session */
    if (access(paths->state_path, F_OK) == 0 && engine_file_read(engine, paths->state_path, &saved, err, sizeof err) != 0) {
        fprintf(stderr, "profile-saver: %s\n", err);
        return 1;
    }
    for (int64_t n = saved - T0 + 1;; n++) {
        size_t size;
        uint8_t *state = engine_file_serialise(engine, T0 + n, &size);
        practice_log_begin(&record, T0 + n, NULL);
        practice_log_finish(&record, T0 + n, 1.0, engine_snapshot(engine));
        int status = state ? profile_session_save(paths, state, size, &record, note, sizeof note, err, sizeof err) : -1;
        free(state);
        if (status != 0) {
            fprintf(stderr, "profile-saver: %s\n", err);
            return 1;
        }
    }
}

/* After a kill: settled, the log's last record is the profile's session and times rise. */
static int check_sessions(const ProfilePaths *paths, Engine *engine)
{
    char err[1024], note[1024];
    int64_t saved = 0;
    if (profile_session_settle(paths, note, sizeof note, err, sizeof err) != 0 ||
        (access(paths->state_path, F_OK) == 0 && engine_file_read(engine, paths->state_path, &saved, err, sizeof err) != 0)) {
        fprintf(stderr, "profile-saver: %s\n", err);
        return 1;
    }
    PracticeSessionRecord *records = NULL;
    size_t count = 0;
    if (practice_log_read(paths->log_path, &records, &count, err, sizeof err) != 0) {
        fprintf(stderr, "profile-saver: %s\n", err);
        return 1;
    }
    int status = 0;
    if (saved > T0 && (count == 0 || records[count - 1].end_unix != saved)) {
        fprintf(stderr, "profile-saver: the profile holds the session of %lld, the log's last is %lld (%zu rows)%s%s\n",
                (long long)saved, count ? (long long)records[count - 1].end_unix : 0LL, count, note[0] ? "; " : "",
                note);
        status = 1;
    }
    for (size_t i = 1; i < count; i++)
        if (records[i].end_unix <= records[i - 1].end_unix && records[i].end_unix > T0) {
            fprintf(stderr, "profile-saver: row %zu (%lld) does not follow row %zu (%lld)\n", i + 1,
                    (long long)records[i].end_unix, i, (long long)records[i - 1].end_unix);
            status = 1;
        }
    if (note[0])
        printf("%s\n", note);
    free(records);
    return status;
}

int main(int argc, char **argv)
{
    const char *mode = argc == 3 ? argv[1] : "";
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(mode, "--sessions") != 0 && strcmp(mode, "--check") != 0)) {
        fprintf(stderr, "usage: profile-saver [--sessions | --check] NAME\n");
        return 2;
    }
    char err[1024];
    ProfilePaths paths;
    if (profile_paths(argv[argc - 1], &paths, err, sizeof err) != 0) {
        fprintf(stderr, "profile-saver: %s\n", err);
        return 1;
    }
    if (profile_lock(&paths, err, sizeof err) < 0) { /* held until killed */
        fprintf(stderr, "profile-saver: %s\n", err);
        return 1;
    }
    EngineConfig config;
    engine_config_default(&config, RATE, BLOCK);
    Engine *engine = engine_create(&config, err, sizeof err);
    if (!engine) {
        fprintf(stderr, "profile-saver: %s\n", err);
        return 1;
    }
    play_note(engine, 60); /* a snapshot to make records of */
    if (strcmp(mode, "--sessions") == 0 || strcmp(mode, "--check") == 0) {
        /* --check ends: its engine is released (a leak fails it under valgrind) */
        int status = strcmp(mode, "--sessions") == 0 ? save_sessions(&paths, engine) : check_sessions(&paths, engine);
        engine_free(engine);
        return status;
    }
    uint8_t *states[2];
    size_t sizes[2];
    for (int i = 0; i < 2; i++) {
        play_note(engine, (uint8_t)(60 + 4 * i));
        states[i] = engine_file_serialise(engine, 1700000000 + i, &sizes[i]);
        if (!states[i]) {
            fprintf(stderr, "profile-saver: out of memory\n");
            return 1;
        }
    }
    for (unsigned long n = 0;; n++)
        if (profile_save(&paths, states[n % 2], sizes[n % 2], err, sizeof err) != 0) {
            fprintf(stderr, "profile-saver: %s\n", err);
            return 1;
        }
}
