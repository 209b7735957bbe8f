/* simulate: the simulated player, driving the core directly (not the engine's budgeted
 * real-time path). */
#include "simulate.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "everyday.h"
#include "files.h"
#include "profile.h"
#include "sim_start.h"
#include "sim_table.h"
#include "stimulus.h"

#define MICROSECONDS 1e6 /* stimulus frames count microseconds of simulated time */

typedef struct {
    const Schedule *schedule;
    SimOptions options;
    SimResult *result;
    Model *model[SIM_HANDS];
    MetricsProbe *probe[SIM_HANDS];
    double hand_time_s[SIM_HANDS];  /* model time reached by each hand */
    uint64_t stimuli[SIM_HANDS], presented[SIM_HANDS];
    uint64_t chosen[SIM_HANDS];     /* fast mode: the stimulus of the current block to present */
    Rng subsample[SIM_HANDS];
    Rng everyday[SIM_HANDS];        /* draws each hand's everyday touches between sessions */
    float scratch[SKIN_MAX_RECEPTORS];
    StimulusBuilder builder;
    double practice_s, next_measure_s;
    int day, capacity;
    unsigned glued[SIM_HANDS], blocked[SIM_HANDS]; /* today's manipulations (blocked: no practice input) */
    unsigned splinted[SIM_HANDS];   /* blocked by a splint: reduced, not no, everyday input */
    uint64_t exercises_played;
    int lives[SIM_HANDS];           /* the hand lives through the schedule (played, or all_hands) */
    int failed;
} Sim;

void simulate_options_default(SimOptions *o)
{
    memset(o, 0, sizeof *o);
    o->fast_factor = 1;
}

const char SIMULATE_OPTIONS_HELP[] =
    "  --seed N             seed of the player's model and exercises (default: the schedule's)\n"
    "  --fast               present one stimulus in 16 at 16 x the learning rate (long careers);\n"
    "                       measured: areas and risk within 9 % of full resolution (x4: 3.3 %)\n"
    "  --fast-factor K      the same with one stimulus in K, 1..10000 (1: full resolution;\n"
    "                       x64 and above diverge: docs/schedules.md)\n"
    "  --state FILE         start from a saved engine state (e.g. from --save-state), both hands\n"
    "  --profile NAME       start from the hands of a player's profile (read, never written)\n";

int simulate_set_option(SimOptions *o, int *jobs, const char *name, const char *value, char *err, size_t err_size)
{
    long number;
    if (jobs && !strcmp(name, "jobs")) {
        if (cli_parse_whole(value, 1, 256, &number) != 0) {
            snprintf(err, err_size, "--jobs '%s' is not a whole number in 1..256", value);
            return -1;
        }
        *jobs = (int)number;
    } else if (!strcmp(name, "seed")) {
        if (cli_parse_whole(value, 0, 4294967295L, &number) != 0) {
            snprintf(err, err_size, "--seed '%s' is not a whole number in 0..4294967295", value);
            return -1;
        }
        o->has_seed = 1;
        o->seed = (uint32_t)number;
    } else if (!strcmp(name, "state")) {
        o->start_state = value;
    } else if (!strcmp(name, "profile")) {
        if (profile_check_name(value, err, err_size) != 0)
            return -1;
        o->start_profile = value;
    } else if (!strcmp(name, "fast")) {
        o->fast_factor = SIM_FAST_DEFAULT;
    } else if (!strcmp(name, "fast-factor")) {
        if (cli_parse_whole(value, 1, 10000, &number) != 0) {
            snprintf(err, err_size, "--fast-factor '%s' is not a whole number in 1..10000", value);
            return -1;
        }
        o->fast_factor = (int)number;
    } else {
        snprintf(err, err_size, "unknown option --%s", name);
        return -1;
    }
    return 0;
}

int simulate_hands(HandChoice hands, int *out)
{
    if (hands == HANDS_BOTH) {
        out[0] = HAND_RIGHT, out[1] = HAND_LEFT;
        return 2;
    }
    out[0] = hands == HANDS_LEFT ? HAND_LEFT : HAND_RIGHT;
    return 1;
}

