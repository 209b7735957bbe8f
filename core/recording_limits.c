/* recording_limits: checking a recording's times against the caps. */
#include "recording_limits.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_open.h"

/* A long time also in the unit a reader would use. */
static void describe_span(double seconds, char *out, size_t size)
{
    static const struct {
        double seconds;
        const char *unit;
    } UNITS[] = {{365.25 * 86400.0, "years"}, {86400.0, "days"}, {3600.0, "hours"}};
    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
        if (seconds >= 2.0 * UNITS[i].seconds) {
            snprintf(out, size, "%.3g s (%.0f %s)", seconds, seconds / UNITS[i].seconds, UNITS[i].unit);
            return;
        }
    snprintf(out, size, "%.3g s", seconds);
}

int recording_check_times(const double *times, size_t stride, size_t count, double end_s, char *err,
                          size_t err_size)
{
    char span[64];
    double previous = 0.0;
    for (size_t i = 0; i <= count; i++) {
        double t = i < count ? *(const double *)((const char *)times + i * stride) : end_s;
        if (!isfinite(t) || t - previous > RECORDING_MAX_REST_S) {
            describe_span(t - previous, span, sizeof span);
            char where[48] = "before the first event";
            if (i > 0)
                snprintf(where, sizeof where, "after %.1f s", previous);
            snprintf(err, err_size, "a rest of %s %s: longer than the limit of %.0f s", span, where,
                     RECORDING_MAX_REST_S);
            return -1;
        }
        previous = t > previous ? t : previous;
    }
    if (end_s > RECORDING_MAX_DURATION_S) {
        describe_span(end_s, span, sizeof span);
        snprintf(err, err_size, "a length of %s: longer than the limit of %.0f s (%.0f hours)", span,
                 RECORDING_MAX_DURATION_S, RECORDING_MAX_DURATION_S / 3600.0);
        return -1;
    }
    return 0;
}

int recording_read_file(const char *path, uint8_t **data_out, size_t *size_out, char *err, size_t err_size)
{
    *data_out = NULL;
    *size_out = 0;
    if (!err)
        err_size = 0;
    FILE *file = file_open_for_reading(path);
    if (file == NULL) {
        snprintf(err, err_size, "%s: cannot open for reading: %s", path, strerror(errno));
        return -1;
    }
    /* up to one byte past the cap, so that a larger file is known without its reported size */
    size_t capacity = 64 * 1024, size = 0;
    uint8_t *data = NULL;
    bool failed = false;
    for (;;) {
        if (size == capacity || data == NULL) {
            if (data != NULL)
                capacity *= 2;
            if (capacity > (size_t)RECORDING_MAX_FILE_BYTES + 1)
                capacity = (size_t)RECORDING_MAX_FILE_BYTES + 1;
            uint8_t *grown = realloc(data, capacity + 1);
            if (grown == NULL) {
                failed = true;
                break;
            }
            data = grown;
        }
        size_t got = fread(data + size, 1, capacity - size, file);
        size += got;
        if (got == 0 || size > RECORDING_MAX_FILE_BYTES) {
            failed = ferror(file) != 0;
            break;
        }
    }
    fclose(file);
    if (failed || size > RECORDING_MAX_FILE_BYTES) {
        free(data);
        if (failed)
            snprintf(err, err_size, "%s: cannot read the file", path);
        else
            snprintf(err, err_size, "%s: file is larger than the limit of %u MiB", path, RECORDING_MAX_FILE_BYTES >> 20u);
        return -1;
    }
    data[size] = 0;
    *data_out = data;
    *size_out = size;
    return 0;
}
