/* Saved state: bit-exact round trips, and every damaged blob refused without harm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "state.h"
#include "suites.h"

#define SAVED_AT 1700000000 /* a wall-clock time of saving */

/* A model that has learned something: stimuli on random digits, then some rest so that
 * the early component differs from the weights. */
static Model *trained_model(int sheet_size, int receptors_per_digit, int stimuli)
{
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = sheet_size;
    params.receptors_per_digit = receptors_per_digit;
    params.homeostasis_rate = 0.01f; /* so that thresholds and activity move too */
    char err[256];
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "%s", err);
    Rng rng;
    rng_seed(&rng, 7);
    float stimulus[SKIN_MAX_RECEPTORS];
    const Skin *skin = model_skin(model);
    for (int i = 0; i < stimuli; i++) {
        skin_clear(skin, stimulus);
        skin_touch_digit(skin, stimulus, (int)rng_below(&rng, SKIN_DIGITS), rng_uniform(&rng), 1.0f);
        model_present(model, stimulus);
    }
    model_elapse(model, 600.0, MODEL_AWAKE);
    return model;
}

/* The model's blob, malloc'd; *size receives its length. */
static uint8_t *save(const Model *model, size_t *size)
{
    *size = state_model_size(model);
    ck_assert_uint_gt(*size, 0);
    uint8_t *blob = malloc(*size);
    ck_assert_ptr_nonnull(blob);
    ck_assert_uint_eq(state_model_write(model, SAVED_AT, blob, *size), *size);
    return blob;
}

/* Makes the checksum right again after a deliberate edit. */
static void fix_crc(uint8_t *blob, size_t size)
{
    StateWriter crc;
    state_writer_init(&crc, blob + size - STATE_FRAME_TRAILER_SIZE, STATE_FRAME_TRAILER_SIZE);
    state_put_u32(&crc, state_crc32(blob, size - STATE_FRAME_TRAILER_SIZE));
}

/* Offset of the first weight: the arrays close the payload. */
static size_t weights_offset(const Model *model, size_t size)
{
    size_t units = (size_t)model_unit_count(model);
    size_t floats = 2u * units * (size_t)model_receptor_count(model) + 2u * units;
    return size - STATE_FRAME_TRAILER_SIZE - floats * sizeof(float);
}

static void assert_same_arrays(const Model *a, const Model *b)
{
    size_t units = (size_t)model_unit_count(a);
    size_t weights = units * (size_t)model_receptor_count(a);
    ck_assert_int_eq(model_unit_count(a), model_unit_count(b));
    ck_assert_int_eq(model_receptor_count(a), model_receptor_count(b));
    ck_assert(memcmp(model_weights(a), model_weights(b), weights * sizeof(float)) == 0);
    ck_assert(memcmp(model_early(a), model_early(b), weights * sizeof(float)) == 0);
    ck_assert(memcmp(model_thresholds(a), model_thresholds(b), units * sizeof(float)) == 0);
    ck_assert(memcmp(model_activity(a), model_activity(b), units * sizeof(float)) == 0);
}

static void assert_same_scalars(const Model *a, const Model *b)
{
    ModelScalars sa, sb;
    model_get_scalars(a, &sa);
    model_get_scalars(b, &sb);
    ck_assert(memcmp(&sa.time_s, &sb.time_s, sizeof sa.time_s) == 0);
    ck_assert_uint_eq(sa.stimuli, sb.stimuli);
    ck_assert(memcmp(&sa.capture_resource, &sb.capture_resource, sizeof sa.capture_resource) == 0);
    ck_assert_uint_eq(sa.rng.state, sb.rng.state);
    ck_assert_uint_eq(sa.rng.increment, sb.rng.increment);
}

START_TEST(test_crc32_check_value)
{
    const char *check = "123456789";
    ck_assert_uint_eq(state_crc32((const uint8_t *)check, strlen(check)), 0xCBF43926u);
    ck_assert_uint_eq(state_crc32(NULL, 0), 0);
}
END_TEST

