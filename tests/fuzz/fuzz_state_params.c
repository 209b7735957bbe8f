/* fuzz_state_params: engine_state_params (what `state show` and the program read first from
 * a saved state of any sheet size: the parameters to build an engine that can hold it) on
 * any bytes, with the frames' CRC-32s made right first. What it accepts must be valid
 * parameters that an engine can be created with, and that engine must then read the state
 * or refuse it with a reason; a refusal must say why. */
#include <string.h>

#include "fuzz.h"
#include "fuzz_engine.h"
#include "params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *input = malloc(size ? size : 1);
    FUZZ_CHECK(input != NULL);
    memcpy(input, data, size);
    fuzz_fix_state_checksums(input, size);
    ModelParams params;
    char err[512] = "";
    if (engine_state_params(input, size, &params, err, sizeof err) != STATE_OK) {
        FUZZ_CHECK(err[0] != '\0');
        free(input);
        return 0;
    }
    char why[512] = "";
    FUZZ_CHECK(model_params_validate(&params, why, sizeof why) == 0);
    EngineConfig config;
    engine_config_default(&config, FUZZ_ENGINE_RATE, FUZZ_ENGINE_BLOCK);
    config.model = params;
    Engine *engine = engine_create(&config, why, sizeof why);
    FUZZ_CHECK(engine != NULL);
    int64_t saved = 0;
    err[0] = '\0';
    if (engine_state_load(engine, input, size, &saved, err, sizeof err) != STATE_OK)
        FUZZ_CHECK(err[0] != '\0');
    engine_free(engine);
    free(input);
    return 0;
}
