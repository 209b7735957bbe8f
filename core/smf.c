/* smf: Standard MIDI File reader (see smf.h). The file is validated while it is read; times are
 * kept in ticks until every track is merged, then converted once per event through the tempo
 * map, segment by segment, so that no rounding accumulates from event to event. */
#include "smf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "midi.h"

#define SMF_HEADER_SIZE 14      /* "MThd", length, format, tracks, division */
#define SMF_CHUNK_HEADER_SIZE 8 /* type, length */
#define SMF_MAX_VLQ_BYTES 4
#define SMF_META 0xFF
#define SMF_META_END_OF_TRACK 0x2F
#define SMF_META_TEMPO 0x51
#define SMF_SYSEX 0xF0
#define SMF_SYSEX_ESCAPE 0xF7

/* One tempo change as found in a track; order breaks ties between equal ticks. */
typedef struct {
    uint64_t tick;
    uint32_t us_per_quarter;
    uint32_t order;
} TempoChange;

/* A stretch of constant tempo starting at tick, which falls at start_s. */
typedef struct {
    uint64_t tick;
    double start_s;
    uint32_t us_per_quarter;
} TempoSegment;

struct SmfSong {
    SmfEvent *events;
    size_t event_count;
    int format;
    int track_count;
    int ticks_per_quarter;    /* 0 with SMPTE division */
    double smpte_ticks_per_s; /* with SMPTE division */
    TempoSegment *segments;   /* at least one; the first starts at tick 0 */
    size_t segment_count;
    double duration_s;
};

/* Everything a read needs while it walks the file. */
typedef struct {
    const uint8_t *data;
    size_t size;
    char *err;
    size_t err_size;
    SmfEvent *events;
    size_t event_count, event_capacity;
    TempoChange *tempos;
    size_t tempo_count, tempo_capacity;
    size_t track_starts[SMF_MAX_TRACKS + 1]; /* first event of each track, then event_count */
    uint64_t end_tick;                       /* the latest end of track */
    size_t allocated;                        /* bytes held for the read (RECORDING_MAX_MEMORY_BYTES) */
} Reader;

/* Writes "offset N: <message>" into the reader's err; returns -1. */
static int fail(Reader *reader, size_t offset, const char *format, ...)
{
    if (reader->err == NULL || reader->err_size == 0)
        return -1;
    int prefix = snprintf(reader->err, reader->err_size, "offset %zu: ", offset);
    if (prefix > 0 && (size_t)prefix < reader->err_size) {
        va_list args;
        va_start(args, format);
        vsnprintf(reader->err + prefix, reader->err_size - (size_t)prefix, format, args);
        va_end(args);
    }
    return -1;
}

static uint32_t read_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint16_t read_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* A chunk type for messages: printable characters as they are, others as \xNN. */
static void describe_chunk_type(const uint8_t *type, char out[17])
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (type[i] >= 0x20 && type[i] < 0x7F && type[i] != '\\' && type[i] != '\'') {
            out[n++] = (char)type[i];
        } else {
            snprintf(out + n, 5, "\\x%02X", type[i]);
            n += 4;
        }
    }
    out[n] = '\0';
}

static bool chunk_type_is_printable(const uint8_t *type)
{
    for (int i = 0; i < 4; i++)
        if (type[i] < 0x20 || type[i] >= 0x7F)
            return false;
    return true;
}

/* Result of reading a variable-length quantity. */
typedef enum { VLQ_OK, VLQ_TRUNCATED, VLQ_TOO_LONG } VlqResult;

/* Reads a variable-length quantity of at most 4 bytes from *pos, never at or past end. */
static VlqResult read_vlq(const uint8_t *data, size_t *pos, size_t end, uint32_t *value)
{
    uint32_t result = 0;
    for (int i = 0; i < SMF_MAX_VLQ_BYTES; i++) {
        if (*pos >= end)
            return VLQ_TRUNCATED;
        uint8_t byte = data[(*pos)++];
        result = result << 7 | (byte & 0x7Fu);
        if ((byte & 0x80) == 0) {
            *value = result;
            return VLQ_OK;
        }
    }
    return VLQ_TOO_LONG;
}

