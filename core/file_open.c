/* file_open: a non-blocking open, then blocking reads. */
#include "file_open.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

FILE *file_open_for_reading(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    int flags = fcntl(fd, F_GETFL);
    FILE *file = flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
    if (!file) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return file;
}
