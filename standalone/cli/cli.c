/* cli: option parsing and metric printing shared by the homunculus subcommands. */
#include "cli.h"

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

int cli_parse_fingering(const char *name)
{
    static const char *const names[] = {"auto", "fixed", "channel", "fret"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

int64_t cli_clock_unix(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        long long value = strtoll(epoch, &end, 10);
        if (!*end)
            return value;
    }
    return (int64_t)time(NULL);
}

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
