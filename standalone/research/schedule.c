/* schedule: the INI schedule language, parsed with inih. inih's handler does not get line
 * numbers (nor a call for a repeated section), so the line reader counts lines and
 * notices section headers itself: every [exercise] starts a new item even when two
 * follow each other. */
#include "schedule.h"

#include <ctype.h>
#include <stddef.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "files.h"

typedef enum { SEC_NONE, SEC_PLAYER, SEC_CALENDAR, SEC_SESSION, SEC_EXERCISE, SEC_BREAK, SEC_MANIPULATION,
               SEC_MEASURE, SEC_EVERYDAY, SEC_COUNT } SectionKind;

static const char *const SECTION_NAMES[SEC_COUNT] = {"",        "player", "calendar",     "session",  "exercise",
                                                     "break",   "manipulation", "measure", "everyday"};

/* An [exercise] as written; resolved into an ExerciseSpec when the section ends. */
typedef struct {
    int kind;               /* ExerciseKind, -1 not given */
    int recorded_as;        /* 0 not a file, 'm' midi, 'p' pig */
    int hands;              /* HandChoice, -1: the player's */
    double tempo_bpm, notes_per_beat, rate_per_s, duration_s, legato;
    int velocity, velocity_spread, finger_count, repeat, fingering;
    int8_t fingers[EXERCISE_MAX_FINGERS];
    char file[512], table[512];
    int file_line, table_line;
} PendingExercise;

typedef struct {
    Schedule *s;
    const char *text;       /* the schedule's text and how far the line reader got */
    size_t length, at;
    int read_files;         /* 0: recordings and tables named in the text are refused unread */
    int line;
    SectionKind section;
    int section_line;
    int have_days, have_at, have_kind, have_digits, have_duration;
    PendingExercise exercise;
    SessionItem item;
    Session session;
    Manipulation manipulation;
    char *err;
    size_t err_size;
    int failed;
} Parser;

/* Records the first error, "PATH:LINE: message". */
static void fail_at(Parser *p, int line, const char *format, ...) __attribute__((format(printf, 3, 4)));
static void fail_at(Parser *p, int line, const char *format, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    char message[1200], escaped[1600], path[800];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    /* the message quotes the file's text: its control characters must not reach a terminal */
    cli_escape_text(message, escaped, sizeof escaped);
    cli_escape_text(p->s->path, path, sizeof path);
    if (line > 0)
        snprintf(p->err, p->err_size, "%s:%d: %s", path, line, escaped);
    else
        snprintf(p->err, p->err_size, "%s: %s", path, escaped);
}

/* ---- values ---- */

static int parse_duration(const char *text, double *seconds)
{
    char *end;
    double value = strtod(text, &end);
    if (end == text || !(value >= 0) || !isfinite(value))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    static const struct {
        const char *unit;
        double seconds;
    } units[] = {{"ms", 1e-3},   {"s", 1},       {"sec", 1},       {"second", 1},  {"seconds", 1},
                 {"min", 60},    {"minute", 60}, {"minutes", 60},  {"h", 3600},    {"hour", 3600},
                 {"hours", 3600}, {"d", 86400},  {"day", 86400},   {"days", 86400},
                 {"week", 604800}, {"weeks", 604800}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].unit) == 0) {
            *seconds = value * units[i].seconds;
            return 0;
        }
    return -1;
}

static int parse_clock(const char *text, double *seconds)
{
    int hours, minutes, used = 0;
    if (sscanf(text, "%d:%d%n", &hours, &minutes, &used) != 2 || text[used] || hours < 0 || hours > 24 ||
        minutes < 0 || minutes > 59 || (hours == 24 && minutes))
        return -1;
    *seconds = hours * 3600.0 + minutes * 60.0;
    return 0;
}

static int parse_yes_no(const char *text, int *out)
{
    if (!strcmp(text, "yes") || !strcmp(text, "true") || !strcmp(text, "1") || !strcmp(text, "on"))
        *out = 1;
    else if (!strcmp(text, "no") || !strcmp(text, "false") || !strcmp(text, "0") || !strcmp(text, "off"))
        *out = 0;
    else
        return -1;
    return 0;
}

static int parse_hands(const char *text, int *out)
{
    if (!strcmp(text, "right"))
        *out = HANDS_RIGHT;
    else if (!strcmp(text, "left"))
        *out = HANDS_LEFT;
    else if (!strcmp(text, "both"))
        *out = HANDS_BOTH;
    else
        return -1;
    return 0;
}

/* A list of 1-based fingers or digits ("2,3", "D2 D3", "1-3"); returns the count or -1. */
static int parse_fingers(const char *text, int8_t *fingers, int max)
{
    int count = 0;
    const char *at = text;
    while (*at) {
        while (*at == ',' || isspace((unsigned char)*at))
            at++;
        if (!*at)
            break;
        if (*at == 'D' || *at == 'd')
            at++;
        char *end;
        long first = strtol(at, &end, 10), last = first;
        if (end == at)
            return -1;
        if (*end == '-') {
            at = end + 1 + (end[1] == 'D' || end[1] == 'd');
            last = strtol(at, &end, 10);
            if (end == at)
                return -1;
        }
        if (first < 1 || last > 5 || last < first || count + (last - first + 1) > max)
            return -1;
        for (long f = first; f <= last; f++)
            fingers[count++] = (int8_t)(f - 1);
        at = end;
    }
    return count;
}

