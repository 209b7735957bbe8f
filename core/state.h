/* state: the versioned, little-endian, checksummed serialisation of one hand's model (for
 * profiles and the plugin's LV2 state), written into and read from caller-supplied byte
 * buffers so that a container can embed several model blobs next to its own data.
 * docs/state.md describes the format. Nothing here keeps global state. */
#ifndef HM_STATE_H
#define HM_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define STATE_MODEL_MAGIC "HMMS"  /* first 4 bytes of a model blob */
#define STATE_MODEL_VERSION 6     /* the newest model format this code reads and writes */
#define STATE_FRAME_HEADER_SIZE 12 /* magic, u16 version, u16 reserved, u32 payload length */
#define STATE_FRAME_TRAILER_SIZE 4 /* u32 CRC-32 over everything before it */

/* Errors as values. */
typedef enum {
    STATE_OK = 0,
    STATE_ERR_TRUNCATED, /* fewer bytes than the blob declares */
    STATE_ERR_MAGIC,     /* not a blob of the expected kind */
    STATE_ERR_VERSION,   /* a format version (or reserved field) this code does not know */
    STATE_ERR_CHECKSUM,  /* CRC-32 mismatch */
    STATE_ERR_SIZE,      /* sizes inside disagree with the params or the target model */
    STATE_ERR_PARAMS,    /* parameters missing, unknown, repeated or out of range */
    STATE_ERR_VALUES,    /* NaN/Inf or values outside their ranges */
    STATE_ERR_NO_MEMORY
} StateStatus;

/* A short English description of a status, for messages. */
const char *state_strerror(StateStatus status);

/* Standard CRC-32 (IEEE 802.3, as zlib's crc32 and PNG): of "123456789" it is 0xCBF43926. */
uint32_t state_crc32(const uint8_t *data, size_t size);

/* Bytes that state_model_write needs for this model (0 only if it cannot be serialised). */
size_t state_model_size(const Model *model);

/* Serialises the model with the wall-clock time of saving into out. Returns the bytes
 * written, or 0 (leaving out untouched) if out_size is too small. */
size_t state_model_write(const Model *model, int64_t saved_unix_time, uint8_t *out, size_t out_size);

/* Finds where the model blob at the start of data ends (for containers that hold blobs
 * back to back): checks the header only, not the checksum or payload. */
StateStatus state_model_blob_length(const uint8_t *data, size_t size, size_t *blob_length, char *err,
                                    size_t err_size);

/* Reads a blob of exactly size bytes. Validates everything first (framing, CRC, every
 * parameter, sizes, every value) and only then creates the model. On success *out is the
 * new model (free with model_free) and *saved_unix_time (if not NULL) the saving time; on
 * any failure neither is touched, nothing leaks and err (if not NULL) says which check
 * failed and where (byte offset, field). */
StateStatus state_model_read(const uint8_t *data, size_t size, Model **out, int64_t *saved_unix_time,
                             char *err, size_t err_size);

/* Loads a blob's learned state (arrays and scalars) into an existing model whose geometry
 * (skin layout, sheet size, receptor count) matches; the target keeps its own parameters,
 * and its threshold limit bounds the saved thresholds. On any error the target is left
 * untouched. */
StateStatus state_model_restore(Model *target, const uint8_t *data, size_t size, int64_t *saved_unix_time,
                                char *err, size_t err_size);

/* ---- Building blocks, also for containers with their own data ---- */

/* A little-endian writer over a caller's buffer. With data NULL it only counts bytes. Once
 * a value does not fit, overflow is set and nothing more is written, but offset keeps
 * counting, so it ends as the size that would have been needed. */
typedef struct {
    uint8_t *data;
    size_t size;
    size_t offset;
    bool overflow;
} StateWriter;

/* Starts a writer at the beginning of data (NULL to count only). */
void state_writer_init(StateWriter *writer, uint8_t *data, size_t size);

/* Appends values, little-endian; floats as their IEEE 754 bit patterns. */
void state_put_bytes(StateWriter *writer, const void *bytes, size_t count);
void state_put_u8(StateWriter *writer, uint8_t value);
void state_put_u16(StateWriter *writer, uint16_t value);
void state_put_u32(StateWriter *writer, uint32_t value);
void state_put_u64(StateWriter *writer, uint64_t value);
void state_put_i64(StateWriter *writer, int64_t value);
void state_put_f32(StateWriter *writer, float value);
void state_put_f64(StateWriter *writer, double value);

/* A little-endian reader over bytes. Offsets count from data (so messages can name them).
 * Reading past size sets truncated and yields zeros. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    bool truncated;
} StateReader;

/* Starts a reader at offset 0 of data. */
void state_reader_init(StateReader *reader, const uint8_t *data, size_t size);

/* Bytes left to read. */
size_t state_reader_left(const StateReader *reader);

/* Takes count bytes and returns where they start, or NULL (and truncated) if too few. */
const uint8_t *state_get_bytes(StateReader *reader, size_t count);
uint8_t state_get_u8(StateReader *reader);
uint16_t state_get_u16(StateReader *reader);
uint32_t state_get_u32(StateReader *reader);
uint64_t state_get_u64(StateReader *reader);
int64_t state_get_i64(StateReader *reader);
float state_get_f32(StateReader *reader);
double state_get_f64(StateReader *reader);

/* Appends a whole model blob (as state_model_write makes it) to a container. */
void state_put_model(StateWriter *writer, const Model *model, int64_t saved_unix_time);

/* Starts a frame (magic, version, reserved 0, payload length to be filled in) and returns
 * its start, to pass to state_frame_end after the payload has been written. */
size_t state_frame_begin(StateWriter *writer, const char magic[4], uint16_t version);

/* Fills in the payload length of the frame begun at frame_start and appends the CRC-32. */
void state_frame_end(StateWriter *writer, size_t frame_start);

/* A checked frame: its version, its whole length and a reader over its payload (offsets
 * still count from the start of the data given to state_frame_open). */
typedef struct {
    uint16_t version;
    size_t length;
    StateReader payload;
} StateFrame;

/* Checks the frame at the start of data: magic, version in 1..newest_version, reserved 0,
 * declared length against size, and (if check_crc) the CRC-32. Bytes after the frame are
 * allowed and left to the caller. */
StateStatus state_frame_open(const uint8_t *data, size_t size, const char magic[4], uint16_t newest_version,
                             bool check_crc, StateFrame *frame, char *err, size_t err_size);

#endif
