/* Practice load and warnings (thresholds in docs/engine.md, "Practice load"). */
#include "load.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RECENT_STIMULI 50.0f      /* multi-finger share and velocity: over ~50 events */
#define PATTERN_MEMORY 500.0f     /* trigram statistics forget over ~500 notes */
#define ADVICE_PLAYING_S (45.0 * 60.0) /* rest 10 min per playing hour: advise at 45 min */
#define WARN_PLAYING_S (55.0 * 60.0)
#define RISK_SAMPLE_S 60.0
#define RISK_TREND_MINUTES 20     /* a rise over this many samples is a trend */
#define RISK_TREND_RISE 0.05f
#define REPETITIVE_ADVICE 0.6f
#define REPETITIVE_MIN_NOTES 200.0f
/* Repetition is worth advice only when the work also falls on few fingers (a trill, one
 * figure of two or three fingers): a scale or a Hanon exercise repeats its pattern too, but
 * spreads it over all five fingers (about 4.5 effective fingers) and is ordinary practice. */
#define REPETITIVE_MAX_FINGERS 3.0f
/* A warning is shown for a minute, then not again for ten (unless it grows from advice to a
 * warning): said once, clearly, not nagged. */
#define WARNING_SHOW_S 60.0
#define WARNING_COOLDOWN_S (10.0 * 60.0)

void load_init(LoadTracker *load, double break_s)
{
    memset(load, 0, sizeof *load);
    load->break_s = break_s > 0.0 ? break_s : 120.0;
    load->recent_fingers[0][0] = load->recent_fingers[0][1] = -1;
    load->recent_fingers[1][0] = load->recent_fingers[1][1] = -1;
    load->risk_pair[0] = load->risk_pair[1] = -1;
}

HM_REALTIME void load_advance(LoadTracker *load, double now_s)
{
    if (!(now_s > load->now_s))
        return;
    load->now_s = now_s;
    note_window_advance(&load->last_minute, now_s);
    if (load->playing && now_s - load->last_note_s >= load->break_s)
        load->playing = 0; /* a break */
}

static void count_pattern(LoadTracker *load, int hand, int finger)
{
    int8_t *recent = load->recent_fingers[hand];
    if (recent[0] >= 0 && recent[1] >= 0) {
        int index = (recent[0] * 5 + recent[1]) * 5 + finger;
        float keep = 1.0f - 1.0f / PATTERN_MEMORY;
        for (int i = 0; i < LOAD_PATTERN_COUNT; i++)
            load->pattern_weight[hand][i] *= keep;
        load->pattern_weight[hand][index] += 1.0f;
        load->pattern_total[hand] = load->pattern_total[hand] * keep + 1.0f;
    }
    recent[0] = recent[1];
    recent[1] = (int8_t)finger;
}

HM_REALTIME void load_note(LoadTracker *load, double time_s, int hand, int finger, float velocity)
{
    load_advance(load, time_s);
    if (!load->playing) {
        load->playing = 1;
        load->playing_since_s = time_s;
        if (load->notes == 0)
            load->session_start_s = time_s;
    }
    note_window_add(&load->last_minute, time_s);
    if (time_s > load->last_note_s || load->notes == 0)
        load->last_note_s = time_s;
    load->notes++;
    if (!(velocity >= 0.0f))
        velocity = 0.0f;
    load->velocity += (fminf(velocity, 1.0f) - load->velocity) / RECENT_STIMULI;
    if (hand >= 0 && hand < 2 && finger >= 0 && finger < 5) {
        load->notes_per_finger[hand][finger]++;
        count_pattern(load, hand, finger);
    }
}

HM_REALTIME void load_stimulus(LoadTracker *load, int hand, int fingers)
{
    (void)hand;
    load->multi_share += ((fingers >= 2 ? 1.0f : 0.0f) - load->multi_share) / RECENT_STIMULI;
}

