/* Saved state of one hand's model. All multi-byte values are little-endian, written byte by
 * byte; floats travel as their IEEE 754 bit patterns. A model blob (version 6) is a frame:
 *
 *   offset  size  field
 *   0       4     magic "HMMS"
 *   4       2     u16 format version (6; versions 1 to 5 are read too)
 *   6       2     u16 reserved, 0
 *   8       4     u32 payload length P
 *   12      P     payload
 *   12+P    4     u32 CRC-32 (IEEE, as zlib) of bytes 0 .. 12+P-1
 *
 * and its payload, in order:
 *
 *   i64   saved unix time (wall clock at saving, seconds)
 *   u16   parameter count C, then C times: u8 key length L, L key bytes (no NUL), f64 value
 *         (every parameter of model_param_table exactly once, any order, no unknown key;
 *         a version-1 blob lacks arbor_reach, which version 2 added, and takes its default;
 *         versions 1 and 2 lack model v2's keys, which version 3 added: see PARAMS_ADDED;
 *         version 4 gave homeostasis_rate a new meaning under scaling: see PARAMS_REDEFINED;
 *         versions 1 to 4 lack early_depression_limit, which version 5 added, and versions
 *         1 to 5 early_potentiation_limit, which version 6 added)
 *   f64   time_s, u64 stimuli, f32 capture_resource, u64 rng state, u64 rng increment
 *   f64   use_since_stimulus_s (version 4; 0 in older blobs)
 *   f32   weights,    units x receptors, row-major by unit
 *   f32   early,      units x receptors
 *   f32   thresholds (homeostasis_rule 0) or gains (1), units
 *   f32   activity,   units
 *
 * where units = sheet_size^2 and receptors = 5 x receptors_per_digit (hand layout) or
 * grid_side^2 (torus grid). docs/state.md has the same description. */
#include "state.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CRC-32 ---- */

