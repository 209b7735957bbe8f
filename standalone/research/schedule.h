/* schedule: a practice schedule as written in an INI file (docs/schedules.md): the player,
 * the calendar (days, rest days, nights), sessions at clock times holding exercises and
 * breaks, research manipulations (glued, removed, splinted digits) and measurement points.
 * The parser (inih) checks everything and names the file and line of each error. */
#ifndef HM_SCHEDULE_H
#define HM_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "everyday.h"
#include "exercises.h"
#include "params.h"

#define SCHEDULE_MAX_DAYS 36500 /* one hundred years */
#define SCHEDULE_MAX_RANGES 16
#define SCHEDULE_DAY_S 86400.0
#define SCHEDULE_MAX_BASELINE_DAYS 3650 /* everyday use before day 1: ten years at most */
#define SCHEDULE_MAX_FILE_SIZE ((size_t)1 << 20) /* larger schedule files are refused unread */

/* A set of days (day 1 is a Monday): all, weekdays by name, or ranges of day numbers. */
typedef struct {
    int all;
    unsigned weekdays; /* bit 0 Monday .. bit 6 Sunday */
    int range_count;
    int first[SCHEDULE_MAX_RANGES], last[SCHEDULE_MAX_RANGES];
} DaySet;

typedef enum { ITEM_EXERCISE, ITEM_BREAK } ItemKind;

/* One thing a session does, in order. */
typedef struct {
    ItemKind kind;
    ExerciseSpec exercise;  /* ITEM_EXERCISE (a recording points into the schedule) */
    int recording;          /* index into the schedule's recordings, or -1 */
    double duration_s;      /* ITEM_BREAK (exercises: exercise.duration_s) */
    int line;
} SessionItem;

typedef struct {
    double start_s;         /* clock time, seconds after midnight */
    DaySet days;
    int first_item, item_count;
    int line;
} Session;

typedef enum { MANIPULATION_GLUE, MANIPULATION_REMOVE, MANIPULATION_SPLINT } ManipulationKind;

/* When in a day a manipulation holds: all day, only while a session is played, or only
 * outside sessions (everyday use and nights: a splint worn outside practice). */
typedef enum { DURING_ALL, DURING_SESSIONS, DURING_BETWEEN } ManipulationDuring;

/* Glue: the digits are always touched together. Remove (amputation, nerve block): the
 * digits give no input. Splint: no practice input, reduced everyday input (everyday.h).
 * Active on its days, and within them in its clock window, its part of the day (during)
 * and, when listed, only in the given sessions (numbered 1.. in file order). */
typedef struct {
    ManipulationKind kind;
    HandChoice hands;
    unsigned digits;        /* bit d: digit d (0 = D1) */
    DaySet days;
    ManipulationDuring during;
    int has_clock;          /* a clock window [clock_from_s, clock_until_s) each day */
    double clock_from_s, clock_until_s;
    int has_sessions;       /* only in these sessions (implies during sessions) */
    DaySet sessions;        /* ranges of session numbers */
    int line;
} Manipulation;

typedef struct {
    double every_practice_s; /* 0: not by practice time */
    int after_session;
    int around_sleep;        /* before and after each night */
} MeasurePlan;

typedef struct {
    char path[512];
    ModelParams params;      /* the player's model (hand 1 uses seed + 1, as the engine) */
    HandChoice hands;        /* the player's hands (reported and default for exercises) */
    double window_ms;        /* coincidence window */
    int aging;               /* 1: the age advances with the calendar (age_years at day 1) */
    int days;
    int baseline_days;       /* days of everyday use (no practice) before day 1: an adult baseline */
    DaySet rest;
    double wake_s, sleep_s;  /* clock times */
    int nights;              /* 1: nights are sleep; 0: awake rest */
    int session_count, item_count, manipulation_count, recording_count;
    Session *sessions;
    SessionItem *items;
    Manipulation *manipulations;
    ExerciseRecording *recordings;
    MeasurePlan measure;
    EverydayMix everyday_mix;  /* [everyday]: the mix of touches between sessions */
    double everyday_hours;     /* [everyday] hours of hand use a waking day; < 0: the whole waking day */
} Schedule;

/* Parses the schedule file at path. Returns 0 (free with schedule_free), or -1 with
 * "PATH:LINE: what was wrong, what was expected" in err. Schedules whose sessions never
 * fall on a day and ones without an end are refused; one without sessions is a no-practice
 * control. */
int schedule_load(const char *path, Schedule *schedule, char *err, size_t err_size);

/* Parses a schedule's text of length bytes as read from path (which names it in messages and
 * is the directory that relative file names start from), as schedule_load does. With
 * read_files 0, exercises naming a MIDI or PIG file (or a table) are refused unread, so that
 * untrusted text cannot make it open files. */
int schedule_parse_text(const char *path, const char *text, size_t length, int read_files, Schedule *schedule,
                        char *err, size_t err_size);

/* A schedule's name for people (tables, plot titles): its file name without folder and
 * extension, control characters escaped (cli_escape_text). */
void schedule_name(const char *path, char *out, size_t size);

/* Frees what schedule_load allocated; a zeroed schedule is fine. */
void schedule_free(Schedule *schedule);

/* Sets a player key (hands, age, aging, plasticity, inhibition, sheet, seed, window_ms, or any
 * model parameter of params.h) from text: the parser and sweep --vary use it. Returns 0,
 * or -1 with a message (unknown keys list the valid ones). */
int schedule_set_player(Schedule *schedule, const char *key, const char *value, char *err, size_t err_size);

/* Whether manipulation m holds on day at clock_s (seconds after midnight), in session
 * number session (1.. in file order; 0: outside sessions). */
int schedule_manipulation_holds(const Manipulation *m, int day, double clock_s, int session);

/* Whether day (1-based) is in the set. */
int schedule_day_in(const DaySet *set, int day);

/* Whether a session is played on day (not a rest day, in the session's days). */
int schedule_session_on(const Schedule *schedule, const Session *session, int day);

/* A session's length: its exercises and breaks. */
double schedule_session_length_s(const Schedule *schedule, const Session *session);

/* Practice time (exercises other than passive stimulation) over the whole schedule. */
double schedule_practice_total_s(const Schedule *schedule);

#endif