/* Accounts for an allocation growing from old_bytes to new_bytes; -1 (with err) beyond the cap. */
static int reserve(Reader *reader, size_t offset, size_t old_bytes, size_t new_bytes)
{
    if (reader->allocated - old_bytes + new_bytes > RECORDING_MAX_MEMORY_BYTES)
        return fail(reader, offset, "reading the file would take more than %u MiB of memory (the limit)",
                    RECORDING_MAX_MEMORY_BYTES >> 20);
    reader->allocated = reader->allocated - old_bytes + new_bytes;
    return 0;
}

static int push_event(Reader *reader, size_t offset, const SmfEvent *event)
{
    if (reader->event_count == reader->event_capacity) {
        if (reader->event_capacity >= SMF_MAX_EVENTS)
            return fail(reader, offset, "more than %u channel events (the limit)", SMF_MAX_EVENTS);
        size_t capacity = reader->event_capacity == 0 ? 256 : reader->event_capacity * 2;
        if (capacity > SMF_MAX_EVENTS)
            capacity = SMF_MAX_EVENTS;
        if (reserve(reader, offset, reader->event_capacity * sizeof(SmfEvent), capacity * sizeof(SmfEvent)) != 0)
            return -1;
        SmfEvent *grown = realloc(reader->events, capacity * sizeof *grown);
        if (grown == NULL)
            return fail(reader, offset, "out of memory for %zu events", capacity);
        reader->events = grown;
        reader->event_capacity = capacity;
    }
    reader->events[reader->event_count++] = *event;
    return 0;
}

static int push_tempo(Reader *reader, size_t offset, uint64_t tick, uint32_t us_per_quarter)
{
    if (reader->tempo_count == reader->tempo_capacity) {
        if (reader->tempo_capacity >= SMF_MAX_EVENTS)
            return fail(reader, offset, "more than %u tempo changes (the limit)", SMF_MAX_EVENTS);
        size_t capacity = reader->tempo_capacity == 0 ? 16 : reader->tempo_capacity * 2;
        if (reserve(reader, offset, reader->tempo_capacity * sizeof(TempoChange), capacity * sizeof(TempoChange)) != 0)
            return -1;
        TempoChange *grown = realloc(reader->tempos, capacity * sizeof *grown);
        if (grown == NULL)
            return fail(reader, offset, "out of memory for %zu tempo changes", capacity);
        reader->tempos = grown;
        reader->tempo_capacity = capacity;
    }
    TempoChange *change = &reader->tempos[reader->tempo_count];
    change->tick = tick;
    change->us_per_quarter = us_per_quarter;
    change->order = (uint32_t)reader->tempo_count;
    reader->tempo_count++;
    return 0;
}

/* Reads the length of a meta or SysEx event at *pos and checks that its payload fits. */
static int read_payload_length(Reader *reader, size_t *pos, size_t end, int track, size_t event_at,
                               uint32_t *length)
{
    size_t vlq_at = *pos;
    switch (read_vlq(reader->data, pos, end, length)) {
    case VLQ_OK:
        break;
    case VLQ_TRUNCATED:
        return fail(reader, event_at, "track %d ends inside an event", track);
    case VLQ_TOO_LONG:
        return fail(reader, vlq_at, "variable-length quantity longer than 4 bytes");
    }
    if (*length > end - *pos)
        return fail(reader, event_at, "track %d ends inside an event (%u bytes of data declared, %zu left)",
                    track, *length, end - *pos);
    return 0;
}

