/* wall_clock: see wall_clock.h. */
#include "wall_clock.h"

#include <stdlib.h>
#include <time.h>

int64_t wall_clock_unix(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        long long value = strtoll(epoch, &end, 10);
        if (!*end)
            return value;
    }
    return (int64_t)time(NULL);
}
