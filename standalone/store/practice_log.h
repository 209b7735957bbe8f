/* practice_log: a profile's practice history, one JSON object per line, appended at the end
 * of each session (append-only: a line is written whole or, after a crash, ignored as an
 * incomplete last line). */
#ifndef HM_PRACTICE_LOG_H
#define HM_PRACTICE_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define PRACTICE_LOG_WARNINGS 4

/* A map to compare a session's end with ("what changed today"): each digit's area, each
 * neighbouring pair's overlap (Dice) and the overlap risk. */
typedef struct {
    int known;                              /* 0: not known (a line from before, nothing a week before) */
    float area_fraction[METRICS_DIGITS];
    float pair_overlap[METRICS_PAIRS];      /* D1-D2 .. D4-D5 */
    float overlap_risk;
} MapReference;

typedef struct {
    int64_t start_unix, end_unix;
    double played_s;                   /* time spent playing, breaks excluded */
    uint64_t notes;
    uint64_t notes_per_finger[ENGINE_HANDS][5]; /* [0] right, [1] left; D1..D5 */
    int hands_used;                    /* bit 0 right, bit 1 left */
    MapMetrics map[ENGINE_HANDS];      /* at the end of the session */
    unsigned warnings_count;           /* warnings given during the session */
    char warnings[PRACTICE_LOG_WARNINGS][160]; /* the first distinct warning texts */
    MapReference at_start[ENGINE_HANDS];   /* the maps when the session began */
    MapReference week_ago[ENGINE_HANDS];   /* at the end of the last session a week or more before */
} PracticeSessionRecord;

/* Building a record during a session: begin with the snapshot at its start (NULL before the
 * engine's first publication; counts are taken as differences from it), note each warning
 * given (a text already noted is not counted again), finish with the snapshot at its end
 * (maps, counts, hands used). */
void practice_log_begin(PracticeSessionRecord *record, int64_t start_unix, const EngineSnapshot *start);
void practice_log_add_warning(PracticeSessionRecord *record, const char *text);

/* Follows the warning shown in each snapshot a session sees: a warning other than *last (a
 * new level, reason, hand or pair, or one after none) is noted (practice_log_add_warning),
 * then *last becomes warning. Start *last zeroed (no warning). */
void practice_log_observe_warning(PracticeSessionRecord *record, const Warning *warning, Warning *last);
void practice_log_finish(PracticeSessionRecord *record, int64_t end_unix, double played_s, const EngineSnapshot *end);

/* The session's start maps (practice_log_begin does this when it has a snapshot). */
void practice_log_note_start(PracticeSessionRecord *record, const EngineSnapshot *start);

/* A map as a reference (known when the map is valid). */
void practice_log_reference(MapReference *reference, const MapMetrics *map);

/* Fills record's week_ago from the log's records (oldest first): the maps at the end of the
 * last session that ended at least 7 days before record started; unknown when none did. */
void practice_log_note_week_ago(PracticeSessionRecord *record, const PracticeSessionRecord *log, size_t count);

/* The longest line a record makes (with its newline and a NUL). */
#define PRACTICE_LOG_LINE_MAX 16384

/* Formats a record as the log's line (JSON object and newline) into line; returns its length,
 * or -1 when it does not fit in size bytes. */
int practice_log_format(const PracticeSessionRecord *record, char *line, size_t size);

/* Parses one line of the log (without its newline) into record. Returns 0, or -1 with err
 * naming the column and what was expected. */
int practice_log_parse_line(const char *line, PracticeSessionRecord *record, char *err, size_t err_size);

/* Appends one record as a line; returns 0 or -1 with err (the log untouched on error). A
 * record whose line would not read back is refused. A log the reader refuses (a malformed
 * line, too large) is first renamed, whole, to path.unreadable-END (END the record's end
 * time) and a new log begun, and note says so (else note is empty). */
int practice_log_append(const char *path, const PracticeSessionRecord *record, char *note, size_t note_size,
                        char *err, size_t err_size);

/* Checks a whole log's text as practice_log_read reads it (size bytes with a NUL after them;
 * the lines are cut in place): returns how many records it holds, or -1 with err naming
 * origin, the line and the column. */
long practice_log_check(const char *origin, char *text, size_t size, char *err, size_t err_size);

/* Reads every record (malloc'd array, free()); a missing file is an empty log. A malformed
 * line other than an incomplete last one is an error naming file and line. Returns 0 or -1. */
int practice_log_read(const char *path, PracticeSessionRecord **records, size_t *count, char *err, size_t err_size);

#endif