/* Reads the events of one track chunk whose body is data[begin, end); track counts from 1. */
static int read_track(Reader *reader, size_t begin, size_t end, int track)
{
    const uint8_t *data = reader->data;
    size_t pos = begin;
    uint64_t tick = 0;
    uint8_t running_status = 0;
    while (pos < end) {
        size_t event_at = pos;
        uint32_t delta;
        switch (read_vlq(data, &pos, end, &delta)) {
        case VLQ_OK:
            break;
        case VLQ_TRUNCATED:
            return fail(reader, event_at, "track %d ends inside an event", track);
        case VLQ_TOO_LONG:
            return fail(reader, event_at, "variable-length quantity longer than 4 bytes");
        }
        tick += delta;
        if (pos >= end)
            return fail(reader, event_at, "track %d ends inside an event (after its delta time)", track);
        uint8_t first = data[pos];

        if (first == SMF_META) {
            pos++;
            if (pos >= end)
                return fail(reader, event_at, "track %d ends inside an event (meta event without a type)",
                            track);
            uint8_t type = data[pos++];
            uint32_t length;
            if (read_payload_length(reader, &pos, end, track, event_at, &length) != 0)
                return -1;
            if (type == SMF_META_END_OF_TRACK)
                break; /* whatever follows inside the chunk is ignored */
            if (type == SMF_META_TEMPO) {
                if (length != 3)
                    return fail(reader, event_at, "tempo meta event of length %u, must be 3", length);
                uint32_t us_per_quarter =
                    (uint32_t)data[pos] << 16 | (uint32_t)data[pos + 1] << 8 | data[pos + 2];
                if (us_per_quarter == 0)
                    return fail(reader, event_at, "tempo of 0 microseconds per quarter note");
                if (push_tempo(reader, event_at, tick, us_per_quarter) != 0)
                    return -1;
            }
            pos += length;
            continue; /* running status is kept across meta and SysEx events (tolerated, as most readers do) */
        }
        if (first == SMF_SYSEX || first == SMF_SYSEX_ESCAPE) {
            pos++;
            uint32_t length;
            if (read_payload_length(reader, &pos, end, track, event_at, &length) != 0)
                return -1;
            pos += length;
            continue;
        }
        if (first > SMF_SYSEX)
            return fail(reader, pos, "track %d: status byte 0x%02X is not allowed in a MIDI file", track, first);

        uint8_t status;
        if (first & 0x80) {
            status = first;
            running_status = first;
            pos++;
        } else if (running_status != 0) {
            status = running_status;
        } else {
            return fail(reader, pos, "track %d: data byte 0x%02X with no running status", track, first);
        }
        size_t length = midi_channel_message_length(status);
        if (end - pos < length - 1)
            return fail(reader, event_at, "track %d ends inside an event", track);
        SmfEvent event;
        memset(&event, 0, sizeof event);
        event.tick = tick;
        event.size = (uint8_t)length;
        event.bytes[0] = status;
        event.track = (uint16_t)(track - 1);
        for (size_t i = 1; i < length; i++) {
            uint8_t byte = data[pos++];
            if (byte & 0x80)
                return fail(reader, pos - 1,
                            "track %d: byte 0x%02X where a data byte of a 0x%02X message was expected", track,
                            byte, status);
            event.bytes[i] = byte;
        }
        if (push_event(reader, event_at, &event) != 0)
            return -1;
    }
    if (tick > reader->end_tick)
        reader->end_tick = tick;
    return 0;
}

static int compare_tempo_changes(const void *a, const void *b)
{
    const TempoChange *x = a, *y = b;
    if (x->tick != y->tick)
        return x->tick < y->tick ? -1 : 1;
    return x->order < y->order ? -1 : (x->order > y->order ? 1 : 0);
}

