/* fuzz: what every fuzz target shares. Each target (tests/fuzz/fuzz_*.c) implements
 * LLVMFuzzerTestOneInput: built with clang's libFuzzer by `make fuzz`, and linked with the
 * plain driver replay.c by `make check` to replay the seed and regression corpora. */
#ifndef HM_FUZZ_H
#define HM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a bug like a crash: abort, so that the fuzzer keeps the input. */
#define FUZZ_CHECK(condition)                                                                  \
    do {                                                                                       \
        if (!(condition)) {                                                                    \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

#endif