static int parse_day_set(const char *text, DaySet *set)
{
    memset(set, 0, sizeof *set);
    static const char *const names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char copy[256];
    if (strlen(text) >= sizeof copy)
        return -1;
    strcpy(copy, text);
    int any = 0;
    for (char *word = strtok(copy, ", "); word; word = strtok(NULL, ", ")) {
        any = 1;
        for (char *c = word; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (!strcmp(word, "all") || !strcmp(word, "daily")) {
            set->all = 1;
            continue;
        }
        if (!strcmp(word, "none"))
            continue;
        if (!strcmp(word, "weekdays")) {
            set->weekdays |= 0x1F;
            continue;
        }
        if (!strcmp(word, "weekends")) {
            set->weekdays |= 0x60;
            continue;
        }
        int named = -1;
        for (int d = 0; d < 7; d++)
            if (!strncmp(word, names[d], 3) && strlen(word) >= 3)
                named = d;
        if (named >= 0) {
            set->weekdays |= 1u << named;
            continue;
        }
        char *end;
        long first = strtol(word, &end, 10), last = first;
        if (end == word)
            return -1;
        if (*end == '-') {
            char *start = end + 1;
            last = strtol(start, &end, 10);
            if (end == start)
                return -1;
        }
        if (*end || first < 1 || last < first || last > SCHEDULE_MAX_DAYS || set->range_count == SCHEDULE_MAX_RANGES)
            return -1;
        set->first[set->range_count] = (int)first;
        set->last[set->range_count++] = (int)last;
    }
    return any ? 0 : -1;
}

int schedule_day_in(const DaySet *set, int day)
{
    if (set->all || (set->weekdays & (1u << ((day - 1) % 7))))
        return 1;
    for (int i = 0; i < set->range_count; i++)
        if (day >= set->first[i] && day <= set->last[i])
            return 1;
    return 0;
}

int schedule_manipulation_holds(const Manipulation *m, int day, double clock_s, int session)
{
    if (!schedule_day_in(&m->days, day))
        return 0;
    if (m->has_clock && !(clock_s >= m->clock_from_s && clock_s < m->clock_until_s))
        return 0;
    if (m->has_sessions)
        return session > 0 && schedule_day_in(&m->sessions, session);
    return m->during == DURING_ALL || (m->during == DURING_SESSIONS) == (session > 0);
}

int schedule_session_on(const Schedule *s, const Session *session, int day)
{
    return !schedule_day_in(&s->rest, day) && schedule_day_in(&session->days, day);
}

double schedule_session_length_s(const Schedule *s, const Session *session)
{
    double length = 0.0;
    for (int i = 0; i < session->item_count; i++) {
        const SessionItem *item = &s->items[session->first_item + i];
        length += item->kind == ITEM_BREAK ? item->duration_s : item->exercise.duration_s;
    }
    return length;
}

static double session_practice_s(const Schedule *s, const Session *session)
{
    double practice = 0.0;
    for (int i = 0; i < session->item_count; i++) {
        const SessionItem *item = &s->items[session->first_item + i];
        if (item->kind == ITEM_EXERCISE && item->exercise.kind != EXERCISE_PASSIVE)
            practice += item->exercise.duration_s;
    }
    return practice;
}

double schedule_practice_total_s(const Schedule *s)
{
    double total = 0.0;
    for (int day = 1; day <= s->days; day++)
        for (int i = 0; i < s->session_count; i++)
            if (schedule_session_on(s, &s->sessions[i], day))
                total += session_practice_s(s, &s->sessions[i]);
    return total;
}

/* ---- the player ---- */

static const struct {
    const char *alias, *key;
} PLAYER_ALIASES[] = {{"age", "age_years"},
                      {"plasticity", "plasticity_gain"},
                      {"inhibition", "inhibition_strength"},
                      {"sheet", "sheet_size"},
                      {"everyday", "everyday_touches_per_hour"}};

int schedule_set_player(Schedule *s, const char *key, const char *value, char *err, size_t err_size)
{
    if (!strcmp(key, "hands")) {
        int hands = HANDS_RIGHT;
        if (parse_hands(value, &hands) != 0) {
            snprintf(err, err_size, "hands = '%s': expected right, left or both", value);
            return -1;
        }
        s->hands = (HandChoice)hands;
        return 0;
    }
    if (!strcmp(key, "aging")) {
        if (parse_yes_no(value, &s->aging) != 0) {
            snprintf(err, err_size, "aging = '%s': expected yes (the age advances with the calendar) or no (fixed)",
                     value);
            return -1;
        }
        return 0;
    }
    double number;
    if (!strcmp(key, "window_ms")) {
        if (cli_parse_number(value, 0, 1000, &number) != 0) {
            snprintf(err, err_size, "window_ms = '%s': expected a number of milliseconds in 0..1000", value);
            return -1;
        }
        s->window_ms = number;
        return 0;
    }
    const char *param = key;
    for (size_t i = 0; i < sizeof PLAYER_ALIASES / sizeof PLAYER_ALIASES[0]; i++)
        if (!strcmp(key, PLAYER_ALIASES[i].alias))
            param = PLAYER_ALIASES[i].key;
    if (!model_param_find(param)) {
        size_t count, used = 0;
        const ParamInfo *table = model_param_table(&count);
        used += (size_t)snprintf(err, err_size,
                                 "unknown player key '%s'; valid: hands, window_ms, age, aging, plasticity, inhibition, "
                                 "sheet, everyday",
                                 key);
        for (size_t i = 0; i < count && used < err_size; i++)
            used += (size_t)snprintf(err + used, err_size - used, ", %s", table[i].key);
        return -1;
    }
    if (cli_parse_number(value, -INFINITY, INFINITY, &number) != 0) {
        snprintf(err, err_size, "%s = '%s': expected a number", key, value);
        return -1;
    }
    return model_param_set(&s->params, param, number, err, err_size);
}

/* ---- sections ---- */

static void *grow(void *array, int count, size_t size)
{
    if (count & (count - 1)) /* room left until the next power of two */
        return array;
    return realloc(array, (size_t)(count ? 2 * count : 1) * size);
}

static void add_item(Parser *p, const SessionItem *item)
{
    Schedule *s = p->s;
    SessionItem *items = grow(s->items, s->item_count, sizeof *s->items);
    if (!items) {
        fail_at(p, item->line, "out of memory");
        return;
    }
    s->items = items;
    s->items[s->item_count++] = *item;
    s->sessions[s->session_count - 1].item_count++;
}

/* Resolves the finished [exercise] into a session item. */
static void finish_exercise(Parser *p)
{
    PendingExercise *x = &p->exercise;
    Schedule *s = p->s;
    int line = p->section_line;
    if (x->kind < 0) {
        fail_at(p, line, "[exercise] needs kind = scale, arpeggio, five_finger, trill, chord, repeated, random, "
                         "passive, midi or pig");
        return;
    }
    SessionItem item = {.kind = ITEM_EXERCISE, .recording = -1, .line = line};
    ExerciseSpec *spec = &item.exercise;
    exercise_spec_default(spec, (ExerciseKind)x->kind);
    spec->hands = x->hands >= 0 ? (HandChoice)x->hands : s->hands;
    double notes_per_beat = x->notes_per_beat > 0 ? x->notes_per_beat
                                                  : (x->kind == EXERCISE_CHORD || x->kind == EXERCISE_PASSIVE ? 1 : 4);
    if (x->rate_per_s > 0)
        spec->step_s = 1.0 / x->rate_per_s;
    else if (x->tempo_bpm > 0)
        spec->step_s = 60.0 / (x->tempo_bpm * notes_per_beat);
    if (x->velocity > 0)
        spec->velocity = x->velocity;
    if (x->velocity_spread >= 0)
        spec->velocity_spread = x->velocity_spread;
    if (x->legato > 0)
        spec->legato = x->legato;
    if (x->finger_count > 0) {
        spec->finger_count = x->finger_count;
        memcpy(spec->fingers, x->fingers, sizeof spec->fingers);
    }
    if (x->kind == EXERCISE_RECORDING) {
        if (!x->file[0]) {
            fail_at(p, line, "a %s exercise needs file = PATH", x->recorded_as == 'p' ? "pig" : "midi");
            return;
        }
        if (!p->read_files) {
            fail_at(p, x->file_line, "%s: files named in this schedule are not read here", x->file);
            return;
        }
        ExerciseRecording recording;
        char inner[600];
        int status;
        if (x->recorded_as == 'p' || x->fingering == 'p') {
            status = exercise_recording_from_pig(x->file, &recording, inner, sizeof inner);
        } else {
            FingeringConfig config;
            int mode = x->fingering >= 0 ? x->fingering : FINGERING_CHANNEL;
            fingering_config_default(&config, (FingeringMode)mode);
            config.hands = spec->hands;
            if (mode == FINGERING_FRET)
                config.hands = HANDS_LEFT;
            status = 0;
            if (mode == FINGERING_FIXED && x->table[0]) {
                uint8_t *text = NULL;
                size_t size = 0;
                status = files_read(x->table, (size_t)1 << 20, &text, &size, inner, sizeof inner);
                if (status == 0)
                    status = fingering_table_parse((const char *)text, size, &config.table, inner, sizeof inner);
                free(text);
                if (status != 0) {
                    fail_at(p, x->table_line, "%s: %s", x->table, inner);
                    return;
                }
            }
            if (status == 0)
                status = exercise_recording_from_midi(x->file, &config, &recording, inner, sizeof inner);
        }
        if (status != 0) {
            fail_at(p, x->file_line, "%s", inner);
            return;
        }
        ExerciseRecording *recordings = grow(s->recordings, s->recording_count, sizeof *s->recordings);
        if (!recordings) {
            exercise_recording_free(&recording);
            fail_at(p, line, "out of memory");
            return;
        }
        s->recordings = recordings;
        item.recording = s->recording_count;
        s->recordings[s->recording_count++] = recording;
        spec->recording = &s->recordings[item.recording];
        spec->duration_s = x->duration_s > 0 ? x->duration_s : recording.length_s * (x->repeat > 0 ? x->repeat : 1);
        if (x->velocity <= 0)
            spec->velocity = 64; /* the file's own velocities, spread around them */
    } else if (x->duration_s > 0) {
        spec->duration_s = x->duration_s;
    } else {
        fail_at(p, line, "[exercise] needs duration = TIME (e.g. 10 min)");
        return;
    }
    char inner[300];
    if (exercise_spec_check(spec, inner, sizeof inner) != 0) {
        fail_at(p, line, "[exercise]: %s", inner);
        return;
    }
    add_item(p, &item);
}

static void finish_section(Parser *p)
{
    Schedule *s = p->s;
    switch (p->section) {
    case SEC_SESSION:
        if (!p->have_at)
            fail_at(p, p->section_line, "[session] needs at = HH:MM (its clock time)");
        s->sessions[s->session_count - 1].start_s = p->session.start_s;
        s->sessions[s->session_count - 1].days = p->session.days;
        break;
    case SEC_EXERCISE:
        finish_exercise(p);
        break;
    case SEC_BREAK:
        if (!p->have_duration)
            fail_at(p, p->section_line, "[break] needs duration = TIME (e.g. 5 min)");
        else
            add_item(p, &p->item);
        break;
    case SEC_MANIPULATION: {
        if (!p->have_kind || !p->have_digits) {
            fail_at(p, p->section_line, "[manipulation] needs kind = glue, remove or splint and digits = LIST");
            break;
        }
        if (p->manipulation.kind == MANIPULATION_GLUE && __builtin_popcount(p->manipulation.digits) < 2) {
            fail_at(p, p->section_line, "glue needs at least two digits");
            break;
        }
        Manipulation *m = grow(s->manipulations, s->manipulation_count, sizeof *m);
        if (!m) {
            fail_at(p, p->section_line, "out of memory");
            break;
        }
        s->manipulations = m;
        s->manipulations[s->manipulation_count++] = p->manipulation;
        break;
    }
    default:
        break;
    }
}

static void begin_section(Parser *p, const char *name, int line)
{
    finish_section(p);
    Schedule *s = p->s;
    SectionKind kind = SEC_NONE;
    for (int k = 1; k < SEC_COUNT; k++)
        if (!strcmp(name, SECTION_NAMES[k]))
            kind = (SectionKind)k;
    if (kind == SEC_NONE) {
        fail_at(p, line, "unknown section [%s]; expected [player], [calendar], [everyday], [session], [exercise], "
                         "[break], [manipulation] or [measure]",
                name);
        return;
    }
    if ((kind == SEC_EXERCISE || kind == SEC_BREAK) && s->session_count == 0) {
        fail_at(p, line, "[%s] must follow a [session]", name);
        return;
    }
    p->section = kind;
    p->section_line = line;
    p->have_at = p->have_kind = p->have_digits = p->have_duration = 0;
    if (kind == SEC_SESSION) {
        Session *sessions = grow(s->sessions, s->session_count, sizeof *s->sessions);
        if (!sessions) {
            fail_at(p, line, "out of memory");
            return;
        }
        s->sessions = sessions;
        s->sessions[s->session_count++] = (Session){.first_item = s->item_count, .days = {.all = 1}, .line = line};
        p->session = s->sessions[s->session_count - 1];
    } else if (kind == SEC_EXERCISE) {
        p->exercise = (PendingExercise){.kind = -1, .hands = -1, .velocity_spread = -1, .fingering = -1};
    } else if (kind == SEC_BREAK) {
        p->item = (SessionItem){.kind = ITEM_BREAK, .recording = -1, .line = line};
    } else if (kind == SEC_MANIPULATION) {
        p->manipulation = (Manipulation){.hands = s->hands, .days = {.all = 1}, .line = line};
    }
}

/* Resolves a file named in the schedule against the schedule's directory. */
static void relative_path(const Schedule *s, const char *name, char *out, size_t size)
{
    const char *slash = strrchr(s->path, '/');
    if (name[0] == '/' || !slash)
        snprintf(out, size, "%s", name);
    else
        snprintf(out, size, "%.*s/%s", (int)(slash - s->path), s->path, name);
}

static void exercise_key(Parser *p, const char *key, const char *value)
{
    PendingExercise *x = &p->exercise;
    double number;
    if (!strcmp(key, "kind")) {
        x->recorded_as = !strcmp(value, "midi") ? 'm' : (!strcmp(value, "pig") ? 'p' : 0);
        x->kind = x->recorded_as ? EXERCISE_RECORDING : exercise_kind_from_name(value);
        if (x->kind < 0 || (x->kind == EXERCISE_RECORDING && !x->recorded_as))
            fail_at(p, p->line, "kind = '%s': expected scale, arpeggio, five_finger, trill, chord, repeated, random, "
                                "passive, midi or pig", value);
    } else if (!strcmp(key, "hand") || !strcmp(key, "hands")) {
        if (parse_hands(value, &x->hands) != 0)
            fail_at(p, p->line, "%s = '%s': expected right, left or both", key, value);
    } else if (!strcmp(key, "tempo")) {
        if (cli_parse_number(value, 10, 400, &x->tempo_bpm) != 0)
            fail_at(p, p->line, "tempo = '%s': expected beats per minute in 10..400", value);
    } else if (!strcmp(key, "notes_per_beat")) {
        if (cli_parse_number(value, 0.25, 16, &x->notes_per_beat) != 0)
            fail_at(p, p->line, "notes_per_beat = '%s': expected a number in 0.25..16", value);
    } else if (!strcmp(key, "rate")) {
        if (cli_parse_number(value, 0.02, 50, &x->rate_per_s) != 0)
            fail_at(p, p->line, "rate = '%s': expected notes per second in 0.02..50", value);
    } else if (!strcmp(key, "duration")) {
        if (parse_duration(value, &x->duration_s) != 0 || !(x->duration_s > 0) || x->duration_s > SCHEDULE_DAY_S)
            fail_at(p, p->line, "duration = '%s': expected a time like '10 min', '90 s' or '1.5 h', up to 24 h",
                    value);
    } else if (!strcmp(key, "velocity")) {
        if (cli_parse_number(value, 1, 127, &number) != 0 || number != floor(number))
            fail_at(p, p->line, "velocity = '%s': expected a whole number in 1..127", value);
        else
            x->velocity = (int)number;
    } else if (!strcmp(key, "velocity_spread")) {
        if (cli_parse_number(value, 0, 63, &number) != 0 || number != floor(number))
            fail_at(p, p->line, "velocity_spread = '%s': expected a whole number in 0..63", value);
        else
            x->velocity_spread = (int)number;
    } else if (!strcmp(key, "legato")) {
        if (cli_parse_number(value, 0.01, 1, &x->legato) != 0)
            fail_at(p, p->line, "legato = '%s': expected a share of the step in 0.01..1", value);
    } else if (!strcmp(key, "fingers")) {
        x->finger_count = parse_fingers(value, x->fingers, EXERCISE_MAX_FINGERS);
        if (x->finger_count <= 0)
            fail_at(p, p->line, "fingers = '%s': expected fingers 1 (thumb) .. 5 (little), e.g. '2,3'", value);
    } else if (!strcmp(key, "file")) {
        relative_path(p->s, value, x->file, sizeof x->file);
        x->file_line = p->line;
    } else if (!strcmp(key, "table")) {
        relative_path(p->s, value, x->table, sizeof x->table);
        x->table_line = p->line;
    } else if (!strcmp(key, "fingering")) {
        x->fingering = !strcmp(value, "pig") ? 'p' : cli_parse_fingering(value);
        if (x->fingering < 0)
            fail_at(p, p->line, "fingering = '%s': expected channel, fixed, auto, fret or pig", value);
    } else if (!strcmp(key, "repeat")) {
        if (cli_parse_number(value, 1, 1e6, &number) != 0 || number != floor(number))
            fail_at(p, p->line, "repeat = '%s': expected a whole number of passes in 1..1000000", value);
        else
            x->repeat = (int)number;
    } else {
        fail_at(p, p->line, "unknown key '%s' in [exercise]; expected kind, hand, tempo, notes_per_beat, rate, "
                            "duration, velocity, velocity_spread, legato, fingers, file, fingering, table, repeat",
                key);
    }
}

static void calendar_key(Parser *p, const char *key, const char *value)
{
    Schedule *s = p->s;
    double number;
    static const struct {
        const char *key;
        int days;
    } lengths[] = {{"days", 1}, {"weeks", 7}, {"years", 365}};
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(key, lengths[i].key)) {
            if (cli_parse_number(value, 1, SCHEDULE_MAX_DAYS / lengths[i].days, &number) != 0 ||
                number != floor(number))
                fail_at(p, p->line, "%s = '%s': expected a whole number in 1..%d", key, value,
                        SCHEDULE_MAX_DAYS / lengths[i].days);
            else
                s->days = (int)number * lengths[i].days;
            p->have_days = 1;
            return;
        }
    if (!strcmp(key, "baseline")) {
        double seconds;
        if (parse_duration(value, &seconds) != 0 || seconds != floor(seconds / SCHEDULE_DAY_S) * SCHEDULE_DAY_S ||
            seconds > SCHEDULE_MAX_BASELINE_DAYS * SCHEDULE_DAY_S)
            fail_at(p, p->line, "baseline = '%s': expected whole days or weeks of everyday use, up to %d days, "
                                "e.g. '4 weeks'", value, SCHEDULE_MAX_BASELINE_DAYS);
        else
            s->baseline_days = (int)(seconds / SCHEDULE_DAY_S);
    } else if (!strcmp(key, "rest")) {
        if (parse_day_set(value, &s->rest) != 0)
            fail_at(p, p->line, "rest = '%s': expected days like 'sun', 'sat,sun', '7,14' or '10-12'", value);
    } else if (!strcmp(key, "wake") || !strcmp(key, "sleep")) {
        if (parse_clock(value, !strcmp(key, "wake") ? &s->wake_s : &s->sleep_s) != 0)
            fail_at(p, p->line, "%s = '%s': expected a clock time HH:MM", key, value);
    } else if (!strcmp(key, "nights")) {
        if (parse_yes_no(value, &s->nights) != 0)
            fail_at(p, p->line, "nights = '%s': expected yes (sleep) or no (awake rest)", value);
    } else {
        fail_at(p, p->line, "unknown key '%s' in [calendar]; expected days, weeks, years, baseline, rest, wake, sleep, "
                         "nights",
                key);
    }
}