/* Builds the song's tempo segments from the tempo changes of all tracks. */
static int build_tempo_map(Reader *reader, SmfSong *song)
{
    if (reader->tempo_count > 1)
        qsort(reader->tempos, reader->tempo_count, sizeof *reader->tempos, compare_tempo_changes);
    if (reserve(reader, 0, 0, (reader->tempo_count + 1) * sizeof *song->segments) != 0)
        return -1;
    song->segments = malloc((reader->tempo_count + 1) * sizeof *song->segments);
    if (song->segments == NULL)
        return fail(reader, 0, "out of memory for the tempo map");
    song->segments[0].tick = 0;
    song->segments[0].start_s = 0.0;
    song->segments[0].us_per_quarter = SMF_DEFAULT_TEMPO_US;
    song->segment_count = 1;
    for (size_t i = 0; i < reader->tempo_count; i++) {
        const TempoChange *change = &reader->tempos[i];
        TempoSegment *last = &song->segments[song->segment_count - 1];
        if (change->tick == last->tick) { /* the later change at the same tick wins */
            last->us_per_quarter = change->us_per_quarter;
            continue;
        }
        TempoSegment *next = &song->segments[song->segment_count++];
        next->tick = change->tick;
        next->start_s = last->start_s + (double)(change->tick - last->tick) * (double)last->us_per_quarter /
                                            (1e6 * (double)song->ticks_per_quarter);
        next->us_per_quarter = change->us_per_quarter;
    }
    return 0;
}

/* Seconds of a tick inside the given segment. */
static double segment_seconds(const SmfSong *song, const TempoSegment *segment, uint64_t tick)
{
    return segment->start_s + (double)(tick - segment->tick) * (double)segment->us_per_quarter /
                                  (1e6 * (double)song->ticks_per_quarter);
}

double smf_tick_to_seconds(const SmfSong *song, uint64_t tick)
{
    if (song->ticks_per_quarter == 0)
        return (double)tick / song->smpte_ticks_per_s;
    size_t low = 0, high = song->segment_count; /* the last segment starting at or before tick */
    while (high - low > 1) {
        size_t mid = low + (high - low) / 2;
        if (song->segments[mid].tick <= tick)
            low = mid;
        else
            high = mid;
    }
    return segment_seconds(song, &song->segments[low], tick);
}

/* Merges the per-track runs of events (each already in time order) into one stable order:
 * equal ticks keep track order, then file order. Returns the sorted array (events or scratch;
 * the other one is freed), or NULL when out of memory. */
static SmfEvent *merge_tracks(SmfEvent *events, size_t count, size_t *bounds, size_t runs)
{
    if (runs <= 1)
        return events;
    SmfEvent *scratch = malloc(count * sizeof *scratch);
    if (scratch == NULL)
        return NULL;
    SmfEvent *source = events, *target = scratch;
    while (runs > 1) {
        size_t merged_runs = 0;
        for (size_t r = 0; r < runs; r += 2) {
            size_t low = bounds[r], middle = bounds[r + 1];
            size_t high = r + 2 <= runs ? bounds[r + 2] : middle;
            size_t i = low, j = middle, k = low;
            while (i < middle && j < high)
                target[k++] = source[j].tick < source[i].tick ? source[j++] : source[i++];
            while (i < middle)
                target[k++] = source[i++];
            while (j < high)
                target[k++] = source[j++];
            bounds[merged_runs++] = low;
        }
        bounds[merged_runs] = count;
        runs = merged_runs;
        SmfEvent *swap = source;
        source = target;
        target = swap;
    }
    free(target);
    return source;
}

/* Reads the header chunk; on success song holds format, division and *track_count the number
 * of tracks declared, and *pos the offset after the header chunk. */
