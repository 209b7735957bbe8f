/* session_changes: "what changed today" in words: a logged session's maps at its end against
 * its start and against a week before (practice_log.h's references), per hand: each digit's
 * area, the overlap of the pair closest at the end, the overlap risk. */
#ifndef HM_SESSION_CHANGES_H
#define HM_SESSION_CHANGES_H

#include <stddef.h>

#include "practice_log.h"

typedef enum { CHANGES_SINCE_START = 0, CHANGES_SINCE_WEEK_AGO = 1 } ChangesSince;

/* The neighbouring pair (0 = D1-D2 .. 3 = D4-D5) with the largest overlap in map. */
int session_changes_closest_pair(const MapMetrics *map);

/* One line for hand (0 right, 1 left) of record, e.g. "area D1 +0.4 D2 +1.6 D3 -0.5 D4 -0.8
 * D5 -0.7 points, D2-D3 overlap 0.18 (+0.02), risk 0.04 (+0.01)". Returns 0, or -1 when the
 * reference is not known (an older line, no session a week before): text then says so. */
int session_changes_text(const PracticeSessionRecord *record, int hand, ChangesSince since, char *text,
                         size_t size);

#endif
