/* cli: option parsing and metric printing shared by the homunculus subcommands. */
#include "cli.h"
#include "wall_clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const CLI_HAND_NAMES[2] = {"right", "left"};

double cli_session_rate(double device_rate)
{
    return device_rate >= 8000.0 && device_rate <= 192000.0 ? device_rate : CLI_DEFAULT_RATE;
}

int cli_parse_number(const char *text, double min, double max, double *out)
{
    char *end;
    double value = strtod(text, &end);
    if (end == text || *end || !(value >= min && value <= max))
        return -1;
    *out = value;
    return 0;
}

int cli_parse_whole(const char *text, long min, long max, long *out)
{
    double value;
    if (cli_parse_number(text, (double)min, (double)max, &value) != 0 || value != floor(value))
        return -1;
    *out = (long)value;
    return 0;
}

/* Parses a seed list, "N" and "A-B" items separated by commas, into seeds (in the order
 * written, no seed twice, at most max_seeds). Returns the count, or -1 with what is wrong in err. */
int cli_parse_seed_list(const char *text, uint32_t *seeds, int max_seeds, char *err, size_t err_size)
{
    int count = 0;
    const char *item = text;
    for (;;) {
        const char *end = strchr(item, ',');
        size_t length = end ? (size_t)(end - item) : strlen(item);
        char part[64], first_text[64];
        long first, last;
        if (length == 0 || length >= sizeof part) {
            snprintf(err, err_size, "expected seeds such as 1-7 or 1,3,8-10, not '%s'", text);
            return -1;
        }
        memcpy(part, item, length);
        part[length] = 0;
        const char *dash = strchr(part + 1, '-'); /* part + 1: a leading '-' is a sign, refused below */
        snprintf(first_text, sizeof first_text, "%.*s", dash ? (int)(dash - part) : (int)length, part);
        if (cli_parse_whole(first_text, 0, 4294967295L, &first) != 0 ||
            cli_parse_whole(dash ? dash + 1 : part, 0, 4294967295L, &last) != 0) {
            snprintf(err, err_size, "'%s' is not a seed or a range A-B of seeds in 0..4294967295", part);
            return -1;
        }
        if (last < first) {
            snprintf(err, err_size, "the range '%s' runs backwards", part);
            return -1;
        }
        for (long seed = first; seed <= last; seed++) {
            for (int i = 0; i < count; i++)
                if (seeds[i] == (uint32_t)seed) {
                    snprintf(err, err_size, "seed %ld is listed twice", seed);
                    return -1;
                }
            if (count == max_seeds) {
                snprintf(err, err_size, "more than %d seeds", max_seeds);
                return -1;
            }
            seeds[count++] = (uint32_t)seed;
        }
        if (!end)
            return count;
        item = end + 1;
    }
}

char *cli_escape_text(const char *text, char *out, size_t size)
{
    size_t used = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c && size > 0; c++) {
        char piece[5] = {(char)*c, 0};
        if (*c < 0x20 || *c == 0x7f)
            snprintf(piece, sizeof piece, "\\x%02x", *c);
        else if (*c == '\\')
            snprintf(piece, sizeof piece, "\\\\");
        size_t length = strlen(piece);
        if (used + length >= size)
            break;
        memcpy(out + used, piece, length);
        used += length;
    }
    if (size > 0)
        out[used] = 0;
    return out;
}

int cli_parse_fingering(const char *name)
{
    static const char *const names[] = {"auto", "fixed", "channel", "fret"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int64_t cli_clock_unix(void) { return wall_clock_unix(); }

void cli_print_map_summary(FILE *out, const char *title, const MapMetrics *m)
{
    fprintf(out, "%s: area %%", title);
    for (int d = 0; d < METRICS_DIGITS; d++)
        fprintf(out, " D%d %.1f", d + 1, 100.0 * m->area_fraction[d]);
    fprintf(out, "\n  multi-digit %.1f %%, mean RF %.2f points, D1-D5 %.1f mm, overlap risk %.2f%s%s\n",
            100.0 * m->multi_digit_fraction, m->rf_points_mean, m->d1_d5_distance_mm, m->overlap_risk,
            m->risk_pair >= 0 ? " driven by " : "", m->risk_pair >= 0 ? metrics_pair_name(m->risk_pair) : "");
}

void cli_print_map_json(FILE *out, const char *hand, const MapMetrics *m)
{
    fprintf(out, "{\"hand\": \"%s\", \"area\": [", hand);
    for (int d = 0; d < METRICS_DIGITS; d++)
        fprintf(out, "%s%.6f", d ? ", " : "", m->area_fraction[d]);
    fprintf(out,
            "], \"multi_digit\": %.6f, \"rf_points\": %.6f, \"d1_d5_mm\": %.6f, \"overlap_risk\": %.6f, "
            "\"risk_pair\": \"%s\"}",
            m->multi_digit_fraction, m->rf_points_mean, m->d1_d5_distance_mm, m->overlap_risk,
            metrics_pair_name(m->risk_pair));
}

int cli_option_profile(const char *command, const char *value, const char **profile)
{
    char err[256];
    if (profile_check_name(value, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM " %s: --profile: %s\n", command, err);
        return -1;
    }
    *profile = value;
    return 0;
}

int cli_option_sleep(const char *command, const char *value, SleepWindow *window)
{
    if (profile_parse_sleep_window(value, window) != 0) {
        fprintf(stderr, PROGRAM " %s: --sleep '%s' is not START-END in hours 0..23 (e.g. 23-7)\n", command, value);
        return -1;
    }
    return 0;
}