START_TEST(test_round_trip_is_bit_exact)
{
    Model *original = trained_model(32, 8, 200);
    size_t units = (size_t)model_unit_count(original);
    size_t weights = units * (size_t)model_receptor_count(original);
    /* the rest left early changes that are not the whole weights */
    size_t early_nonzero = 0;
    for (size_t i = 0; i < weights; i++)
        early_nonzero += model_early(original)[i] != 0.0f;
    ck_assert_uint_gt(early_nonzero, 0);
    ck_assert(memcmp(model_early(original), model_weights(original), weights * sizeof(float)) != 0);

    size_t size;
    uint8_t *blob = save(original, &size);
    Model *loaded = NULL;
    int64_t saved_at = 0;
    char err[256] = "";
    StateStatus status = state_model_read(blob, size, &loaded, &saved_at, err, sizeof err);
    ck_assert_msg(status == STATE_OK, "%s: %s", state_strerror(status), err);
    ck_assert_ptr_nonnull(loaded);
    ck_assert_int_eq(saved_at, SAVED_AT);
    ck_assert(memcmp(model_get_params(original), model_get_params(loaded), sizeof(ModelParams)) == 0);
    assert_same_arrays(original, loaded);
    assert_same_scalars(original, loaded);

    /* saving the loaded model gives the same bytes */
    size_t size_again;
    uint8_t *blob_again = save(loaded, &size_again);
    ck_assert_uint_eq(size, size_again);
    ck_assert(memcmp(blob, blob_again, size) == 0);

    /* and both models go on identically */
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int digit = 0; digit < SKIN_DIGITS; digit++) {
        skin_clear(model_skin(original), stimulus);
        skin_touch_digit(model_skin(original), stimulus, digit, 0.3f, 1.0f);
        model_present(original, stimulus);
        model_present(loaded, stimulus);
    }
    model_elapse(original, 3600.0, MODEL_ASLEEP);
    model_elapse(loaded, 3600.0, MODEL_ASLEEP);
    assert_same_arrays(original, loaded);
    assert_same_scalars(original, loaded);
    ck_assert(memcmp(model_field(original), model_field(loaded), units * sizeof(float)) == 0);

    free(blob_again);
    free(blob);
    model_free(loaded);
    model_free(original);
}
END_TEST

START_TEST(test_write_refuses_small_buffer)
{
    Model *model = trained_model(16, 2, 0);
    size_t size = state_model_size(model);
    uint8_t *buffer = malloc(size);
    ck_assert_ptr_nonnull(buffer);
    memset(buffer, 0xA5, size);
    ck_assert_uint_eq(state_model_write(model, SAVED_AT, buffer, size - 1), 0);
    for (size_t i = 0; i < size; i++)
        ck_assert_uint_eq(buffer[i], 0xA5);
    free(buffer);
    model_free(model);
}
END_TEST

START_TEST(test_blob_length_finds_embedded_blob)
{
    Model *model = trained_model(16, 2, 10);
    size_t size = state_model_size(model);
    /* a container: the blob followed by other data */
    uint8_t *container = malloc(size + 100);
    ck_assert_ptr_nonnull(container);
    memset(container + size, 0x5A, 100);
    ck_assert_uint_eq(state_model_write(model, SAVED_AT, container, size), size);
    size_t length = 0;
    char err[256];
    ck_assert_int_eq(state_model_blob_length(container, size + 100, &length, err, sizeof err), STATE_OK);
    ck_assert_uint_eq(length, size);
    Model *loaded = NULL;
    ck_assert_int_eq(state_model_read(container, length, &loaded, NULL, err, sizeof err), STATE_OK);
    assert_same_arrays(model, loaded);
    /* given the whole container, the reader complains about the extra bytes */
    Model *untouched = (Model *)&length;
    ck_assert_int_eq(state_model_read(container, size + 100, &untouched, NULL, err, sizeof err),
                     STATE_ERR_SIZE);
    ck_assert_ptr_eq(untouched, (Model *)&length);
    model_free(loaded);
    free(container);
    model_free(model);
}
END_TEST

START_TEST(test_every_byte_flip_is_refused)
{
    /* the smallest model (22.5 kB), since every flip is checked over the whole blob */
    Model *model = trained_model(16, 2, 50);
    size_t size;
    uint8_t *blob = save(model, &size);
    Model *sentinel = (Model *)&size; /* never dereferenced: must stay as it is */
    char err[256];
    for (size_t i = 0; i < size; i++) {
        blob[i] ^= 0xFF;
        Model *out = sentinel;
        int64_t saved_at = -1;
        err[0] = '\0';
        StateStatus status = state_model_read(blob, size, &out, &saved_at, err, sizeof err);
        ck_assert_msg(status != STATE_OK, "flipping byte %zu was not noticed", i);
        ck_assert_ptr_eq(out, sentinel);
        ck_assert_int_eq(saved_at, -1);
        ck_assert_msg(err[0] != '\0', "no message for byte %zu", i);
        blob[i] ^= 0xFF;
    }
    free(blob);
    model_free(model);
}
END_TEST