static void measure_key(Parser *p, const char *key, const char *value)
{
    MeasurePlan *m = &p->s->measure;
    if (!strcmp(key, "every")) {
        if (parse_duration(value, &m->every_practice_s) != 0 || m->every_practice_s < 60.0)
            fail_at(p, p->line, "every = '%s': expected a practice time of at least 1 min, e.g. '30 min'", value);
    } else if (!strcmp(key, "sessions")) {
        if (parse_yes_no(value, &m->after_session) != 0)
            fail_at(p, p->line, "sessions = '%s': expected yes or no", value);
    } else if (!strcmp(key, "sleep")) {
        if (parse_yes_no(value, &m->around_sleep) != 0)
            fail_at(p, p->line, "sleep = '%s': expected yes or no", value);
    } else {
        fail_at(p, p->line, "unknown key '%s' in [measure]; expected every, sessions, sleep", key);
    }
}

/* [everyday]: how much the hands are used between sessions, and how. */
static void everyday_key(Parser *p, const char *key, const char *value)
{
    Schedule *s = p->s;
    static const struct {
        const char *key;
        size_t offset;
    } shares[] = {{"single", offsetof(EverydayMix, single)},
                  {"neighbours", offsetof(EverydayMix, neighbours)},
                  {"whole", offsetof(EverydayMix, whole)},
                  {"grasp", offsetof(EverydayMix, grasp)}};
    double number;
    for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++)
        if (!strcmp(key, shares[i].key)) {
            if (cli_parse_number(value, 0, 1000, &number) != 0)
                fail_at(p, p->line, "%s = '%s': expected a relative weight, a number in 0..1000", key, value);
            else
                *(float *)((char *)&s->everyday_mix + shares[i].offset) = (float)number;
            return;
        }
    char err[1200];
    if (!strcmp(key, "hours")) {
        if (cli_parse_number(value, 0, 24, &number) != 0)
            fail_at(p, p->line, "hours = '%s': expected hours of hand use a waking day, 0..24 (0: none)", value);
        else
            s->everyday_hours = number;
    } else if (!strcmp(key, "touches_per_hour") || !strcmp(key, "rate")) {
        if (schedule_set_player(s, "everyday_touches_per_hour", value, err, sizeof err) != 0)
            fail_at(p, p->line, "%s", err);
    } else if (!strcmp(key, "palm")) {
        fail_at(p, p->line, "palm: the skin model has no palm (five digits, tip to base: core/skin.h); "
                            "use whole (digits along their whole length) or grasp (all five together)");
    } else {
        fail_at(p, p->line, "unknown key '%s' in [everyday]; expected hours, touches_per_hour, single, neighbours, "
                            "whole, grasp",
                key);
    }
}

