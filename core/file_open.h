/* file_open: opening a named file for reading without hanging on it: a FIFO that no program
 * writes to would block fopen until one does; opened this way it reads as empty. Not for
 * the audio thread. */
#ifndef HM_FILE_OPEN_H
#define HM_FILE_OPEN_H

#include <stdio.h>

/* fopen(path, "rb"), but without waiting for a FIFO's writer (reads then block as usual).
 * NULL with errno set on failure. */
FILE *file_open_for_reading(const char *path);

#endif