/* Damage behind a correct checksum (a buggy writer, not noise): the parser must still
 * never crash, and anything it accepts must be a valid model. */
START_TEST(test_byte_flips_behind_a_good_crc_are_safe)
{
    Model *model = trained_model(16, 2, 20);
    size_t size;
    uint8_t *blob = save(model, &size);
    size_t arrays_at = weights_offset(model, size);
    char err[256];
    for (size_t i = 0; i < arrays_at + 16; i++) {
        blob[i] ^= 0xFF;
        fix_crc(blob, size);
        Model *out = NULL;
        StateStatus status = state_model_read(blob, size, &out, NULL, err, sizeof err);
        if (status == STATE_OK) {
            ck_assert_ptr_nonnull(out);
            ck_assert_int_eq(model_params_validate(model_get_params(out), err, sizeof err), 0);
            model_free(out);
        } else {
            ck_assert_ptr_null(out);
        }
        blob[i] ^= 0xFF;
    }
    fix_crc(blob, size);
    Model *out = NULL;
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_OK);
    model_free(out);
    free(blob);
    model_free(model);
}
END_TEST

START_TEST(test_every_truncation_is_refused)
{
    Model *model = trained_model(16, 2, 10);
    size_t size;
    uint8_t *blob = save(model, &size);
    /* each cut-off blob ends where the allocation ends, so the sanitizer catches any read
     * past it */
    uint8_t *buffer = malloc(size);
    ck_assert_ptr_nonnull(buffer);
    char err[256];
    for (size_t length = 0; length < size; length++) {
        uint8_t *cut = buffer + (size - length);
        memcpy(cut, blob, length);
        Model *out = NULL;
        StateStatus status = state_model_read(cut, length, &out, NULL, err, sizeof err);
        ck_assert_msg(status == STATE_ERR_TRUNCATED, "length %zu gave %s: %s", length, state_strerror(status),
                      err);
        ck_assert_ptr_null(out);
        ck_assert_ptr_nonnull(strstr(err, "truncated"));
    }
    free(buffer);
    free(blob);
    model_free(model);
}
END_TEST

START_TEST(test_wrong_version_is_refused)
{
    Model *model = trained_model(16, 2, 0);
    size_t size;
    uint8_t *blob = save(model, &size);
    blob[4] = STATE_MODEL_VERSION + 1; /* u16 version, little-endian */
    fix_crc(blob, size);
    Model *out = NULL;
    char err[256];
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_ERR_VERSION);
    ck_assert_ptr_null(out);
    char expected[32];
    snprintf(expected, sizeof expected, "version %d", STATE_MODEL_VERSION + 1);
    ck_assert_ptr_nonnull(strstr(err, expected));
    free(blob);
    model_free(model);
}
END_TEST

START_TEST(test_bad_magic_and_checksum_are_named)
{
    Model *model = trained_model(16, 2, 0);
    size_t size;
    uint8_t *blob = save(model, &size);
    Model *out = NULL;
    char err[256];
    blob[0] = 'X';
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_ERR_MAGIC);
    blob[0] = 'H';
    blob[size / 2] ^= 1;
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_ERR_CHECKSUM);
    ck_assert_ptr_nonnull(strstr(err, "CRC"));
    ck_assert_ptr_null(out);
    free(blob);
    model_free(model);
}
END_TEST

START_TEST(test_nan_weight_is_refused)
{
    Model *model = trained_model(16, 2, 10);
    size_t size;
    uint8_t *blob = save(model, &size);
    size_t at = weights_offset(model, size) + 5 * sizeof(float);
    StateWriter nan_writer;
    state_writer_init(&nan_writer, blob + at, sizeof(float));
    state_put_f32(&nan_writer, NAN);
    fix_crc(blob, size);
    Model *out = NULL;
    char err[256];
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_ERR_VALUES);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(strstr(err, "weights[5]"));

    /* a weight above 1 is refused the same way */
    state_writer_init(&nan_writer, blob + at, sizeof(float));
    state_put_f32(&nan_writer, 1.5f);
    fix_crc(blob, size);
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_ERR_VALUES);
    ck_assert_ptr_null(out);
    free(blob);
    model_free(model);
}
END_TEST

