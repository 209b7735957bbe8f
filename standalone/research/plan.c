/* plan: the coach's week as a schedule. */
#include "plan.h"

#include <stdio.h>

#define PLAN_WAKE_HOUR 7     /* the schedule's default waking day: 07:00 .. 23:00 */
#define PLAN_LAST_HOUR 21    /* a session of up to an hour still ends before 23:00 */
#define SEPARATE_TEMPO 60    /* independent-finger exercises slowly: 4 notes a second */

static void exercise(FILE *w, const char *kind, const char *hand, const char *fingers, double minutes, int tempo)
{
    fprintf(w, "\n[exercise]\nkind = %s\n", kind);
    if (hand)
        fprintf(w, "hand = %s\n", hand);
    if (fingers)
        fprintf(w, "fingers = %s\n", fingers);
    fprintf(w, "duration = %.0f min\n", minutes);
    if (tempo > 0)
        fprintf(w, "tempo = %d\n", tempo);
}

int plan_week_schedule(const CoachProposal *p, const PlanContext *c, FILE *out)
{
    static const char *const hand_names[2] = {"right", "left"};
    const char *hands = c->hands_used == 3 ? "both" : c->hands_used == 2 ? "left" : "right";
    char summary[320];
    coach_summary(p, summary, sizeof summary);
    fprintf(out, "; the coach's week for profile '%s', made %s\n; %s\n", c->profile, c->made_on, summary);
    fprintf(out, "; preview what it does to the maps: homunculus simulate THIS-FILE --profile %s\n", c->profile);
    fprintf(out, "; the rules behind it: docs/coach.md\n\n[player]\nhands = %s\n\n[calendar]\ndays = 7\n", hands);
    int hour = c->hour < PLAN_WAKE_HOUR ? PLAN_WAKE_HOUR : c->hour > PLAN_LAST_HOUR ? PLAN_LAST_HOUR : c->hour;
    int minute = c->hour >= PLAN_WAKE_HOUR && c->hour <= PLAN_LAST_HOUR && c->minute >= 0 && c->minute < 60 ? c->minute : 0;
    /* a rest day first when today's practice is enough; a break now costs no day */
    fprintf(out, "\n[session]\nat = %02d:%02d\ndays = %s\n", hour, minute, p->advice == COACH_REST_DAY ? "2-7" : "all");
    double minutes = p->session_s / 60.0;
    if (p->pair >= 0) {
        /* each finger of the merging pair alone, slowly, then the five fingers one at a
         * time: sequential single-finger exercises as in Candia et al. 2002 (without the
         * splint, a therapist's tool) */
        char first[12], second[12];
        snprintf(first, sizeof first, "%d", p->pair + 1);
        snprintf(second, sizeof second, "%d", p->pair + 2);
        const char *hand = hand_names[p->hand];
        exercise(out, "repeated", hand, first, minutes / 3.0, SEPARATE_TEMPO);
        exercise(out, "repeated", hand, second, minutes / 3.0, SEPARATE_TEMPO);
        exercise(out, "five_finger", hand, NULL, minutes / 3.0, SEPARATE_TEMPO);
    } else {
        /* varied practice with a break in it (10 min rest per playing hour) */
        exercise(out, "scale", NULL, NULL, minutes / 3.0, 0);
        exercise(out, "arpeggio", NULL, NULL, minutes / 3.0, 0);
        fprintf(out, "\n[break]\nduration = 5 min\n");
        exercise(out, "five_finger", NULL, NULL, minutes / 3.0, 0);
    }
    return ferror(out) ? -1 : 0;
}