/* Lets a hand's model time run to time_s. */
static void advance_hand(Sim *sim, int hand, double time_s, Vigilance vigilance)
{
    if (time_s > sim->hand_time_s[hand]) {
        model_elapse(sim->model[hand], time_s - sim->hand_time_s[hand], vigilance);
        sim->hand_time_s[hand] = time_s;
    }
}

static void apply_manipulations(Sim *sim, double clock_s, int session);

/* The first clock-window edge of today's manipulations after time_s, else until_s. */
static double next_clock_edge(const Sim *sim, double time_s, double until_s)
{
    const Schedule *s = sim->schedule;
    double day_start = (sim->day - 1) * SCHEDULE_DAY_S, next = until_s;
    for (int i = 0; i < s->manipulation_count; i++) {
        const Manipulation *m = &s->manipulations[i];
        double edges[2] = {day_start + m->clock_from_s, day_start + m->clock_until_s};
        for (int k = 0; m->has_clock && k < 2; k++)
            if (edges[k] > time_s && edges[k] < next)
                next = edges[k];
    }
    return next;
}

/* Lets every hand's model time run to time_s awake, in everyday use of the hands (between
 * sessions: core/everyday.h), through the manipulations that hold outside sessions, piece
 * by piece between the edges of their clock windows. */
static void live_until(Sim *sim, double time_s)
{
    double day_start = (sim->day - 1) * SCHEDULE_DAY_S;
    for (int h = 0; h < SIM_HANDS; h++) {
        while (sim->lives[h] && time_s > sim->hand_time_s[h]) {
            double until = next_clock_edge(sim, sim->hand_time_s[h], time_s);
            apply_manipulations(sim, sim->hand_time_s[h] - day_start, 0);
            Everyday everyday;
            everyday_init_mix(&everyday, sim->model[h], &sim->schedule->everyday_mix,
                              sim->blocked[h] & ~sim->splinted[h], sim->glued[h], sim->splinted[h],
                              sim->options.fast_factor);
            everyday_pass(&everyday, sim->model[h], until - sim->hand_time_s[h], &sim->everyday[h], sim->scratch);
            sim->hand_time_s[h] = until;
        }
    }
}

static void advance_all(Sim *sim, double time_s, Vigilance vigilance)
{
    for (int h = 0; h < SIM_HANDS; h++)
        if (sim->lives[h])
            advance_hand(sim, h, time_s, vigilance);
}

static float early_share(const Model *model)
{
    size_t count = (size_t)model_unit_count(model) * (size_t)model_receptor_count(model);
    const float *w = model_weights(model), *e = model_early(model);
    double early = 0.0, total = 0.0;
    for (size_t i = 0; i < count; i++) {
        early += fabsf(e[i]);
        total += fabsf(w[i]);
    }
    return total > 0.0 ? (float)(early / total) : 0.0f;
}

/* Takes a measurement at time_s (both hands brought up to it awake). */
static void measure(Sim *sim, const char *label, double time_s)
{
    advance_all(sim, time_s, MODEL_AWAKE);
    SimResult *r = sim->result;
    if (r->count == sim->capacity) {
        int capacity = sim->capacity ? 2 * sim->capacity : 64;
        SimPoint *points = realloc(r->points, (size_t)capacity * sizeof *points);
        if (!points) {
            sim->failed = 1;
            return;
        }
        r->points = points;
        sim->capacity = capacity;
    }
    SimPoint *p = &r->points[r->count++];
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->day = sim->day;
    p->time_h = (time_s - sim->schedule->wake_s) / 3600.0;
    p->practice_h = sim->practice_s / 3600.0;
    p->age_years = model_get_params(sim->model[0])->age_years;
    for (int h = 0; h < SIM_HANDS; h++) {
        p->stimuli[h] = sim->stimuli[h];
        if (!sim->lives[h])
            continue;
        metrics_compute(sim->probe[h], sim->model[h], &p->map[h]);
        p->early_share[h] = early_share(sim->model[h]);
    }
    if (sim->options.measured)
        sim->options.measured(sim->options.measured_user, p, (const Model *const *)sim->model);
}

