/* fuzz_smf: the Standard MIDI File reader (smf_read_memory) on any bytes, then every
 * accessor of a song it accepts, checking what core/smf.h promises. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "midi.h"
#include "smf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SmfSong *song = NULL;
    char err[256] = "";
    if (smf_read_memory(data, size, &song, err, sizeof err) != 0) {
        FUZZ_CHECK(song == NULL);
        /* where the file is broken, or which cap on its times it exceeds */
        FUZZ_CHECK(strncmp(err, "offset ", 7) == 0 || strstr(err, ": longer than the limit of ") != NULL);
        return 0;
    }
    FUZZ_CHECK(song != NULL);
    size_t count = smf_event_count(song);
    const SmfEvent *events = smf_events(song);
    FUZZ_CHECK((count == 0) == (events == NULL));
    FUZZ_CHECK(count <= SMF_MAX_EVENTS);
    int format = smf_format(song), tracks = smf_track_count(song);
    FUZZ_CHECK(format == 0 || format == 1);
    FUZZ_CHECK(tracks >= 0 && tracks <= SMF_MAX_TRACKS);
    FUZZ_CHECK(smf_ticks_per_quarter(song) >= 0);
    double duration = smf_duration_s(song);
    FUZZ_CHECK(isfinite(duration) && duration >= 0.0 && duration <= RECORDING_MAX_DURATION_S);
    for (size_t i = 0; i < count; i++) {
        const SmfEvent *e = &events[i];
        MidiMessage message;
        FUZZ_CHECK(e->size == 2 || e->size == 3);
        FUZZ_CHECK(midi_parse_message(e->bytes, e->size, &message) == MIDI_OK);
        FUZZ_CHECK(e->track < tracks);
        FUZZ_CHECK(isfinite(e->time_s) && e->time_s >= 0.0 && e->time_s <= duration);
        FUZZ_CHECK(i == 0 || e->time_s >= events[i - 1].time_s);
        FUZZ_CHECK(e->time_s - (i ? events[i - 1].time_s : 0.0) <= RECORDING_MAX_REST_S);
        FUZZ_CHECK(i == 0 || e->time_s > events[i - 1].time_s || e->track >= events[i - 1].track);
        FUZZ_CHECK(smf_tick_to_seconds(song, e->tick) == e->time_s);
    }
    smf_free(song);
    return 0;
}