/* Reflected polynomial 0xEDB88320, one byte at a time (entry i is the CRC of byte i). */
static const uint32_t CRC32_TABLE[256] = {
    0x00000000u, 0x77073096u, 0xEE0E612Cu, 0x990951BAu, 0x076DC419u, 0x706AF48Fu, 0xE963A535u, 0x9E6495A3u,
    0x0EDB8832u, 0x79DCB8A4u, 0xE0D5E91Eu, 0x97D2D988u, 0x09B64C2Bu, 0x7EB17CBDu, 0xE7B82D07u, 0x90BF1D91u,
    0x1DB71064u, 0x6AB020F2u, 0xF3B97148u, 0x84BE41DEu, 0x1ADAD47Du, 0x6DDDE4EBu, 0xF4D4B551u, 0x83D385C7u,
    0x136C9856u, 0x646BA8C0u, 0xFD62F97Au, 0x8A65C9ECu, 0x14015C4Fu, 0x63066CD9u, 0xFA0F3D63u, 0x8D080DF5u,
    0x3B6E20C8u, 0x4C69105Eu, 0xD56041E4u, 0xA2677172u, 0x3C03E4D1u, 0x4B04D447u, 0xD20D85FDu, 0xA50AB56Bu,
    0x35B5A8FAu, 0x42B2986Cu, 0xDBBBC9D6u, 0xACBCF940u, 0x32D86CE3u, 0x45DF5C75u, 0xDCD60DCFu, 0xABD13D59u,
    0x26D930ACu, 0x51DE003Au, 0xC8D75180u, 0xBFD06116u, 0x21B4F4B5u, 0x56B3C423u, 0xCFBA9599u, 0xB8BDA50Fu,
    0x2802B89Eu, 0x5F058808u, 0xC60CD9B2u, 0xB10BE924u, 0x2F6F7C87u, 0x58684C11u, 0xC1611DABu, 0xB6662D3Du,
    0x76DC4190u, 0x01DB7106u, 0x98D220BCu, 0xEFD5102Au, 0x71B18589u, 0x06B6B51Fu, 0x9FBFE4A5u, 0xE8B8D433u,
    0x7807C9A2u, 0x0F00F934u, 0x9609A88Eu, 0xE10E9818u, 0x7F6A0DBBu, 0x086D3D2Du, 0x91646C97u, 0xE6635C01u,
    0x6B6B51F4u, 0x1C6C6162u, 0x856530D8u, 0xF262004Eu, 0x6C0695EDu, 0x1B01A57Bu, 0x8208F4C1u, 0xF50FC457u,
    0x65B0D9C6u, 0x12B7E950u, 0x8BBEB8EAu, 0xFCB9887Cu, 0x62DD1DDFu, 0x15DA2D49u, 0x8CD37CF3u, 0xFBD44C65u,
    0x4DB26158u, 0x3AB551CEu, 0xA3BC0074u, 0xD4BB30E2u, 0x4ADFA541u, 0x3DD895D7u, 0xA4D1C46Du, 0xD3D6F4FBu,
    0x4369E96Au, 0x346ED9FCu, 0xAD678846u, 0xDA60B8D0u, 0x44042D73u, 0x33031DE5u, 0xAA0A4C5Fu, 0xDD0D7CC9u,
    0x5005713Cu, 0x270241AAu, 0xBE0B1010u, 0xC90C2086u, 0x5768B525u, 0x206F85B3u, 0xB966D409u, 0xCE61E49Fu,
    0x5EDEF90Eu, 0x29D9C998u, 0xB0D09822u, 0xC7D7A8B4u, 0x59B33D17u, 0x2EB40D81u, 0xB7BD5C3Bu, 0xC0BA6CADu,
    0xEDB88320u, 0x9ABFB3B6u, 0x03B6E20Cu, 0x74B1D29Au, 0xEAD54739u, 0x9DD277AFu, 0x04DB2615u, 0x73DC1683u,
    0xE3630B12u, 0x94643B84u, 0x0D6D6A3Eu, 0x7A6A5AA8u, 0xE40ECF0Bu, 0x9309FF9Du, 0x0A00AE27u, 0x7D079EB1u,
    0xF00F9344u, 0x8708A3D2u, 0x1E01F268u, 0x6906C2FEu, 0xF762575Du, 0x806567CBu, 0x196C3671u, 0x6E6B06E7u,
    0xFED41B76u, 0x89D32BE0u, 0x10DA7A5Au, 0x67DD4ACCu, 0xF9B9DF6Fu, 0x8EBEEFF9u, 0x17B7BE43u, 0x60B08ED5u,
    0xD6D6A3E8u, 0xA1D1937Eu, 0x38D8C2C4u, 0x4FDFF252u, 0xD1BB67F1u, 0xA6BC5767u, 0x3FB506DDu, 0x48B2364Bu,
    0xD80D2BDAu, 0xAF0A1B4Cu, 0x36034AF6u, 0x41047A60u, 0xDF60EFC3u, 0xA867DF55u, 0x316E8EEFu, 0x4669BE79u,
    0xCB61B38Cu, 0xBC66831Au, 0x256FD2A0u, 0x5268E236u, 0xCC0C7795u, 0xBB0B4703u, 0x220216B9u, 0x5505262Fu,
    0xC5BA3BBEu, 0xB2BD0B28u, 0x2BB45A92u, 0x5CB36A04u, 0xC2D7FFA7u, 0xB5D0CF31u, 0x2CD99E8Bu, 0x5BDEAE1Du,
    0x9B64C2B0u, 0xEC63F226u, 0x756AA39Cu, 0x026D930Au, 0x9C0906A9u, 0xEB0E363Fu, 0x72076785u, 0x05005713u,
    0x95BF4A82u, 0xE2B87A14u, 0x7BB12BAEu, 0x0CB61B38u, 0x92D28E9Bu, 0xE5D5BE0Du, 0x7CDCEFB7u, 0x0BDBDF21u,
    0x86D3D2D4u, 0xF1D4E242u, 0x68DDB3F8u, 0x1FDA836Eu, 0x81BE16CDu, 0xF6B9265Bu, 0x6FB077E1u, 0x18B74777u,
    0x88085AE6u, 0xFF0F6A70u, 0x66063BCAu, 0x11010B5Cu, 0x8F659EFFu, 0xF862AE69u, 0x616BFFD3u, 0x166CCF45u,
    0xA00AE278u, 0xD70DD2EEu, 0x4E048354u, 0x3903B3C2u, 0xA7672661u, 0xD06016F7u, 0x4969474Du, 0x3E6E77DBu,
    0xAED16A4Au, 0xD9D65ADCu, 0x40DF0B66u, 0x37D83BF0u, 0xA9BCAE53u, 0xDEBB9EC5u, 0x47B2CF7Fu, 0x30B5FFE9u,
    0xBDBDF21Cu, 0xCABAC28Au, 0x53B39330u, 0x24B4A3A6u, 0xBAD03605u, 0xCDD70693u, 0x54DE5729u, 0x23D967BFu,
    0xB3667A2Eu, 0xC4614AB8u, 0x5D681B02u, 0x2A6F2B94u, 0xB40BBE37u, 0xC30C8EA1u, 0x5A05DF1Bu, 0x2D02EF8Du,
};

uint32_t state_crc32(const uint8_t *data, size_t size)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; i++)
        crc = (crc >> 8) ^ CRC32_TABLE[(crc ^ data[i]) & 0xFFu];
    return crc ^ 0xFFFFFFFFu;
}