START_TEST(test_unknown_parameter_is_named)
{
    Model *model = trained_model(16, 2, 0);
    size_t size;
    uint8_t *blob = save(model, &size);
    /* rename "tau" (the only key with these three letters in a row) to "tay" */
    uint8_t *key = NULL;
    for (size_t i = 0; i + 4 < size && !key; i++)
        if (blob[i] == 3 && memcmp(blob + i + 1, "tau", 3) == 0)
            key = blob + i + 1;
    ck_assert_ptr_nonnull(key);
    key[2] = 'y';
    fix_crc(blob, size);
    Model *out = NULL;
    char err[256];
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_ERR_PARAMS);
    ck_assert_ptr_nonnull(strstr(err, "'tay'"));
    ck_assert_ptr_null(out);
    free(blob);
    model_free(model);
}
END_TEST

/* The blob without the entries of `keys` (as an older version wrote it), framed as
 * `version`; malloc'd, *size updated. */
static uint8_t *without_keys(const uint8_t *blob, size_t *size, uint16_t version, const char *const *keys,
                             int key_count)
{
    uint8_t *out = malloc(*size);
    ck_assert_ptr_nonnull(out);
    memcpy(out, blob, *size);
    for (int k = 0; k < key_count; k++) {
        const size_t key_length = strlen(keys[k]), entry = 1 + key_length + 8;
        size_t at = 0;
        for (size_t i = STATE_FRAME_HEADER_SIZE; i + entry < *size && !at; i++)
            if (out[i] == key_length && memcmp(out + i + 1, keys[k], key_length) == 0)
                at = i;
        ck_assert_msg(at > 0, "no key %s in the blob", keys[k]);
        memmove(out + at, out + at + entry, *size - at - entry);
        *size -= entry;
        size_t count_at = STATE_FRAME_HEADER_SIZE + 8; /* after the saving time */
        out[count_at] = (uint8_t)(out[count_at] - 1);  /* fewer than 256 parameters */
    }
    if (version < 4) { /* older blobs end their scalars before use_since_stimulus_s */
        size_t at = STATE_FRAME_HEADER_SIZE + 8;
        unsigned count = out[at] | (unsigned)out[at + 1] << 8;
        at += 2;
        for (unsigned k = 0; k < count; k++)
            at += 1 + out[at] + 8;
        at += 8 + 8 + 4 + 8 + 8; /* time_s, stimuli, capture_resource, rng */
        memmove(out + at, out + at + 8, *size - at - 8);
        *size -= 8;
    }
    StateWriter header;
    state_writer_init(&header, out + 4, 8);
    state_put_u16(&header, version);
    state_put_u16(&header, 0);
    state_put_u32(&header, (uint32_t)(*size - STATE_FRAME_HEADER_SIZE - STATE_FRAME_TRAILER_SIZE));
    fix_crc(out, *size);
    return out;
}

static const char *const MODEL_V2_KEYS[] = {"drive_rule", "homeostasis_rule", "scaling_target", "gain_limit",
                                            "everyday_touches_per_hour"};
#define MODEL_V2_KEY_COUNT 5

/* A model v1 player (L1 drive, additive thresholds), trained. */
static Model *trained_v1_model(void)
{
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = 16;
    params.receptors_per_digit = 2;
    params.drive_rule = DRIVE_L1_MATCH;
    params.homeostasis_rule = HOMEOSTASIS_THRESHOLD;
    params.homeostasis_rate = 0.01f;
    char err[256];
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "%s", err);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 20; i++) {
        skin_clear(model_skin(model), stimulus);
        skin_touch_digit(model_skin(model), stimulus, i % SKIN_DIGITS, 0.3f, 1.0f);
        model_present(model, stimulus);
    }
    model_elapse(model, 600.0, MODEL_AWAKE);
    return model;
}

/* Versions 1 and 2 (the first without arbor_reach, both without model v2's keys) are
 * migrated to today's model: its rules, neutral gains in place of the saved thresholds, the
 * activity averages and the weights within each unit's arbor as saved. */
