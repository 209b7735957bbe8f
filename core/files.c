/* Whole-file reads and crash-safe writes. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_open.h"

int files_check_directory(const char *path, char *err, size_t err_size)
{
    char *copy = strdup(path);
    if (!copy) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    const char *directory = dirname(copy);
    struct stat info;
    int status = 0;
    if (stat(directory, &info) != 0 || !S_ISDIR(info.st_mode)) {
        snprintf(err, err_size, "cannot save to '%s': directory '%s' does not exist", path, directory);
        status = -1;
    }
    free(copy);
    return status;
}

/* Writes all of data to fd, retrying short writes; returns 0 or -1 (errno set). */
static int write_all(int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t written = write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += written;
        size -= (size_t)written;
    }
    return 0;
}

/* Flushes the directory holding path so a rename survives a crash (best effort). */
static void sync_directory_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

int files_temp_create(const char *path, char **temp_out, char *err, size_t err_size)
{
    *temp_out = NULL;
    /* renaming over a device or a folder would replace it (e.g. -o /dev/null) */
    struct stat existing;
    if (stat(path, &existing) == 0 && !S_ISREG(existing.st_mode)) {
        snprintf(err, err_size, "cannot save to '%s': it exists and is not a regular file", path);
        return -1;
    }
    size_t temp_size = strlen(path) + sizeof ".tmp";
    char *temp = malloc(temp_size);
    if (!temp) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    snprintf(temp, temp_size, "%s.tmp", path);
    /* Only a file this call creates is written: never one that is there already, nor what a
     * symbolic link there points to. One that is there (left by a writer killed mid-save, or
     * planted) is removed -- the name only, never its target -- and creating tried once more. */
    for (int attempt = 0;; attempt++) {
        int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0) {
            *temp_out = temp;
            return fd;
        }
        if (errno != EEXIST || attempt > 0 || unlink(temp) != 0)
            break;
    }
    snprintf(err, err_size, "cannot save to '%s': cannot create '%s': %s", path, temp, strerror(errno));
    free(temp);
    return -1;
}

/* Reports a failed step of saving path through temp and removes temp. */
static int fail_step(const char *path, const char *temp, const char *step, int error, char *err, size_t err_size)
{
    snprintf(err, err_size, "cannot save to '%s': %s of '%s' failed: %s", path, step, temp, strerror(error));
    unlink(temp);
    return -1;
}

int files_commit_temp(const char *temp, const char *path, char *err, size_t err_size)
{
    int fd = open(temp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return fail_step(path, temp, "reopen", errno, err, err_size);
    int status = fsync(fd), error = errno;
    close(fd);
    if (status != 0)
        return fail_step(path, temp, "flush", error, err, err_size);
    if (rename(temp, path) != 0)
        return fail_step(path, temp, "rename", errno, err, err_size);
    sync_directory_of(path);
    return 0;
}

int files_write_atomic(const char *path, const uint8_t *data, size_t size, char *err, size_t err_size)
{
    char *temp;
    int fd = files_temp_create(path, &temp, err, err_size);
    if (fd < 0)
        return -1;
    const char *step = NULL;
    if (write_all(fd, data, size) != 0)
        step = "write";
    else if (fsync(fd) != 0)
        step = "flush";
    int saved_errno = errno;
    if (close(fd) != 0 && !step) {
        step = "close";
        saved_errno = errno;
    }
    if (!step && rename(temp, path) != 0) {
        step = "rename";
        saved_errno = errno;
    }
    if (step) {
        fail_step(path, temp, step, saved_errno, err, err_size);
        free(temp);
        return -1;
    }
    free(temp);
    sync_directory_of(path);
    return 0;
}

int files_read(const char *path, size_t max_size, uint8_t **data, size_t *size, char *err, size_t err_size)
{
    FILE *file = file_open_for_reading(path); /* a FIFO without a writer reads as empty */
    if (!file) {
        snprintf(err, err_size, "cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t capacity = 0, used = 0;
    uint8_t *buffer = NULL;
    const char *problem = NULL;
    while (!problem) {
        if (used == capacity) {
            if (capacity >= max_size) {
                problem = "file too large";
                break;
            }
            size_t grown_size = capacity ? capacity * 2 : (size_t)1 << 16;
            uint8_t *grown = realloc(buffer, grown_size);
            if (!grown) {
                problem = "out of memory";
                break;
            }
            buffer = grown;
            capacity = grown_size;
        }
        size_t got = fread(buffer + used, 1, capacity - used, file);
        used += got;
        if (got == 0)
            break;
    }
    if (!problem && used > max_size)
        problem = "file too large"; /* the buffer grows in steps larger than small limits */
    if (!problem && ferror(file))
        problem = strerror(errno);
    fclose(file);
    if (problem) {
        snprintf(err, err_size, "cannot read '%s': %s", path, problem);
        free(buffer);
        return -1;
    }
    *data = buffer;
    *size = used;
    return 0;
}

int files_lock(const char *path, long *holder, char *err, size_t err_size)
{
    *holder = 0;
    char lock_path[4096];
    if (snprintf(lock_path, sizeof lock_path, "%s.lock", path) >= (int)sizeof lock_path) {
        snprintf(err, err_size, "cannot lock %s: the path is too long", path);
        return -1;
    }
    int fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, err_size, "cannot lock %s: %s: %s", path, lock_path, strerror(errno));
        return -1;
    }
    struct flock whole = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    int status;
    while ((status = fcntl(fd, F_SETLK, &whole)) != 0 && errno == EINTR)
        ;
    if (status != 0) {
        int error = errno;
        struct flock held = whole;
        if ((error == EAGAIN || error == EACCES) && fcntl(fd, F_GETLK, &held) == 0 && held.l_type != F_UNLCK)
            *holder = (long)held.l_pid;
        snprintf(err, err_size, "cannot lock %s: %s: %s", path, lock_path, strerror(error));
        close(fd);
        return -1;
    }
    char pid[32];
    int length = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0)
        (void)!pwrite(fd, pid, (size_t)length, 0);
    return fd;
}

void files_unlock(int lock)
{
    if (lock >= 0)
        close(lock);
}