static int read_header(Reader *reader, SmfSong *song, int *track_count, size_t *pos)
{
    const uint8_t *data = reader->data;
    if (reader->size < 4)
        return fail(reader, 0, "file of %zu bytes is too short to be a Standard MIDI File", reader->size);
    if (memcmp(data, "MThd", 4) != 0) {
        char type[17];
        describe_chunk_type(data, type);
        return fail(reader, 0, "header '%s' where 'MThd' was expected (not a Standard MIDI File)", type);
    }
    if (reader->size < SMF_HEADER_SIZE)
        return fail(reader, reader->size, "file ends inside the 14-byte header (%zu bytes)", reader->size);
    uint32_t length = read_be32(data + 4);
    if (length < 6)
        return fail(reader, 4, "header length %u, must be at least 6", length);
    if (length > reader->size - SMF_CHUNK_HEADER_SIZE)
        return fail(reader, 4, "header length %u runs past the end of the file (%zu bytes follow)", length,
                    reader->size - SMF_CHUNK_HEADER_SIZE);
    unsigned format = read_be16(data + 8);
    unsigned tracks = read_be16(data + 10);
    uint16_t division = read_be16(data + 12);
    if (format == 2)
        return fail(reader, 8, "format 2 (independent sequences) is not supported, only formats 0 and 1");
    if (format > 2)
        return fail(reader, 8, "unknown format %u (0 or 1 expected)", format);
    if (tracks == 0)
        return fail(reader, 10, "the header declares 0 tracks");
    if (tracks > SMF_MAX_TRACKS)
        return fail(reader, 10, "%u tracks, more than the limit of %d", tracks, SMF_MAX_TRACKS);
    if (format == 0 && tracks != 1)
        return fail(reader, 10, "format 0 file declares %u tracks, must be 1", tracks);
    if (division & 0x8000) {
        int frames_per_s = -(int)(int8_t)(division >> 8);
        int ticks_per_frame = division & 0xFF;
        if (frames_per_s != 24 && frames_per_s != 25 && frames_per_s != 29 && frames_per_s != 30)
            return fail(reader, 12, "SMPTE division with %d frames per second (24, 25, 29 or 30 expected)",
                        frames_per_s);
        if (ticks_per_frame == 0)
            return fail(reader, 13, "SMPTE division with 0 ticks per frame");
        double exact_fps = frames_per_s == 29 ? 30000.0 / 1001.0 : (double)frames_per_s; /* 29 = 29.97 drop-frame */
        song->ticks_per_quarter = 0;
        song->smpte_ticks_per_s = exact_fps * ticks_per_frame;
    } else {
        if (division == 0)
            return fail(reader, 12, "division of 0 ticks per quarter note");
        song->ticks_per_quarter = division;
    }
    song->format = (int)format;
    *track_count = (int)tracks;
    *pos = SMF_CHUNK_HEADER_SIZE + (size_t)length;
    return 0;
}

/* Reads the chunks after the header until the declared number of tracks has been read. */
static int read_chunks(Reader *reader, size_t pos, int track_count)
{
    const uint8_t *data = reader->data;
    size_t size = reader->size;
    int tracks_read = 0;
    char skipped[17] = "";
    while (tracks_read < track_count) {
        int track = tracks_read + 1;
        if (pos == size) {
            if (skipped[0] != '\0')
                return fail(reader, pos, "file ends after %d of %d tracks (an unknown chunk '%s' was skipped)",
                            tracks_read, track_count, skipped);
            return fail(reader, pos, "file ends after %d of %d tracks", tracks_read, track_count);
        }
        if (size - pos < SMF_CHUNK_HEADER_SIZE)
            return fail(reader, pos, "file ends inside the header of track %d", track);
        const uint8_t *type = data + pos;
        bool is_track = memcmp(type, "MTrk", 4) == 0;
        char type_text[17];
        describe_chunk_type(type, type_text);
        if (!is_track && !chunk_type_is_printable(type))
            return fail(reader, pos, "track %d header '%s' where 'MTrk' was expected", track, type_text);
        uint32_t length = read_be32(data + pos + 4);
        if (length > size - pos - SMF_CHUNK_HEADER_SIZE)
            return fail(reader, pos + 4, "chunk '%s' length %u runs past the end of the file (%zu bytes follow)",
                        type_text, length, size - pos - SMF_CHUNK_HEADER_SIZE);
        size_t body = pos + SMF_CHUNK_HEADER_SIZE;
        if (is_track) {
            reader->track_starts[tracks_read] = reader->event_count;
            if (read_track(reader, body, body + length, track) != 0)
                return -1;
            tracks_read++;
        } else {
            memcpy(skipped, type_text, sizeof skipped); /* an alien chunk: skipped, as the standard says */
        }
        pos = body + length;
    }
    reader->track_starts[tracks_read] = reader->event_count;
    return 0; /* anything after the declared tracks is ignored */
}