START_TEST(test_old_blob_is_migrated_to_model_v2)
{
    const uint16_t version = (uint16_t)_i;
    Model *model = trained_v1_model();
    size_t size;
    uint8_t *blob = save(model, &size);
    const char *keys[] = {"arbor_reach", "drive_rule", "homeostasis_rule", "scaling_target", "gain_limit",
                          "everyday_touches_per_hour", "early_depression_limit", "early_potentiation_limit"};
    uint8_t *edited = version == 1 ? without_keys(blob, &size, 1, keys, 8) : without_keys(blob, &size, 2, keys + 1, 7);
    Model *out = NULL;
    char err[256];
    ck_assert_msg(state_model_read(edited, size, &out, NULL, err, sizeof err) == STATE_OK, "%s", err);
    ModelParams defaults;
    model_params_default(&defaults);
    const ModelParams *got = model_get_params(out);
    ck_assert_float_eq(got->arbor_reach, defaults.arbor_reach);
    ck_assert_int_eq(got->drive_rule, defaults.drive_rule);
    ck_assert_int_eq(got->homeostasis_rule, defaults.homeostasis_rule);
    const int units = model_unit_count(out), receptors = model_receptor_count(out);
    for (int i = 0; i < units; i++) {
        ck_assert_float_eq(model_thresholds(out)[i], 1.0f);
        ck_assert_float_eq(model_activity(out)[i], model_activity(model)[i]);
    }
    int kept = 0;
    for (size_t i = 0; i < (size_t)units * (size_t)receptors; i++) {
        float saved = model_weights(model)[i], now = model_weights(out)[i];
        ck_assert(now == saved || now == 0.0f); /* 0: beyond the unit's arbor */
        kept += now == saved;
    }
    /* a unit's arbor holds its own digit and the nearest neighbour (arbor_reach 1): 2 of the
     * 5 digits' receptors, 1 at the outer halves of D1 and D5 */
    ck_assert_int_gt(kept, units * receptors / 3);
    model_free(out);
    free(edited);
    free(blob);
    model_free(model);
}
END_TEST

/* A fresh 16 x 16 hand with 2 receptors per digit and one parameter set. */
static Model *small_model_with(const char *key, double value)
{
    ModelParams params;
    model_params_default(&params);
    params.sheet_size = 16;
    params.receptors_per_digit = 2;
    char err[256];
    ck_assert_msg(model_param_set(&params, key, value, err, sizeof err) == 0, "%s", err);
    Model *model = model_create(&params, err, sizeof err);
    ck_assert_msg(model != NULL, "%s", err);
    return model;
}

/* Version 3 saved model v2 with homeostasis_rate per stimulus (0.005); version 4 reads it
 * per second of use, so a version-3 player under scaling takes today's default rate, and
 * starts with no time of use pending. */
START_TEST(test_version_3_takes_the_redefined_scaling_rate)
{
    char err[256];
    Model *model = small_model_with("homeostasis_rate", 0.005);
    model_elapse(model, 30.0, MODEL_AWAKE);
    size_t size;
    uint8_t *blob = save(model, &size);
    const char *early_limits[] = {"early_depression_limit", "early_potentiation_limit"};
    uint8_t *v3 = without_keys(blob, &size, 3, early_limits, 2);
    Model *out = NULL;
    ck_assert_msg(state_model_read(v3, size, &out, NULL, err, sizeof err) == STATE_OK, "%s", err);
    ModelParams defaults;
    model_params_default(&defaults);
    ck_assert_float_eq(model_get_params(out)->homeostasis_rate, defaults.homeostasis_rate);
    ModelScalars scalars;
    model_get_scalars(out, &scalars);
    ck_assert(scalars.use_since_stimulus_s == 0.0);
    model_free(out);
    free(v3);
    free(blob);
    model_free(model);
}
END_TEST

/* Version 5 added the saturation of early depression, version 6 that of early potentiation
 * (_i: 0, 1): a blob keeps the player's limit, and a blob of the version before, which lacks
 * it, takes today's default; the early parts load as saved. */
