/* session_changes: what changed in a session, in words. */
#include "session_changes.h"

#include <stdio.h>

int session_changes_closest_pair(const MapMetrics *map)
{
    int closest = 0;
    for (int p = 1; p < METRICS_PAIRS; p++)
        if (map->overlap[p][p + 1] > map->overlap[closest][closest + 1])
            closest = p;
    return closest;
}

int session_changes_text(const PracticeSessionRecord *record, int hand, ChangesSince since, char *text,
                         size_t size)
{
    const MapReference *before = since == CHANGES_SINCE_WEEK_AGO ? &record->week_ago[hand] : &record->at_start[hand];
    const MapMetrics *end = &record->map[hand];
    if (!before->known || !end->valid) {
        snprintf(text, size, "%s", since == CHANGES_SINCE_WEEK_AGO ? "no session a week or more before"
                                                                    : "not recorded (a session logged before this was kept)");
        return -1;
    }
    size_t used = 0;
    int n = snprintf(text, size, "area");
    for (int d = 0; d < METRICS_DIGITS && n >= 0 && (size_t)n < size - used; d++) {
        used += (size_t)n;
        n = snprintf(text + used, size - used, " D%d %+.1f", d + 1,
                     100.0 * (double)(end->area_fraction[d] - before->area_fraction[d]));
    }
    if (n >= 0 && (size_t)n < size - used) {
        used += (size_t)n;
        int pair = session_changes_closest_pair(end);
        float overlap = end->overlap[pair][pair + 1];
        snprintf(text + used, size - used, " points, %s overlap %.2f (%+.2f), risk %.2f (%+.2f)",
                 metrics_pair_name(pair), (double)overlap, (double)(overlap - before->pair_overlap[pair]),
                 (double)end->overlap_risk, (double)(end->overlap_risk - before->overlap_risk));
    }
    return 0;
}
