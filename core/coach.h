/* coach: proposes a player's next session from the maps (core/metrics) and the practice load
 * (core/load, and the hours the practice log holds): a rest when the load is high, exercises
 * that separate a pair of fingers whose overlap rises (independent-finger practice, after
 * Candia et al. 2002's sensory-motor retuning), otherwise ordinary varied practice; and when
 * to come back. Its rules and their sources are in docs/coach.md. Pure: no clock, no I/O. */
#ifndef HM_COACH_H
#define HM_COACH_H

#include <stddef.h>

#include "engine.h"
#include "metrics.h"

/* Thresholds of the rules (docs/coach.md says where each comes from). */
#define COACH_BREAK_AFTER_S (50.0 * 60.0)      /* playing without a break: rest now */
#define COACH_BREAK_S (10.0 * 60.0)            /* ... for 10 min per playing hour */
#define COACH_DAY_LIMIT_S (4.0 * 3600.0)       /* played in the last 24 h: rest until tomorrow */
#define COACH_OVERLAP_RISE 0.05f               /* the closest pair's Dice risen this much: separate it */
#define COACH_RISK_HIGH 0.30f                  /* an overlap risk this high: separate its pair */
#define COACH_SESSION_S (45.0 * 60.0)          /* an ordinary session */
#define COACH_SEPARATE_SESSION_S (30.0 * 60.0) /* a session of independent-finger exercises */
#define COACH_NEXT_DAY_H 24.0

typedef struct {
    MapMetrics now[ENGINE_HANDS];    /* the maps now */
    MapMetrics before[ENGINE_HANDS]; /* the maps to compare with: a week ago, else the oldest known */
    int has_before;                  /* 0: no earlier maps (a new profile) */
    int hands_used;                  /* bit 0 right, bit 1 left (0: judge both) */
    double playing_s;                /* played since the last break, now (0 between sessions) */
    double played_day_s;             /* played in the last 24 h */
} CoachInput;

typedef enum {
    COACH_PRACTISE = 0, /* all is well: varied practice, tomorrow again */
    COACH_SEPARATE,     /* a pair of fingers merging: practise each of the two alone */
    COACH_BREAK,        /* in a session without a break for too long: a break now */
    COACH_REST_DAY      /* enough for today: come back tomorrow */
} CoachAdvice;

typedef struct {
    CoachAdvice advice;
    int hand;           /* the hand concerned (0 right, 1 left), -1 none */
    int pair;           /* COACH_SEPARATE: 0 = D1-D2 .. 3 = D4-D5, else -1 */
    float overlap_now, overlap_before; /* that pair's Dice (before: -1 when unknown) */
    float risk;         /* that hand's overlap risk */
    double come_back_h; /* hours from now to the next session (COACH_BREAK: the break) */
    double session_s;   /* the proposed length of the next session */
} CoachProposal;

/* Fills an input with what a live snapshot knows: the maps now (also as "before" when
 * session_start is NULL: no trend), the playing time since the last break, the hands used. */
void coach_input_from_snapshot(CoachInput *input, const EngineSnapshot *now, const EngineSnapshot *session_start);

/* The proposal for input: the first rule that applies, in the order break, rest day,
 * separate, practise. */
void coach_propose(const CoachInput *input, CoachProposal *proposal);

/* The proposal in one line for people, e.g. "D3-D4 (right hand) merging: 30 min of each
 * finger alone, slowly; again tomorrow". */
void coach_summary(const CoachProposal *proposal, char *text, size_t size);

#endif
