/* coach: the next session from the maps and the practice load (rules: docs/coach.md). */
#include "coach.h"

#include <stdio.h>
#include <string.h>

static const char *const HAND_NAMES[ENGINE_HANDS] = {"right", "left"};

void coach_input_from_snapshot(CoachInput *input, const EngineSnapshot *now, const EngineSnapshot *session_start)
{
    memset(input, 0, sizeof *input);
    const EngineSnapshot *before = session_start ? session_start : now;
    for (int h = 0; h < ENGINE_HANDS; h++) {
        input->now[h] = now->map[h];
        input->before[h] = before->map[h];
        for (int f = 0; f < 5; f++)
            if (now->load.notes_per_finger[h][f] > 0)
                input->hands_used |= 1 << h;
    }
    input->has_before = session_start != NULL;
    input->playing_s = now->load.playing_s;
    input->played_day_s = now->load.playing_s;
}

/* The hands to judge: those played, or both when none is known. */
static int judged(const CoachInput *input, int hand)
{
    return input->now[hand].valid && (input->hands_used == 0 || (input->hands_used & (1 << hand)));
}

static float pair_overlap(const MapMetrics *m, int pair) { return m->overlap[pair][pair + 1]; }

/* The pair to separate, if any: the neighbouring pair whose Dice rose most against before
 * (at least COACH_OVERLAP_RISE), else the pair driving an overlap risk of COACH_RISK_HIGH or
 * more (the highest one of the hands). Sets hand, pair and the figures; pair -1 when none. */
static void find_merging_pair(const CoachInput *input, CoachProposal *p)
{
    float best_rise = 0.0f;
    for (int h = 0; input->has_before && h < ENGINE_HANDS; h++) {
        if (!judged(input, h) || !input->before[h].valid)
            continue;
        for (int pair = 0; pair < METRICS_PAIRS; pair++) {
            float rise = pair_overlap(&input->now[h], pair) - pair_overlap(&input->before[h], pair);
            if (rise >= COACH_OVERLAP_RISE && rise > best_rise) {
                best_rise = rise;
                p->hand = h;
                p->pair = pair;
            }
        }
    }
    if (p->pair < 0) {
        float highest = COACH_RISK_HIGH;
        for (int h = 0; h < ENGINE_HANDS; h++) {
            const MapMetrics *m = &input->now[h];
            if (!judged(input, h) || m->overlap_risk < highest)
                continue;
            highest = m->overlap_risk;
            p->hand = h;
            p->pair = m->risk_pair;
            if (p->pair < 0) { /* no pair named: the most overlapping one */
                p->pair = 0;
                for (int pair = 1; pair < METRICS_PAIRS; pair++)
                    if (pair_overlap(m, pair) > pair_overlap(m, p->pair))
                        p->pair = pair;
            }
        }
    }
    if (p->pair >= 0) {
        p->overlap_now = pair_overlap(&input->now[p->hand], p->pair);
        p->overlap_before = input->has_before ? pair_overlap(&input->before[p->hand], p->pair) : -1.0f;
        p->risk = input->now[p->hand].overlap_risk;
    }
}

void coach_propose(const CoachInput *input, CoachProposal *p)
{
    *p = (CoachProposal){.advice = COACH_PRACTISE, .hand = -1, .pair = -1, .overlap_before = -1.0f};
    find_merging_pair(input, p);
    p->session_s = p->pair >= 0 ? COACH_SEPARATE_SESSION_S : COACH_SESSION_S;
    p->come_back_h = COACH_NEXT_DAY_H;
    if (p->pair >= 0)
        p->advice = COACH_SEPARATE;
    if (input->played_day_s >= COACH_DAY_LIMIT_S)
        p->advice = COACH_REST_DAY;
    if (input->playing_s >= COACH_BREAK_AFTER_S) {
        p->advice = COACH_BREAK;
        p->come_back_h = COACH_BREAK_S / 3600.0;
    }
    if (p->hand < 0) { /* the hand the figures speak of: the one with the higher risk */
        int judged_hand = -1;
        for (int h = 0; h < ENGINE_HANDS; h++)
            if (judged(input, h) && (judged_hand < 0 || input->now[h].overlap_risk > input->now[judged_hand].overlap_risk))
                judged_hand = h;
        if (judged_hand >= 0)
            p->risk = input->now[judged_hand].overlap_risk;
    }
}

void coach_summary(const CoachProposal *p, char *text, size_t size)
{
    char separate[160] = "";
    if (p->pair >= 0)
        snprintf(separate, sizeof separate, "%s (%s hand) %s %.2f: practise each of the two fingers alone",
                 metrics_pair_name(p->pair), HAND_NAMES[p->hand],
                 p->overlap_before >= 0.0f ? "overlap rising to" : "overlap risk", 
                 p->overlap_before >= 0.0f ? (double)p->overlap_now : (double)p->risk);
    switch (p->advice) {
    case COACH_BREAK:
        snprintf(text, size, "a break now: %.0f min away from the keys, then on%s%s",
                 p->come_back_h * 60.0, separate[0] ? "; " : "", separate);
        break;
    case COACH_REST_DAY:
        snprintf(text, size, "enough for today: rest, and come back tomorrow for %.0f min%s%s",
                 p->session_s / 60.0, separate[0] ? "; " : "", separate);
        break;
    case COACH_SEPARATE:
        snprintf(text, size, "%s, slowly, %.0f min; again tomorrow", separate, p->session_s / 60.0);
        break;
    case COACH_PRACTISE:
    default:
        snprintf(text, size, "the maps are healthy: %.0f min of varied practice (scales, arpeggios, "
                             "five-finger exercises); "
                             "again tomorrow",
                 p->session_s / 60.0);
        break;
    }
}
