/* profile_files: a profile's files taken as a whole, for `homunculus profile`: listing the
 * profiles of the data directory, removing a profile or only its learned state, and packing a
 * profile (state and practice log) into one export file and unpacking it. The caller holds
 * the profile's lock (profile_lock) for everything that reads or writes one profile's files. */
#ifndef HM_PROFILE_FILES_H
#define HM_PROFILE_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

typedef struct {
    char name[64];
    int has_state, has_log;
    int64_t state_bytes, log_bytes;
    int64_t saved_unix; /* the state file's modification time (0 without one) */
} ProfileEntry;

/* The profiles in directory (a NAME.profile or NAME.log.jsonl with a valid name), sorted by
 * name, into a malloc'd array (free()). A missing directory is no profile. Returns 0, or -1
 * with err. */
int profile_files_list(const char *directory, ProfileEntry **entries, size_t *count, char *err, size_t err_size);

/* 1 when the profile has a state or a log, else 0. */
int profile_files_exist(const ProfilePaths *paths);

/* Removes the profile's learned state (NAME.profile); with whole, also its practice log, the
 * logs set aside as unreadable, a pending record, temporary files a killed save left, its
 * session recordings (NAME.sessions/) and the lock file: the whole profile. Files
 * that are not there are skipped. removed receives the names of the files removed, one per
 * line ("" when none). Returns 0, or -1 with err naming the file that could not be removed
 * (the ones before it are gone and listed). */
int profile_files_remove(const ProfilePaths *paths, int whole, char *removed, size_t removed_size, char *err,
                         size_t err_size);

/* Where the recording of a session that started at start_unix goes: NAME.sessions/ beside
 * the profile (made when missing), the file named by the local start time,
 * YYYY-MM-DD_HH-MM-SS.mid (-2, -3, ... after it when one of that name exists). Returns 0, or
 * -1 with err. */
int profile_recording_path(const ProfilePaths *paths, int64_t start_unix, char *path, size_t size, char *err,
                           size_t err_size);

/* A profile packed for moving between machines: its name, its state and its log. */
typedef struct {
    char name[64];
    uint8_t *state;  /* NULL: none */
    size_t state_size;
    char *log;       /* NULL: none; NUL after log_size bytes */
    size_t log_size;
    size_t sessions; /* records in the log */
} ProfileExport;

/* Reads the profile's state and log into export (both checked as their readers check them).
 * Returns 0, or -1 with err. */
int profile_export_load(const ProfilePaths *paths, ProfileExport *export, char *err, size_t err_size);

/* Writes export as one file (the format of docs/practice.md, "Profiles"), atomically. */
int profile_export_write(const ProfileExport *export, const char *path, char *err, size_t err_size);

/* Reads an export file, checking its header, its sizes, the state (a state this program
 * loads) and every line of the log. Returns 0, or -1 with err naming the file and what was
 * wrong. */
int profile_export_read(const char *path, ProfileExport *export, char *err, size_t err_size);

/* Writes export's state and log as the profile of paths (the log first, then the state, each
 * atomically). The profile must not exist yet (-1 with err saying so). */
int profile_export_install(const ProfileExport *export, const ProfilePaths *paths, char *err, size_t err_size);

/* Frees an export's buffers (the struct itself is the caller's). */
void profile_export_clear(ProfileExport *export);

#endif