/* A finished stimulus: the time since the hand's last one passes awake, then the model
 * learns from it. Fast mode presents one stimulus of each block of k, at a random place in
 * the block: every k-th would alias with periodic exercises (a trill's period is 2, a
 * five-finger pattern's 8) and train only some fingers. */
static void present(Sim *sim, const TouchGroup *group)
{
    int h = group->hand;
    uint64_t index = sim->stimuli[h]++, k = (uint64_t)sim->options.fast_factor;
    if (k > 1 && index % k == 0)
        sim->chosen[h] = index + rng_below(&sim->subsample[h], (uint32_t)k);
    if (k > 1 && index != sim->chosen[h])
        return;
    advance_hand(sim, h, (double)group->frame / MICROSECONDS, MODEL_AWAKE);
    stimulus_to_skin(group, model_skin(sim->model[h]), sim->scratch);
    model_present(sim->model[h], sim->scratch);
    sim->presented[h]++;
}

static void flush_stimuli(Sim *sim)
{
    TouchGroup groups[STIMULUS_HANDS];
    int count = stimulus_flush(&sim->builder, groups, STIMULUS_HANDS);
    for (int i = 0; i < count; i++)
        present(sim, &groups[i]);
}

/* The glued, blocked and splinted digits of each hand on the current day at clock_s, in
 * session number session (0: outside sessions). None before day 1 (the baseline). */
static void apply_manipulations(Sim *sim, double clock_s, int session)
{
    const Schedule *s = sim->schedule;
    memset(sim->glued, 0, sizeof sim->glued);
    memset(sim->blocked, 0, sizeof sim->blocked);
    memset(sim->splinted, 0, sizeof sim->splinted);
    for (int i = 0; i < s->manipulation_count && sim->day >= 1; i++) {
        const Manipulation *m = &s->manipulations[i];
        if (!schedule_manipulation_holds(m, sim->day, clock_s, session))
            continue;
        for (int h = 0; h < SIM_HANDS; h++) {
            if (m->hands != HANDS_BOTH && (int)m->hands != h)
                continue;
            if (m->kind == MANIPULATION_GLUE)
                sim->glued[h] |= m->digits;
            else
                sim->blocked[h] |= m->digits;
            if (m->kind == MANIPULATION_SPLINT)
                sim->splinted[h] |= m->digits;
        }
    }
}

/* One finger event at absolute time_s, through today's manipulations, into the builder. */
static void touch(Sim *sim, const ExerciseEvent *e, double time_s)
{
    int h = e->hand;
    if (h < 0 || h >= SIM_HANDS || e->finger < 0 || e->finger >= SKIN_DIGITS)
        return;
    unsigned digits = 1u << e->finger;
    if (digits & sim->glued[h])
        digits |= sim->glued[h];
    digits &= ~sim->blocked[h];
    if (!digits)
        return;
    uint64_t frame = (uint64_t)llround(time_s * MICROSECONDS);
    TouchGroup group;
    if (stimulus_advance(&sim->builder, h, frame, &group))
        present(sim, &group);
    for (int d = 0; d < SKIN_DIGITS; d++)
        if (digits & (1u << d)) {
            if (e->velocity > 0)
                stimulus_touch(&sim->builder, h, d, (float)e->velocity / 127.0f, frame);
            else
                stimulus_release(&sim->builder, h, d);
        }
}

/* Takes the practice-time measurements due once practice reaches practised_s; the
 * exercise under way began at start_s with before_s of practice behind it. */
static void measure_practice(Sim *sim, double before_s, double start_s, double practised_s)
{
    double every = sim->schedule->measure.every_practice_s;
    while (every > 0 && practised_s >= sim->next_measure_s) {
        sim->practice_s = sim->next_measure_s;
        measure(sim, "practice", start_s + (sim->next_measure_s - before_s));
        sim->next_measure_s += every;
    }
}

