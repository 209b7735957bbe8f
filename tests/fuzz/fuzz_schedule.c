/* fuzz_schedule: the schedule parser (schedule_parse_text, what schedule_load runs on a
 * file's text) on any text, with files named in it refused unread so that an input cannot
 * make it open anything. A schedule it accepts must hold together. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "schedule.h"

#define FUZZ_SCHEDULE_PATH "fuzz/schedule.ini"

static void check_schedule(const Schedule *s)
{
    FUZZ_CHECK(s->days >= 1 && s->days <= SCHEDULE_MAX_DAYS);
    FUZZ_CHECK(s->session_count == 0 || s->item_count > 0); /* no session: a no-practice control */
    FUZZ_CHECK(s->baseline_days >= 0 && s->baseline_days <= SCHEDULE_MAX_BASELINE_DAYS);
    FUZZ_CHECK(s->everyday_hours < 0.0 || s->everyday_hours <= 24.0);
    for (int i = 0; i < s->manipulation_count; i++) {
        const Manipulation *m = &s->manipulations[i];
        FUZZ_CHECK(!m->has_clock || (m->clock_from_s < m->clock_until_s && m->clock_until_s <= SCHEDULE_DAY_S));
        for (int k = 0; m->has_sessions && k < m->sessions.range_count; k++)
            FUZZ_CHECK(m->sessions.last[k] <= s->session_count);
    }
    FUZZ_CHECK(s->recording_count == 0);
    for (int i = 0; i < s->session_count; i++) {
        const Session *session = &s->sessions[i];
        FUZZ_CHECK(session->item_count > 0 && session->first_item >= 0);
        FUZZ_CHECK(session->first_item + session->item_count <= s->item_count);
        double length = schedule_session_length_s(s, session);
        FUZZ_CHECK(isfinite(length) && length > 0.0);
        FUZZ_CHECK(session->start_s >= 0.0 && session->start_s + length <= SCHEDULE_DAY_S);
    }
    for (int i = 0; i < s->item_count; i++)
        FUZZ_CHECK(s->items[i].recording == -1);
    double practice = schedule_practice_total_s(s);
    FUZZ_CHECK(isfinite(practice) && practice >= 0.0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Schedule schedule;
    char err[2048] = "";
    if (schedule_parse_text(FUZZ_SCHEDULE_PATH, (const char *)data, size, 0, &schedule, err, sizeof err) != 0) {
        FUZZ_CHECK(strncmp(err, FUZZ_SCHEDULE_PATH ":", strlen(FUZZ_SCHEDULE_PATH) + 1) == 0);
        FUZZ_CHECK(schedule.sessions == NULL && schedule.items == NULL && schedule.recordings == NULL);
        return 0;
    }
    check_schedule(&schedule);
    schedule_free(&schedule);
    return 0;
}