const char *state_strerror(StateStatus status)
{
    switch (status) {
    case STATE_OK: return "ok";
    case STATE_ERR_TRUNCATED: return "truncated state";
    case STATE_ERR_MAGIC: return "not a saved model state";
    case STATE_ERR_VERSION: return "unknown state format version";
    case STATE_ERR_CHECKSUM: return "state checksum mismatch (corrupted data)";
    case STATE_ERR_SIZE: return "state sizes do not match";
    case STATE_ERR_PARAMS: return "bad parameters in state";
    case STATE_ERR_VALUES: return "bad values in state";
    case STATE_ERR_NO_MEMORY: return "out of memory";
    }
    return "unknown state error";
}

/* ---- Little-endian cursors ---- */

void state_writer_init(StateWriter *w, uint8_t *data, size_t size)
{
    w->data = data;
    w->size = data ? size : 0;
    w->offset = 0;
    w->overflow = false;
}

void state_put_bytes(StateWriter *w, const void *bytes, size_t count)
{
    if (w->data && !w->overflow) {
        if (count <= w->size - w->offset)
            memcpy(w->data + w->offset, bytes, count);
        else
            w->overflow = true;
    }
    w->offset += count;
}

/* The low `count` bytes of value, least significant first. */
static void put_le(StateWriter *w, uint64_t value, size_t count)
{
    uint8_t bytes[8];
    for (size_t i = 0; i < count; i++)
        bytes[i] = (uint8_t)(value >> (8u * i));
    state_put_bytes(w, bytes, count);
}

void state_put_u8(StateWriter *w, uint8_t value) { put_le(w, value, 1); }
void state_put_u16(StateWriter *w, uint16_t value) { put_le(w, value, 2); }
void state_put_u32(StateWriter *w, uint32_t value) { put_le(w, value, 4); }
void state_put_u64(StateWriter *w, uint64_t value) { put_le(w, value, 8); }
void state_put_i64(StateWriter *w, int64_t value) { put_le(w, (uint64_t)value, 8); }

void state_put_f32(StateWriter *w, float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    put_le(w, bits, 4);
}

void state_put_f64(StateWriter *w, double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    put_le(w, bits, 8);
}

void state_reader_init(StateReader *r, const uint8_t *data, size_t size)
{
    r->data = data;
    r->size = data ? size : 0;
    r->offset = 0;
    r->truncated = false;
}

size_t state_reader_left(const StateReader *r) { return r->size - r->offset; }

const uint8_t *state_get_bytes(StateReader *r, size_t count)
{
    if (r->truncated || count > r->size - r->offset) {
        r->truncated = true;
        return NULL;
    }
    const uint8_t *start = r->data + r->offset;
    r->offset += count;
    return start;
}

/* `count` bytes, least significant first; 0 past the end. */
static uint64_t get_le(StateReader *r, size_t count)
{
    const uint8_t *bytes = state_get_bytes(r, count);
    uint64_t value = 0;
    for (size_t i = 0; bytes && i < count; i++)
        value |= (uint64_t)bytes[i] << (8u * i);
    return value;
}

uint8_t state_get_u8(StateReader *r) { return (uint8_t)get_le(r, 1); }
uint16_t state_get_u16(StateReader *r) { return (uint16_t)get_le(r, 2); }
uint32_t state_get_u32(StateReader *r) { return (uint32_t)get_le(r, 4); }
uint64_t state_get_u64(StateReader *r) { return get_le(r, 8); }
int64_t state_get_i64(StateReader *r)
{
    uint64_t bits = get_le(r, 8);
    int64_t value;
    memcpy(&value, &bits, sizeof value); /* two's complement, without an implementation-defined cast */
    return value;
}

