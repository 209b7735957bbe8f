/* make_state_seeds: writes the state target's seeds (tests/fuzz/corpus/state/): the saved
 * state of the fuzz engine (fuzz_engine.h) when fresh and after a practiced scale with notes
 * still held, so that every part of the format (model blobs, load, fingering memory with
 * pending notes) is in them. Usage: make_state_seeds FRESH PRACTICED */
#include "files.h"
#include "fuzz.h"
#include "fuzz_engine.h"

static int write_state(const Engine *engine, const char *path)
{
    size_t size = engine_state_size(engine);
    uint8_t *bytes = malloc(size);
    char err[600];
    if (!bytes || engine_state_save(engine, 1700000000, bytes, size) != size ||
        files_write_atomic(path, bytes, size, err, sizeof err) != 0) {
        fprintf(stderr, "make_state_seeds: cannot write %s\n", path);
        free(bytes);
        return -1;
    }
    free(bytes);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FRESH PRACTICED\n", argv[0]);
        return 2;
    }
    Engine *engine = fuzz_engine_create();
    int status = write_state(engine, argv[1]);
    static float left[FUZZ_ENGINE_BLOCK], right[FUZZ_ENGINE_BLOCK];
    static const uint8_t scale[] = {60, 62, 64, 65, 67, 69, 71, 72, 48, 52, 55};
    for (int pass = 0; pass < 4; pass++)
        for (size_t i = 0; i < sizeof scale; i++) {
            EngineEvent events[2] = {{0, 3, {0x90, scale[i], 80}}, {128, 3, {0x80, scale[i], 0}}};
            uint32_t count = pass == 3 && i + 2 >= sizeof scale ? 1 : 2; /* the last notes stay held */
            for (int block = 0; block < 20; block++)
                engine_process(engine, block == 0 ? events : NULL, block == 0 ? count : 0, left, right,
                               FUZZ_ENGINE_BLOCK);
        }
    if (status == 0)
        status = write_state(engine, argv[2]);
    engine_free(engine);
    return status == 0 ? 0 : 1;
}