HM_REALTIME void load_risk(LoadTracker *load, double time_s, int hand, float risk, int pair)
{
    if (hand < 0 || hand > 1 || !isfinite(risk) || time_s < load->next_risk_sample_s[hand])
        return;
    /* the next sample at the next whole period (a grid, not "a period after this one", so
     * that when a sample is due does not depend on when the caller's metrics came) */
    load->next_risk_sample_s[hand] = (floor(time_s / RISK_SAMPLE_S) + 1.0) * RISK_SAMPLE_S;
    float *history = load->risk_history[hand];
    memmove(history, history + 1, (LOAD_RISK_HISTORY - 1) * sizeof *history);
    history[LOAD_RISK_HISTORY - 1] = risk;
    if (load->risk_count[hand] < LOAD_RISK_HISTORY)
        load->risk_count[hand]++;
    load->risk_pair[hand] = pair;
}

/* The number of fingers a hand's recent notes are spread over: exp of the entropy of the
 * fingers (the last of each trigram), 1 (one finger) .. 5 (all equally). */
static float effective_fingers(const LoadTracker *load, int hand)
{
    float total = load->pattern_total[hand], share[5] = {0};
    if (total < 1.0f)
        return 5.0f;
    for (int i = 0; i < LOAD_PATTERN_COUNT; i++)
        share[i % 5] += load->pattern_weight[hand][i] / total;
    double entropy = 0.0;
    for (int f = 0; f < 5; f++)
        if (share[f] > 1e-9f)
            entropy -= share[f] * log(share[f]);
    return (float)exp(entropy);
}

/* Repetitiveness of a hand: 1 - normalised entropy of its finger trigrams; 0 until the hand
 * has played enough notes to judge (the figure shown is the one the advice uses). */
static float repetitiveness(const LoadTracker *load, int hand)
{
    float total = load->pattern_total[hand];
    if (total < REPETITIVE_MIN_NOTES)
        return 0.0f;
    double entropy = 0.0;
    for (int i = 0; i < LOAD_PATTERN_COUNT; i++) {
        double p = load->pattern_weight[hand][i] / total;
        if (p > 1e-9)
            entropy -= p * log(p);
    }
    double r = 1.0 - entropy / log((double)LOAD_PATTERN_COUNT);
    return (float)(r < 0.0 ? 0.0 : (r > 1.0 ? 1.0 : r));
}

HM_REALTIME void load_figures(const LoadTracker *load, LoadFigures *out)
{
    memset(out, 0, sizeof *out);
    out->playing_s = load->playing ? load->now_s - load->playing_since_s : 0.0;
    out->session_s = load->notes ? load->now_s - load->session_start_s : 0.0;
    out->notes_per_minute = (float)note_window_count(&load->last_minute, load->now_s);
    out->multi_finger_share = load->multi_share;
    out->mean_velocity = load->velocity;
    float r0 = repetitiveness(load, 0), r1 = repetitiveness(load, 1);
    out->repetitiveness = r0 > r1 ? r0 : r1;
    out->notes = load->notes;
    memcpy(out->notes_per_finger, load->notes_per_finger, sizeof out->notes_per_finger);
}

/* Minutes over which a hand's risk has risen steadily, 0 if it has not. */
static int risk_rising_minutes(const LoadTracker *load, int hand)
{
    int count = load->risk_count[hand];
    if (count <= RISK_TREND_MINUTES)
        return 0;
    const float *h = load->risk_history[hand] + LOAD_RISK_HISTORY - 1 - RISK_TREND_MINUTES;
    if (h[RISK_TREND_MINUTES] - h[0] < RISK_TREND_RISE)
        return 0;
    return RISK_TREND_MINUTES;
}

