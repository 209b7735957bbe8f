/* fuzz_fingering_table: the fixed-mode fingering table reader (fingering_table_parse) and
 * the pitch-name parser (fingering_parse_pitch_name) on any text: the whole input and each
 * word of it as a pitch name. A table it accepts must make a working estimator. */
#include <string.h>

#include "fingering.h"
#include "fuzz.h"

static void check_pitch_name(const char *text, size_t length)
{
    int note = -1;
    if (fingering_parse_pitch_name(text, length, &note) == 0)
        FUZZ_CHECK(note >= 0 && note <= 127 && length >= 2);
}

static void check_table(const FingeringTable *table)
{
    for (int note = 0; note < 128; note++) {
        FUZZ_CHECK(table->hand[note] >= -1 && table->hand[note] <= HAND_LEFT);
        FUZZ_CHECK(table->finger[note] >= -1 && table->finger[note] < FINGER_COUNT);
    }
    FingeringConfig config;
    fingering_config_default(&config, FINGERING_FIXED);
    config.table = *table;
    char err[256];
    Fingering *fingering = fingering_create(&config, err, sizeof err);
    FUZZ_CHECK(fingering != NULL);
    for (int note = 0; note < 128; note++) {
        FingerAssignment provisional, final;
        fingering_note_on(fingering, (uint32_t)note, note * 0.01, 0, (uint8_t)note, 64, &provisional);
        FUZZ_CHECK(fingering_take_final(fingering, &final) == 1);
        FUZZ_CHECK(final.hand == table->hand[note] || final.finger == -1);
        FUZZ_CHECK(final.finger == table->finger[note] || final.hand == -1);
        fingering_note_off(fingering, note * 0.01 + 0.005, 0, (uint8_t)note);
    }
    fingering_free(fingering);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    check_pitch_name(text, size);
    for (size_t at = 0; at < size;) {
        size_t end = at;
        while (end < size && text[end] != ' ' && text[end] != '\n' && text[end] != '\t')
            end++;
        if (end > at)
            check_pitch_name(text + at, end - at);
        at = end + 1;
    }
    FingeringTable table;
    memset(&table, 0x55, sizeof table);
    char err[256] = "";
    if (fingering_table_parse(text, size, &table, err, sizeof err) == 0)
        check_table(&table);
    else
        FUZZ_CHECK(strncmp(err, "line ", 5) == 0);
    return 0;
}