float state_get_f32(StateReader *r)
{
    uint32_t bits = (uint32_t)get_le(r, 4);
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

double state_get_f64(StateReader *r)
{
    uint64_t bits = get_le(r, 8);
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

/* ---- Frames: magic, version, length, payload, CRC ---- */

#define FRAME_LENGTH_AT 8 /* offset of the payload length inside the header */

size_t state_frame_begin(StateWriter *w, const char magic[4], uint16_t version)
{
    size_t start = w->offset;
    state_put_bytes(w, magic, 4);
    state_put_u16(w, version);
    state_put_u16(w, 0);
    state_put_u32(w, 0); /* payload length, filled in by state_frame_end */
    return start;
}

void state_frame_end(StateWriter *w, size_t frame_start)
{
    size_t payload = w->offset - frame_start - STATE_FRAME_HEADER_SIZE;
    if (payload > UINT32_MAX)
        w->overflow = true;
    if (w->data && !w->overflow) {
        StateWriter length;
        state_writer_init(&length, w->data + frame_start + FRAME_LENGTH_AT, 4);
        state_put_u32(&length, (uint32_t)payload);
        state_put_u32(w, state_crc32(w->data + frame_start, w->offset - frame_start));
    } else {
        state_put_u32(w, 0);
    }
}

StateStatus state_frame_open(const uint8_t *data, size_t size, const char magic[4], uint16_t newest_version,
                             bool check_crc, StateFrame *frame, char *err, size_t err_size)
{
    if (!err)
        err_size = 0;
    size_t magic_bytes = size < 4 ? size : 4;
    if (magic_bytes > 0 && memcmp(data, magic, magic_bytes) != 0) {
        snprintf(err, err_size, "bad magic at offset 0: expected \"%.4s\"", magic);
        return STATE_ERR_MAGIC;
    }
    const size_t overhead = STATE_FRAME_HEADER_SIZE + STATE_FRAME_TRAILER_SIZE;
    if (size < STATE_FRAME_HEADER_SIZE) {
        snprintf(err, err_size, "truncated: %zu bytes, the header alone needs %d", size,
                 STATE_FRAME_HEADER_SIZE);
        return STATE_ERR_TRUNCATED;
    }
    StateReader header;
    state_reader_init(&header, data, STATE_FRAME_HEADER_SIZE);
    header.offset = 4;
    uint16_t version = state_get_u16(&header);
    uint16_t reserved = state_get_u16(&header);
    uint32_t payload = state_get_u32(&header);
    if (version < 1 || version > newest_version) {
        snprintf(err, err_size, "format version %u at offset 4 is not supported (this build reads 1..%u)",
                 (unsigned)version, (unsigned)newest_version);
        return STATE_ERR_VERSION;
    }
    if (reserved != 0) {
        snprintf(err, err_size, "reserved field at offset 6 is %u, must be 0 in version %u",
                 (unsigned)reserved, (unsigned)version);
        return STATE_ERR_VERSION;
    }
    if (size < overhead || payload > size - overhead) {
        snprintf(err, err_size,
                 "truncated: the header declares a %" PRIu32 "-byte payload (%zu bytes in all), only %zu "
                 "bytes available",
                 payload, (size_t)payload + overhead, size);
        return STATE_ERR_TRUNCATED;
    }
    size_t crc_at = STATE_FRAME_HEADER_SIZE + (size_t)payload;
    if (check_crc) {
        StateReader trailer;
        state_reader_init(&trailer, data, size);
        trailer.offset = crc_at;
        uint32_t stored = state_get_u32(&trailer);
        uint32_t computed = state_crc32(data, crc_at);
        if (stored != computed) {
            snprintf(err, err_size,
                     "CRC-32 mismatch at offset %zu: stored 0x%08" PRIX32 ", data gives 0x%08" PRIX32, crc_at,
                     stored, computed);
            return STATE_ERR_CHECKSUM;
        }
    }
    frame->version = version;
    frame->length = crc_at + STATE_FRAME_TRAILER_SIZE;
    state_reader_init(&frame->payload, data, crc_at);
    frame->payload.offset = STATE_FRAME_HEADER_SIZE;
    return STATE_OK;
}

/* ---- Model blobs ---- */

/* Receptors the params' skin layout has (checked against the created model). */
static size_t receptors_for(const ModelParams *p)
{
    if (p->skin_layout == SKIN_HAND)
        return (size_t)SKIN_DIGITS * (size_t)p->receptors_per_digit;
    return (size_t)p->grid_side * (size_t)p->grid_side;
}

/* Writes the whole blob; with a counting writer, measures it. */
static void write_model(StateWriter *w, const Model *model, int64_t saved_unix_time)
{
    size_t frame = state_frame_begin(w, STATE_MODEL_MAGIC, STATE_MODEL_VERSION);
    state_put_i64(w, saved_unix_time);

    size_t param_count;
    const ParamInfo *table = model_param_table(&param_count);
    if (param_count > UINT16_MAX)
        w->overflow = true;
    state_put_u16(w, (uint16_t)param_count);
    for (size_t i = 0; i < param_count; i++) {
        size_t key_length = strlen(table[i].key);
        if (key_length > UINT8_MAX)
            w->overflow = true;
        state_put_u8(w, (uint8_t)key_length);
        state_put_bytes(w, table[i].key, key_length);
        state_put_f64(w, model_param_get(model_get_params(model), &table[i]));
    }

    ModelScalars scalars;
    model_get_scalars(model, &scalars);
    state_put_f64(w, scalars.time_s);
    state_put_u64(w, scalars.stimuli);
    state_put_f32(w, scalars.capture_resource);
    state_put_u64(w, scalars.rng.state);
    state_put_u64(w, scalars.rng.increment);
    state_put_f64(w, scalars.use_since_stimulus_s);

    size_t units = (size_t)model_unit_count(model);
    size_t weights = units * (size_t)model_receptor_count(model);
    const float *arrays[4] = { model_weights(model), model_early(model), model_thresholds(model),
                               model_activity(model) };
    const size_t counts[4] = { weights, weights, units, units };
    for (int a = 0; a < 4; a++)
        for (size_t i = 0; i < counts[a]; i++)
            state_put_f32(w, arrays[a][i]);

    state_frame_end(w, frame);
}

size_t state_model_size(const Model *model)
{
    StateWriter counter;
    state_writer_init(&counter, NULL, 0);
    write_model(&counter, model, 0);
    return counter.overflow ? 0 : counter.offset;
}

void state_put_model(StateWriter *writer, const Model *model, int64_t saved_unix_time)
{
    write_model(writer, model, saved_unix_time);
}

size_t state_model_write(const Model *model, int64_t saved_unix_time, uint8_t *out, size_t out_size)
{
    size_t needed = state_model_size(model);
    if (needed == 0 || out == NULL || out_size < needed)
        return 0;
    StateWriter w;
    state_writer_init(&w, out, out_size);
    write_model(&w, model, saved_unix_time);
    return w.overflow ? 0 : w.offset;
}

StateStatus state_model_blob_length(const uint8_t *data, size_t size, size_t *blob_length, char *err,
                                    size_t err_size)
{
    StateFrame frame;
    StateStatus status = state_frame_open(data, size, STATE_MODEL_MAGIC, STATE_MODEL_VERSION, false, &frame,
                                          err, err_size);
    if (status == STATE_OK)
        *blob_length = frame.length;
    return status;
}

/* A blob whose framing, parameters, scalars and sizes have been checked; the arrays are
 * still bytes, at arrays.offset. */
typedef struct {
    int64_t saved_unix_time;
    ModelParams params;
    ModelScalars scalars;
    size_t units, receptors;
    uint16_t version;
    StateReader arrays;
} ParsedState;

/* Reports a payload that ends inside a field (its declared length is consistent with the
 * file, so this is a malformed payload rather than a cut-off file). */
static StateStatus payload_too_short(const StateReader *r, const char *field, char *err, size_t err_size)
{
    snprintf(err, err_size, "payload ends at offset %zu inside %s", r->size, field);
    return STATE_ERR_SIZE;
}

/* Copies a key for messages and lookup: NUL-terminated, non-printable bytes as '?'.
 * Returns false if the key holds bytes no parameter name has. */
static bool copy_key(const uint8_t *bytes, size_t length, char *key)
{
    bool clean = true;
    for (size_t i = 0; i < length; i++) {
        bool printable = bytes[i] >= 0x20 && bytes[i] < 0x7F;
        key[i] = printable ? (char)bytes[i] : '?';
        clean &= printable;
    }
    key[length] = '\0';
    return clean;
}

/* Parameters a later format version added. A blob of an older version lacks them and takes
 * today's default, so a restored player continues with the current model (version 2: local
 * afferent arbors, docs/model.md §3.7; version 3: model v2's cosine drive and synaptic
 * scaling, whose gains replace the saved thresholds: see decode_arrays; version 5: the
 * saturation of early depression, docs/model.md §3.6, under which early depression saved
 * beyond the limit only fades; version 6: the saturation of early potentiation, likewise). */
static const struct {
    const char *key;
    uint16_t since_version;
} PARAMS_ADDED[] = {
    {"arbor_reach", 2},
    {"drive_rule", 3},
    {"homeostasis_rule", 3},
    {"scaling_target", 3},
    {"gain_limit", 3},
    {"everyday_touches_per_hour", 3},
    {"early_depression_limit", 5},
    {"early_potentiation_limit", 6},
};

/* Parameters whose meaning a later format version changed: a blob of an older version that
 * runs synaptic scaling takes today's default instead of its saved value (version 4:
 * homeostasis_rate became the gain change per second of use instead of per stimulus, which
 * the saved 0.005 would make 250 times too fast a second). */
static const struct {
    const char *key;
    uint16_t since_version;
} PARAMS_REDEFINED[] = {
    {"homeostasis_rate", 4},
};

/* Gives params the default of each parameter a later version redefined. */
static void redefine_params(uint16_t version, ModelParams *params)
{
    if (params->homeostasis_rule != HOMEOSTASIS_SCALING)
        return;
    ModelParams defaults;
    model_params_default(&defaults);
    size_t count;
    const ParamInfo *table = model_param_table(&count);
    for (size_t r = 0; r < sizeof PARAMS_REDEFINED / sizeof PARAMS_REDEFINED[0]; r++)
        for (size_t i = 0; i < count; i++)
            if (version < PARAMS_REDEFINED[r].since_version && strcmp(table[i].key, PARAMS_REDEFINED[r].key) == 0)
                model_param_set(params, table[i].key, model_param_get(&defaults, &table[i]), NULL, 0);
}

/* True if a blob of this format version need not list the parameter table[index]. */
static bool param_predates_blob(const ParamInfo *info, uint16_t version)
{
    for (size_t i = 0; i < sizeof PARAMS_ADDED / sizeof PARAMS_ADDED[0]; i++)
        if (strcmp(PARAMS_ADDED[i].key, info->key) == 0)
            return version < PARAMS_ADDED[i].since_version;
    return false;
}

/* Reads the parameter list into params: each known key once, all present (but those added
 * after the blob's version, which take their defaults), all valid. */
static StateStatus parse_params(StateReader *r, uint16_t version, ModelParams *params, char *err,
                                size_t err_size)
{
    size_t table_count;
    const ParamInfo *table = model_param_table(&table_count);
    size_t count_at = r->offset;
    uint16_t count = state_get_u16(r);
    if (r->truncated)
        return payload_too_short(r, "the parameter count", err, err_size);

    bool *seen = calloc(table_count, sizeof *seen);
    if (!seen) {
        snprintf(err, err_size, "out of memory while reading parameters");
        return STATE_ERR_NO_MEMORY;
    }
    StateStatus status = STATE_OK;
    memset(params, 0, sizeof *params);
    for (uint16_t i = 0; i < count && status == STATE_OK; i++) {
        size_t entry_at = r->offset;
        uint8_t key_length = state_get_u8(r);
        const uint8_t *key_bytes = state_get_bytes(r, key_length);
        double value = state_get_f64(r);
        if (r->truncated) {
            status = payload_too_short(r, "a parameter", err, err_size);
            break;
        }
        char key[UINT8_MAX + 1];
        bool clean = copy_key(key_bytes, key_length, key);
        const ParamInfo *info = clean ? model_param_find(key) : NULL;
        char detail[256];
        if (!info) {
            snprintf(err, err_size, "unknown parameter '%s' at offset %zu", key, entry_at);
            status = STATE_ERR_PARAMS;
        } else if (seen[info - table]) {
            snprintf(err, err_size, "parameter '%s' at offset %zu appears twice", key, entry_at);
            status = STATE_ERR_PARAMS;
        } else if (model_param_set(params, key, value, detail, sizeof detail) != 0) {
            snprintf(err, err_size, "at offset %zu: %s", entry_at, detail);
            status = STATE_ERR_PARAMS;
        } else {
            seen[info - table] = true;
        }
    }
    ModelParams defaults;
    model_params_default(&defaults);
    for (size_t i = 0; i < table_count && status == STATE_OK; i++)
        if (!seen[i] && param_predates_blob(&table[i], version)) {
            char detail[256];
            if (model_param_set(params, table[i].key, model_param_get(&defaults, &table[i]), detail,
                                sizeof detail) != 0) {
                snprintf(err, err_size, "default of parameter '%s': %s", table[i].key, detail);
                status = STATE_ERR_PARAMS;
            }
        } else if (!seen[i]) {
            snprintf(err, err_size, "parameter '%s' is missing from the list at offset %zu", table[i].key,
                     count_at);
            status = STATE_ERR_PARAMS;
        }
    free(seen);
    if (status != STATE_OK)
        return status;

    char detail[256];
    if (model_params_validate(params, detail, sizeof detail) != 0) {
        snprintf(err, err_size, "parameters at offset %zu: %s", count_at, detail);
        return STATE_ERR_PARAMS;
    }
    return STATE_OK;
}

/* Reads the model scalars and checks their ranges. */
static StateStatus parse_scalars(StateReader *r, uint16_t version, ModelScalars *scalars, char *err,
                                 size_t err_size)
{
    size_t time_at = r->offset;
    scalars->time_s = state_get_f64(r);
    scalars->stimuli = state_get_u64(r);
    size_t resource_at = r->offset;
    scalars->capture_resource = state_get_f32(r);
    size_t rng_at = r->offset;
    scalars->rng.state = state_get_u64(r);
    scalars->rng.increment = state_get_u64(r);
    size_t use_at = r->offset;
    scalars->use_since_stimulus_s = version >= 4 ? state_get_f64(r) : 0.0;
    if (r->truncated)
        return payload_too_short(r, "the model scalars", err, err_size);
    if (!(scalars->use_since_stimulus_s >= 0.0 && scalars->use_since_stimulus_s <= SCALING_USE_CAP_S)) {
        snprintf(err, err_size, "use_since_stimulus_s = %g at offset %zu is outside [0, %g]",
                 scalars->use_since_stimulus_s, use_at, SCALING_USE_CAP_S);
        return STATE_ERR_VALUES;
    }
    if (!isfinite(scalars->time_s) || scalars->time_s < 0.0) {
        snprintf(err, err_size, "time_s = %g at offset %zu must be finite and >= 0", scalars->time_s,
                 time_at);
        return STATE_ERR_VALUES;
    }
    if (!(scalars->capture_resource >= 0.0f && scalars->capture_resource <= 1.0f)) {
        snprintf(err, err_size, "capture_resource = %g at offset %zu is outside [0, 1]",
                 (double)scalars->capture_resource, resource_at);
        return STATE_ERR_VALUES;
    }
    if ((scalars->rng.increment & 1u) == 0) {
        snprintf(err, err_size, "rng increment at offset %zu is even (must be odd)", rng_at + 8);
        return STATE_ERR_VALUES;
    }
    return STATE_OK;
}

/* Checks framing, parameters, scalars and that the arrays fill the rest of the payload. */
static StateStatus parse_state(const uint8_t *data, size_t size, ParsedState *parsed, char *err,
                               size_t err_size)
{
    StateFrame frame;
    StateStatus status = state_frame_open(data, size, STATE_MODEL_MAGIC, STATE_MODEL_VERSION, true, &frame,
                                          err, err_size);
    if (status != STATE_OK)
        return status;
    if (frame.length != size) {
        snprintf(err, err_size, "%zu unexpected bytes after the end of the state at offset %zu",
                 size - frame.length, frame.length);
        return STATE_ERR_SIZE;
    }
    StateReader *r = &frame.payload;
    parsed->saved_unix_time = state_get_i64(r);
    if (r->truncated)
        return payload_too_short(r, "the saving time", err, err_size);
    parsed->version = frame.version;
    if ((status = parse_params(r, frame.version, &parsed->params, err, err_size)) != STATE_OK)
        return status;
    redefine_params(frame.version, &parsed->params);
    if ((status = parse_scalars(r, frame.version, &parsed->scalars, err, err_size)) != STATE_OK)
        return status;

    parsed->units = (size_t)parsed->params.sheet_size * (size_t)parsed->params.sheet_size;
    parsed->receptors = receptors_for(&parsed->params);
    size_t floats = 2u * parsed->units * parsed->receptors + 2u * parsed->units;
    if (state_reader_left(r) != floats * sizeof(float)) {
        snprintf(err, err_size,
                 "the arrays at offset %zu take %zu bytes, but a %d x %d sheet with %zu receptors needs %zu",
                 r->offset, state_reader_left(r), parsed->params.sheet_size, parsed->params.sheet_size,
                 parsed->receptors, floats * sizeof(float));
        return STATE_ERR_SIZE;
    }
    parsed->arrays = *r;
    return STATE_OK;
}

/* Reads count floats into out, each finite and within [low, high]. */
static StateStatus decode_floats(StateReader *r, const char *name, size_t count, float low, float high,
                                 float *out, char *err, size_t err_size)
{
    for (size_t i = 0; i < count; i++) {
        size_t at = r->offset;
        float value = state_get_f32(r);
        if (!isfinite(value) || value < low || value > high) {
            snprintf(err, err_size, "%s[%zu] = %g at offset %zu is %s [%g, %g]", name, i, (double)value, at,
                     isfinite(value) ? "outside" : "not a finite number in", (double)low, (double)high);
            return STATE_ERR_VALUES;
        }
        out[i] = value;
    }
    return STATE_OK;
}

/* The decoded arrays, in one allocation. */
typedef struct {
    float *weights, *early, *thresholds, *activity;
} StateArrays;

/* Decodes and checks the arrays for a model that will run with params run. The per-unit
 * homeostatic array holds thresholds within +-threshold_limit (additive rule) or gains
 * within [1 / gain_limit, gain_limit] (scaling). A blob older than version 3 holds
 * thresholds of model v1: they are checked as such, and under the scaling rule replaced
 * by neutral gains of 1 (the map and the activity averages carry over; the gains settle
 * again within a day of use). On success arrays->weights owns the allocation. */
static StateStatus decode_arrays(const ParsedState *parsed, const ModelParams *run, StateArrays *arrays,
                                 char *err, size_t err_size)
{
    const bool saved_thresholds = parsed->version < 3 || run->homeostasis_rule == HOMEOSTASIS_THRESHOLD;
    const bool migrate = parsed->version < 3 && run->homeostasis_rule == HOMEOSTASIS_SCALING;
    const float low = saved_thresholds ? -run->threshold_limit : 1.0f / run->gain_limit;
    const float high = saved_thresholds ? run->threshold_limit : run->gain_limit;
    size_t units = parsed->units, weights = units * parsed->receptors;
    float *buffer = malloc((2u * weights + 2u * units) * sizeof(float));
    if (!buffer) {
        snprintf(err, err_size, "out of memory for %zu saved weights", weights);
        return STATE_ERR_NO_MEMORY;
    }
    arrays->weights = buffer;
    arrays->early = buffer + weights;
    arrays->thresholds = arrays->early + weights;
    arrays->activity = arrays->thresholds + units;

    StateReader r = parsed->arrays;
    StateStatus status = decode_floats(&r, "weights", weights, 0.0f, 1.0f, arrays->weights, err, err_size);
    if (status == STATE_OK)
        status = decode_floats(&r, "early", weights, -1.0f, 1.0f, arrays->early, err, err_size);
    if (status == STATE_OK)
        status = decode_floats(&r, saved_thresholds ? "thresholds" : "gains", units, low, high,
                               arrays->thresholds, err, err_size);
    for (size_t i = 0; migrate && i < units; i++)
        arrays->thresholds[i] = 1.0f;
    if (status == STATE_OK)
        status = decode_floats(&r, "activity", units, 0.0f, 1.0f, arrays->activity, err, err_size);
    if (status != STATE_OK)
        free(buffer);
    return status;
}

StateStatus state_model_read(const uint8_t *data, size_t size, Model **out, int64_t *saved_unix_time,
                             char *err, size_t err_size)
{
    if (!err)
        err_size = 0;
    ParsedState parsed;
    StateStatus status = parse_state(data, size, &parsed, err, err_size);
    if (status != STATE_OK)
        return status;
    StateArrays arrays;
    status = decode_arrays(&parsed, &parsed.params, &arrays, err, err_size);
    if (status != STATE_OK)
        return status;

    char detail[256];
    Model *model = model_create(&parsed.params, detail, sizeof detail);
    if (!model) {
        snprintf(err, err_size, "cannot create the saved model: %s", detail);
        status = STATE_ERR_NO_MEMORY;
    } else if ((size_t)model_unit_count(model) != parsed.units ||
               (size_t)model_receptor_count(model) != parsed.receptors) {
        snprintf(err, err_size,
                 "the saved params give %d units and %d receptors, the state holds %zu and %zu",
                 model_unit_count(model), model_receptor_count(model), parsed.units, parsed.receptors);
        status = STATE_ERR_SIZE;
        model_free(model);
    } else {
        model_set_state(model, &parsed.scalars, arrays.weights, arrays.early, arrays.thresholds,
                        arrays.activity);
        *out = model;
        if (saved_unix_time)
            *saved_unix_time = parsed.saved_unix_time;
    }
    free(arrays.weights);
    return status;
}

StateStatus state_model_restore(Model *target, const uint8_t *data, size_t size, int64_t *saved_unix_time,
                                char *err, size_t err_size)
{
    if (!err)
        err_size = 0;
    ParsedState parsed;
    StateStatus status = parse_state(data, size, &parsed, err, err_size);
    if (status != STATE_OK)
        return status;
    const ModelParams *own = model_get_params(target);
    if (parsed.params.skin_layout != own->skin_layout || parsed.units != (size_t)model_unit_count(target) ||
        parsed.receptors != (size_t)model_receptor_count(target)) {
        snprintf(err, err_size,
                 "the state is for skin layout %d, a %d x %d sheet and %zu receptors; "
                 "this model has layout %d, a %d x %d sheet and %d receptors",
                 (int)parsed.params.skin_layout, (int)parsed.params.sheet_size, (int)parsed.params.sheet_size,
                 parsed.receptors, (int)own->skin_layout, model_sheet_size(target), model_sheet_size(target),
                 model_receptor_count(target));
        return STATE_ERR_SIZE;
    }
    if (parsed.version >= 3 && parsed.params.homeostasis_rule != own->homeostasis_rule) {
        snprintf(err, err_size, "the state was saved under homeostasis_rule %d, this model runs %d",
                 (int)parsed.params.homeostasis_rule, (int)own->homeostasis_rule);
        return STATE_ERR_VALUES;
    }
    StateArrays arrays;
    status = decode_arrays(&parsed, own, &arrays, err, err_size);
    if (status != STATE_OK)
        return status;
    model_set_state(target, &parsed.scalars, arrays.weights, arrays.early, arrays.thresholds,
                    arrays.activity);
    free(arrays.weights);
    if (saved_unix_time)
        *saved_unix_time = parsed.saved_unix_time;
    return STATE_OK;
}