HM_REALTIME void load_warning(const LoadTracker *load, Warning *out)
{
    memset(out, 0, sizeof *out);
    out->hand = -1;
    double playing = load->playing ? load->now_s - load->playing_since_s : 0.0;
    for (int hand = 0; hand < 2; hand++) {
        int minutes = risk_rising_minutes(load, hand);
        if (minutes > 0) {
            *out = (Warning){WARNING_LEVEL_WARNING, WARNING_RISK_RISING, (float)minutes, load->risk_pair[hand], hand};
            return;
        }
    }
    if (playing >= ADVICE_PLAYING_S) {
        WarningLevel level = playing >= WARN_PLAYING_S ? WARNING_LEVEL_WARNING : WARNING_LEVEL_ADVICE;
        *out = (Warning){level, WARNING_NO_BREAK, (float)(playing / 60.0), -1, -1};
        return;
    }
    int most = repetitiveness(load, 1) > repetitiveness(load, 0); /* the figure shown: the larger */
    float r = repetitiveness(load, most);
    if (r >= REPETITIVE_ADVICE && effective_fingers(load, most) <= REPETITIVE_MAX_FINGERS)
        *out = (Warning){WARNING_LEVEL_ADVICE, WARNING_REPETITIVE, 100.0f * r, -1, most};
}

HM_REALTIME void load_warning_to_show(LoadTracker *load, Warning *out)
{
    load_warning(load, out);
    if (out->level == WARNING_LEVEL_NONE)
        return;
    int key = (int)out->reason * 3 + out->hand + 1; /* hand -1 (both), 0, 1 */
    if (key < 0 || key >= LOAD_WARNING_KEYS)
        return;
    double now = load->now_s;
    if (now >= load->warning_quiet_until_s[key] || (int)out->level > load->warning_level_shown[key]) {
        load->warning_shown_until_s[key] = now + WARNING_SHOW_S;
        load->warning_quiet_until_s[key] = now + WARNING_COOLDOWN_S;
        load->warning_level_shown[key] = (int8_t)out->level;
    }
    if (now >= load->warning_shown_until_s[key])
        *out = (Warning){WARNING_LEVEL_NONE, WARNING_NONE, 0.0f, -1, -1}; /* said; quiet for the cool-down */
}

void load_warning_text(const Warning *w, char *text, size_t size)
{
    static const char *const pairs[4] = {"D1-D2", "D2-D3", "D3-D4", "D4-D5"};
    static const char *const hands[2] = {"right", "left"};
    const char *hand = w->hand >= 0 && w->hand < 2 ? hands[w->hand] : "";
    switch (w->reason) {
    case WARNING_NO_BREAK:
        snprintf(text, size, "%.0f min of playing without a break: rest 10 minutes now", (double)w->value);
        break;
    case WARNING_RISK_RISING:
        snprintf(text, size, "overlap risk of %s (%s hand) rising for %.0f min: rest, or play slowly with "
                 "those fingers apart", w->pair >= 0 && w->pair < 4 ? pairs[w->pair] : "", hand, (double)w->value);
        break;
    case WARNING_REPETITIVE:
        snprintf(text, size, "%s hand: one figure on few fingers (%.0f %% repetitive): switch to a scale or "
                 "another piece for a few minutes", hand, (double)w->value);
        break;
    case WARNING_NONE:
    default:
        snprintf(text, size, "no warning");
        break;
    }
}

/* Every field in a fixed order; arrays element by element. */
void load_state_write(const LoadTracker *load, StateWriter *w)
{
    state_put_f64(w, load->break_s);
    state_put_f64(w, load->now_s);
    state_put_f64(w, load->last_note_s);
    state_put_f64(w, load->playing_since_s);
    state_put_f64(w, load->session_start_s);
    state_put_u8(w, (uint8_t)(load->playing != 0));
    state_put_f32(w, 0.0f); /* was a decaying note count; the exact window is not saved */
    state_put_f32(w, load->multi_share);
    state_put_f32(w, load->velocity);
    state_put_u64(w, load->notes);
    for (int h = 0; h < 2; h++) {
        for (int f = 0; f < 5; f++)
            state_put_u64(w, load->notes_per_finger[h][f]);
        for (int i = 0; i < LOAD_PATTERN_COUNT; i++)
            state_put_f32(w, load->pattern_weight[h][i]);
        state_put_f32(w, load->pattern_total[h]);
        state_put_u8(w, (uint8_t)load->recent_fingers[h][0]);
        state_put_u8(w, (uint8_t)load->recent_fingers[h][1]);
        for (int i = 0; i < LOAD_RISK_HISTORY; i++)
            state_put_f32(w, load->risk_history[h][i]);
        state_put_u8(w, (uint8_t)load->risk_pair[h]);
        state_put_u8(w, (uint8_t)load->risk_count[h]);
        state_put_f64(w, load->next_risk_sample_s[h]);
    }
}