/* Plays one exercise starting at start_s. */
static void play_exercise(Sim *sim, const ExerciseSpec *spec, double start_s)
{
    const Schedule *s = sim->schedule;
    int practice = spec->kind != EXERCISE_PASSIVE;
    ExercisePlayer player;
    uint64_t seed = (uint64_t)sim->result->seed * 0x9E3779B97F4A7C15ull + ++sim->exercises_played;
    exercise_start(&player, spec, seed);
    stimulus_builder_init(&sim->builder, (uint32_t)llround(s->window_ms * 1e-3 * MICROSECONDS));
    ExerciseEvent e;
    double before_s = sim->practice_s;
    while (exercise_next(&player, &e)) {
        if (practice)
            measure_practice(sim, before_s, start_s, before_s + e.time_s);
        touch(sim, &e, start_s + e.time_s);
    }
    flush_stimuli(sim);
    if (practice) {
        measure_practice(sim, before_s, start_s, before_s + spec->duration_s);
        sim->practice_s = before_s + spec->duration_s;
    }
}

static int by_start(const void *a, const void *b)
{
    const Session *x = *(const Session *const *)a, *y = *(const Session *const *)b;
    return x->start_s < y->start_s ? -1 : (x->start_s > y->start_s);
}

/* Tells the caller how far the run is: days_done of the schedule's days (negative in the
 * baseline), the baseline counted as days too. */
static void report_progress(Sim *sim, double days_done)
{
    const Schedule *s = sim->schedule;
    if (sim->options.progress)
        sim->options.progress(sim->options.progress_user,
                              fmin(1.0, (s->baseline_days + days_done) / (s->baseline_days + s->days)));
}

/* An aging player's age on the current day (a year is 365 days, day 1 at the schedule's age;
 * baseline days before it are younger): the critical-period factor of the learning rate
 * follows it (model_set_controls), a day at a time. */
static void grow_older(Sim *sim)
{
    const Schedule *s = sim->schedule;
    if (!s->aging)
        return;
    float age = (float)(s->params.age_years + (sim->day - 1) / 365.0);
    for (int h = 0; h < SIM_HANDS; h++)
        model_set_controls(sim->model[h], NAN, NAN, age);
}

static void play_day(Sim *sim, const Session **order)
{
    const Schedule *s = sim->schedule;
    grow_older(sim);
    double day_start = (sim->day - 1) * SCHEDULE_DAY_S;
    for (int i = 0; i < s->session_count; i++) {
        const Session *session = order[i];
        if (!schedule_session_on(s, session, sim->day))
            continue;
        double t = day_start + session->start_s;
        live_until(sim, t);
        for (int k = 0; k < session->item_count; k++) {
            const SessionItem *item = &s->items[session->first_item + k];
            /* an exercise is played through the manipulations that hold when it starts */
            apply_manipulations(sim, t - day_start, (int)(session - s->sessions) + 1);
            if (item->kind == ITEM_EXERCISE) {
                play_exercise(sim, &item->exercise, t);
                t += item->exercise.duration_s;
            } else {
                t += item->duration_s;
            }
        }
        if (s->measure.after_session)
            measure(sim, "session", t);
        report_progress(sim, sim->day - 1 + (double)(i + 1) / s->session_count);
    }
    double night = day_start + (s->nights ? s->sleep_s : SCHEDULE_DAY_S), next_wake = day_start + SCHEDULE_DAY_S + s->wake_s;
    live_until(sim, night);
    if (s->measure.around_sleep && s->nights)
        measure(sim, "before_sleep", night);
    advance_all(sim, next_wake, s->nights ? MODEL_ASLEEP : MODEL_AWAKE);
    if (s->measure.around_sleep && s->nights && sim->day < s->days)
        measure(sim, "after_sleep", next_wake);
    report_progress(sim, sim->day);
}

/* The schedule's baseline: days of everyday use and nights before day 1 (days -N..0, no
 * manipulation, no practice), ending at day 1's wake-up, where the start is measured. */
static void live_baseline(Sim *sim)
{
    const Schedule *s = sim->schedule;
    for (int h = 0; h < SIM_HANDS; h++)
        sim->hand_time_s[h] = s->wake_s - s->baseline_days * SCHEDULE_DAY_S;
    for (int day = -s->baseline_days; day < 0; day++) {
        double day_start = day * SCHEDULE_DAY_S;
        sim->day = day + 1; /* days -N+1..0 */
        grow_older(sim);
        live_until(sim, day_start + (s->nights ? s->sleep_s : SCHEDULE_DAY_S));
        advance_all(sim, day_start + SCHEDULE_DAY_S + s->wake_s, s->nights ? MODEL_ASLEEP : MODEL_AWAKE);
        report_progress(sim, day + 1);
    }
}