static void manipulation_key(Parser *p, const char *key, const char *value)
{
    Manipulation *m = &p->manipulation;
    if (!strcmp(key, "kind")) {
        p->have_kind = 1;
        if (!strcmp(value, "glue"))
            m->kind = MANIPULATION_GLUE;
        else if (!strcmp(value, "remove") || !strcmp(value, "amputate") || !strcmp(value, "block"))
            m->kind = MANIPULATION_REMOVE;
        else if (!strcmp(value, "splint"))
            m->kind = MANIPULATION_SPLINT;
        else
            fail_at(p, p->line, "kind = '%s': expected glue, remove (amputate, block) or splint", value);
    } else if (!strcmp(key, "digits")) {
        int8_t digits[SKIN_DIGITS];
        int count = parse_fingers(value, digits, SKIN_DIGITS);
        if (count <= 0)
            fail_at(p, p->line, "digits = '%s': expected digits 1..5, e.g. 'D3,D4'", value);
        m->digits = 0;
        for (int i = 0; i < count; i++)
            m->digits |= 1u << digits[i];
        p->have_digits = 1;
    } else if (!strcmp(key, "hand") || !strcmp(key, "hands")) {
        int hands = HANDS_RIGHT;
        if (parse_hands(value, &hands) != 0)
            fail_at(p, p->line, "%s = '%s': expected right, left or both", key, value);
        m->hands = (HandChoice)hands;
    } else if (!strcmp(key, "days")) {
        if (parse_day_set(value, &m->days) != 0)
            fail_at(p, p->line, "days = '%s': expected days like 'all', '1-14', 'mon,wed'", value);
    } else if (!strcmp(key, "clock")) { /* clock = HH:MM-HH:MM */
        const char *dash = strchr(value, '-');
        char from[16] = "";
        if (dash && dash - value < (long)sizeof from)
            snprintf(from, sizeof from, "%.*s", (int)(dash - value), value);
        if (!dash || parse_clock(from, &m->clock_from_s) != 0 || parse_clock(dash + 1, &m->clock_until_s) != 0 ||
            !(m->clock_from_s < m->clock_until_s))
            fail_at(p, p->line, "clock = '%s': expected a window HH:MM-HH:MM within a day, e.g. '09:00-12:00'", value);
        m->has_clock = 1;
    } else if (!strcmp(key, "during")) {
        static const char *const names[] = {"all", "sessions", "between"};
        int found = -1;
        for (int i = 0; i < 3; i++)
            found = strcmp(value, names[i]) ? found : i;
        if (found < 0)
            fail_at(p, p->line, "during = '%s': expected all, sessions (only while practising) or between (only "
                                "outside sessions)", value);
        else
            m->during = (ManipulationDuring)found;
    } else if (!strcmp(key, "sessions")) {
        if (parse_day_set(value, &m->sessions) != 0 || m->sessions.all || m->sessions.weekdays)
            fail_at(p, p->line, "sessions = '%s': expected session numbers (1 = the first [session] of the file), "
                                "e.g. '2' or '1,3-4'", value);
        m->has_sessions = 1;
    } else if (!strcmp(key, "from")) { /* from = DAY: that day to the end */
        double day;
        if (cli_parse_number(value, 1, SCHEDULE_MAX_DAYS, &day) != 0 || day != floor(day))
            fail_at(p, p->line, "from = '%s': expected a day number", value);
        else
            m->days = (DaySet){.range_count = 1, .first = {(int)day}, .last = {SCHEDULE_MAX_DAYS}};
    } else {
        fail_at(p, p->line, "unknown key '%s' in [manipulation]; expected kind, digits, hand, days, from, clock, "
                            "during, sessions",
                key);
    }
}

