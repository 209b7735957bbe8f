/* profile-saver: saves a profile over and over (real engine states, alternately two
 * different ones) until it is killed: the kill -9 test of tests/cli/test_profile.sh stops
 * it at random moments and checks that the profile always loads.
 * usage: profile-saver NAME (the profile in $XDG_DATA_HOME/homunculus) */
#include <stdio.h>
#include <stdlib.h>

#include "engine_file.h"
#include "profile.h"

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

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: profile-saver NAME\n");
        return 2;
    }
    char err[1024];
    ProfilePaths paths;
    if (profile_paths(argv[1], &paths, err, sizeof err) != 0) {
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