int simulate_run(const Schedule *s, const SimOptions *o, SimResult *r, char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    if (o->fast_factor < 1 || o->fast_factor > 10000) {
        snprintf(err, err_size, "fast factor %d is outside 1..10000", o->fast_factor);
        return -1;
    }
    Sim sim = {.schedule = s, .options = *o, .result = r};
    r->seed = o->has_seed ? o->seed : s->params.seed;
    r->fast_factor = o->fast_factor;
    r->hands = s->hands;
    ModelParams params = s->params;
    params.seed = r->seed;
    if (s->everyday_hours >= 0.0) { /* [everyday] hours: that much use a waking day, spread over it */
        double waking_h = s->nights ? (s->sleep_s - s->wake_s) / 3600.0 : 24.0;
        params.everyday_touches_per_hour = (float)(params.everyday_touches_per_hour * s->everyday_hours / waking_h);
    }
    if (o->fast_factor > 1) { /* k times fewer stimuli, each weighing k times as much */
        double k = o->fast_factor;
        params.learning_rate = (float)fmin(1.0, params.learning_rate * k);
        if (params.homeostasis_rule != HOMEOSTASIS_SCALING) /* scaling integrates time, which k does not change */
            params.homeostasis_rate = (float)fmin(1.0, params.homeostasis_rate * k);
        params.homeostasis_smoothing = (float)fmin(1.0, params.homeostasis_smoothing * k);
    }
    int played[SIM_HANDS], played_count = simulate_hands(s->hands, played);
    for (int k = 0; k < played_count; k++)
        sim.lives[played[k]] = 1;
    for (int h = 0; h < SIM_HANDS; h++)
        sim.lives[h] |= o->all_hands != 0;
    const Session **order = malloc((size_t)(s->session_count > 0 ? s->session_count : 1) * sizeof *order);
    int status = order ? 0 : -1;
    for (int h = 0; h < SIM_HANDS && status == 0; h++) {
        ModelParams hand_params = params;
        hand_params.seed = params.seed + (uint32_t)h; /* as the engine seeds its two hands */
        sim.model[h] = model_create(&hand_params, err, err_size);
        if (sim.model[h] && o->lanes > 0)
            model_limit_lanes(sim.model[h], o->lanes);
        sim.probe[h] = sim.model[h] ? metrics_probe_create(sim.model[h]) : NULL;
        if (!sim.probe[h] ||
            (o->start[h] && sim_start_apply(sim.model[h], o->start[h], o->start_origin, err, err_size) != 0))
            status = -1;
        sim.hand_time_s[h] = s->wake_s;
        rng_seed(&sim.subsample[h], ((uint64_t)r->seed << 8) ^ 0x5EEDu ^ (uint64_t)h);
        rng_seed(&sim.everyday[h], ((uint64_t)r->seed << 8) ^ 0xE5E7u ^ (uint64_t)h);
    }
    if (status != 0) {
        if (!err[0] || !order)
            snprintf(err, err_size, "out of memory for the simulation");
    } else {
        for (int i = 0; i < s->session_count; i++)
            order[i] = &s->sessions[i];
        qsort(order, (size_t)s->session_count, sizeof *order, by_start);
        sim.next_measure_s = s->measure.every_practice_s;
        live_baseline(&sim);
        sim.day = 1;
        grow_older(&sim);
        measure(&sim, "start", s->wake_s);
        for (sim.day = 1; sim.day <= s->days && !sim.failed; sim.day++) {
            play_day(&sim, order);
        }
        sim.day = s->days;
        measure(&sim, "end", s->days * SCHEDULE_DAY_S + s->wake_s);
        if (sim.failed) {
            snprintf(err, err_size, "out of memory for the measurements");
            status = -1;
        }
    }
    free(order);
    for (int h = 0; h < SIM_HANDS; h++) {
        metrics_probe_free(sim.probe[h]);
        r->model[h] = sim.model[h];
    }
    if (status != 0)
        simulate_result_free(r);
    return status;
}