static int handle(void *user, const char *section, const char *key, const char *value)
{
    (void)section; /* the reader tracks sections, repeated ones included */
    Parser *p = user;
    if (p->failed)
        return 1;
    char err[1200];
    switch (p->section) {
    case SEC_NONE:
        fail_at(p, p->line, "'%s' before any section; a schedule starts with [player] or [calendar]", key);
        break;
    case SEC_PLAYER:
        if (schedule_set_player(p->s, key, value, err, sizeof err) != 0)
            fail_at(p, p->line, "%s", err);
        break;
    case SEC_CALENDAR:
        calendar_key(p, key, value);
        break;
    case SEC_SESSION:
        if (!strcmp(key, "at")) {
            p->have_at = 1;
            if (parse_clock(value, &p->session.start_s) != 0)
                fail_at(p, p->line, "at = '%s': expected a clock time HH:MM", value);
        } else if (!strcmp(key, "days")) {
            if (parse_day_set(value, &p->session.days) != 0)
                fail_at(p, p->line, "days = '%s': expected days like 'all', 'weekdays', 'mon,wed,fri', '1-10'",
                        value);
        } else {
            fail_at(p, p->line, "unknown key '%s' in [session]; expected at, days", key);
        }
        break;
    case SEC_EXERCISE:
        exercise_key(p, key, value);
        break;
    case SEC_BREAK:
        if (!strcmp(key, "duration")) {
            p->have_duration = 1;
            if (parse_duration(value, &p->item.duration_s) != 0 || !(p->item.duration_s > 0))
                fail_at(p, p->line, "duration = '%s': expected a time like '5 min'", value);
        } else {
            fail_at(p, p->line, "unknown key '%s' in [break]; expected duration", key);
        }
        break;
    case SEC_MANIPULATION:
        manipulation_key(p, key, value);
        break;
    case SEC_MEASURE:
        measure_key(p, key, value);
        break;
    case SEC_EVERYDAY:
        everyday_key(p, key, value);
        break;
    default:
        break;
    }
    return 1;
}

