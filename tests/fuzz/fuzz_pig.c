/* fuzz_pig: the PIG fingering reader (pig_read_memory) on any text, then what the program
 * does with the notes it accepts: the channel-coded events (pig_to_channel_events, `play`)
 * and the auto estimator's score (fingering_score_pig, homunculus-fingering-score). */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "midi.h"
#include "pig.h"

static void check_events(const PigNote *notes, size_t count)
{
    SmfEvent *events = NULL;
    char err[256] = "";
    FUZZ_CHECK(pig_to_channel_events(notes, count, &events, err, sizeof err) == 0);
    for (size_t i = 0; i < 2 * count; i++) {
        MidiMessage message;
        FUZZ_CHECK(midi_parse_message(events[i].bytes, events[i].size, &message) == MIDI_OK);
        FUZZ_CHECK(message.channel < 2 * FINGER_COUNT);
        FUZZ_CHECK(i == 0 || events[i].time_s >= events[i - 1].time_s);
    }
    free(events);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PigNote *notes = NULL;
    size_t count = 0;
    char err[256] = "";
    if (pig_read_memory((const char *)data, size, &notes, &count, err, sizeof err) != 0) {
        FUZZ_CHECK(notes == NULL);
        FUZZ_CHECK(err[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(count == 0 || notes != NULL);
    for (size_t i = 0; i < count; i++) {
        const PigNote *n = &notes[i];
        FUZZ_CHECK(isfinite(n->onset_s) && n->onset_s >= 0.0 && n->offset_s >= n->onset_s && isfinite(n->offset_s));
        FUZZ_CHECK(n->pitch < 128 && n->velocity < 128 && n->release_velocity < 128);
        FUZZ_CHECK(n->hand == HAND_RIGHT || n->hand == HAND_LEFT);
        FUZZ_CHECK(n->finger >= 0 && n->finger < FINGER_COUNT);
        FUZZ_CHECK(n->release_finger >= 0 && n->release_finger < FINGER_COUNT);
    }
    check_events(notes, count);
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_AUTO);
    size_t matches = 0, total = 0;
    FUZZ_CHECK(fingering_score_pig(&config, notes, count, &matches, &total, NULL, err, sizeof err) == 0);
    FUZZ_CHECK(total == count && matches <= total);
    pig_free(notes);
    return 0;
}
