/* engine_file: saving and loading engine state files for the homunculus program. */
#include "engine_file.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "files.h"
#include "state.h"

uint8_t *engine_file_serialise(const Engine *engine, int64_t saved_at, size_t *size)
{
    *size = engine_state_size(engine);
    uint8_t *data = malloc(*size);
    if (data && engine_state_save(engine, saved_at, data, *size) != *size) {
        free(data); /* cannot happen: the buffer has the size the engine asked for */
        data = NULL;
    }
    return data;
}

int engine_file_save(const Engine *engine, const char *path, int64_t saved_at)
{
    char err[512];
    size_t size;
    uint8_t *data = engine_file_serialise(engine, saved_at, &size);
    if (!data) {
        fprintf(stderr, PROGRAM ": cannot save to '%s': out of memory\n", path);
        return -1;
    }
    int status = files_write_atomic(path, data, size, err, sizeof err);
    if (status != 0)
        fprintf(stderr, PROGRAM ": %s\n", err);
    free(data);
    return status;
}

int engine_file_parse(Engine *engine, const char *path, const uint8_t *data, size_t size, int64_t *saved_at,
                      char *err, size_t err_size)
{
    char reason[512];
    int64_t saved;
    StateStatus status = engine_state_load(engine, data, size, &saved, reason, sizeof reason);
    if (status != STATE_OK) {
        snprintf(err, err_size, "'%s' is refused (%s): %s", path, state_strerror(status), reason);
        return -1;
    }
    if (saved_at)
        *saved_at = saved;
    return 0;
}

int engine_file_restore(Engine *engine, const char *path, const uint8_t *data, size_t size, int64_t *saved_at)
{
    char err[1024];
    int status = engine_file_parse(engine, path, data, size, saved_at, err, sizeof err);
    if (status != 0)
        fprintf(stderr, PROGRAM ": %s\n", err);
    return status;
}

int engine_file_read(Engine *engine, const char *path, int64_t *saved_at, char *err, size_t err_size)
{
    uint8_t *data = NULL;
    size_t size = 0;
    if (files_read(path, ENGINE_FILE_MAX_SIZE, &data, &size, err, err_size) != 0)
        return -1;
    int status = engine_file_parse(engine, path, data, size, saved_at, err, err_size);
    free(data);
    return status;
}

int engine_file_load(Engine *engine, const char *path, int64_t *saved_at)
{
    char err[1024];
    int status = engine_file_read(engine, path, saved_at, err, sizeof err);
    if (status != 0)
        fprintf(stderr, PROGRAM ": %s\n", err);
    return status;
}

Engine *engine_file_open_as_saved(const char *path, const uint8_t *data, size_t size, const EngineConfig *base)
{
    char err[1024], reason[512];
    EngineConfig config = *base;
    StateStatus status = engine_state_params(data, size, &config.model, reason, sizeof reason);
    Engine *engine = NULL;
    if (status != STATE_OK)
        fprintf(stderr, PROGRAM ": '%s' is refused (%s): %s\n", path, state_strerror(status), reason);
    else if (!(engine = engine_create(&config, err, sizeof err)))
        fprintf(stderr, PROGRAM ": %s\n", err);
    else if (engine_file_restore(engine, path, data, size, NULL) != 0) {
        engine_free(engine);
        engine = NULL;
    }
    return engine;
}

Engine *engine_file_read_as_saved(const char *path, const EngineConfig *base)
{
    char err[1024];
    uint8_t *data = NULL;
    size_t size = 0;
    if (files_read(path, ENGINE_FILE_MAX_SIZE, &data, &size, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return NULL;
    }
    Engine *engine = engine_file_open_as_saved(path, data, size, base);
    free(data);
    return engine;
}
