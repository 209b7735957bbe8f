/* profile: a player's hands kept between practice sessions, in the XDG data directory
 * ($XDG_DATA_HOME/homunculus/, else ~/.local/share/homunculus/): NAME.profile holds the engine
 * state (docs/state.md), NAME.log.jsonl the practice log (practice_log.h). Opening a profile
 * applies the time since it was saved as rest, the nights in it as sleep. */
#ifndef HM_PROFILE_H
#define HM_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define PROFILE_PATH_MAX 4096
#define PROFILE_DEFAULT_NAME "default"

typedef struct {
    char name[64];                       /* [A-Za-z0-9_.-], 1..63 characters, not starting with '.' */
    char directory[PROFILE_PATH_MAX];    /* .../homunculus */
    char state_path[PROFILE_PATH_MAX];   /* .../homunculus/NAME.profile */
    char log_path[PROFILE_PATH_MAX];     /* .../homunculus/NAME.log.jsonl */
} ProfilePaths;

/* 0 when name is a valid profile name, else -1 with what is expected in err. */
int profile_check_name(const char *name, char *err, size_t err_size);

/* Fills paths for profile name; returns 0, or -1 with the reason (bad name, no home) in err. */
int profile_paths(const char *name, ProfilePaths *paths, char *err, size_t err_size);

/* The hours of local time that count as sleep: [start_hour, end_hour), wrapping midnight
 * when start > end (default 23 -> 7). start == end: no sleep. */
typedef struct {
    int start_hour, end_hour;
} SleepWindow;

#define SLEEP_WINDOW_DEFAULT ((SleepWindow){23, 7})

/* Parses "23-7" (hours 0..23); returns 0 or -1. */
int profile_parse_sleep_window(const char *text, SleepWindow *window);

/* Seconds of [from_unix, to_unix) that fall inside the window in local time (0 if to <= from). */
double profile_sleep_seconds(int64_t from_unix, int64_t to_unix, SleepWindow window);

typedef struct {
    int existed;         /* 0: a new profile (no file yet) */
    int64_t saved_unix;  /* when it was last saved */
    double awake_s, asleep_s; /* the gap applied */
    char settled[768];   /* what profile_session_open did about a save cut by a stop ("": nothing) */
} ProfileOpening;

/* Loads the profile's state into engine when its file exists and applies the time from its
 * saving to now_unix as awake rest and sleep (engine_apply_gap). A missing file is a new
 * profile. A corrupt, truncated or future-version file is refused: returns -1 with a message
 * naming the file and what was wrong, the engine and the file untouched. */
int profile_open(const ProfilePaths *paths, Engine *engine, int64_t now_unix, SleepWindow window,
                 ProfileOpening *opening, char *err, size_t err_size);

/* profile_open's work on the file's contents, already read from path (named in messages). */
int profile_restore(const char *path, Engine *engine, const uint8_t *data, size_t size, int64_t now_unix,
                    SleepWindow window, ProfileOpening *opening, char *err, size_t err_size);

/* Creates the profile's directory when it is missing. Returns 0 or -1 with err. */
int profile_make_directory(const ProfilePaths *paths, char *err, size_t err_size);

/* Takes the profile's lock for a whole session (NAME.profile.lock, a POSIX record lock, the
 * holder's pid written in it): every command that writes the profile or its log holds it from
 * before opening the profile until after its last save, so that two sessions never learn from
 * one saved state and overwrite each other. Returns the lock (profile_unlock releases it; so
 * does the program's end), or -1 with err: "profile 'NAME' is in use by another homunculus
 * session (pid N)" when another program holds it. Never waits. */
int profile_lock(const ProfilePaths *paths, char *err, size_t err_size);

/* Releases a lock from profile_lock; -1 is allowed. */
void profile_unlock(int lock);

/* Writes an already serialised engine state (engine_state_save / engine_capture_save) as the
 * profile's state, atomically, creating the directory when needed. The caller holds the
 * profile's lock (profile_lock). Returns 0 or -1 with err. */
int profile_save(const ProfilePaths *paths, const uint8_t *state, size_t size, char *err, size_t err_size);

#endif