void simulate_result_free(SimResult *r)
{
    free(r->points);
    for (int h = 0; h < SIM_HANDS; h++)
        model_free(r->model[h]);
    memset(r, 0, sizeof *r);
}

void simulate_csv_header(FILE *out, const char *leading)
{
    fputs(leading, out);
    for (int c = 0; c < sim_table_columns(); c++) {
        char name[64];
        fprintf(out, "%s%s", c ? "," : "", sim_table_name(c, name, sizeof name));
    }
    fputc('\n', out);
}

static void json_digit_value(FILE *out, const MapMetrics *m, int d, double value)
{
    if (m->patches[d] > 0)
        fprintf(out, "%s%.6f", d ? ", " : "", value);
    else
        fprintf(out, "%snull", d ? ", " : "");
}

void simulate_csv_rows(FILE *out, const char *leading, const SimResult *r, int point)
{
    int hands[SIM_HANDS], hand_count = simulate_hands(r->hands, hands);
    for (int k = 0; k < hand_count; k++) {
        fputs(leading, out);
        for (int c = 0; c < sim_table_columns(); c++) {
            SimCell cell = sim_table_cell(r, point, hands[k], c);
            if (c)
                fputc(',', out);
            sim_table_write_cell(out, &cell);
        }
        fputc('\n', out);
    }
}

void simulate_write_csv(FILE *out, const SimResult *r)
{
    simulate_csv_header(out, "");
    for (int i = 0; i < r->count; i++)
        simulate_csv_rows(out, "", r, i);
}

/* A JSON string: quotes and backslashes escaped, control characters as \u00XX. */
static void json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const char *c = text; *c; c++) {
        if (*c == '"' || *c == '\\')
            fputc('\\', out);
        if ((unsigned char)*c >= 0x20)
            fputc(*c, out);
        else
            fprintf(out, "\\u%04x", (unsigned)(unsigned char)*c);
    }
    fputc('"', out);
}