/* inih's line reader, fgets over the text (up to size - 1 bytes, through the next newline):
 * counts lines and starts sections (inih itself checks the syntax). */
static char *read_line(char *line, int size, void *stream)
{
    Parser *p = stream;
    if (p->at >= p->length || size < 2)
        return NULL;
    size_t copied = 0;
    while (copied < (size_t)size - 1 && p->at < p->length) {
        char c = p->text[p->at++];
        line[copied++] = c;
        if (c == '\n')
            break;
    }
    line[copied] = '\0';
    size_t length = strlen(line);
    if (length && line[length - 1] == '\n')
        p->line++;
    else if (p->at >= p->length)
        p->line++; /* a last line without newline */
    const char *at = line;
    while (isspace((unsigned char)*at))
        at++;
    if (*at == '[' && !p->failed) {
        const char *close = strchr(at, ']');
        if (!close) {
            fail_at(p, p->line, "a section header needs its closing ']'");
            return line;
        }
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(close - at - 1), at + 1);
        begin_section(p, name, p->line);
    }
    return line;
}

/* Checks what can only be seen once the whole file is read. */
static void check_whole(Parser *p)
{
    Schedule *s = p->s;
    const EverydayMix *mix = &s->everyday_mix;
    if (!(mix->single + mix->neighbours + mix->whole + mix->grasp > 0.0f) && s->everyday_hours != 0.0 &&
        s->params.everyday_touches_per_hour > 0.0f) {
        fail_at(p, 0, "[everyday]: single, neighbours, whole and grasp are all 0; give one a weight, or hours = 0 "
                      "for no everyday use");
        return;
    }
    double waking_h = s->nights ? (s->sleep_s - s->wake_s) / 3600.0 : 24.0;
    if (waking_h > 0.0 && s->everyday_hours > waking_h) {
        fail_at(p, 0, "[everyday] hours = %g is more than the %g waking hours of a day (wake to sleep)",
                s->everyday_hours, waking_h);
        return;
    }
    if (!p->have_days) {
        fail_at(p, 0, "[calendar] needs days, weeks or years: without an end the schedule would run forever");
        return;
    }
    if (s->nights && !(s->wake_s < s->sleep_s)) {
        fail_at(p, 0, "wake (%02d:%02d) must come before sleep (%02d:%02d) on the same day", (int)s->wake_s / 3600,
                (int)s->wake_s / 60 % 60, (int)s->sleep_s / 3600, (int)s->sleep_s / 60 % 60);
        return;
    }
    for (int i = 0; i < s->item_count; i++) {
        const SessionItem *item = &s->items[i];
        if (item->kind == ITEM_EXERCISE && s->hands != HANDS_BOTH && item->exercise.hands != s->hands) {
            fail_at(p, item->line, "the exercise plays the %s hand but the player's hands = %s (set hands = both)",
                    item->exercise.hands == HANDS_BOTH ? "both" : (item->exercise.hands == HANDS_LEFT ? "left" : "right"),
                    s->hands == HANDS_LEFT ? "left" : "right");
            return;
        }
    }
    for (int i = 0; i < s->session_count; i++) {
        const Session *a = &s->sessions[i];
        double end = a->start_s + schedule_session_length_s(s, a);
        if (a->item_count == 0) {
            fail_at(p, a->line, "the session has no [exercise] or [break]");
            return;
        }
        if (a->start_s < s->wake_s || (s->nights && end > s->sleep_s)) {
            fail_at(p, a->line, "the session (%.0f min from %02d:%02d) does not fit between wake and sleep",
                    (end - a->start_s) / 60.0, (int)a->start_s / 3600, (int)a->start_s / 60 % 60);
            return;
        }
        if (end > SCHEDULE_DAY_S) {
            fail_at(p, a->line, "the session runs past midnight");
            return;
        }
        for (int j = 0; j < i; j++) {
            const Session *b = &s->sessions[j];
            double b_end = b->start_s + schedule_session_length_s(s, b);
            if (a->start_s >= b_end || b->start_s >= end)
                continue;
            for (int day = 1; day <= s->days; day++)
                if (schedule_session_on(s, a, day) && schedule_session_on(s, b, day)) {
                    fail_at(p, a->line, "the session overlaps the session of line %d on day %d", b->line, day);
                    return;
                }
        }
    }
    for (int i = 0; i < s->manipulation_count; i++) {
        const Manipulation *m = &s->manipulations[i];
        for (int k = 0; m->has_sessions && k < m->sessions.range_count; k++)
            if (m->sessions.last[k] > s->session_count) {
                fail_at(p, m->line, "sessions: there is no session %d (the schedule has %d)", m->sessions.last[k],
                        s->session_count);
                return;
            }
        if (m->has_sessions && m->during == DURING_BETWEEN) {
            fail_at(p, m->line, "sessions = LIST holds only in those sessions; it cannot be during = between");
            return;
        }
    }
    /* a schedule without sessions is a no-practice control: everyday use and nights only */
    if (s->session_count > 0 && !(schedule_practice_total_s(s) > 0.0)) {
        double stimulation = 0.0;
        for (int i = 0; i < s->item_count; i++)
            stimulation += s->items[i].kind == ITEM_EXERCISE ? s->items[i].exercise.duration_s : 0.0;
        int played = 0;
        for (int day = 1; day <= s->days && !played; day++)
            for (int i = 0; i < s->session_count; i++)
                played |= schedule_session_on(s, &s->sessions[i], day);
        if (!played || stimulation == 0.0)
            fail_at(p, 0, "no session falls on a day of the calendar (or none holds an exercise): the schedule "
                          "is empty");
    }
}