START_TEST(test_early_limit_round_trips_and_the_version_before_takes_the_default)
{
    char err[256];
    const char *early_limits[] = {"early_depression_limit", "early_potentiation_limit"};
    const char *key = early_limits[_i];
    const ParamInfo *info = model_param_find(key);
    Model *model = small_model_with(key, 0.3);
    float stimulus[SKIN_MAX_RECEPTORS];
    for (int i = 0; i < 300; i++) {
        skin_clear(model_skin(model), stimulus);
        skin_touch_digit(model_skin(model), stimulus, 2, 0.0f, 1.0f);
        model_present(model, stimulus);
    }
    size_t size;
    uint8_t *blob = save(model, &size);
    Model *out = NULL;
    ck_assert_msg(state_model_read(blob, size, &out, NULL, err, sizeof err) == STATE_OK, "%s", err);
    ck_assert_float_eq(model_param_get(model_get_params(out), info), 0.3f);
    model_free(out);
    /* the version before lacks this key and every later one */
    uint8_t *older = without_keys(blob, &size, (uint16_t)(4 + _i), early_limits + _i, 2 - _i);
    ck_assert_msg(state_model_read(older, size, &out, NULL, err, sizeof err) == STATE_OK, "%s", err);
    ModelParams defaults;
    model_params_default(&defaults);
    ck_assert_float_eq(model_param_get(model_get_params(out), info), model_param_get(&defaults, info));
    const size_t count = (size_t)model_unit_count(out) * (size_t)model_receptor_count(out);
    double early = 0.0;
    for (size_t i = 0; i < count; i++) {
        ck_assert(model_early(out)[i] == model_early(model)[i]);
        early += fabsf(model_early(out)[i]);
    }
    ck_assert_msg(early > 0.0, "the practice left no early change to carry over");
    model_free(out);
    free(older);
    free(blob);
    model_free(model);
}
END_TEST

/* The pending time of use survives a round trip and is within [0, SCALING_USE_CAP_S]. */
START_TEST(test_time_of_use_round_trips_and_is_range_checked)
{
    Model *model = trained_model(16, 2, 10);
    float stimulus[SKIN_MAX_RECEPTORS];
    skin_clear(model_skin(model), stimulus);
    skin_touch_digit(model_skin(model), stimulus, 1, 0.3f, 1.0f);
    model_present(model, stimulus); /* scaling takes the pending time: 0 left */
    model_elapse(model, 42.0, MODEL_AWAKE);
    size_t size;
    uint8_t *blob = save(model, &size);
    Model *out = NULL;
    char err[256];
    ck_assert_msg(state_model_read(blob, size, &out, NULL, err, sizeof err) == STATE_OK, "%s", err);
    ModelScalars scalars;
    model_get_scalars(out, &scalars);
    ck_assert(scalars.use_since_stimulus_s == 42.0);
    model_free(out);
    /* the f64 right after the rng (last of the scalars) set to 1e9 */
    size_t at = STATE_FRAME_HEADER_SIZE + 8;
    unsigned count = blob[at] | (unsigned)blob[at + 1] << 8;
    at += 2;
    for (unsigned k = 0; k < count; k++)
        at += 1 + blob[at] + 8;
    at += 8 + 8 + 4 + 8 + 8;
    StateWriter w;
    state_writer_init(&w, blob + at, 8);
    state_put_f64(&w, 1e9);
    fix_crc(blob, size);
    ck_assert_int_eq(state_model_read(blob, size, &out, NULL, err, sizeof err), STATE_ERR_VALUES);
    ck_assert_msg(strstr(err, "use_since_stimulus_s"), "%s", err);
    free(blob);
    model_free(model);
}
END_TEST

/* In the version that added a key, the key is required like any other. */
START_TEST(test_blob_missing_a_key_of_its_version_is_refused)
{
    Model *model = trained_model(16, 2, 20);
    size_t size;
    uint8_t *blob = save(model, &size);
    const char *arbor[] = {"arbor_reach"}, *early_limits[] = {"early_depression_limit", "early_potentiation_limit"};
    for (int k = -3; k < MODEL_V2_KEY_COUNT; k++) {
        size_t edited_size = size;
        const uint16_t version = k == -3 ? 6 : k == -2 ? 5 : k < 0 ? 2 : 3;
        const char *const *key = k == -3 ? early_limits + 1 : k == -2 ? early_limits : k < 0 ? arbor : MODEL_V2_KEYS + k;
        uint8_t *edited = without_keys(blob, &edited_size, version, key, 1);
        Model *out = NULL;
        char err[256], expected[64];
        ck_assert_int_eq(state_model_read(edited, edited_size, &out, NULL, err, sizeof err), STATE_ERR_PARAMS);
        snprintf(expected, sizeof expected, "'%s' is missing", key[0]);
        ck_assert_msg(strstr(err, expected), "%s", err);
        ck_assert_ptr_null(out);
        free(edited);
    }
    free(blob);
    model_free(model);
}
END_TEST

