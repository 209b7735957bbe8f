/* pig: fingering files of the PIG dataset (Nakamura et al. 2020, "Statistical learning and
 * estimation of piano fingering", Information Sciences 517:68-85) as an annotated input,
 * and the match rate of the auto fingering estimator against them. Not real-time. */
#ifndef HM_PIG_H
#define HM_PIG_H

#include <stddef.h>
#include <stdint.h>

#include "fingering.h"
#include "smf.h"

/* One annotated note. Fingers count 0 thumb .. 4 little (the file's 1..5). */
typedef struct {
    double onset_s, offset_s;
    uint8_t pitch;          /* MIDI note */
    uint8_t velocity;       /* onset velocity */
    uint8_t release_velocity;
    int8_t hand;            /* HAND_RIGHT or HAND_LEFT, from the finger's sign */
    int8_t finger;          /* finger at the onset (the first of a substitution "3_1") */
    int8_t release_finger;  /* finger after a substitution, else the same as finger */
} PigNote;

/* Parses PIG text: one note a line, eight whitespace-separated fields
 *     id onset offset pitch onvel offvel channel finger
 * e.g. "0 0.25 0.5 F#4 64 80 0 3" — times in seconds, pitch as a spelled name (C4 = 60,
 * accidentals #, b, ##, bb), channel 0 right hand / 1 left, finger 1..5 for the right hand
 * and -1..-5 for the left, or a substitution "3_1" / "-3_-1" (the first finger counts for
 * the onset). Lines starting with // and blank lines are skipped; when channel and the
 * finger's sign disagree, the finger's sign wins (the annotation is the finger). On success
 * returns 0 with a malloc'd array (free with pig_free) in *notes; on error returns -1 and
 * err says "line N, field F (name): expected ..., got '...'". */
int pig_read_memory(const char *text, size_t length, PigNote **notes, size_t *count, char *err,
                    size_t err_size);

/* pig_read_memory on a whole file; errors are prefixed with the path. */
int pig_read_file(const char *path, PigNote **notes, size_t *count, char *err, size_t err_size);

/* Frees what pig_read_* returned; NULL is allowed. */
void pig_free(PigNote *notes);

/* The notes as MIDI events with the finger coded in the channel (the engine's channel
 * fingering mode: channels 1-5 right thumb..little, 6-10 left thumb..little): a note-on at
 * each onset and a note-off at each offset, sorted by time (a note-off before a note-on at
 * the same time). On success returns 0 with a malloc'd array (free()) of 2 x count events
 * in *events; -1 with the reason in err without memory. */
int pig_to_channel_events(const PigNote *notes, size_t count, SmfEvent **events, char *err, size_t err_size);

/* Plays the notes (in onset order, releases at their offsets) through the auto estimator
 * configured by config (its mode is taken as FINGERING_AUTO) and counts the notes whose
 * final hand and finger both equal the annotation's onset finger; correct, when not NULL
 * (count bytes), gets 1 for each such note and 0 for the others. Returns 0, or -1 with the
 * reason in err (bad configuration, no memory). */
int fingering_score_pig(const FingeringConfig *config, const PigNote *notes, size_t count, size_t *matches,
                        size_t *total, uint8_t *correct, char *err, size_t err_size);

#endif
