/* files: reading whole files and writing them atomically (temporary file, fsync, rename),
 * so that a crash or a kill -9 at any moment leaves either the old file or the new one. */
#ifndef HM_FILES_H
#define HM_FILES_H

#include <stddef.h>
#include <stdint.h>

/* Checks that the directory path would be written into exists. Returns 0, or -1 with a
 * message naming path and the directory in err. */
int files_check_directory(const char *path, char *err, size_t err_size);

/* Writes data to path.tmp, flushes it, renames it over path and flushes the directory.
 * Returns 0, or -1 with a message naming the failed step in err (path.tmp removed, path
 * untouched). A path that exists and is not a regular file (a device such as /dev/null, a
 * folder) is refused, never replaced. */
int files_write_atomic(const char *path, const uint8_t *data, size_t size, char *err, size_t err_size);

/* For writers that stream into a file (a sound file): creates path.tmp for writing and
 * returns its descriptor, with its name in *temp (free() it); write, close, then
 * files_commit_temp. A file or symbolic link already at path.tmp is never written through:
 * its name is removed and a new file created (O_EXCL | O_NOFOLLOW). -1 with err when path
 * exists and is not a regular file (refused, as above), path.tmp cannot be created, or
 * there is no memory. */
int files_temp_create(const char *path, char **temp, char *err, size_t err_size);

/* Flushes the finished temporary file, renames it over path and flushes the directory.
 * Returns 0, or -1 with err naming the failed step (temp removed, path untouched). */
int files_commit_temp(const char *temp, const char *path, char *err, size_t err_size);

/* Reads a whole file of at most max_size bytes into a new buffer (free()). Returns 0, or
 * -1 with a message naming the file in err. */
int files_read(const char *path, size_t max_size, uint8_t **data, size_t *size, char *err, size_t err_size);

/* Takes the advisory write lock of path (fcntl, on the file path + ".lock", created when
 * missing; the holder's pid written in it for people), without waiting: one writer of a
 * profile at a time across processes (the program's sessions, the plugin's saves). Returns
 * the lock (files_unlock releases it, as does the process's end), or -1: *holder is the pid
 * of the process that holds it, or 0 with the reason in err. */
int files_lock(const char *path, long *holder, char *err, size_t err_size);

/* Releases a lock from files_lock; -1 is allowed. */
void files_unlock(int lock);

#endif
