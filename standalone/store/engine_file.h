/* engine_file: an engine's whole state in a file (the format of docs/state.md): saved
 * atomically, read back with every field checked. Messages go to stderr prefixed with the
 * program's name. */
#ifndef HM_ENGINE_FILE_H
#define HM_ENGINE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* States larger than this are refused unread. */
#define ENGINE_FILE_MAX_SIZE ((size_t)64 << 20)

/* The engine's serialised state recording saved_at (malloc'd, free()), *size its length; NULL
 * when out of memory. */
uint8_t *engine_file_serialise(const Engine *engine, int64_t saved_at, size_t *size);

/* Writes the engine's state to path (temporary file, fsync, rename) recording saved_at.
 * Returns 0, or -1 after a message (path untouched). */
int engine_file_save(const Engine *engine, const char *path, int64_t saved_at);

/* Restores a state already read from path into engine; saved_at (may be NULL) receives its
 * saving time. Returns 0, or -1 after a message saying why it was refused (engine unchanged). */
int engine_file_restore(Engine *engine, const char *path, const uint8_t *data, size_t size, int64_t *saved_at);

/* engine_file_restore without printing: returns 0, or -1 with the refusal (naming path) in
 * err, the engine unchanged. */
int engine_file_parse(Engine *engine, const char *path, const uint8_t *data, size_t size, int64_t *saved_at,
                      char *err, size_t err_size);

/* Creates an engine from base with the model parameters the state (already read from path)
 * was saved with (sheet size, skin, ...), the state loaded: for showing a saved state as it
 * is, whatever its sheet size. Returns the engine (engine_free), or NULL after a message. */
Engine *engine_file_open_as_saved(const char *path, const uint8_t *data, size_t size, const EngineConfig *base);

/* The same, reading path first. */
Engine *engine_file_read_as_saved(const char *path, const EngineConfig *base);

/* Reads path and restores it; returns 0 or -1 after a message (engine unchanged). */
int engine_file_load(Engine *engine, const char *path, int64_t *saved_at);

/* engine_file_load without printing: returns 0, or -1 with the message (naming path and what
 * was wrong) in err, the engine unchanged. */
int engine_file_read(Engine *engine, const char *path, int64_t *saved_at, char *err, size_t err_size);

#endif