int schedule_parse_text(const char *path, const char *text, size_t length, int read_files, Schedule *s, char *err,
                        size_t err_size)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    model_params_default(&s->params);
    s->hands = HANDS_RIGHT;
    s->window_ms = 30.0;
    s->wake_s = 7 * 3600.0;
    s->sleep_s = 23 * 3600.0;
    s->nights = 1;
    s->measure.after_session = 1;
    s->everyday_mix = EVERYDAY_MIX_DEFAULT;
    s->everyday_hours = -1.0;
    Parser p = {.s = s, .text = text, .length = length, .read_files = read_files, .err = err, .err_size = err_size};
    /* plain text only: a control character would reach the terminal in names and messages */
    for (size_t i = 0, line = 1, column = 1; i < length; i++, column++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n')
            line++, column = 0;
        else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) {
            fail_at(&p, (int)line, "column %zu: a control character (byte 0x%02X); a schedule is plain text", column, c);
            schedule_free(s);
            return -1;
        }
    }
    int syntax = ini_parse_stream(read_line, &p, handle, &p);
    if (syntax > 0)
        fail_at(&p, syntax, "expected '[section]', 'key = value', a comment or a blank line");
    else if (syntax < 0)
        fail_at(&p, 0, "out of memory while parsing");
    finish_section(&p);
    char inner[300];
    if (!p.failed && model_params_validate(&s->params, inner, sizeof inner) != 0)
        fail_at(&p, 0, "[player]: %s", inner);
    for (int i = 0; i < s->item_count; i++) /* the recordings array may have moved */
        if (s->items[i].recording >= 0)
            s->items[i].exercise.recording = &s->recordings[s->items[i].recording];
    if (!p.failed)
        check_whole(&p);
    if (p.failed) {
        schedule_free(s);
        return -1;
    }
    return 0;
}

int schedule_load(const char *path, Schedule *s, char *err, size_t err_size)
{
    memset(s, 0, sizeof *s);
    uint8_t *text = NULL;
    size_t length = 0;
    if (files_read(path, SCHEDULE_MAX_FILE_SIZE, &text, &length, err, err_size) != 0)
        return -1;
    int status = schedule_parse_text(path, (const char *)text, length, 1, s, err, err_size);
    free(text);
    return status;
}

void schedule_name(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    char name[512];
    snprintf(name, sizeof name, "%.*s", (int)(dot && dot != base ? dot - base : (long)strlen(base)), base);
    cli_escape_text(name, out, size);
}

void schedule_free(Schedule *s)
{
    for (int i = 0; i < s->recording_count; i++)
        exercise_recording_free(&s->recordings[i]);
    free(s->recordings);
    free(s->sessions);
    free(s->items);
    free(s->manipulations);
    s->recordings = NULL;
    s->sessions = NULL;
    s->items = NULL;
    s->manipulations = NULL;
    s->session_count = s->item_count = s->manipulation_count = s->recording_count = 0;
}