void simulate_write_json(FILE *out, const char *schedule_path, const SimResult *r)
{
    fprintf(out, "{\"schedule\": ");
    json_string(out, schedule_path);
    fprintf(out, ", \"seed\": %u, \"fast_factor\": %d, \"points\": [", r->seed, r->fast_factor);
    int hands[SIM_HANDS], hand_count = simulate_hands(r->hands, hands);
    for (int i = 0; i < r->count; i++) {
        const SimPoint *p = &r->points[i];
        fprintf(out,
                "%s\n  {\"label\": \"%s\", \"day\": %d, \"time_h\": %.6f, \"practice_h\": %.6f, \"age_years\": %.6f, "
                "\"hands\": [",
                i ? "," : "", p->label, p->day, p->time_h, p->practice_h, p->age_years);
        for (int k = 0; k < hand_count; k++) {
            int h = hands[k];
            const MapMetrics *m = &p->map[h];
            fprintf(out, "%s{\"hand\": \"%s\", \"stimuli\": %llu, \"area\": [", k ? ", " : "", CLI_HAND_NAMES[h],
                    (unsigned long long)p->stimuli[h]);
            for (int d = 0; d < METRICS_DIGITS; d++)
                fprintf(out, "%s%.6f", d ? ", " : "", m->area_fraction[d]);
            fprintf(out, "], \"rf_points\": [");
            for (int d = 0; d < METRICS_DIGITS; d++)
                json_digit_value(out, m, d, m->rf_points[d]);
            fprintf(out,
                    "], \"rf_points_mean\": %.6f, \"rf_digits_mean\": %.6f, \"multi_digit\": %.6f, "
                    "\"unresponsive\": %.6f, \"overlap\": [",
                    m->rf_points_mean, m->rf_digits_mean, m->multi_digit_fraction, m->unresponsive_fraction);
            for (int d = 0; d < METRICS_DIGITS; d++) {
                fprintf(out, "%s[", d ? ", " : "");
                for (int e = 0; e < METRICS_DIGITS; e++)
                    fprintf(out, "%s%.6f", e ? ", " : "", m->overlap[d][e]);
                fprintf(out, "]");
            }
            fprintf(out, "], \"d1_d5_mm\": %.6f, \"neighbour_mm\": [", m->d1_d5_distance_mm);
            for (int pair = 0; pair < METRICS_PAIRS; pair++)
                fprintf(out, "%s%.6f", pair ? ", " : "", m->neighbour_distance_mm[pair]);
            fprintf(out, "], \"overlap_risk\": %.6f, \"risk_pair\": \"%s\", \"early_share\": %.6f, "
                         "\"order_index\": %.6f, \"patches\": [",
                    m->overlap_risk, m->risk_pair >= 0 ? metrics_pair_name(m->risk_pair) : "", p->early_share[h],
                    m->order_index);
            for (int d = 0; d < METRICS_DIGITS; d++) {
                if (m->patches[d] > 0)
                    fprintf(out, "%s%d", d ? ", " : "", m->patches[d]);
                else
                    fprintf(out, "%snull", d ? ", " : "");
            }
            fprintf(out, "], \"border\": [");
            for (int pair = 0; pair < METRICS_PAIRS; pair++)
                fprintf(out, "%s%.6f", pair ? ", " : "", m->border_sharpness[pair]);
            fprintf(out, "], \"largest_patch\": [");
            for (int d = 0; d < METRICS_DIGITS; d++)
                json_digit_value(out, m, d, m->largest_patch_fraction[d]);
            fprintf(out, "]}");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "\n]}\n");
}

Engine *simulate_make_engine(const Schedule *s, const SimResult *r, char *err, size_t err_size)
{
    EngineConfig config;
    engine_config_default(&config, CLI_DEFAULT_RATE, CLI_DEFAULT_BLOCK);
    config.model = s->params;
    config.model.seed = r->seed;
    config.coincidence_window_ms = s->window_ms;
    Engine *engine = engine_create(&config, err, err_size);
    if (!engine)
        return NULL;
    for (int h = 0; h < SIM_HANDS; h++) {
        const Model *m = r->model[h];
        ModelScalars scalars;
        model_get_scalars(m, &scalars);
        model_set_state(engine_model_mutable(engine, h), &scalars, model_weights(m), model_early(m),
                        model_thresholds(m), model_activity(m));
    }
    engine_apply_gap(engine, 0.0, 0.0); /* refreshes the metrics and the snapshot */
    return engine;
}

int simulate_save_text(const char *path, void (*write)(FILE *out, const void *context), const void *context,
                       char *err, size_t err_size)
{
    if (strcmp(path, "-") == 0) {
        write(stdout, context);
        return fflush(stdout) == 0 ? 0 : -1;
    }
    char *text = NULL;
    size_t size = 0;
    FILE *memory = open_memstream(&text, &size);
    if (!memory) {
        snprintf(err, err_size, "out of memory for '%s'", path);
        return -1;
    }
    write(memory, context);
    int status = fclose(memory) == 0 ? files_write_atomic(path, (const uint8_t *)text, size, err, err_size) : -1;
    if (status != 0 && !err[0])
        snprintf(err, err_size, "out of memory for '%s'", path);
    free(text);
    return status;
}

/* Workers take the next job from a shared counter: which thread runs a job never
 * changes its result. */
typedef struct {
    SimJob *jobs;
    int count;
    atomic_int next;
} JobQueue;

static void *run_jobs(void *user)
{
    JobQueue *queue = user;
    for (int i; (i = atomic_fetch_add(&queue->next, 1)) < queue->count;) {
        SimJob *job = &queue->jobs[i];
        job->err[0] = 0;
        job->status = simulate_run(job->schedule, &job->options, &job->result, job->err, sizeof job->err);
    }
    return NULL;
}

int simulate_run_jobs(SimJob *jobs, int count, int threads)
{
    JobQueue queue = {jobs, count, 0};
    if (threads > count)
        threads = count;
    pthread_t *workers = malloc((size_t)(threads > 1 ? threads : 1) * sizeof *workers);
    int started = 0;
    for (int t = 1; workers && t < threads; t++, started++)
        if (pthread_create(&workers[t - 1], NULL, run_jobs, &queue) != 0)
            break;
    run_jobs(&queue); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(workers[t], NULL);
    free(workers);
    int failed = 0;
    for (int i = 0; i < count; i++)
        failed += jobs[i].status != 0;
    return failed;
}
