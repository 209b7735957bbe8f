/* cli: what every subcommand of the homunculus program shares: its name and version, exit
 * statuses, option-value parsing, and printing a hand's metrics as text or JSON. */
#ifndef HM_CLI_H
#define HM_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics.h"
#include "profile.h"

#define PROGRAM "homunculus"
#define VERSION "0.2.0"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Sample rate and block size when nothing else says (offline rendering, reading states). */
#define CLI_DEFAULT_RATE 48000.0
#define CLI_DEFAULT_BLOCK 256u

extern const char *const CLI_HAND_NAMES[2]; /* "right", "left": the engine's hand order */

/* The sample rate a session runs at: device_rate when it is a usable one (8000..192000 Hz),
 * else CLI_DEFAULT_RATE (no device, or one without a rate). */
double cli_session_rate(double device_rate);

/* A number in [min, max] with nothing after it; returns 0 or -1. */
int cli_parse_number(const char *text, double min, double max, double *out);

/* A whole number in [min, max]; returns 0 or -1. */
int cli_parse_whole(const char *text, long min, long max, long *out);

/* A seed list as experiment --seeds, compare --seeds and sweep --seeds take: "N" and "A-B"
 * items separated by commas (1-7, 1,3,8-10), in the order written, no seed twice, at most
 * max_seeds. Returns the count, or -1 with what is wrong in err. */
int cli_parse_seed_list(const char *text, uint32_t *seeds, int max_seeds, char *err, size_t err_size);

/* text with its control characters (bytes below 0x20 and 0x7f) written as \xNN escapes, and a
 * backslash as \\, into out (cut to size, always terminated): for printing text read from
 * files (schedules, their values and names) on a terminal. Returns out. */
char *cli_escape_text(const char *text, char *out, size_t size);

/* --profile NAME of a command: *profile = value when it is a valid profile name; else
 * prints "homunculus COMMAND: --profile: why" and returns -1. */
int cli_option_profile(const char *command, const char *value, const char **profile);

/* --sleep H-H of a command (profile_parse_sleep_window); else prints what is expected and
 * returns -1. */
int cli_option_sleep(const char *command, const char *value, SleepWindow *window);

/* "auto" "fixed" "channel" "fret" -> FingeringMode, or -1. */
int cli_parse_fingering(const char *name);

/* The program's one wall clock (unix seconds), for every time a profile, a state or the
 * practice log records or compares (saving, opening with the gap since, session start and
 * end): SOURCE_DATE_EPOCH when set (reproducible runs), else now. */
int64_t cli_clock_unix(void);

/* One hand's map in two lines of text, titled (e.g. "right"). */
void cli_print_map_summary(FILE *out, const char *title, const MapMetrics *m);

/* One hand's metrics as a JSON object (no newline). */
void cli_print_map_json(FILE *out, const char *hand, const MapMetrics *m);

#endif
