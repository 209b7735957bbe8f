/* engine_file: saving and loading engine state files for the homunculus program. */
#include "engine_file.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "files.h"
#include "state.h"

int engine_file_save(const Engine *engine, const char *path, int64_t saved_at)
{
    char err[512];
    size_t size = engine_state_size(engine);
    uint8_t *data = malloc(size);
    if (!data || engine_state_save(engine, saved_at, data, size) != size) {
        fprintf(stderr, PROGRAM ": cannot save to '%s': %s\n", path, data ? "serialising failed" : "out of memory");
        free(data);
        return -1;
    }
    int status = files_write_atomic(path, data, size, err, sizeof err);
    if (status != 0)
        fprintf(stderr, PROGRAM ": %s\n", err);
    free(data);
    return status;
}

int engine_file_restore(Engine *engine, const char *path, const uint8_t *data, size_t size, int64_t *saved_at)
{
    char err[512];
    int64_t saved;
    StateStatus status = engine_state_load(engine, data, size, &saved, err, sizeof err);
    if (status != STATE_OK) {
        fprintf(stderr, PROGRAM ": '%s' is refused (%s): %s\n", path, state_strerror(status), err);
        return -1;
    }
    if (saved_at)
        *saved_at = saved;
    return 0;
}

int engine_file_load(Engine *engine, const char *path, int64_t *saved_at)
{
    char err[512];
    uint8_t *data = NULL;
    size_t size = 0;
    if (files_read(path, ENGINE_FILE_MAX_SIZE, &data, &size, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return -1;
    }
    int status = engine_file_restore(engine, path, data, size, saved_at);
    free(data);
    return status;
}
