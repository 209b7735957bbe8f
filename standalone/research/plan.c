/* plan: the coach's week as a schedule. */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>

#define PLAN_WAKE_HOUR 7     /* the schedule's default waking day: 07:00 .. 23:00 */
#define PLAN_LAST_HOUR 21    /* a session of up to an hour still ends before 23:00 */
#define SEPARATE_TEMPO 60    /* independent-finger exercises slowly: 4 notes a second */

typedef struct {
    char *text;
    size_t size, used;
    int overflow;
} Writer;

__attribute__((format(printf, 2, 3))) static void put(Writer *w, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int n = vsnprintf(w->text + w->used, w->size - w->used, format, args);
    va_end(args);
    if (n < 0 || (size_t)n >= w->size - w->used)
        w->overflow = 1;
    else
        w->used += (size_t)n;
}

static void exercise(Writer *w, const char *kind, const char *hand, const char *fingers, double minutes, int tempo)
{
    put(w, "\n[exercise]\nkind = %s\n", kind);
    if (hand)
        put(w, "hand = %s\n", hand);
    if (fingers)
        put(w, "fingers = %s\n", fingers);
    put(w, "duration = %.0f min\n", minutes);
    if (tempo > 0)
        put(w, "tempo = %d\n", tempo);
}

int plan_week_schedule(const CoachProposal *p, const PlanContext *c, char *text, size_t size)
{
    if (size == 0)
        return -1;
    Writer w = {text, size, 0, 0};
    static const char *const hand_names[2] = {"right", "left"};
    const char *hands = c->hands_used == 3 ? "both" : c->hands_used == 2 ? "left" : "right";
    char summary[320];
    coach_summary(p, summary, sizeof summary);
    put(&w, "; the coach's week for profile '%s', made %s\n; %s\n", c->profile, c->made_on, summary);
    put(&w, "; preview what it does to the maps: homunculus simulate THIS-FILE --profile %s\n", c->profile);
    put(&w, "; the rules behind it: docs/coach.md\n\n[player]\nhands = %s\n\n[calendar]\ndays = 7\n", hands);
    int hour = c->hour < PLAN_WAKE_HOUR ? PLAN_WAKE_HOUR : c->hour > PLAN_LAST_HOUR ? PLAN_LAST_HOUR : c->hour;
    int minute = c->hour >= PLAN_WAKE_HOUR && c->hour <= PLAN_LAST_HOUR && c->minute >= 0 && c->minute < 60 ? c->minute : 0;
    /* a rest day first when today's practice is enough; a break now costs no day */
    put(&w, "\n[session]\nat = %02d:%02d\ndays = %s\n", hour, minute, p->advice == COACH_REST_DAY ? "2-7" : "all");
    double minutes = p->session_s / 60.0;
    if (p->pair >= 0) {
        /* each finger of the merging pair alone, slowly, then the five fingers one at a
         * time: sequential single-finger exercises as in Candia et al. 2002 (without the
         * splint, a therapist's tool) */
        char first[12], second[12];
        snprintf(first, sizeof first, "%d", p->pair + 1);
        snprintf(second, sizeof second, "%d", p->pair + 2);
        const char *hand = hand_names[p->hand];
        exercise(&w, "repeated", hand, first, minutes / 3.0, SEPARATE_TEMPO);
        exercise(&w, "repeated", hand, second, minutes / 3.0, SEPARATE_TEMPO);
        exercise(&w, "five_finger", hand, NULL, minutes / 3.0, SEPARATE_TEMPO);
    } else {
        /* varied practice with a break in it (10 min rest per playing hour) */
        exercise(&w, "scale", NULL, NULL, minutes / 3.0, 0);
        exercise(&w, "arpeggio", NULL, NULL, minutes / 3.0, 0);
        put(&w, "\n[break]\nduration = 5 min\n");
        exercise(&w, "five_finger", NULL, NULL, minutes / 3.0, 0);
    }
    return w.overflow ? -1 : (int)w.used;
}