int smf_read_memory(const uint8_t *data, size_t size, SmfSong **out, char *err, size_t err_size)
{
    *out = NULL;
    if (err != NULL && err_size > 0)
        err[0] = '\0';
    Reader *reader = calloc(1, sizeof *reader);
    SmfSong *song = calloc(1, sizeof *song);
    if (reader == NULL || song == NULL) {
        free(reader);
        free(song);
        if (err != NULL && err_size > 0)
            snprintf(err, err_size, "offset 0: out of memory");
        return -1;
    }
    reader->data = data;
    reader->size = data == NULL ? 0 : size;
    reader->err = err;
    reader->err_size = err_size;

    int track_count = 0;
    size_t pos = 0;
    int status = -1;
    if (size > SMF_MAX_FILE_SIZE) {
        fail(reader, 0, "file of %zu bytes is larger than the limit of %u MiB", size, SMF_MAX_FILE_SIZE >> 20u);
        goto done;
    }
    if (read_header(reader, song, &track_count, &pos) != 0 || read_chunks(reader, pos, track_count) != 0)
        goto done;
    song->track_count = track_count;
    if (song->ticks_per_quarter > 0 && build_tempo_map(reader, song) != 0)
        goto done;

    if (track_count > 1 && reserve(reader, 0, 0, reader->event_count * sizeof(SmfEvent)) != 0)
        goto done; /* the merge's scratch copy */
    SmfEvent *sorted = reader->event_count == 0 ? NULL
                                                : merge_tracks(reader->events, reader->event_count,
                                                               reader->track_starts, (size_t)track_count);
    if (sorted == NULL && reader->event_count > 0) {
        fail(reader, 0, "out of memory while merging %zu events", reader->event_count);
        goto done;
    }
    reader->events = NULL; /* merge_tracks freed whichever array it did not return */
    song->events = sorted;
    song->event_count = reader->event_count;

    size_t segment = 0; /* events are in tick order: walk the tempo map once */
    for (size_t i = 0; i < song->event_count; i++) {
        SmfEvent *event = &song->events[i];
        if (song->ticks_per_quarter == 0) {
            event->time_s = (double)event->tick / song->smpte_ticks_per_s;
            continue;
        }
        while (segment + 1 < song->segment_count && song->segments[segment + 1].tick <= event->tick)
            segment++;
        event->time_s = segment_seconds(song, &song->segments[segment], event->tick);
    }
    song->duration_s = smf_tick_to_seconds(song, reader->end_tick);
    if (recording_check_times(song->event_count ? &song->events[0].time_s : NULL, sizeof(SmfEvent),
                              song->event_count, song->duration_s, err, err ? err_size : 0) != 0)
        goto done;
    *out = song;
    song = NULL;
    status = 0;

done:
    free(reader->events);
    free(reader->tempos);
    free(reader);
    smf_free(song);
    return status;
}

int smf_read_file(const char *path, SmfSong **out, char *err, size_t err_size)
{
    *out = NULL;
    uint8_t *data;
    size_t size;
    if (recording_read_file(path, &data, &size, err, err_size) != 0)
        return -1;
    char detail[512];
    int status = smf_read_memory(data, size, out, detail, sizeof detail);
    free(data);
    if (status != 0 && err != NULL && err_size > 0)
        snprintf(err, err_size, "%s: %s", path, detail);
    return status;
}

void smf_free(SmfSong *song)
{
    if (song == NULL)
        return;
    free(song->events);
    free(song->segments);
    free(song);
}

size_t smf_event_count(const SmfSong *song)
{
    return song->event_count;
}

const SmfEvent *smf_events(const SmfSong *song)
{
    return song->event_count > 0 ? song->events : NULL;
}

double smf_duration_s(const SmfSong *song)
{
    return song->duration_s;
}

int smf_format(const SmfSong *song)
{
    return song->format;
}

int smf_track_count(const SmfSong *song)
{
    return song->track_count;
}

int smf_ticks_per_quarter(const SmfSong *song)
{
    return song->ticks_per_quarter;
}
