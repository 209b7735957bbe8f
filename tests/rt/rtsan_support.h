/* What the RealtimeSanitizer drivers share: the runtime's entry points (Debian's
 * libclang-rt-19-dev, linked whole into a gcc-built driver) and the self-test that proves the
 * sanitizer is active before a driver's "no violation" means anything. */
#ifndef HM_RTSAN_SUPPORT_H
#define HM_RTSAN_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>

void __rtsan_realtime_enter(void);
void __rtsan_realtime_exit(void);

/* An allocation in real-time context must abort the process; returns only (with a message
 * naming driver) when the sanitizer is inactive, so `make check` fails on a 0 exit. */
static inline int rtsan_self_test(const char *driver)
{
    __rtsan_realtime_enter();
    void *volatile p = malloc(16); /* volatile: the call must not be optimised away */
    __rtsan_realtime_exit();
    free(p);
    fprintf(stderr, "%s: the sanitizer did not catch a malloc in real-time context\n", driver);
    return 0;
}

#endif