START_TEST(test_restore_into_other_geometry_is_refused)
{
    Model *small = trained_model(16, 2, 10);
    Model *target = trained_model(32, 8, 10);
    size_t small_size, target_size;
    uint8_t *small_blob = save(small, &small_size);
    uint8_t *before = save(target, &target_size);
    int64_t saved_at = -1;
    char err[256];
    ck_assert_int_eq(state_model_restore(target, small_blob, small_size, &saved_at, err, sizeof err),
                     STATE_ERR_SIZE);
    ck_assert_int_eq(saved_at, -1);
    size_t after_size;
    uint8_t *after = save(target, &after_size);
    ck_assert_uint_eq(after_size, target_size);
    ck_assert(memcmp(before, after, target_size) == 0);
    free(after);
    free(before);
    free(small_blob);
    model_free(target);
    model_free(small);
}
END_TEST

START_TEST(test_restore_into_same_geometry_loads_state)
{
    Model *trained = trained_model(16, 4, 60);
    Model *fresh = trained_model(16, 4, 0);
    size_t size;
    uint8_t *blob = save(trained, &size);
    int64_t saved_at = 0;
    char err[256];
    StateStatus status = state_model_restore(fresh, blob, size, &saved_at, err, sizeof err);
    ck_assert_msg(status == STATE_OK, "%s", err);
    ck_assert_int_eq(saved_at, SAVED_AT);
    assert_same_arrays(trained, fresh);
    assert_same_scalars(trained, fresh);

    /* a damaged blob leaves the target as it was */
    size_t before_size, after_size;
    uint8_t *before = save(fresh, &before_size);
    blob[size - 1] ^= 0x10;
    ck_assert_int_eq(state_model_restore(fresh, blob, size, NULL, err, sizeof err), STATE_ERR_CHECKSUM);
    uint8_t *after = save(fresh, &after_size);
    ck_assert_uint_eq(before_size, after_size);
    ck_assert(memcmp(before, after, before_size) == 0);
    free(after);
    free(before);
    free(blob);
    model_free(fresh);
    model_free(trained);
}
END_TEST

Suite *state_suite(void)
{
    Suite *suite = suite_create("state");
    TCase *format = tcase_create("format");
    tcase_set_timeout(format, 60);
    tcase_add_test(format, test_crc32_check_value);
    tcase_add_test(format, test_round_trip_is_bit_exact);
    tcase_add_test(format, test_write_refuses_small_buffer);
    tcase_add_test(format, test_blob_length_finds_embedded_blob);
    suite_add_tcase(suite, format);

    TCase *refusals = tcase_create("refusals");
    tcase_set_timeout(refusals, 60);
    tcase_add_test(refusals, test_every_byte_flip_is_refused);
    tcase_add_test(refusals, test_byte_flips_behind_a_good_crc_are_safe);
    tcase_add_test(refusals, test_every_truncation_is_refused);
    tcase_add_test(refusals, test_wrong_version_is_refused);
    tcase_add_test(refusals, test_bad_magic_and_checksum_are_named);
    tcase_add_test(refusals, test_nan_weight_is_refused);
    tcase_add_test(refusals, test_unknown_parameter_is_named);
    tcase_add_loop_test(refusals, test_old_blob_is_migrated_to_model_v2, 1, 3);
    tcase_add_test(refusals, test_version_3_takes_the_redefined_scaling_rate);
    tcase_add_loop_test(refusals, test_early_limit_round_trips_and_the_version_before_takes_the_default, 0, 2);
    tcase_add_test(refusals, test_time_of_use_round_trips_and_is_range_checked);
    tcase_add_test(refusals, test_blob_missing_a_key_of_its_version_is_refused);
    tcase_add_test(refusals, test_restore_into_other_geometry_is_refused);
    tcase_add_test(refusals, test_restore_into_same_geometry_loads_state);
    suite_add_tcase(suite, refusals);
    return suite;
}