static int finite_in(double x, double lo, double hi) { return isfinite(x) && x >= lo && x <= hi; }

int load_state_read(LoadTracker *out, StateReader *r, double now_s, char *err, size_t err_size)
{
    LoadTracker load;
    memset(&load, 0, sizeof load);
    size_t start = r->offset;
    load.break_s = state_get_f64(r);
    load.now_s = state_get_f64(r);
    load.last_note_s = state_get_f64(r);
    load.playing_since_s = state_get_f64(r);
    load.session_start_s = state_get_f64(r);
    load.playing = state_get_u8(r) != 0;
    float unused_rate = state_get_f32(r); /* see load_state_write */
    load.multi_share = state_get_f32(r);
    load.velocity = state_get_f32(r);
    load.notes = state_get_u64(r);
    int bad = !finite_in(load.break_s, 1.0, 86400.0) || !finite_in(load.now_s, -1e12, 1e12) ||
              !finite_in(load.last_note_s, -1e12, 1e12) || !finite_in(load.playing_since_s, -1e12, 1e12) ||
              !finite_in(load.session_start_s, -1e12, 1e12) || !finite_in(unused_rate, 0.0, 1e9) ||
              !finite_in(load.multi_share, 0.0, 1.0) || !finite_in(load.velocity, 0.0, 1.0);
    for (int h = 0; h < 2; h++) {
        for (int f = 0; f < 5; f++)
            load.notes_per_finger[h][f] = state_get_u64(r);
        for (int i = 0; i < LOAD_PATTERN_COUNT; i++) {
            load.pattern_weight[h][i] = state_get_f32(r);
            bad |= !finite_in(load.pattern_weight[h][i], 0.0, 1e9);
        }
        load.pattern_total[h] = state_get_f32(r);
        load.recent_fingers[h][0] = (int8_t)state_get_u8(r);
        load.recent_fingers[h][1] = (int8_t)state_get_u8(r);
        for (int i = 0; i < LOAD_RISK_HISTORY; i++) {
            load.risk_history[h][i] = state_get_f32(r);
            bad |= !finite_in(load.risk_history[h][i], 0.0, 1.0);
        }
        load.risk_pair[h] = (int8_t)state_get_u8(r);
        load.risk_count[h] = state_get_u8(r);
        load.next_risk_sample_s[h] = state_get_f64(r);
        bad |= !finite_in(load.pattern_total[h], 0.0, 1e9) || load.recent_fingers[h][0] < -1 ||
               load.recent_fingers[h][0] > 4 || load.recent_fingers[h][1] < -1 || load.recent_fingers[h][1] > 4 ||
               load.risk_pair[h] < -1 || load.risk_pair[h] > 3 || load.risk_count[h] > LOAD_RISK_HISTORY ||
               !finite_in(load.next_risk_sample_s[h], -1e12, 1e12);
    }
    if (r->truncated) {
        snprintf(err, err_size, "practice load at offset %zu: truncated", start);
        return -1;
    }
    if (bad) {
        snprintf(err, err_size, "practice load at offset %zu: a value is out of range", start);
        return -1;
    }
    double shift = now_s - load.now_s;
    load.now_s += shift;
    load.last_note_s += shift;
    load.playing_since_s += shift;
    load.session_start_s += shift;
    load.next_risk_sample_s[0] += shift;
    load.next_risk_sample_s[1] += shift;
    *out = load;
    return 0;
}

void load_gap(LoadTracker *load)
{
    load->playing = 0;
    note_window_clear(&load->last_minute); /* a gap of hours: nothing of the last minute's notes is left */
}
