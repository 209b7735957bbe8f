/* plan: a coach's proposal (core/coach.h) as a week of practice in the schedule language
 * (docs/schedules.md), so that `homunculus simulate --profile NAME` can preview what the
 * week would do to the player's maps. */
#ifndef HM_PLAN_H
#define HM_PLAN_H

#include <stdio.h>

#include "coach.h"

typedef struct {
    const char *profile;   /* named in the file's comments */
    const char *made_on;   /* "2026-06-03 10:00", in the comments */
    int hands_used;        /* bit 0 right, bit 1 left: the schedule's hands (0: right) */
    int hour, minute;      /* when the sessions start (moved into 07:00..21:00) */
} PlanContext;

/* Writes the week for proposal to out: day 1 a rest day when the coach says so, then daily
 * sessions of the proposed kind and length. Returns 0, or -1 when out reports an error. */
int plan_week_schedule(const CoachProposal *proposal, const PlanContext *context, FILE *out);

#endif
