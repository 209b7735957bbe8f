/* fuzz_state: the saved-state readers on any bytes — engine_state_load (the LV2 plugin's
 * restore() and `--state`), with the model blobs (state_model_read) and the load and
 * fingering memories inside, and profile_restore (a profile's file, with the time since
 * saving applied as rest and sleep). The CRC-32s of the frames in the input are made right
 * first, so that mutations reach the fields behind them (unit tests cover the checksums).
 * A state it accepts must save again, and load and save back to the same bytes; a refused
 * state must leave the engine as it was. */
#include <string.h>

#include "fuzz.h"
#include "fuzz_engine.h"
#include "profile.h"

#define FUZZ_NOW_UNIX INT64_C(1700100000) /* a fixed "now", a day after the seeds were saved */

/* The engine's whole state (malloc'd), *size its length. */
static uint8_t *save(const Engine *engine, int64_t saved_at, size_t *size)
{
    *size = engine_state_size(engine);
    uint8_t *bytes = malloc(*size ? *size : 1);
    FUZZ_CHECK(bytes != NULL);
    FUZZ_CHECK(engine_state_save(engine, saved_at, bytes, *size) == *size);
    return bytes;
}

static void check_unchanged(const Engine *engine, const uint8_t *before, size_t before_size)
{
    size_t size;
    uint8_t *after = save(engine, 0, &size);
    FUZZ_CHECK(size == before_size && memcmp(after, before, size) == 0);
    free(after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Engine *engine, *other;
    if (!engine) {
        engine = fuzz_engine_create();
        other = fuzz_engine_create();
    }
    uint8_t *input = malloc(size ? size : 1);
    FUZZ_CHECK(input != NULL);
    memcpy(input, data, size);
    fuzz_fix_state_checksums(input, size);

    size_t before_size;
    uint8_t *before = save(engine, 0, &before_size);
    char err[1024] = "";
    int64_t saved_at = 0;
    StateStatus status = engine_state_load(engine, input, size, &saved_at, err, sizeof err);
    if (status != STATE_OK) {
        FUZZ_CHECK(err[0] != '\0' && state_strerror(status) != NULL);
        check_unchanged(engine, before, before_size);
    } else {
        size_t saved_size, again_size;
        uint8_t *saved = save(engine, saved_at, &saved_size);
        FUZZ_CHECK(engine_state_load(other, saved, saved_size, &saved_at, err, sizeof err) == STATE_OK);
        uint8_t *again = save(other, saved_at, &again_size);
        FUZZ_CHECK(again_size == saved_size && memcmp(again, saved, saved_size) == 0);
        free(again);
        free(saved);
    }
    free(before);

    /* the parameters `state show` builds its engine from: whatever the engine accepts has
     * them, and they are valid model parameters */
    ModelParams params;
    err[0] = '\0';
    if (engine_state_params(input, size, &params, err, sizeof err) == STATE_OK) {
        FUZZ_CHECK(params.sheet_size >= 16 && params.sheet_size <= 64);
        FUZZ_CHECK(model_params_validate(&params, err, sizeof err) == 0);
    } else {
        FUZZ_CHECK(status != STATE_OK && err[0] != '\0');
    }

    ProfileOpening opening;
    err[0] = '\0';
    if (profile_restore("fuzz.profile", engine, input, size, FUZZ_NOW_UNIX, SLEEP_WINDOW_DEFAULT, &opening, err,
                        sizeof err) == 0) {
        FUZZ_CHECK(status == STATE_OK && opening.existed);
        FUZZ_CHECK(opening.awake_s >= 0.0 && opening.asleep_s >= 0.0);
    } else {
        FUZZ_CHECK(status != STATE_OK && strncmp(err, "'fuzz.profile' is refused", 25) == 0);
    }
    free(input);
    return 0;
}
